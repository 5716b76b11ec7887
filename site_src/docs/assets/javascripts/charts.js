/* Draw every chart on the page from its JSON, loading the Plotly bundle only when a chart is
 * about to scroll into view. Each figure's JSON is in its element's data-figure attribute. Runs on the first load and after every instant navigation
 * (Material's document$ observable), because instant navigation does not run inline scripts. */
(function () {
  "use strict";
  var bundle = new URL("../vendor/plotly/plotly-basic.min.js", document.currentScript.src).href;
  var loading = null;

  function loadPlotly() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = bundle;
        script.async = true;
        script.onload = function () { resolve(window.Plotly); };
        script.onerror = function () { loading = null; reject(new Error("could not load " + bundle)); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function draw(element) {
    if (element.getAttribute("data-state") === "drawn") return;
    var figure = JSON.parse(element.getAttribute("data-figure"));
    loadPlotly().then(function (Plotly) {
      return Plotly.newPlot(element, figure.data, figure.layout, {
        responsive: true, displayModeBar: false, displaylogo: false, scrollZoom: false
      });
    }).then(function () {
      element.setAttribute("data-state", "drawn");
    }).catch(function () {
      element.setAttribute("data-state", "failed");
    });
  }

  function init() {
    var charts = Array.prototype.slice.call(document.querySelectorAll("[data-figure]"));
    charts.forEach(function (element) { element.setAttribute("data-state", "pending"); });
    if (!charts.length) return;
    if (!("IntersectionObserver" in window)) { charts.forEach(draw); return; }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { observer.unobserve(entry.target); draw(entry.target); }
      });
    }, { rootMargin: "200px 0px" });
    charts.forEach(function (element) { observer.observe(element); });
  }

  if (typeof window.document$ !== "undefined") window.document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
