// The manage page's correction form, sent as JSON so the organiser stays where they are in a long list.
//
// <form method="post" action="(the form's URL)" data-json="(the JSON URL)" data-sending="…" data-recorded="…"
//       data-failed="…" data-offline="…" data-signed-out="…" data-expired="…"> with the fields fix-round, fix-score, fix-reason, the CSRF
// token, a submit button and a <p data-role="status" role="status">. The answer — recorded, or what is
// wrong and with which field — is shown under the form; the field at fault is marked for screen readers.
// A correction is never queued for later: when the network fails the organiser is told it may not have
// been recorded, and to look at the audit log before trying again.
// Without JavaScript the form posts itself and the page comes back with the same message.
(() => {
  "use strict";

  function show(form, text, tone) {
    const status = form.querySelector("[data-role=status]");
    status.textContent = text;
    status.className = `small mt-1 mb-0 text-${tone}`;
  }

  // The field at fault is marked, described by the message and focused; otherwise the focus goes back to
  // the button, which was disabled while the correction was on its way.
  function mark(form, field) {
    const status = form.querySelector("[data-role=status]");
    for (const input of form.querySelectorAll("[aria-invalid]")) {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    }
    const input = field && form.querySelector(`[name="fix-${field}"]`);
    if (input) {
      if (!status.id) status.id = `${input.id}-status`;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", status.id);
      input.focus();
    } else {
      form.querySelector("button[type=submit]").focus();
    }
  }

  async function send(form) {
    const data = new FormData(form);
    const body = {
      round: Number(data.get("fix-round")),
      score: (data.get("fix-score") || "").trim() || null,
      reason: data.get("fix-reason") || "",
    };
    const response = await fetch(form.dataset.json, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": data.get("fix-csrf_token"),
      },
      body: JSON.stringify(body),
    });
    if (response.redirected || response.status === 401) return { signedOut: true };
    const reply = await response.json().catch(() => null);
    // Flask-WTF's refusal of a stale token: retrying cannot help, reloading the page can.
    if (response.status === 400 && reply && reply.error === "csrf") return { expired: true };
    return { status: response.status, reply };
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target.closest("form[data-json]");
    if (!form) return;
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    if (button.disabled) return; // one correction per tap
    button.disabled = true;
    show(form, form.dataset.sending, "secondary");
    try {
      const answer = await send(form);
      button.disabled = false;
      if (answer.signedOut) {
        show(form, form.dataset.signedOut, "danger");
        mark(form, "");
      } else if (answer.expired) {
        show(form, form.dataset.expired, "danger");
        mark(form, "");
      } else if (answer.status === 201) {
        show(form, form.dataset.recorded, "success");
        form.querySelector('[name="fix-score"]').value = "";
        form.querySelector('[name="fix-reason"]').value = "";
        mark(form, "");
      } else {
        show(form, (answer.reply && answer.reply.message) || form.dataset.failed, "danger");
        mark(form, answer.reply && answer.reply.field);
      }
    } catch (_error) {
      // The network failed on the way there or back: the server may have recorded it. Say so, rather
      // than "not recorded", so that nobody records it twice without looking.
      button.disabled = false;
      show(form, form.dataset.offline, "danger");
      mark(form, "");
    }
  });
})();
