// The merge screen: the button says what happens with the record chosen to stay.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("merge-form");
  const button = document.getElementById("merge");
  if (!form || !button) return;
  form.addEventListener("change", (event) => {
    if (event.target.name === "kept") button.textContent = button.dataset[event.target.value];
  });
});
