// A button marked data-print prints the page (no inline onclick: the Content-Security-Policy forbids it).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
