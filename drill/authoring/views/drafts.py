"""A trainer's draft: edit and check, its files, preview, publish (trainers and admins; own drafts only)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from drill.accounts.access import role_required
from drill.auth.security import uploaded_file
from drill.authoring import library, publish, services
from drill.authoring.checking import listing
from drill.authoring.formatdoc import format_html
from drill.authoring.forms import ActionForm, EditorForm, FileForm, PublishForm, RemoveFileForm
from drill.authoring.live import check_json, status
from drill.authoring.models import Draft
from drill.authoring.preview import build
from drill.authoring.rules.uploads import Refused, read_asset
from drill.authoring.views.packs import AUTHORS, content_dir, limits, read_file
from drill.content.assets import content_type
from drill.content.views.assets import INLINE_TYPES
from drill.database import utcnow
from drill.export import content_disposition
from drill.extensions import db


def own_draft(draft_id: int) -> Draft:
    """The signed-in user's draft; anyone else's is a 404."""
    draft = db.session.get(Draft, draft_id)
    if draft is None or draft.owner_id != current_user.id:
        abort(404)
    return draft


def normalised(text: str) -> str:
    """The textarea's CRLF line ends as the `\\n` a file in git has, so line numbers agree."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@role_required(*AUTHORS)
def editor(draft_id: int):
    draft = own_draft(draft_id)
    form = EditorForm(obj=draft)
    if form.validate_on_submit():
        services.save(draft, normalised(form.text.data), form.kind.data, form.name.data)
        db.session.commit()
        return redirect(url_for("authoring.editor", draft_id=draft.id, _anchor="draft-check"))
    check = publish.check(draft, content_dir())
    text = form.text.data if form.is_submitted() else draft.text
    return render_template(
        "authoring/editor.html",
        draft=draft,
        form=form,
        check=check,
        status_line=status(check),
        lines=listing(draft.text, check),
        gutter=check.by_line(),
        line_count=len(text.splitlines()) or 1,
        file_form=FileForm(),
        remove_form=RemoveFileForm(),
        action_form=ActionForm(),
        doc=format_html(),
    )


@role_required(*AUTHORS)
def autosave(draft_id: int):
    """The editor's form, saved while the trainer types (no check): JSON for editor.js."""
    draft = own_draft(draft_id)
    form = EditorForm()
    if not form.validate_on_submit():
        return {"saved": False, "errors": form.errors}, 400
    services.save(draft, normalised(form.text.data), form.kind.data, form.name.data)
    db.session.commit()
    return {"saved": True, "at": draft.updated_at.isoformat()}


@role_required(*AUTHORS)
def live_check(draft_id: int):
    """The editor's text checked as it stands, by `drill check`'s code; nothing is saved. JSON for the
    editor: the status line and every problem with its line (0: not in the draft's own text)."""
    draft = own_draft(draft_id)
    form = EditorForm()
    if not form.validate_on_submit():
        return {"ok": False, "invalid": {k: [str(e) for e in v] for k, v in form.errors.items()}}, 400
    unsaved = (normalised(form.text.data), form.kind.data, form.name.data)
    return check_json(publish.check(draft, content_dir(), unsaved))


@role_required(*AUTHORS)
def add_file(draft_id: int):
    draft = own_draft(draft_id)
    form = FileForm()
    if form.validate_on_submit():
        filename, data = read_file(form.file.data, limits().upload_bytes)
        try:
            path = read_asset(form.folder.data, filename, data, limits(), used=services.files_size(draft))
        except Refused as exc:
            flash(exc.message.text(), "danger")
        else:
            services.add_file(draft, path, data)
            db.session.commit()
            flash(_("Added %(path)s. Link it from the Markdown: ![…](%(path)s)", path=path), "success")
    else:
        flash(_("Choose a file to add."), "danger")
    return redirect(url_for("authoring.editor", draft_id=draft.id, _anchor="draft-files"))


