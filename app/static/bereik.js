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
