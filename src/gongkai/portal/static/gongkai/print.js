// Buttons marked data-print print the page (no inline event handlers: Content-Security-Policy).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) { window.print(); }
});
