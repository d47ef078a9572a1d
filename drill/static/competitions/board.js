// The live leaderboard: poll the board's JSON every few seconds with If-None-Match (a 304 costs nothing);
// redraw only when it changed. If an update fails, keep showing the last good board and say so.
(function () {
  "use strict";
  const root = document.getElementById("board");
  if (!root) return;
  const text = root.dataset;
  const every = Number(text.poll) || 3000;
  const stale = document.getElementById("board-stale");
  const mode = document.getElementById("board-mode");
  const me = document.getElementById("board-me");
  const final = document.getElementById("board-final");
  const tables = document.getElementById("board-tables");
  const teamsFinal = document.getElementById("teams-final");
  let etag = null;
  let round = "";
  let timer = null;

  function url() {
    const u = new URL(text.url, window.location.href);
    if (round) u.searchParams.set("round", round);
    return u.toString();
  }

  function cell(row, value, className) {
    const td = document.createElement("td");
    td.textContent = value;
    if (className) td.className = className;
    row.appendChild(td);
  }

  function fill(id, rows, withTeam) {
    const body = document.querySelector("#" + id + " tbody");
    const fresh = document.createElement("tbody");
    rows.forEach(function (r) {
      const tr = document.createElement("tr");
      cell(tr, r.rank, "rank");
      cell(tr, r.name, "name");
      if (withTeam) cell(tr, r.team, "team");
      cell(tr, r.score, "score text-end");
      fresh.appendChild(tr);
    });
    body.replaceWith(fresh);
  }

  // A final's board: who advanced from which round, or that they are not confirmed yet (then no tables).
  function drawFinal(f) {
    final.hidden = !f;
    tables.hidden = Boolean(f && !f.confirmed);
    teamsFinal.hidden = !(f && f.confirmed);
    if (!f) return;
    const template = !f.confirmed ? text.finalPending : f.per_branch ? text.finalBranch : text.final;
    const values = { count: f.advanced, round: f.from, n: f.top_n };
    final.textContent = template.replace(/\{(count|round|n)\}/g, function (_, key) { return values[key]; });
  }

  function draw(data) {
    fill("individual", data.individual, true);
    fill("teams", data.teams, false);
    drawFinal(data.final);
    mode.textContent = data.mode === "frozen" ? text.frozen : data.mode === "published" ? text.published
      : data.mode === "live" ? text.live : "";
    if (data.me) {
      me.textContent = text.me.replace("{rank}", data.me.rank).replace("{score}", data.me.score);
      me.hidden = false;
    } else {
      me.hidden = true;
    }
    root.dataset.loaded = String(Number(root.dataset.loaded || 0) + 1);
  }

  function poll() {
    const headers = { Accept: "application/json" };
    if (etag) headers["If-None-Match"] = etag;
    fetch(url(), { headers: headers, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 304) return null;
        if (!response.ok) throw new Error("HTTP " + response.status);
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (data) {
        stale.hidden = true;
        if (data) draw(data);
      })
      .catch(function () {
        stale.textContent = text.stale;
        stale.hidden = false;
      })
      .finally(function () {
        timer = window.setTimeout(poll, every);
      });
  }

  document.querySelectorAll("#round-picker [data-round]").forEach(function (button) {
    button.addEventListener("click", function () {
      document.querySelectorAll("#round-picker .active").forEach(function (b) { b.classList.remove("active"); });
      button.classList.add("active");
      round = button.dataset.round;
      etag = null;
      window.clearTimeout(timer);
      poll();
    });
  });
  poll();
})();
