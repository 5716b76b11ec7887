/* Interactive charts, loaded only when a reader asks for one.
 *
 * Every chart arrives as a static SVG drawing (made when the site is built) inside a box of
 * the chart's height, with its figure's JSON in the box's data-figure attribute, and a hidden
 * "Explore this chart" button. This script shows the button; the Plotly bundle (about 1 MB)
 * is fetched only when the button is pressed (by mouse, touch or keyboard), never on a hover,
 * a touch or a scroll. Plotly then draws the same figure, laid out like the drawing, with
 * values on hover, in place of the drawing, in the same box.
 * Runs on the first load and after every instant navigation (Material's document$), because
 * instant navigation does not run inline scripts. */
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

  function draw(element, control) {
    var state = element.getAttribute("data-state");
    if (state === "drawing" || state === "drawn") return;
    element.setAttribute("data-state", "drawing");
    control.disabled = true;
    control.textContent = "Loading the chart\u2026";
    var figure = JSON.parse(element.getAttribute("data-figure"));
    loadPlotly().then(function (Plotly) {
      var drawing = element.querySelector(".chart__svg");
      if (drawing) drawing.remove();
      return Plotly.newPlot(element, figure.data, figure.layout, {
        responsive: true, displayModeBar: false, displaylogo: false, scrollZoom: false
      });
    }).then(function () {
      element.setAttribute("data-state", "drawn");
      control.parentNode.hidden = true;  /* the chart is now interactive: hover or tap a mark */
    }).catch(function () {
      element.setAttribute("data-state", "static");  /* the drawing stays: nothing is lost */
      control.disabled = false;
      control.textContent = "Explore this chart";
    });
  }

  function init() {
    document.querySelectorAll(".chart").forEach(function (figure) {
      var element = figure.querySelector("[data-figure]");
      var control = figure.querySelector(".chart__button");
      if (!element || !control || element.hasAttribute("data-state")) return;
      element.setAttribute("data-state", "static");
      control.addEventListener("click", function () { draw(element, control); });
      control.parentNode.hidden = false;
    });
  }

  if (typeof window.document$ !== "undefined") window.document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
