// The round form shows only the settings the chosen kind uses (elements marked data-kinds="written case").
// Without this script every setting shows, and the server keeps only what the round's kind uses.
(function () {
  "use strict";
  const form = document.getElementById("round-form");
  const kind = form && form.elements.namedItem("kind");
  if (!kind) return;

  function show() {
    form.querySelectorAll("[data-kinds]").forEach((element) => {
      element.hidden = !element.dataset.kinds.split(" ").includes(kind.value);
    });
  }

  kind.addEventListener("change", show);
  show();
})();
