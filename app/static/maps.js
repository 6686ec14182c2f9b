// The map pages: draw each figure embedded as plotly JSON (<script type="application/json">)
// with the plotly.js Bereik serves itself; no inline script (the CSP forbids it).
// Clicking an actor opens its page; clicking a group of the group map drills down into it;
// clicking a bar opens the group's list of actors to reach.
(function () {
  "use strict";

  function target(box, point) {
    var data = point.customdata;
    if (data === undefined || data === null) { return null; }
    if (typeof data === "number" || /^\d+$/.test(String(data))) {
      return box.dataset.actorUrl + data;
    }
    var text = String(data);
    var colon = text.indexOf(":");
    if (colon < 0) { return null; }
    var dimension = text.slice(0, colon);
    var key = text.slice(colon + 1);
    if (dimension === "kind_district" && box.dataset.figure === "network") {
      var slash = key.indexOf("/");
      var params = new URLSearchParams(window.location.search);
      params.set("kind", key.slice(0, slash));
      params.set("district", key.slice(slash + 1));  // "\u2014": the actors without a district
      return box.dataset.drillUrl + "?" + params.toString();
    }
    return box.dataset.groupUrl + encodeURIComponent(dimension) + "/" +
      key.split("/").map(encodeURIComponent).join("/");
  }

  function draw(box) {
    var source = document.querySelector('script.figure-json[data-figure="' + box.dataset.figure + '"]');
    if (!source) { return; }
    var figure = JSON.parse(source.textContent);
    var config = {
      displaylogo: false,
      responsive: true,
      toImageButtonOptions: { format: "png", filename: box.dataset.filename || "bereik", scale: 2 }
    };
    window.Plotly.newPlot(box, figure.data, figure.layout, config).then(function () {
      box.setAttribute("data-rendered", "true");
    });
    box.on("plotly_click", function (event) {
      var point = event.points && event.points[0];
      var url = point && target(box, point);
      if (url) { window.location.assign(url); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.Plotly) { return; }
    document.querySelectorAll(".plotly-figure").forEach(draw);
    var print = document.getElementById("print-report");
    if (print) { print.addEventListener("click", function () { window.print(); }); }
  });
})();
