"""Authoring pages for trainers and admins: `packs.py` — the pack library, uploads, new packs, the format
guide; `drafts.py` — one draft: edit, check, files, preview, publish.

Every URL of the blueprint is in the table below (rule, view, methods); who may call each is in
`drill/access_policy.py`.
"""

from flask import Blueprint

from drill.authoring.views import drafts, packs
from drill.routes import GET, GET_POST, POST, add_routes

bp = Blueprint("authoring", __name__, url_prefix="/authoring")

add_routes(
    bp,
    # packs.py
    ("/", packs.index, GET),
    ("/upload", packs.upload, GET_POST),
    ("/new", packs.new, POST),
    ("/packs/<int:pack_id>/edit", packs.edit_pack, POST),
    ("/format", packs.format_doc, GET),
    ("/template.xlsx", packs.xlsx_template, GET),
    # drafts.py
    ("/drafts/<int:draft_id>", drafts.editor, GET_POST),
    ("/drafts/<int:draft_id>/autosave", drafts.autosave, POST),
    ("/drafts/<int:draft_id>/check", drafts.live_check, POST),
    ("/drafts/<int:draft_id>/files", drafts.add_file, POST),
    ("/drafts/<int:draft_id>/files/remove", drafts.remove_file, POST),
    ("/drafts/<int:draft_id>/files/<digest>/<path:name>", drafts.draft_file, GET),
    ("/drafts/<int:draft_id>/preview", drafts.preview, GET),
    ("/drafts/<int:draft_id>/publish", drafts.publish_draft, GET_POST),
    ("/drafts/<int:draft_id>/discard", drafts.discard, POST),
)
