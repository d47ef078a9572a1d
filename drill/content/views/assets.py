"""Serving pack assets (images, data files) with headers that keep a hostile file inert."""

from __future__ import annotations

import re

from flask import Response, abort
from flask_login import login_required
from sqlalchemy import select

from drill.auth.security import uploaded_file
from drill.content.assets import IMAGE_TYPES
from drill.content.models import PackAsset
from drill.export import content_disposition
from drill.extensions import db

_CHECKSUM = re.compile(r"^[0-9a-f]{64}$")
# Raster images display inline; everything else (SVG included, which can carry script when opened on
# its own) is a download, sandboxed, and never sniffed into something executable.
INLINE_TYPES = IMAGE_TYPES - {"image/svg+xml"}


@login_required
@uploaded_file
def asset(checksum: str, name: str) -> Response:
    if not _CHECKSUM.match(checksum):
        abort(404)
    found = db.session.scalar(select(PackAsset).where(PackAsset.checksum == checksum))
    if found is None:
        abort(404)
    response = Response(found.data, mimetype=found.content_type)
    disposition = "inline" if found.content_type in INLINE_TYPES else "attachment"
    response.headers["Content-Disposition"] = content_disposition(disposition, name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    # The URL names the content's checksum, so what it serves can never change.
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    return response
