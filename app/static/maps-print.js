// The print report: each chart also as a static SVG image sized for an A4 page, shown only
// in print (maps-print.css). The browser's print does not wait for plotly to redraw at the
// page width, so a chart drawn for the screen would be cropped; an image made beforehand is
// on the page the moment the print starts. maps.js draws the charts and marks each box with
// data-rendered="true": the image is made from the drawn chart, once.
(function () {
  "use strict";

  // The printed column: A4 (210 mm) minus 15 mm margins on each side (maps-print.css @page),
  // in CSS pixels (96 per inch); the height leaves room for two charts on a page.
  var MM = 96 / 25.4;
  var PRINT_WIDTH = Math.round(180 * MM);
  var PRINT_HEIGHT = Math.round(115 * MM);

  function titleOf(box) {
    var layout = box._fullLayout || box.layout || {};
    var title = layout.title && layout.title.text;
    return title ? String(title).replace(/<[^>]*>/g, "") : "";
  }

  function makeImage(box) {
    if (box.dataset.printImage) { return Promise.resolve(); }
    box.dataset.printImage = "pending";
    return window.Plotly.toImage(box, { format: "svg", width: PRINT_WIDTH, height: PRINT_HEIGHT })
      .then(function (url) {
        var image = document.createElement("img");
        image.className = "print-image";
        image.src = url;
        image.alt = titleOf(box);
        image.width = PRINT_WIDTH;
        image.height = PRINT_HEIGHT;
        box.insertAdjacentElement("afterend", image);
        box.closest(".map-figure").classList.add("has-print-image");
        box.dataset.printImage = "ready";
      });
  }

  function whenRendered(box) {
    return new Promise(function (resolve) {
      if (box.getAttribute("data-rendered") === "true") { resolve(box); return; }
      var observer = new MutationObserver(function () {
        if (box.getAttribute("data-rendered") === "true") {
          observer.disconnect();
          resolve(box);
        }
      });
      observer.observe(box, { attributes: true, attributeFilter: ["data-rendered"] });
    });
  }

  function markReady(report) {
    report.setAttribute("data-print-ready", "true");
    var status = document.getElementById("print-status");
    if (status) { status.textContent = status.dataset.readyText; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var report = document.getElementById("report");
    if (!report || !window.Plotly) { return; }
    var boxes = Array.prototype.slice.call(report.querySelectorAll(".plotly-figure"));
    Promise.all(boxes.map(function (box) { return whenRendered(box).then(makeImage); }))
      .then(function () { markReady(report); });
  });
})();
