"""The pack library, uploads and new packs (trainers and admins only; every view checks the role).

The draft pages (editor, files, preview, publish) are in drafts.py, on the same blueprint.
"""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from drill.accounts.access import role_required
from drill.authoring import convert, library, services
from drill.authoring.formatdoc import format_html
from drill.authoring.forms import ActionForm, NewPackForm, UploadForm
from drill.authoring.rules.uploads import Limits, Refused, read_upload
from drill.authoring.skeletons import skeleton
from drill.content import catalog
from drill.content.models import Pack
from drill.database import utcnow
from drill.export import XLSX
from drill.extensions import db

AUTHORS = ("trainer", "admin")


def content_dir() -> Path:
    return Path(current_app.config["CONTENT_DIR"])


def limits() -> Limits:
    return Limits.from_config(current_app.config)


def read_file(storage, limit: int) -> tuple[str, bytes]:
    """An uploaded file's name and bytes, read no further than one byte past `limit`."""
    try:
        return storage.filename or "", storage.stream.read(limit + 1)
    finally:
        storage.close()  # a large upload is spooled to a temporary file: release it now


@role_required(*AUTHORS)
def index():
    return render_template(
        "authoring/library.html",
        rows=library.library(utcnow()),
        drafts=services.drafts_of(current_user),
        new_form=NewPackForm(),
        action_form=ActionForm(),
    )


@role_required(*AUTHORS)
def upload():
    form = UploadForm()
    refusal = None
    if form.validate_on_submit():
        filename, data = read_file(form.file.data, limits().upload_bytes)
        try:
            if convert.handles(filename):
                found = convert.convert(filename, data, limits(), catalog.taxonomy())
                draft = services.create_draft(current_user, found.text, kind="quiz", name=found.name)
                notes = found.notes
            else:
                draft = services.draft_from_upload(current_user, read_upload(filename, data, limits()))
                notes = []
        except Refused as exc:
            refusal = exc.message.text()
        else:
            db.session.commit()
            for note in notes[:30]:
                flash(_("From the converted file: %(note)s", note=note), "warning")
            flash(_("Uploaded. drill checked it: see the problems beside the text."), "info")
            return redirect(url_for("authoring.editor", draft_id=draft.id))
    return render_template(
        "authoring/upload.html", form=form, refusal=refusal, limits=limits(), converters=convert.available()
    )


@role_required(*AUTHORS)
def new():
    form = NewPackForm()
    if not form.validate_on_submit():
        flash(_("Choose a kind and a name of lowercase letters, digits and “-”."), "danger")
        return redirect(url_for("authoring.index"))
    text = skeleton(form.kind.data, form.name.data, catalog.taxonomy())
    draft = services.create_draft(current_user, text, kind=form.kind.data, name=form.name.data)
    db.session.commit()
    return redirect(url_for("authoring.editor", draft_id=draft.id))


@role_required(*AUTHORS)
def edit_pack(pack_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    pack = db.get_or_404(Pack, pack_id)
    mine = services.draft_of_pack(current_user, pack)
    if mine is not None:
        flash(_("You are already editing this pack: here is your draft."), "info")
        return redirect(url_for("authoring.editor", draft_id=mine.id))
    draft = services.draft_from_pack(current_user, pack, content_dir())
    if draft is None:
        flash(
            _("The source of this pack is not available here: edit it in git and run drill import."),
            "warning",
        )
        return redirect(url_for("authoring.index"))
    db.session.commit()
    return redirect(url_for("authoring.editor", draft_id=draft.id))


@role_required(*AUTHORS)
def format_doc():
    return render_template("authoring/format.html", doc=format_html())


@role_required(*AUTHORS)
def xlsx_template():
    template = convert.xlsx_template()
    if template is None:
        abort(404)
    response = current_app.response_class(template, mimetype=XLSX)
    response.headers["Content-Disposition"] = 'attachment; filename="drill-template.xlsx"'
    return response