@role_required(*AUTHORS)
def remove_file(draft_id: int):
    draft = own_draft(draft_id)
    form = RemoveFileForm()
    if form.validate_on_submit():
        services.remove_file(draft, form.path.data)
        db.session.commit()
    return redirect(url_for("authoring.editor", draft_id=draft.id, _anchor="draft-files"))


@role_required(*AUTHORS)
@uploaded_file
def draft_file(draft_id: int, digest: str, name: str) -> Response:
    draft = own_draft(draft_id)
    data = services.file_bytes(digest) if digest in (draft.files or {}).values() else None
    if data is None:
        abort(404)
    kind = content_type(name)
    response = Response(data, mimetype=kind)
    response.headers["Content-Disposition"] = content_disposition(
        "inline" if kind in INLINE_TYPES else "attachment", name
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@role_required(*AUTHORS)
def preview(draft_id: int):
    draft = own_draft(draft_id)
    mode = "reviewer" if request.args.get("as") == "reviewer" else "manager"
    files = dict(draft.files or {})

    def resolve(path: str) -> str | None:
        digest = files.get(path)
        return (
            url_for("authoring.draft_file", draft_id=draft.id, digest=digest, name=path) if digest else None
        )

    with publish.checked(draft, content_dir()) as found:
        if not found.check.ok or not found.report.packs:
            flash(_("Fix the problems first: a pack with errors cannot be previewed."), "warning")
            return redirect(url_for("authoring.editor", draft_id=draft.id, _anchor="draft-check"))
        shown = build(found.report.packs[0], resolve)
    return render_template("authoring/preview.html", draft=draft, preview=shown, mode=mode)


@role_required(*AUTHORS)
def publish_draft(draft_id: int):
    draft = own_draft(draft_id)
    form = PublishForm()
    if form.validate_on_submit():
        return _publish(draft, form.token.data)
    plan = publish.plan(draft, content_dir(), utcnow())
    if not plan.check.ok or plan.changes is None:
        flash(_("Fix the problems first: a pack with errors cannot be published."), "warning")
        return redirect(url_for("authoring.editor", draft_id=draft.id, _anchor="draft-check"))
    form.token.data = plan.token
    in_use = library.pack_usage(plan.pack, utcnow()) if plan.pack else []
    return render_template("authoring/publish.html", draft=draft, plan=plan, form=form, in_use=in_use)


def _publish(draft: Draft, token: str):
    draft_id = draft.id
    try:
        done = publish.publish(draft, current_user, content_dir(), token, utcnow())
        if not done.ok:
            db.session.rollback()
        else:
            db.session.commit()
    except (IntegrityError, StaleDataError):
        db.session.rollback()
        flash(_("Someone published this pack at the same moment. Review the changes again."), "warning")
        return redirect(url_for("authoring.publish_draft", draft_id=draft_id))
    if done.stale:
        flash(
            _("The draft or the published pack changed since you saw the changes. Review them again."),
            "warning",
        )
        return redirect(url_for("authoring.publish_draft", draft_id=draft_id))
    if not done.ok:
        flash(_("Fix the problems first: a pack with errors cannot be published."), "warning")
        return redirect(url_for("authoring.editor", draft_id=draft_id, _anchor="draft-check"))
    changes = done.result.packs[0]
    if changes.status == "unchanged":
        flash(
            _(
                "Nothing changed: %(pack)s stays at version %(version)d.",
                pack=changes.slug,
                version=changes.version,
            ),
            "info",
        )
    else:
        flash(
            _("Published %(pack)s, version %(version)d.", pack=changes.slug, version=changes.version),
            "success",
        )
    return redirect(url_for("authoring.index"))


@role_required(*AUTHORS)
def discard(draft_id: int):
    draft = own_draft(draft_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.discard(draft)
    db.session.commit()
    flash(_("The draft was discarded."), "info")
    return redirect(url_for("authoring.index"))
