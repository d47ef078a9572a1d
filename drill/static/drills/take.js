// The attempt page: save each answer as it is given, count down from the server's clock, one question
// per screen on a phone. Answers only ever travel to the server; nothing here knows a right answer.
(function () {
  "use strict";
  const root = document.getElementById("attempt");
  if (!root) return;
  const text = document.getElementById("messages").dataset;
  const status = document.getElementById("save-status");
  const countdown = document.getElementById("countdown");
  const form = document.getElementById("submit-form");
  const sections = Array.from(document.querySelectorAll("section.question"));
  const pending = new Map(); // position -> {response, attempt}
  const inFlight = new Set();
  let closed = false;

  // ---- the clock: the server's remaining seconds, advanced by a monotonic timer, never Date()
  let remaining = Number(root.dataset.remaining);
  let base = performance.now();
  function secondsLeft() {
    return Math.max(0, Math.round(remaining - (performance.now() - base) / 1000));
  }
  function resync(serverRemaining) {
    if (typeof serverRemaining === "number") {
      remaining = serverRemaining;
      base = performance.now();
    }
  }
  function tick() {
    const left = secondsLeft();
    const m = Math.floor(left / 60), s = left % 60;
    countdown.textContent = m + ":" + String(s).padStart(2, "0");
    countdown.parentElement.classList.toggle("text-bg-danger", left <= 60);
    if (left <= 0 && !closed) timeUp();
  }
  setInterval(tick, 500);
  setInterval(function () {
    fetch(root.dataset.stateUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : null))
      .then((data) => {
        if (!data) return;
        if (data.state !== "open") return finish();
        resync(data.remaining);
      })
      .catch(() => {});
  }, 30000);

  function timeUp() {
    closed = true;
    showStatus(text.timeUp, "text-danger");
    // The server closes the attempt with what it has; submitting just takes the manager to the results.
    setTimeout(() => form.submit(), 1500);
  }
  function finish() {
    closed = true;
    window.location.reload();
  }

  // ---- reading an answer from the inputs, by type
  function responseOf(section) {
    const box = section.querySelector(".answer");
    const type = box.dataset.type;
    if (type === "single") {
      const chosen = box.querySelector("input:checked");
      return chosen ? chosen.value : null;
    }
    if (type === "multiple") return Array.from(box.querySelectorAll("input:checked")).map((i) => i.value);
    if (type === "truefalse") {
      const chosen = box.querySelector("input:checked");
      return chosen ? chosen.value === "true" : null;
    }
    if (type === "blank") return Array.from(box.querySelectorAll("input")).map((i) => i.value);
    if (type === "numeric" || type === "open") return box.querySelector("input, textarea").value;
    if (type === "ordering") return Array.from(box.querySelectorAll("li[data-id]")).map((li) => li.dataset.id);
    if (type === "matching") {
      const pairs = {};
      box.querySelectorAll("select").forEach((sel) => { if (sel.value) pairs[sel.dataset.left] = sel.value; });
      return pairs;
    }
    return null;
  }
  function answered(section) {
    const box = section.querySelector(".answer");
    // An ordering shows some order from the start: it counts once the manager has saved one.
    if (box.dataset.type === "ordering") return box.dataset.touched === "yes";
    const r = responseOf(section);
    if (r === null || r === "") return false;
    if (Array.isArray(r)) return r.some((v) => v !== "");
    if (typeof r === "object") return Object.keys(r).length > 0;
    return true;
  }

  // ---- saving: the latest response per question wins; failures retry with backoff
  function showStatus(message, cls) {
    status.textContent = message;
    status.className = "small " + (cls || "");
  }
  function itemStatus(section, message, cls) {
    const el = section.querySelector(".item-status");
    el.textContent = message;
    el.className = "item-status ms-2 small " + (cls || "");
  }
  function summary() {
    const unsaved = pending.size + inFlight.size;
    if (unsaved === 0) showStatus("✓ " + text.allSaved, "text-success");
    else showStatus(text.unsaved.replace("{n}", unsaved), "text-warning");
    const missing = sections.filter((s) => !answered(s)).length;
    document.getElementById("unanswered").textContent = missing ? text.unanswered.replace("{n}", missing) : "";
  }
  function queue(section) {
    if (closed) return;
    const position = Number(section.dataset.position);
    section.querySelector(".answer").dataset.touched = "yes";
    pending.set(position, { response: responseOf(section), tries: 0 });
    itemStatus(section, text.saving, "text-body-secondary");
    flush(position, section);
  }
  function flush(position, section) {
    if (inFlight.has(position) || !pending.has(position)) return;
    const job = pending.get(position);
    pending.delete(position);
    inFlight.add(position);
    summary();
    fetch(root.dataset.saveUrl + position, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": root.dataset.csrf },
      body: JSON.stringify({ response: job.response }),
    })
      .then((r) => r.json().then((data) => ({ ok: r.ok, code: r.status, data })))
      .then(({ ok, code, data }) => {
        inFlight.delete(position);
        if (ok) {
          resync(data.remaining);
          if (!pending.has(position)) itemStatus(section, "✓ " + text.saved, "text-success");
        } else if (code === 409) {
          closed = true;
          showStatus(data.message, "text-danger");
          itemStatus(section, data.message, "text-danger");
          setTimeout(finish, 2500);
          return;
        } else {
          throw new Error(data.message || code);
        }
        flush(position, section);
        summary();
      })
      .catch(() => {
        inFlight.delete(position);
        if (!pending.has(position)) pending.set(position, { response: job.response, tries: job.tries + 1 });
        itemStatus(section, text.retrying, "text-warning");
        summary();
        const wait = Math.min(15000, 1000 * 2 ** Math.min(job.tries, 4));
        setTimeout(() => {
          const again = pending.get(position);
          if (again) { pending.set(position, { response: responseOf(section), tries: again.tries }); flush(position, section); }
        }, wait);
      });
  }

  sections.forEach((section) => {
    const box = section.querySelector(".answer");
    const type = box.dataset.type;
    let timer = null;
    box.addEventListener("change", () => queue(section));
    if (type === "open" || type === "blank" || type === "numeric") {
      // Typing saves a moment after the last key, and at once when the field is left.
      box.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => queue(section), 1200); });
    }
    if (type === "ordering") {
      box.addEventListener("click", (event) => {
        const button = event.target.closest("button");
        if (!button) return;
        const li = button.closest("li");
        if (button.classList.contains("move-up") && li && li.previousElementSibling) li.parentNode.insertBefore(li, li.previousElementSibling);
        else if (button.classList.contains("move-down") && li && li.nextElementSibling) li.parentNode.insertBefore(li.nextElementSibling, li);
        if (button.classList.contains("move-up") || button.classList.contains("move-down")) button.focus();
        queue(section);
      });
    }
  });

  // ---- one question per screen on a phone
  const narrow = window.matchMedia("(max-width: 767.98px)");
  let current = 0;
  function show(index) {
    current = Math.max(0, Math.min(sections.length - 1, index));
    sections.forEach((s, i) => s.classList.toggle("current", i === current));
    document.querySelectorAll(".question-pills .pill").forEach((p, i) => {
      p.classList.toggle("active", i === current);
      p.classList.toggle("answered", answered(sections[i]));
    });
    if (narrow.matches) window.scrollTo({ top: 0 });
  }
  document.body.classList.add("paged");
  sections.forEach((s, i) => {
    s.querySelector(".prev").addEventListener("click", () => show(i - 1));
    s.querySelector(".next").addEventListener("click", () => show(i + 1));
  });
  document.querySelectorAll(".question-pills .pill").forEach((p, i) => p.addEventListener("click", () => show(i)));
  show(0);

  form.addEventListener("submit", (event) => {
    if (closed) return;
    const incomplete = pending.size + inFlight.size > 0 || sections.some((s) => !answered(s));
    if (incomplete && !window.confirm(text.confirm)) event.preventDefault();
    else closed = true;
  });
  window.addEventListener("beforeunload", (event) => {
    if (!closed && pending.size + inFlight.size > 0) { event.preventDefault(); event.returnValue = ""; }
  });
  summary();
  tick();
})();
