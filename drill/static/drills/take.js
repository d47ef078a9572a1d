// The paper (drills, exams, competition rounds): every answer is kept on the phone (queue.js) until the
// server confirms it, and sent as soon as the connection allows; a submission waits the same way. The
// countdown follows the server's remaining seconds, never the phone's clock. One question per screen on a
// phone; a reload comes back to the same question. No status change moves a control (take.css).
//
// Versions: each change of an answer gets the next number for its question (`seq`, counted on from the
// server's); the server keeps the newest, so a replay of an older answer can never overwrite a newer one.
(function () {
  "use strict";
  const root = document.getElementById("attempt");
  if (!root || !window.drillQueue) return;
  const Q = window.drillQueue;
  const attemptId = root.dataset.attempt;
  const text = document.getElementById("messages").dataset;
  const bar = document.getElementById("paper-status");
  const status = document.getElementById("save-status");
  const countdown = document.getElementById("countdown");
  const form = document.getElementById("submit-form");
  const submitStatus = document.getElementById("submit-status");
  const sections = Array.from(document.querySelectorAll("section.question"));
  const pills = Array.from(document.querySelectorAll(".question-pills .pill"));

  // Per question: the server's confirmed version and whether that answer counts as answered; the newest
  // answer waiting on the phone (null when none waits); whether a request for it is on its way.
  const items = new Map();
  sections.forEach((section) => {
    items.set(Number(section.dataset.position), {
      section,
      acked: Number(section.dataset.seq) || 0,
      answered: section.dataset.saved === "yes" && answered(section),
      local: null,
      sending: false,
      refused: "",
      last: null, // the last answer kept, as JSON: leaving a field after the typing pause saves nothing new
    });
  });
  let failures = 0; // network failures in a row, while the phone says it is online
  let retryTimer = null;
  let submitWanted = false;
  let submitting = false;
  let closed = false; // the server closed the paper (or it is being left for the results)

  // ---- the clock: the server's remaining seconds, advanced by a monotonic timer, never Date()
  let remaining = Number(root.dataset.remaining);
  let base = performance.now();
  let timeIsUp = false;
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
    if (left <= 0 && !timeIsUp && !closed) {
      timeIsUp = true;
      // The server closes the paper with what it has; a submission now just leads to the results.
      submitStatus.textContent = text.timeUp;
      setTimeout(requestSubmit, 1500);
    }
  }
  setInterval(tick, 500);
  setInterval(function () {
    if (closed || !navigator.onLine) return;
    fetch(root.dataset.stateUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : null))
      .then((data) => {
        if (!data) return;
        if (data.state !== "open") return leave();
        resync(data.remaining);
      })
      .catch(() => {});
  }, 30000);

  // ---- reading and writing an answer in the inputs, by type
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
  function show(section, response) {
    const box = section.querySelector(".answer");
    const type = box.dataset.type;
    if (type === "single" || type === "truefalse") {
      box.querySelectorAll("input").forEach((i) => { i.checked = response !== null && i.value === String(response); });
    } else if (type === "multiple") {
      box.querySelectorAll("input").forEach((i) => { i.checked = Array.isArray(response) && response.includes(i.value); });
    } else if (type === "blank") {
      box.querySelectorAll("input").forEach((i, n) => { i.value = (Array.isArray(response) && response[n]) || ""; });
    } else if (type === "numeric" || type === "open") {
      box.querySelector("input, textarea").value = typeof response === "string" ? response : "";
    } else if (type === "ordering" && Array.isArray(response)) {
      const list = box.querySelector("ol");
      response.forEach((id) => {
        const li = list.querySelector('li[data-id="' + id + '"]');
        if (li) list.appendChild(li);
      });
      box.dataset.touched = "yes";
    } else if (type === "matching") {
      box.querySelectorAll("select").forEach((sel) => { sel.value = (response && response[sel.dataset.left]) || ""; });
    }
  }
  function filled(type, r) {
    if (type === "ordering") return Array.isArray(r) && r.length > 0;
    if (r === null || r === undefined || r === "") return false;
    if (Array.isArray(r)) return r.some((v) => v !== "");
    if (typeof r === "object") return Object.keys(r).length > 0;
    return true;
  }
  function answered(section) {
    const box = section.querySelector(".answer");
    // An ordering shows some order from the start: it counts once the manager has confirmed one.
    if (box.dataset.type === "ordering" && box.dataset.touched !== "yes") return false;
    return filled(box.dataset.type, responseOf(section));
  }

  // ---- what the page says: fixed-size places only, so nothing moves
  function waiting() {
    let n = 0;
    items.forEach((item) => { if (item.local) n += 1; });
    return n;
  }
  function render() {
    const n = waiting();
    const offline = !navigator.onLine;
    let state, message;
    if (closed) {
      state = "closed";
      message = status.textContent;
    } else if (offline) {
      state = "offline";
      message = n ? text.offline.replace("{n}", n) : text.offlineNone;
    } else if (failures > 0 && (n > 0 || submitWanted)) {
      state = "retrying";
      message = text.unsentRetrying.replace("{n}", n);
    } else if (n > 0) {
      state = "sending";
      message = text.sending.replace("{n}", n);
    } else {
      state = "saved";
      message = "✓ " + text.allSaved;
    }
    bar.dataset.state = state;
    if (!closed && status.textContent !== message) status.textContent = message;

    items.forEach((item, position) => {
      const el = item.section.querySelector(".item-status");
      let line = "", cls = "";
      // Waiting on the phone shows only when the network failed; a normal save is just "Saving…".
      const stuck = Boolean(item.local) && (offline || failures > 0);
      if (item.refused) { line = item.refused; cls = "refused"; }
      else if (stuck) { line = offline ? text.onPhone : text.retrying; cls = "on-phone"; }
      else if (item.local) { line = text.saving; cls = "sending"; }
      else if (item.answered) { line = "✓ " + text.saved; cls = "saved"; }
      if (el.textContent !== line) el.textContent = line;
      el.className = "item-status small " + cls;
      const pill = pills[sections.indexOf(item.section)];
      if (pill) {
        pill.classList.toggle("on-phone", stuck);
        if (!item.local) pill.classList.toggle("answered", item.answered);
        else if (stuck) pill.classList.remove("answered");
        pill.setAttribute("aria-label", position + (stuck ? " · " + text.onPhone : pill.classList.contains("answered") ? " · " + text.saved : ""));
      }
    });
    const missing = sections.filter((s) => !answered(s)).length;
    document.getElementById("unanswered").textContent = missing ? text.unanswered.replace("{n}", missing) : "";
    if (submitWanted && !closed) submitStatus.textContent = offline ? text.submitWaiting : text.submitSending;
  }

  // ---- keeping an answer: on the phone first, then to the server
  function keep(section) {
    if (closed) return;
    const position = Number(section.dataset.position);
    const item = items.get(position);
    const response = responseOf(section);
    const box = section.querySelector(".answer");
    const json = JSON.stringify(response);
    if (json === item.last && box.dataset.touched === "yes") return;
    item.last = json;
    box.dataset.touched = "yes";
    const seq = Math.max(item.acked, item.local ? item.local.seq : 0) + 1;
    item.local = { seq, response };
    item.refused = "";
    render();
    Q.saveAnswer(attemptId, position, seq, response).catch(() => {}).then(pump);
  }

  function pump() {
    if (closed) return render();
    if (!navigator.onLine) return render();
    items.forEach((item, position) => {
      if (item.local && !item.sending) send(position, item);
    });
    if (submitWanted && waiting() === 0) sendSubmit();
    render();
  }
  function retryLater() {
    failures += 1;
    clearTimeout(retryTimer);
    retryTimer = null;
    if (navigator.onLine) {
      const wait = Math.min(15000, 1000 * 2 ** Math.min(failures - 1, 4));
      retryTimer = setTimeout(() => { retryTimer = null; pump(); }, wait);
    }
    render();
  }

  function send(position, item) {
    const job = item.local;
    item.sending = true;
    fetch(root.dataset.saveUrl + position, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": root.dataset.csrf },
      body: JSON.stringify({ response: job.response, seq: job.seq }),
    })
      .then((r) => r.json().then((data) => ({ code: r.status, data })))
      .then(({ code, data }) => {
        item.sending = false;
        if (code === 200) {
          failures = 0;
          resync(data.remaining);
          const acked = Math.max(job.seq, Number(data.seq) || 0);
          if (data.status === "saved") item.answered = filled(item.section.querySelector(".answer").dataset.type, job.response);
          item.acked = Math.max(item.acked, acked);
          if (item.local && item.local.seq <= item.acked) item.local = null;
          Q.answerSent(attemptId, position, item.acked).catch(() => {});
          return pump();
        }
        if (code === 409) return closedByServer(data.message);
        if (code === 400 || code === 413) {
          // Never accepted as it is: say so on the question and stop resending this version.
          item.refused = data.message || "";
          if (item.local && item.local.seq <= job.seq) item.local = null;
          Q.answerSent(attemptId, position, job.seq).catch(() => {});
          return pump();
        }
        throw new Error(String(code));
      })
      .catch(() => {
        item.sending = false;
        retryLater();
      });
  }

  // ---- submitting: waits on the phone like an answer, sent once every answer is in
  function requestSubmit() {
    if (closed) return;
    submitWanted = true;
    Q.wantSubmit(attemptId).catch(() => {}).then(pump);
  }
  function sendSubmit() {
    if (submitting || closed) return;
    submitting = true;
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      body: new FormData(form),
      redirect: "manual",
    })
      .then((r) => {
        submitting = false;
        if (r.type === "opaqueredirect" || (r.status >= 200 && r.status < 400)) return leave();
        if (r.status >= 500) throw new Error(String(r.status));
        submitWanted = false;
        Q.forget(attemptId).catch(() => {});
        submitStatus.textContent = text.submitFailed;
        render();
      })
      .catch(() => {
        submitting = false;
        retryLater();
      });
  }
  function leave() {
    closed = true;
    Q.forget(attemptId).catch(() => {}).then(() => window.location.assign(root.dataset.attemptUrl));
  }
  function closedByServer(message) {
    closed = true;
    status.textContent = message;
    render();
    setTimeout(leave, 2500);
  }

  // ---- inputs: choices save at once; typing saves a moment after the last key and when the field is left
  sections.forEach((section) => {
    const box = section.querySelector(".answer");
    const type = box.dataset.type;
    let timer = null;
    box.addEventListener("change", () => { clearTimeout(timer); keep(section); });
    if (type === "open" || type === "blank" || type === "numeric") {
      box.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => keep(section), 800); });
    }
    if (type === "ordering") {
      box.addEventListener("click", (event) => {
        const button = event.target.closest("button");
        if (!button) return;
        const li = button.closest("li");
        if (button.classList.contains("move-up") && li && li.previousElementSibling) li.parentNode.insertBefore(li, li.previousElementSibling);
        else if (button.classList.contains("move-down") && li && li.nextElementSibling) li.parentNode.insertBefore(li.nextElementSibling, li);
        if (button.classList.contains("move-up") || button.classList.contains("move-down")) button.focus();
        keep(section);
      });
    }
  });

  // ---- one question per screen on a phone; the place is kept in the address (#q3) and on the phone
  const narrow = window.matchMedia("(max-width: 767.98px)");
  const placeKey = "drill-paper-at:" + attemptId;
  let current = 0;
  function go(index, scroll) {
    current = Math.max(0, Math.min(sections.length - 1, index));
    sections.forEach((s, i) => s.classList.toggle("current", i === current));
    pills.forEach((p, i) => p.classList.toggle("active", i === current));
    const position = sections[current].dataset.position;
    try {
      history.replaceState(history.state, "", "#q" + position);
      localStorage.setItem(placeKey, position);
    } catch (error) { /* private mode: the place is not kept */ }
    if (scroll && narrow.matches) window.scrollTo({ top: 0 });
  }
  function startingPlace() {
    let wanted = (/^#q(\d+)$/.exec(window.location.hash) || [])[1];
    if (!wanted) {
      try { wanted = localStorage.getItem(placeKey); } catch (error) { wanted = null; }
    }
    const index = sections.findIndex((s) => s.dataset.position === wanted);
    return index < 0 ? 0 : index;
  }
  document.body.classList.add("paged");
  sections.forEach((s, i) => {
    s.querySelector(".prev").addEventListener("click", () => go(i - 1, true));
    s.querySelector(".next").addEventListener("click", () => go(i + 1, true));
  });
  pills.forEach((p, i) => p.addEventListener("click", () => go(i, true)));
  go(startingPlace(), false);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (closed || submitWanted) return;
    const missing = sections.filter((s) => !answered(s)).length;
    if (missing && !window.confirm(text.confirm.replace("{n}", missing))) return;
    requestSubmit();
  });
  window.addEventListener("online", () => { failures = 0; clearTimeout(retryTimer); retryTimer = null; pump(); });
  window.addEventListener("offline", render);
  let persistent = true;
  window.addEventListener("beforeunload", (event) => {
    if (!closed && !persistent && waiting() > 0) { event.preventDefault(); event.returnValue = ""; }
  });

  // ---- what waited on this phone from an earlier visit: newer answers are shown and sent
  render();
  tick();
  Promise.all([Q.answers(attemptId), Q.submitWanted(attemptId), Q.persistent()])
    .then(([stored, wanted, kept]) => {
      persistent = kept;
      stored.forEach((entry) => {
        const item = items.get(Number(entry.position));
        if (!item) return;
        if (entry.seq > item.acked && (!item.local || entry.seq > item.local.seq)) {
          item.local = { seq: entry.seq, response: entry.response };
          item.last = JSON.stringify(entry.response);
          show(item.section, entry.response);
        } else if (entry.seq <= item.acked) {
          Q.answerSent(attemptId, entry.position, item.acked).catch(() => {});
        }
      });
      submitWanted = submitWanted || wanted;
    })
    .catch(() => {})
    .then(pump);
})();
