// The invitation list's bulk change: "select all" on this page, the number ticked (the bar stays
// in sight once one is), and the question before applying (data-confirm, asked by bereik.js on
// submit) naming how many and what.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("bulk-invitations");
  if (!form) { return; }
  var picks = document.querySelectorAll("input[name=invitation][form=bulk-invitations]");
  var all = document.getElementById("select-all");
  var count = document.getElementById("bulk-count");
  var selects = form.querySelectorAll("select");

  function ticked() {
    return Array.prototype.filter.call(picks, function (p) { return p.checked; }).length;
  }

  function chosen() {
    return Array.prototype.filter.call(selects, function (s) { return s.value; })
      .map(function (s) { return s.options[s.selectedIndex].text; }).join(", ");
  }

  function update() {
    var n = ticked();
    all.checked = n > 0 && n === picks.length;
    all.indeterminate = n > 0 && n < picks.length;
    count.textContent = form.getAttribute("data-count-text").replace("{count}", n);
    form.classList.toggle("ticked", n > 0);
    var what = chosen();
    if (n > 0 && what) {
      var template = form.getAttribute(n === 1 ? "data-confirm-one" : "data-confirm-many");
      form.setAttribute("data-confirm", template.replace("{count}", n).replace("{what}", what));
    } else {
      form.removeAttribute("data-confirm");  // the server says what is missing
    }
  }

  all.addEventListener("change", function () {
    Array.prototype.forEach.call(picks, function (p) { p.checked = all.checked; });
    update();
  });
  Array.prototype.forEach.call(picks, function (p) { p.addEventListener("change", update); });
  Array.prototype.forEach.call(selects, function (s) { s.addEventListener("change", update); });
  update();
});
