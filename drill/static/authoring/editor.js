// The pack editor. With the bundled CodeMirror (static/vendor/editor.bundle.js, `make editor-bundle`) the
// text is checked as the author types: 400 ms after the last key the form is posted to the check endpoint
// (drill check's own code; nothing is saved) and every problem shows beside its line and in the list below;
// the status line says "checking…" until the answer for the text on screen is in, so it never says the
// check passes while errors are on screen. Without the bundle the plain textarea keeps its line numbers and
// is checked the same way. Autosave and a warning before leaving unsaved text work in both.
(function () {
  "use strict";
  const text = document.getElementById("text");
  const gutter = document.getElementById("draft-gutter");
  if (!text || !gutter) return;
  const form = text.form;
  const box = text.closest(".editor");
  const liveStatus = document.getElementById("live-status");
  const checkBox = document.getElementById("draft-check");
  const listing = document.getElementById("draft-listing");
  const publishLink = document.getElementById("publish-link");
  let marked = new Map();
  gutter.querySelectorAll("span.bad").forEach((s) => marked.set(Number(s.textContent), s.title));

  // --- the plain textarea's line numbers (used when CodeMirror is not there) ---
  function sync() { gutter.scrollTop = text.scrollTop; }

  function number(force) {
    const count = text.value.split("\n").length;
    if (!force && count === gutter.childElementCount) return;
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

  function textareaJump(line) {
    const lines = text.value.split("\n");
    let start = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
    const end = start + (lines[line - 1] || "").length;
    text.focus({ preventScroll: true });
    text.setSelectionRange(start, end);
    const height = parseFloat(getComputedStyle(text).lineHeight) || 20;
    text.scrollTop = Math.max(0, (line - 4) * height);
    sync();
    box.scrollIntoView({ block: "center" });
  }

  // --- CodeMirror when the bundle loaded ---
  let editor = null;
  if (window.drillEditor) {
    const label = document.querySelector("label[for=text]");
    editor = window.drillEditor.mount(text, { before: box, label: label ? label.textContent : "", onChange: changed });
    if (listing) listing.hidden = true; // the editor shows the problems at their lines itself
    if (label) label.addEventListener("click", (event) => { event.preventDefault(); editor.view.focus(); });
  } else {
    number();
    text.addEventListener("input", number);
    text.addEventListener("scroll", sync);
    text.addEventListener("input", changed);
  }
  const jump = (line) => (editor ? editor.jump(line) : textareaJump(line));

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a.jump[data-line]");
    if (!link) return;
    event.preventDefault();
    jump(Number(link.dataset.line));
  });

  // --- checking as the author types ---
  let checkTimer = null;
  let asked = 0;
  function setStatus(state, words) {
    if (!liveStatus) return;
    liveStatus.dataset.state = state;
    liveStatus.textContent = words;
    liveStatus.classList.remove("text-danger", "text-success", "text-warning-emphasis", "text-body-secondary");
    liveStatus.classList.add({ errors: "text-danger", warnings: "text-warning-emphasis", ok: "text-success" }[state] || "text-body-secondary");
  }

  function showList(result) {
    if (!checkBox) return;
    const alert = document.createElement("div");
    alert.className = "alert py-2 mb-2 alert-" + (result.errors ? "danger" : result.warnings ? "warning" : "success");
    alert.textContent = result.status;
    const list = document.createElement("ol");
    list.className = "list-unstyled small problems mb-0";
    for (const p of result.problems) {
      const item = document.createElement("li");
      item.className = "problem mb-1 " + (p.severity === "warning" ? "text-warning-emphasis" : "text-danger");
      item.dataset.line = p.line || "";
      const where = document.createElement(p.line ? "a" : "code");
      where.textContent = p.where;
      if (p.line) { where.href = "#L" + p.line; where.className = "jump fw-semibold"; where.dataset.line = p.line; }
      const message = document.createElement("span");
      message.className = "message";
      message.textContent = " " + p.message;
      item.append(where, message);
      list.appendChild(item);
    }
    const summary = document.createElement("p");
    summary.className = "small text-body-secondary mt-2 mb-0";
    summary.textContent = result.summary;
    checkBox.replaceChildren(alert, ...(result.problems.length ? [list] : []), summary);
  }

  async function check() {
    checkTimer = null;
    if (!form.dataset.check) return;
    const mine = ++asked;
    let result;
    try {
      const response = await fetch(form.dataset.check, { method: "POST", body: new FormData(form), credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      result = await response.json();
    } catch (error) {
      if (mine === asked) setStatus("failed", liveStatus ? liveStatus.dataset.failed : "");
      return;
    }
    if (mine !== asked || checkTimer) return; // the text changed since: a newer check is coming
    setStatus(result.errors ? "errors" : result.warnings ? "warnings" : "ok", result.status);
    showList(result);
    if (publishLink) {
      publishLink.classList.toggle("disabled", !result.ok);
      if (result.ok) publishLink.removeAttribute("aria-disabled"); else publishLink.setAttribute("aria-disabled", "true");
    }
    if (editor) editor.setProblems(result.problems);
    else {
      marked = new Map();
      for (const p of result.problems) if (p.line) marked.set(p.line, (marked.has(p.line) ? marked.get(p.line) + " · " : "") + p.message);
      number(true);
    }
  }

  function scheduleCheck() {
    asked++; // an answer still on its way is for older text
    setStatus("checking", liveStatus ? liveStatus.dataset.checking : "");
    if (checkTimer) clearTimeout(checkTimer);
    checkTimer = setTimeout(check, 400);
  }

  // --- autosave: a pause in typing saves the form, so a reload or a closed tab loses nothing ---
  const saveStatus = document.getElementById("autosave-status");
  let dirty = false;
  let saveTimer = null;
  function show(state) {
    if (!saveStatus) return;
    saveStatus.dataset.state = state;
    saveStatus.textContent = saveStatus.dataset[state] || "";
  }
  async function save() {
    saveTimer = null;
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
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = setTimeout(save, 1500);
    scheduleCheck();
  }
  form.querySelectorAll("select, input[type=text]").forEach((field) => field.addEventListener("change", changed));
  form.addEventListener("submit", () => { dirty = false; if (saveTimer) clearTimeout(saveTimer); });
  window.addEventListener("beforeunload", (event) => { if (dirty) { event.preventDefault(); event.returnValue = ""; } });

  if (editor) check(); // the marks beside the lines, for the text as loaded
  const target = /^#L(\d+)$/.exec(location.hash);
  if (target) jump(Number(target[1]));
})();
