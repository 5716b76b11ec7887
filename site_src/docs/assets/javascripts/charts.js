/* Interactive charts, loaded only when a reader reaches for one.
 *
 * Every chart arrives as a static SVG drawing (made when the site is built) inside a box of
 * the chart's height, with its figure's JSON in the box's data-figure attribute. The Plotly
 * bundle is fetched only when the reader points at, touches or clicks a chart; Plotly then
 * draws the same figure, with values on hover, in place of the drawing, in the same box.
 * Runs on the first load and after every instant navigation (Material's document$), because
 * instant navigation does not run inline scripts. */
(function () {
  "use strict";
  var bundle = new URL("../vendor/plotly/plotly-basic.min.js", document.currentScript.src).href;
  var loading = null;
  var EVENTS = ["pointerenter", "touchstart", "click"];

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
    var state = element.getAttribute("data-state");
    if (state === "drawing" || state === "drawn") return;
    element.setAttribute("data-state", "drawing");
    var figure = JSON.parse(element.getAttribute("data-figure"));
    loadPlotly().then(function (Plotly) {
      var drawing = element.querySelector(".chart__svg");
      if (drawing) drawing.remove();
      return Plotly.newPlot(element, figure.data, figure.layout, {
        responsive: true, displayModeBar: false, displaylogo: false, scrollZoom: false
      });
    }).then(function () {
      element.setAttribute("data-state", "drawn");
    }).catch(function () {
      element.setAttribute("data-state", "static");  /* the drawing stays: nothing is lost */
    });
  }

  function init() {
    document.querySelectorAll("[data-figure]").forEach(function (element) {
      element.setAttribute("data-state", "static");
      var handler = function () {
        EVENTS.forEach(function (name) { element.removeEventListener(name, handler); });
        draw(element);
      };
      EVENTS.forEach(function (name) { element.addEventListener(name, handler, { passive: true }); });
    });
  }

  if (typeof window.document$ !== "undefined") window.document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
