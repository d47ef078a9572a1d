// The pack editor: line numbers that follow the text, problem links that select their line in the
// textarea, a confirmation before discarding, and a warning before leaving unsaved text.
(function () {
  "use strict";
  const text = document.getElementById("text");
  const gutter = document.getElementById("draft-gutter");
  if (!text || !gutter) return;
  const marked = new Map();
  gutter.querySelectorAll("span.bad").forEach((s) => marked.set(Number(s.textContent), s.title));

  function sync() { gutter.scrollTop = text.scrollTop; }

  function number() {
    const count = text.value.split("\n").length;
    if (count === gutter.childElementCount) return;
    const lines = document.createDocumentFragment();
    for (let n = 1; n <= count; n++) {
      const span = document.createElement("span");
      span.textContent = n;
      if (marked.has(n)) { span.className = "bad"; span.title = marked.get(n); }
      lines.appendChild(span);
    }
    gutter.replaceChildren(lines);
    sync();
  }

  function jump(line) {
    const lines = text.value.split("\n");
    let start = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
    const end = start + (lines[line - 1] || "").length;
    text.focus({ preventScroll: true });
    text.setSelectionRange(start, end);
    const height = parseFloat(getComputedStyle(text).lineHeight) || 20;
    text.scrollTop = Math.max(0, (line - 4) * height);
    sync();
    text.closest(".editor").scrollIntoView({ block: "center" });
  }

  number();
  text.addEventListener("input", number);
  text.addEventListener("scroll", sync);
  document.querySelectorAll("a.jump[data-line]").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      jump(Number(link.dataset.line));
    });
  });
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => { if (!window.confirm(form.dataset.confirm)) event.preventDefault(); });
  });

  // Autosave: a pause in typing sends the form to the server, so a reload or a closed tab loses nothing.
  const form = text.form;
  const status = document.getElementById("autosave-status");
  let dirty = false;
  let timer = null;
  function show(state) {
    if (!status) return;
    status.dataset.state = state;
    status.textContent = status.dataset[state] || "";
  }
  async function save() {
    timer = null;
    if (!dirty || !form.dataset.autosave) return;
    dirty = false;
    show("saving");
    try {
      const response = await fetch(form.dataset.autosave, { method: "POST", body: new FormData(form), credentials: "same-origin" });
      show(response.ok ? "saved" : "failed");
      if (!response.ok) dirty = true;
    } catch (error) {
      dirty = true;
      show("failed");
    }
  }
  function changed() {
    dirty = true;
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 1500);
  }
  text.addEventListener("input", changed);
  form.querySelectorAll("select, input[type=text]").forEach((field) => field.addEventListener("change", changed));
  form.addEventListener("submit", () => { dirty = false; if (timer) clearTimeout(timer); });
  window.addEventListener("beforeunload", (event) => { if (dirty) { event.preventDefault(); event.returnValue = ""; } });
  const target = /^#L(\d+)$/.exec(location.hash);
  if (target) jump(Number(target[1]));
})();
