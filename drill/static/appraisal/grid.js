// The rating grid: marks take numbers only; Enter (or ↓/↑) moves to the same item of the next (previous)
// manager, Tab moves right as usual. A comment box is outlined when the scheme asks for a comment on the
// mark typed (the server checks again on save).
(() => {
  "use strict";
  const table = document.getElementById("grid");
  if (!table) return;
  const marks = Array.from(table.querySelectorAll("input.grid-mark"));
  const heads = table.querySelectorAll("thead th");
  const columns = heads.length - 1;
  const allowed = /^[0-9.]$/;

  function needed(input) {
    const item = heads[input.closest("td").cellIndex].dataset; // the item's scale and comment rule
    const value = parseFloat(input.value);
    if (item.rule === "always") return input.value.trim() !== "";
    if (item.rule === "never" || Number.isNaN(value)) return false;
    const points = (value / parseFloat(item.high)) * 100;
    return points >= parseFloat(item.top) || points < parseFloat(item.bottom);
  }

  function mark(input) {
    const comment = input.parentElement.querySelector("input.grid-comment");
    if (comment) comment.classList.toggle("needed", needed(input) && comment.value.trim() === "");
  }

  marks.forEach((input, index) => {
    mark(input);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowUp" ? -columns : columns;
        const next = marks[index + step];
        if (next) {
          next.focus();
          next.select();
        }
        return;
      }
      if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !allowed.test(event.key)) {
        event.preventDefault();
      }
    });
    input.addEventListener("input", () => mark(input));
  });
  table.querySelectorAll("input.grid-comment").forEach((comment) => {
    comment.addEventListener("input", () => mark(comment.parentElement.querySelector("input.grid-mark")));
    comment.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault(); // a comment's Enter does not send the whole grid
    });
  });
})();
