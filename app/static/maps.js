// The map pages: draw each figure embedded as plotly JSON (<script type="application/json">)
// with the plotly.js Bereik serves itself; no inline script (the CSP forbids it).
// Clicking an actor opens its page; clicking a group of the group map drills down into it;
// clicking a bar opens the group's list of actors to reach.
// Nothing leaves the server: the toolbar keeps only download PNG, zoom, pan and reset, in the
// UI's language (the locale in <script id="plotly-locale">). On a phone the toolbar goes, every
// legend and colour bar lies under the chart, the base font is 12 px and no text is under 11 px.
(function () {
  "use strict";

  var PHONE_MAX_WIDTH_PX = 600;
  var BASE_FONT_PX = 12;  // the figure's own font on a phone: axes, legends, titles
  var MIN_FONT_PX = 11;  // no text smaller, whatever size a figure gives it
  var BOTTOM_GAP_PX = 8;  // between the legends and colour bars stacked under a phone chart
  var MIN_PLOT_HEIGHT_PX = 200;
  var MAX_PLOT_HEIGHT_PX = 1400;
  var MIN_PHONE_PLOT_HEIGHT_PX = 260;
  var RESIZE_DELAY_MS = 250;
  var TITLE_FONT_PX = 17;  // plotly's title size when the figure sets none
  var CHAR_WIDTH_EM = 0.55;  // an average character of a sans-serif font
  // Narrower than any phone: a tool measuring the page (a full-page screenshot, print preview
  // set-up) may shrink the window for a moment; drawing for that width is wasted.
  var MIN_REDRAW_WIDTH_PX = 200;
  // A whitelist: whatever plotly adds to its toolbar (a cloud share button, an editor link)
  // never appears.
  var TOOLBAR = [["toImage"], ["zoom2d", "pan2d", "resetScale2d"]];
  var WIDE_ONLY = "wide-only";  // mapping/figures/network.py: WIDE_ONLY

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

  // --- the locale and the config -----------------------------------------------------------

  function registerLocale() {
    var source = document.getElementById("plotly-locale");
    if (!source) { return undefined; }
    var locale = JSON.parse(source.textContent);
    window.Plotly.register(locale);
    return locale.name;
  }

  function isPhone(box) {
    return box.clientWidth < PHONE_MAX_WIDTH_PX;
  }

  function configFor(box, locale) {
    var config = {
      displaylogo: false,
      showSendToCloud: false,
      showEditInChartStudio: false,
      showLink: false,
      modeBarButtons: TOOLBAR,
      responsive: true,
      toImageButtonOptions: { format: "png", filename: box.dataset.filename || "bereik", scale: 2 }
    };
    if (locale) { config.locale = locale; }
    // On a phone the toolbar would cover the title; pinch and the table view do its work.
    if (isPhone(box)) { config.displayModeBar = false; }
    return config;
  }

  // --- the phone layout, before drawing ----------------------------------------------------

  function legendIds(layout, data) {
    var ids = { legend: true };
    Object.keys(layout).forEach(function (key) {
      if (/^legend\d*$/.test(key)) { ids[key] = true; }
    });
    data.forEach(function (trace) {
      if (typeof trace.legend === "string") { ids[trace.legend] = true; }
    });
    return Object.keys(ids);
  }

  // Every colour bar a figure may carry: a heatmap's, a marker's, a colour axis's.
  function colorbars(layout, data) {
    var found = [];
    data.forEach(function (trace) {
      if (trace.type === "heatmap" || trace.colorbar) {
        found.push(trace.colorbar = trace.colorbar || {});
      }
      if (trace.marker && (trace.marker.colorbar || trace.marker.showscale)) {
        found.push(trace.marker.colorbar = trace.marker.colorbar || {});
      }
    });
    Object.keys(layout).forEach(function (key) {
      if (/^coloraxis\d*$/.test(key) && layout[key]) {
        found.push(layout[key].colorbar = layout[key].colorbar || {});
      }
    });
    return found;
  }

  // Legends and colour bars horizontal, at the bottom of the figure (y in the container's
  // coordinates, so plotly keeps the plot area above them); fit() stacks them after drawing.
  function layUnder(item) {
    item.orientation = "h";
    item.xref = "container";  // the whole width to wrap in, not only the plot area's
    item.x = 0;
    item.xanchor = "left";
    item.yref = "container";
    item.y = 0;
    item.yanchor = "bottom";
  }

  function layColorbarUnder(colorbar) {
    layUnder(colorbar);
    colorbar.xref = "paper";
    colorbar.x = 0.5;
    colorbar.xanchor = "center";
    colorbar.len = 1;
    colorbar.lenmode = "fraction";
    colorbar.thickness = 12;
    var title = colorbar.title;
    colorbar.title = typeof title === "object" && title !== null ? title : { text: title || "" };
    // Under the bar: plotly keeps room above a bottom-anchored bar for the bar, not its title.
    colorbar.title.side = "bottom";
  }

  function raiseFontSize(font) {
    if (typeof font.size === "number") {
      font.size = Math.max(font.size, MIN_FONT_PX);
    } else if (Array.isArray(font.size)) {
      font.size = font.size.map(function (size) { return Math.max(size, MIN_FONT_PX); });
    }
  }

  // Every font of a layout or trace (font, tickfont, textfont, title.font, ...) at least
  // MIN_FONT_PX; long arrays of numbers (coordinates) are not walked.
  function raiseFonts(value) {
    if (Array.isArray(value)) {
      if (value.length && typeof value[0] === "object") { value.forEach(raiseFonts); }
      return;
    }
    if (!value || typeof value !== "object") { return; }
    Object.keys(value).forEach(function (key) {
      var child = value[key];
      if (/font$/.test(key) && child && typeof child === "object" && !Array.isArray(child)) {
        raiseFontSize(child);
      }
      raiseFonts(child);
    });
  }

  // A title longer than the phone is wide is cut off by plotly: break it between words.
  function wrapTitle(layout, width) {
    var title = layout.title;
    var text = title && typeof title === "object" ? title.text : title;
    if (typeof text !== "string" || text.indexOf("<br>") >= 0) { return; }
    var size = (title.font && title.font.size) || TITLE_FONT_PX;
    var perLine = Math.max(12, Math.floor(width / (CHAR_WIDTH_EM * size)));
    var lines = [""];
    text.split(" ").forEach(function (word) {
      var line = lines[lines.length - 1];
      if (line && (line + " " + word).length > perLine) { lines.push(word); }
      else { lines[lines.length - 1] = line ? line + " " + word : word; }
    });
    layout.title = typeof title === "object" ? title : {};
    layout.title.text = lines.join("<br>");
    layout.margin = layout.margin || {};
    layout.margin.t = Math.max(layout.margin.t || 0, 40 + lines.length * size * 1.3);
  }

  function phoneLayout(layout, data, width) {
    // Plotly's 80 px side margins take 40 % of a phone; the axes push them out as their labels
    // need (automargin).
    layout.margin = layout.margin || {};
    layout.margin.l = Math.min(layout.margin.l === undefined ? 80 : layout.margin.l, 12);
    layout.margin.r = Math.min(layout.margin.r === undefined ? 80 : layout.margin.r, 12);
    wrapTitle(layout, width - 24);
    layout.font = layout.font || {};
    layout.font.size = Math.max(layout.font.size || BASE_FONT_PX, BASE_FONT_PX);
    // Text in a bar too narrow for MIN_FONT_PX is left out rather than shrunk.
    layout.uniformtext = { minsize: MIN_FONT_PX, mode: "hide" };
    legendIds(layout, data).forEach(function (id) { layUnder(layout[id] = layout[id] || {}); });
    colorbars(layout, data).forEach(layColorbarUnder);
    raiseFonts(layout);
    data.forEach(raiseFonts);
  }

  // A heatmap shrinks its cell text to fit the cell (6 px on a phone): below MIN_FONT_PX the
  // text goes, the colour, the hover label and the table view still give the numbers.
  function hideTinyCellText(box) {
    var tiny = Array.prototype.some.call(box.querySelectorAll("g.heatmap-label text"), function (t) {
      return parseFloat(window.getComputedStyle(t).fontSize) < MIN_FONT_PX;
    });
    var heatmaps = [];
    box.data.forEach(function (trace, index) {
      if (trace.type === "heatmap") { heatmaps.push(index); }
    });
    if (!tiny || !heatmaps.length) { return Promise.resolve(); }
    return window.Plotly.restyle(box, { texttemplate: "" }, heatmaps);
  }

  // --- labels placed for a wide plot ----------------------------------------------------------

  // mapping/figures places some labels only where a desktop's plot has room for them and names
  // those annotations "wide-only": on a phone, or on a plot narrower than layout.meta
  // .wide_plot_px when the figure says how wide it assumed, they would overlap: hidden.
  function isNarrow(box, layout) {
    if (isPhone(box)) { return true; }
    var meta = layout.meta;
    var wide = meta && typeof meta === "object" ? meta.wide_plot_px : undefined;
    if (typeof wide !== "number") { return false; }
    var margin = layout.margin || {};
    var sides = (margin.l === undefined ? 80 : margin.l) + (margin.r === undefined ? 80 : margin.r);
    return box.clientWidth - sides < wide;
  }

  function hideWideOnlyLabels(layout) {
    (layout.annotations || []).forEach(function (annotation) {
      if (annotation.name === WIDE_ONLY) { annotation.visible = false; }
    });
  }

  // --- after drawing: stack what lies under the chart, and the height of the plot area ------

  function aspectOf(layout) {
    var meta = layout.meta;
    var aspect = meta && typeof meta === "object" ? meta.aspect : undefined;
    return typeof aspect === "number" && aspect > 0 ? aspect : null;
  }

  // The legends and colour bars drawn at the bottom, the lowest first: the colour bars, then the
  // legends from the last to the first (so the first legend ends up right under the chart).
  function bottomItems(box) {
    var items = [];
    box.querySelectorAll(".infolayer > g.colorbar").forEach(function (element) {
      var opts = element.__data__ || {};  // plotly's own options of the bar (d3 data)
      var key = (opts._propPrefix || "colorbar.") + "y";
      items.push({ element: element, key: key, trace: opts._traceIndex });
    });
    var legends = [];
    box.querySelectorAll(".infolayer > g").forEach(function (element) {
      var id = element.getAttribute("class");
      if (/^legend\d*$/.test(id)) { legends.push({ element: element, key: id + ".y" }); }
    });
    legends.sort(function (a, b) { return b.key.localeCompare(a.key, "en", { numeric: true }); });
    return items.concat(legends).filter(function (item) {
      return item.element.getBoundingClientRect().height > 0;
    });
  }

  function stackUnder(box, items, height) {
    var layoutUpdate = {};
    var traceUpdates = [];
    var offset = BOTTOM_GAP_PX;
    items.forEach(function (item) {
      var y = offset / height;
      if (item.trace === undefined) {
        layoutUpdate[item.key] = y;
      } else {
        var update = {};
        update[item.key] = [y];
        traceUpdates.push({ update: update, trace: item.trace });
      }
      offset += item.height + BOTTOM_GAP_PX;
    });
    return { layout: layoutUpdate, traces: traceUpdates };
  }

  function apply(box, updates) {
    var chain = Promise.resolve();
    updates.traces.forEach(function (t) {
      chain = chain.then(function () { return window.Plotly.restyle(box, t.update, [t.trace]); });
    });
    return chain.then(function () { return window.Plotly.relayout(box, updates.layout); });
  }

  function clamp(value, low, high) {
    return Math.min(Math.max(value, low), high);
  }

  // Phone: stack the legends and colour bars under the chart, then give the plot area back the
  // height they took. With layout.meta.aspect (height / width of the plot area wanted) the plot
  // area gets that shape at any width.
  function fit(box, phone, aspect) {
    return (phone ? hideTinyCellText(box) : Promise.resolve()).then(function () {
      return fitHeight(box, phone, aspect);
    });
  }

  function fitHeight(box, phone, aspect) {
    var full = box._fullLayout;
    var wanted = null;
    if (aspect) {
      wanted = clamp(full._size.w * aspect, MIN_PLOT_HEIGHT_PX, MAX_PLOT_HEIGHT_PX);
    } else if (phone) {
      wanted = Math.max(full._size.h, MIN_PHONE_PLOT_HEIGHT_PX);
    }
    var items = phone ? bottomItems(box) : [];
    items.forEach(function (item) { item.height = item.element.getBoundingClientRect().height; });
    var stacked = Promise.resolve();
    if (items.length) {
      // plotly keeps room for a legend placed in the container's coordinates from the legend's
      // previous position: one more draw makes the plot area end above the stack.
      stacked = apply(box, stackUnder(box, items, full.height)).then(function () {
        return window.Plotly.redraw(box);
      });
    }
    return stacked.then(function () {
      if (wanted === null) { return undefined; }
      var height = Math.round(box._fullLayout.height + wanted - box._fullLayout._size.h);
      if (Math.abs(height - box._fullLayout.height) < 2) { return undefined; }
      var updates = stackUnder(box, items, height);
      updates.layout.height = height;
      return apply(box, updates);
    });
  }

  // --- drawing -----------------------------------------------------------------------------

  function figureOf(box) {
    var source = document.querySelector(
      'script.figure-json[data-figure="' + box.dataset.figure + '"]');
    return source ? JSON.parse(source.textContent) : null;
  }

  function statusOf(box) {
    return box.parentNode.querySelector(".map-status");
  }

  function drawn(box) {
    var status = statusOf(box);
    if (status) { status.hidden = true; }
    box.removeAttribute("aria-busy");
    box.setAttribute("data-rendered", "true");
    box.dispatchEvent(new CustomEvent("bereik:drawn", {
      bubbles: true, detail: { figure: box.dataset.figure }
    }));
  }

  function failed(box, error) {
    var status = statusOf(box);
    if (status) {
      status.textContent = status.dataset.failed;
      status.classList.add("failed");
      status.hidden = false;
    }
    box.removeAttribute("aria-busy");
    if (error && window.console) { window.console.warn("chart not drawn:", error); }
  }

  function listen(box) {
    if (box.dataset.listening) { return; }
    box.dataset.listening = "true";
    box.on("plotly_click", function (event) {
      var point = event.points && event.points[0];
      var url = point && target(box, point);
      if (url) { window.location.assign(url); }
    });
  }

  function draw(box, locale) {
    var figure;
    try {
      figure = figureOf(box);
    } catch (error) {
      failed(box, error);
      return Promise.resolve();
    }
    if (!figure) { return Promise.resolve(); }
    var data = figure.data || [];
    var layout = figure.layout || {};
    var phone = isPhone(box);
    var narrow = isNarrow(box, layout);
    if (phone) { phoneLayout(layout, data, box.clientWidth); }
    if (narrow) { hideWideOnlyLabels(layout); }
    box.dataset.width = String(box.clientWidth);
    box.dataset.phone = String(phone);
    box.dataset.narrow = String(narrow);
    box.dataset.drawing = "true";
    return window.Plotly.newPlot(box, data, layout, configFor(box, locale))
      .then(function () {
        listen(box);
        return fit(box, phone, aspectOf(layout));
      })
      .then(function () { drawn(box); }, function (error) { failed(box, error); })
      .then(function () { delete box.dataset.drawing; });
  }

  // A new width may turn a desktop chart into a phone chart (or back), rewraps the legends under
  // a phone chart, and changes the height an aspect asks for: draw again. Phones fire resize
  // when the address bar hides, without a new width: those are ignored.
  function redrawOnResize(boxes, locale) {
    var timer = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        boxes.forEach(function (box) {
          if (box.dataset.rendered !== "true" || box.dataset.drawing) { return; }
          if (box.clientWidth < MIN_REDRAW_WIDTH_PX) { return; }
          if (String(box.clientWidth) === box.dataset.width) { return; }
          var figure = figureOf(box);
          var layout = (figure && figure.layout) || {};
          if (isPhone(box) || box.dataset.phone === "true" || aspectOf(layout) ||
              String(isNarrow(box, layout)) !== box.dataset.narrow) {
            draw(box, locale);
          }
        });
      }, RESIZE_DELAY_MS);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var boxes = Array.prototype.slice.call(document.querySelectorAll(".plotly-figure"));
    var print = document.getElementById("print-report");
    if (print) { print.addEventListener("click", function () { window.print(); }); }
    if (!window.Plotly) {  // plotly.js did not load
      boxes.forEach(function (box) { failed(box, new Error("plotly.js is missing")); });
      return;
    }
    var locale;
    try {
      locale = registerLocale();
    } catch (error) {
      locale = undefined;  // plotly's English is better than no chart
    }
    boxes.forEach(function (box) { draw(box, locale); });
    redrawOnResize(boxes, locale);
  });
})();
