// Ask before a destructive form is sent: <form data-confirm="Remove this relation?">.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// On a wide screen the list filters are open from the start; on a phone they stay folded.
document.addEventListener("DOMContentLoaded", function () {
  if (window.matchMedia("(min-width: 40rem)").matches) {
    document.querySelectorAll("details.more-filters").forEach(function (d) { d.open = true; });
  }
});

// The contact form offers only the outcomes the chosen channel can have (crm.vocabulary's
// CHANNEL_OUTCOMES, in the channel field's data-outcomes); the server refuses the others anyway.
function offerPossibleOutcomes(channel) {
  var outcome = channel.form && channel.form.querySelector("select[name=outcome]");
  if (!outcome) { return; }
  var possible = JSON.parse(channel.getAttribute("data-outcomes"))[channel.value] || [];
  Array.prototype.forEach.call(outcome.options, function (option) {
    // The empty choice ("what happened?") stays: a form opened before the call asks for it.
    var allowed = option.value === "" || possible.indexOf(option.value) >= 0;
    option.disabled = !allowed;
    option.hidden = !allowed;
  });
  if (outcome.value !== "" && possible.indexOf(outcome.value) < 0 && possible.length) {
    outcome.value = possible[0];
  }
}
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-outcomes]")) { offerPossibleOutcomes(event.target); }
});
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-outcomes]").forEach(offerPossibleOutcomes);
});

// A button that returns to its row (the outreach plan's "#today-12") finds it again even when
// the row sits in a folded group: open the groups around it, then bring it into view.
function revealTarget() {
  var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
  if (!target) { return; }
  for (var node = target.parentElement; node; node = node.parentElement) {
    if (node.tagName === "DETAILS") { node.open = true; }
  }
  target.scrollIntoView({ block: "center" });
}
document.addEventListener("DOMContentLoaded", revealTarget);
window.addEventListener("hashchange", revealTarget);

// One tap is one contact: once a form with a one-time token is sent, its buttons wait for the
// answer. A convenience only: the server stores a resent token once (crm.contacts).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (event.defaultPrevented || !form.querySelector("input[name=submission_token]")) { return; }
  form.querySelectorAll("button[type=submit]").forEach(function (button) {
    button.disabled = true;
    button.setAttribute("data-sent", "");
  });
});
// Back to a page kept in the browser's cache: the buttons work again (the server decides).
window.addEventListener("pageshow", function () {
  document.querySelectorAll("button[data-sent]").forEach(function (button) {
    button.disabled = false;
    button.removeAttribute("data-sent");
  });
});

// On a phone a table.responsive shows each row as labelled lines (bereik.css): every cell gets
// its column's header as data-label, so "12" still says what it counts. Done here once for every
// table instead of by hand in each template; a label written in the template wins. Call it again
// with the new part of the page after replacing rows.
function labelTableCells(root) {
  (root || document).querySelectorAll("table.responsive").forEach(function (table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) { return; }
    var labels = [];
    Array.prototype.forEach.call(head.cells, function (th) {
      var text = th.textContent.replace(/\s+/g, " ").trim();
      for (var i = 0; i < th.colSpan; i++) { labels.push(text); }
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var label = cell.colSpan === 1 ? labels[column] : "";  // a spanning cell is a message
          if (label && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", label); }
          column += cell.colSpan;
        });
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", function () { labelTableCells(document); });

// After a submit the keyboard (and a screen reader) starts where the answer is, not at the top
// of the page (WCAG 3.3.1, issue 11): the first field in error, else the form's own error, else
// the row the person came back to (a claim in the plan: revealTarget scrolls to it), else the
// message of what was done. A field the page focuses itself (autofocus) keeps the focus when
// all went well.
document.addEventListener("DOMContentLoaded", function () {
  var row = window.location.hash && document.getElementById(window.location.hash.slice(1));
  var target = document.querySelector("main [aria-invalid=true]") ||
    document.querySelector("main .error-text") ||
    (!document.querySelector("[autofocus]") && (row || document.querySelector("main .flash")));
  if (!target) { return; }
  if (target.tabIndex < 0) { target.setAttribute("tabindex", "-1"); }
  target.focus({ preventScroll: target === row });
});

// Date and date-time fields stay the browser's own inputs: a phone shows its date and time
// picker, the browser checks the format, the server reads one value. But Chromium gives each of
// their parts a tab stop (a date-time: day, month, year, hour, minute and the picker, 7 stops)
// and Enter in them sends the form half filled in. So Tab and Shift+Tab leave the field as one
// stop; inside it the arrow keys and typing move between the parts as before; Enter does not
// submit. (A date field plus a time field instead would still take 4 tab stops each.)
var DATE_FIELDS = "input[type=date], input[type=datetime-local], input[type=time]";
var TAB_STOPS = "a[href], button, input, select, textarea, [tabindex]";

function neighbourInTabOrder(element, step) {
  var stops = Array.prototype.filter.call(document.querySelectorAll(TAB_STOPS), function (e) {
    return e.tabIndex >= 0 && !e.disabled && e.type !== "hidden" && e.getClientRects().length > 0;
  });
  var at = stops.indexOf(element);
  return at < 0 ? null : stops[at + step] || null;
}

document.addEventListener("keydown", function (event) {
  var field = event.target;
  if (!field.matches || !field.matches(DATE_FIELDS)) { return; }
  if (event.key === "Enter") {
    event.preventDefault();
  } else if (event.key === "Tab" && !event.altKey && !event.ctrlKey && !event.metaKey) {
    var next = neighbourInTabOrder(field, event.shiftKey ? -1 : 1);
    if (next) {
      event.preventDefault();
      next.focus();
    }
  }
});

// On a phone the menu scrolls sideways (bereik.css): show the page's own item, not always the
// first ones.
document.addEventListener("DOMContentLoaded", function () {
  var active = document.querySelector("header.top nav a.active");
  var nav = active && active.parentElement;
  if (nav && nav.scrollWidth > nav.clientWidth) {
    nav.scrollLeft = active.offsetLeft - nav.offsetLeft - 16;
  }
});
