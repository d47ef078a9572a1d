// Confirmation before an irreversible step (publish, release, lock), without inline scripts.
//
// Usage — put the message on the form (or on one submit button of it) and load this file in the page:
//
//   <form method="post" action="..." data-confirm="{{ _('Publish the final board? This cannot be undone.') }}"
//         data-confirm-ok="{{ _('Publish') }}" data-confirm-cancel="{{ _('Cancel') }}">
//     {{ form.csrf_token }}<button type="submit">{{ _('Publish the final board') }}</button>
//   </form>
//   {% block scripts %}<script nonce="{{ csp_nonce() }}" src="{{ url_for('static', filename='common/confirm.js') }}"></script>{% endblock %}
//
// - data-confirm: the question shown (plain text, required). On a <button type=submit> it applies to that
//   button only; on the <form> to every submit of the form.
// - data-confirm-ok: the label of the confirming button (default: the submit button's own text).
// - data-confirm-cancel: the label of the cancelling button (default 取消 / Cancel from <html lang>).
// - data-confirm-danger: present → the confirming button is red (btn-danger) instead of blue.
// Submitting the form opens a modal <dialog> (focus on 取消; Esc or 取消 closes it and nothing is sent);
// confirming submits the form with the button that was pressed. Without JavaScript the form submits directly,
// so the server must still refuse a repeated or out-of-turn step. Works on a phone: the dialog fits 320 px.
(() => {
  "use strict";
  const zh = (document.documentElement.lang || "zh").toLowerCase().startsWith("zh");
  let dialog = null;

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "drill-confirm border-0 rounded-3 shadow p-0";
    dialog.setAttribute("aria-labelledby", "drill-confirm-text");
    dialog.style.maxWidth = "min(32rem, calc(100vw - 2rem))";
    dialog.style.width = "100%";
    dialog.innerHTML =
      '<form method="dialog" class="p-3">' +
      '<p id="drill-confirm-text" class="mb-3 fs-6"></p>' +
      '<div class="d-flex flex-wrap justify-content-end gap-2">' +
      '<button type="submit" value="cancel" class="btn btn-outline-secondary" data-role="cancel"></button>' +
      '<button type="submit" value="ok" class="btn btn-primary" data-role="ok"></button>' +
      "</div></form>";
    document.body.appendChild(dialog);
  }

  function ask(source, submitter) {
    if (!dialog) build();
    const ok = dialog.querySelector("[data-role=ok]");
    const cancel = dialog.querySelector("[data-role=cancel]");
    dialog.querySelector("#drill-confirm-text").textContent = source.dataset.confirm;
    ok.textContent =
      source.dataset.confirmOk || (submitter && submitter.textContent.trim()) || (zh ? "确定" : "OK");
    cancel.textContent = source.dataset.confirmCancel || (zh ? "取消" : "Cancel");
    ok.className = "btn " + ("confirmDanger" in source.dataset ? "btn-danger" : "btn-primary");
    dialog.returnValue = "";
    return new Promise((resolve) => {
      dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
      dialog.showModal();
      cancel.focus();
    });
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method === "dialog") return;
    const submitter = event.submitter || null;
    const source = submitter && submitter.dataset.confirm ? submitter : form.dataset.confirm ? form : null;
    if (!source) return;
    if (form.dataset.confirmed === "1") {
      delete form.dataset.confirmed;
      return;
    }
    event.preventDefault();
    const answer =
      typeof HTMLDialogElement === "function"
        ? ask(source, submitter)
        : Promise.resolve(window.confirm(source.dataset.confirm));
    answer.then((yes) => {
      if (!yes) return;
      form.dataset.confirmed = "1";
      if (form.requestSubmit) form.requestSubmit(submitter || undefined);
      else form.submit();
    });
  });
})();
