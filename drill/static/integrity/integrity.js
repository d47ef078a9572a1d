// Exam integrity on the paper page (templates/integrity/_paper.html): counts leaving the page, blocks
// paste into answers, asks for full screen on a computer, and keeps one device at a time. Events wait on
// the device (localStorage) until the server has them: a dropped network is never a page-leave, never
// blocks an answer, and what happened offline is counted when it arrives. The limit submits the paper
// through the page's own submit button, so the answers waiting on the device go first.
(function () {
  "use strict";
  const root = document.getElementById("integrity");
  if (!root) return;
  const d = root.dataset;
  const alertBox = document.getElementById("integrity-alert");
  const badge = document.getElementById("integrity-leaves");
  const limit = d.limit ? Number(d.limit) : null;
  const countLeaves = d.countLeaves === "yes";
  const storeKey = "drill-integrity-" + d.attempt;
  let leaves = Number(d.leaves) || 0;
  let closed = false;
  let submitted = false;
  let superseded = false;
  let sending = false;
  let retryTimer = null;
  let failures = 0;

  // ---- this device's id: random, kept in the browser (no fingerprinting)
  function deviceId() {
    try {
      let id = localStorage.getItem("drill-device");
      if (!id) {
        const bytes = new Uint8Array(16);
        crypto.getRandomValues(bytes);
        id = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
        localStorage.setItem("drill-device", id);
      }
      return id;
    } catch (e) {
      return "nostorage" + Math.random().toString(16).slice(2, 18);
    }
  }
  const device = deviceId();

  // ---- the queue of events not yet acknowledged, kept across reloads
  function load() {
    try {
      const saved = JSON.parse(localStorage.getItem(storeKey) || "null");
      if (saved && Array.isArray(saved.queue) && typeof saved.next === "number") return saved;
    } catch (e) { /* a broken entry starts afresh */ }
    return { next: 0, queue: [] };
  }
  const state = load();
  function persist() {
    try { localStorage.setItem(storeKey, JSON.stringify(state)); } catch (e) { /* kept in memory */ }
  }
  function push(kind, ms) {
    if (closed) return;
    state.queue.push({ seq: state.next++, kind: kind, ms: ms == null ? null : Math.round(ms), t: Date.now() });
    persist();
    send();
  }
  function send() {
    if (sending || closed || !state.queue.length) return;
    sending = true;
    const batch = state.queue.slice(0, 50);
    const now = Date.now();
    fetch(d.eventsUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": d.csrf },
      body: JSON.stringify({
        device: device,
        events: batch.map((e) => ({ seq: e.seq, kind: e.kind, ms: e.ms, age: Math.max(0, Math.min(now - e.t, 604800000)) })),
      }),
    })
      .then((r) => r.json().then((data) => ({ code: r.status, data: data })))
      .then(({ code, data }) => {
        sending = false;
        if (code === 409) { closed = true; state.queue = []; persist(); return; }
        if (code !== 200) throw new Error(String(code));
        failures = 0;
        const done = new Set(data.acknowledged || []);
        state.queue = state.queue.filter((e) => !done.has(e.seq));
        persist();
        answer(data);
        if (state.queue.length) send();
      })
      .catch(() => {
        sending = false;
        failures += 1;
        clearTimeout(retryTimer);
        retryTimer = setTimeout(send, Math.min(30000, 1000 * 2 ** Math.min(failures, 5)));
      });
  }
  window.addEventListener("online", () => { failures = 0; send(); });

  // ---- what the candidate sees
  function showCount() {
    if (!badge) return;
    badge.textContent = (limit ? d.msgLeavesLimit.replace("{limit}", limit) : d.msgLeaves).replace("{n}", leaves);
    badge.classList.toggle("text-bg-warning", limit !== null && leaves >= limit - 1);
  }
  function say(message, danger) {
    alertBox.textContent = message;
    alertBox.className = "alert py-2 small " + (danger ? "alert-danger" : "alert-warning");
    alertBox.hidden = false;
  }
  function status() {
    if (limit === null || !countLeaves) return "ok";
    if (leaves >= limit) return "submit";
    return leaves === limit - 1 ? "warn" : "ok";
  }
  function answer(data) {
    if (typeof data.leaves === "number" && data.leaves > leaves) leaves = data.leaves;
    showCount();
    if (data.superseded && !superseded) {
      superseded = true;
      say(d.msgSuperseded, true);
    }
    react(data.status || status());
  }
  function react(now) {
    if (now === "submit") submitPaper();
    else if (now === "warn") say(d.msgWarn.replace("{n}", leaves), false);
  }

  // The normal submit: the page's own button, so the answers waiting on the device are sent first. The
  // candidate was warned one page-leave before, so the page's "submit anyway?" question is not asked.
  function submitPaper() {
    if (submitted) return;
    submitted = true;
    say(d.msgSubmit.replace("{n}", leaves), true);
    const form = document.getElementById("submit-form");
    if (!form) return;
    const wanted = new CustomEvent("drill:auto-submit", { cancelable: true, detail: { reason: "integrity" } });
    if (!form.dispatchEvent(wanted)) return; // the paper page took it over
    const button = form.querySelector("[type=submit]");
    const ask = window.confirm;
    window.confirm = () => true;
    try {
      if (button) button.click();
      else if (form.requestSubmit) form.requestSubmit();
    } finally {
      window.confirm = ask;
    }
  }

  // ---- leaving the page: hidden (another app or tab), or the window losing focus for over a second
  let away = null;
  let blurTimer = null;
  let quietUntil = 0; // the page's own dialogs (submit anyway?) take the focus too
  function leave() {
    if (away || submitted) return;
    away = performance.now();
    if (countLeaves) {
      leaves += 1;
      showCount();
    }
    push("left");
  }
  function back() {
    clearTimeout(blurTimer);
    if (away === null) return;
    const ms = performance.now() - away;
    away = null;
    push("returned", ms);
    react(status());
  }
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") leave();
    else back();
  });
  window.addEventListener("blur", () => {
    clearTimeout(blurTimer);
    if (performance.now() < quietUntil) return;
    blurTimer = setTimeout(() => { if (!document.hasFocus()) leave(); }, 1000);
  });
  window.addEventListener("focus", () => { if (document.visibilityState === "visible") back(); });
  const form = document.getElementById("submit-form");
  if (form) form.addEventListener("submit", () => { quietUntil = performance.now() + 60000; }, true);

  // ---- paste into answers: blocked; typing and input methods (composition) are left alone
  if (d.blockPaste === "yes") {
    const inAnswer = (target) => target && target.closest && target.closest("#attempt input, #attempt textarea, #attempt [contenteditable]");
    const block = (event) => {
      if (!inAnswer(event.target)) return;
      event.preventDefault();
      say(d.msgPaste, false);
      push("paste");
    };
    document.addEventListener("paste", block, true);
    document.addEventListener("drop", block, true);
    document.addEventListener("beforeinput", (event) => {
      if (event.inputType === "insertFromPaste" || event.inputType === "insertFromDrop") block(event);
    }, true);
  }

  // ---- full screen on a computer: asked for with a button (browsers need a click)
  const wide = window.matchMedia("(min-width: 992px) and (pointer: fine)");
  const fullButton = document.getElementById("integrity-fullscreen");
  if (fullButton && wide.matches && document.documentElement.requestFullscreen) {
    const refresh = () => fullButton.classList.toggle("d-none", Boolean(document.fullscreenElement));
    fullButton.addEventListener("click", () => { document.documentElement.requestFullscreen().catch(() => {}); });
    let wasFull = false;
    document.addEventListener("fullscreenchange", () => {
      if (wasFull && !document.fullscreenElement) push("fullscreen_exit");
      wasFull = Boolean(document.fullscreenElement);
      refresh();
    });
    refresh();
  }

  // ---- one device at a time: say "opened" now, then keep in touch (once a minute while the page is in
  // front, and on every return) so that a paper opened on another device is noticed here
  push("opened");
  if (d.oneDevice === "yes") {
    setInterval(() => {
      if (closed || document.visibilityState !== "visible") return;
      if (state.queue.length) return send();
      state.queue.push({ seq: state.next++, kind: "alive", ms: null, t: Date.now() });
      persist();
      send();
    }, 60000);
  }
  showCount();
  react(status());
})();
