"""The users' sheet template: the header accounts.sheet reads, one example row and a 说明 sheet."""

from __future__ import annotations

from flask import Response
from flask_babel import gettext as _

from drill.accounts.access import role_required, visible_branches
from drill.accounts.rules.sheet import template_rows
from drill.export import XLSX
from drill.sheet_template import workbook


@role_required("admin")
def users_template():
    branches = visible_branches()
    header, rows, notes = template_rows(branches[0].code if branches else "HQ")
    shown = [(column, _(note)) for column, note in notes]
    shown.append(
        ("", _("Nothing is imported if any row has a problem; every problem is listed with its row."))
    )
    body = workbook(_("Users"), header, rows, shown)
    return Response(
        body, mimetype=XLSX, headers={"Content-Disposition": 'attachment; filename="users-template.xlsx"'}
    )
