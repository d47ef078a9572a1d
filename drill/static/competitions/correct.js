// The manage page's correction form, sent as JSON so the organiser stays where they are in a long list.
//
// <form method="post" action="(the form's URL)" data-json="(the JSON URL)" data-sending="…" data-recorded="…"
//       data-failed="…" data-offline="…" data-signed-out="…"> with the fields fix-round, fix-score, fix-reason, the CSRF
// token, a submit button and a <p data-role="status" role="status">. The answer — recorded, or what is
// wrong and with which field — is shown under the form; the field at fault is marked for screen readers.
// A correction is never queued for later: without a network the organiser is told it was not recorded.
// Without JavaScript the form posts itself and the page comes back with the same message.
(() => {
  "use strict";

  function show(form, text, tone) {
    const status = form.querySelector("[data-role=status]");
    status.textContent = text;
    status.className = `small mt-1 mb-0 text-${tone}`;
  }

  function mark(form, field) {
    for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    const input = field && form.querySelector(`[name="fix-${field}"]`);
    if (input) {
      input.setAttribute("aria-invalid", "true");
      input.focus();
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
      if (answer.signedOut) {
        show(form, form.dataset.signedOut, "danger");
      } else if (answer.status === 201) {
        show(form, form.dataset.recorded, "success");
        mark(form, "");
        form.querySelector('[name="fix-score"]').value = "";
        form.querySelector('[name="fix-reason"]').value = "";
      } else {
        show(form, (answer.reply && answer.reply.message) || form.dataset.failed, "danger");
        mark(form, answer.reply && answer.reply.field);
      }
    } catch (_error) {
      show(form, form.dataset.offline, "danger");
    } finally {
      button.disabled = false;
    }
  });
})();
