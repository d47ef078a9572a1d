"""The editor's check while the trainer types: a DraftCheck as the JSON that editor.js shows.

The status line is the one the page shows after "Save and check" (templates/authoring/_macros.html), so the
two never disagree: "passes" only when there is no error and no warning.
"""

from __future__ import annotations

from flask_babel import gettext as _

from drill.authoring.checking import DraftCheck


def status(check: DraftCheck) -> str:
    if check.ok and not check.warnings:
        return _("No problems: drill check passes.")
    line = _(
        "%(errors)d errors, %(warnings)d warnings", errors=len(check.errors), warnings=len(check.warnings)
    )
    if check.errors:
        line += " · " + _("a pack with errors cannot be previewed or published")
    return line


def check_json(check: DraftCheck) -> dict:
    """`ok` (no error), the counts, the status line, and each problem: its line in the draft (0 when it is
    in another file or about the whole pack), where it is as text, severity and message, localised."""
    return {
        "ok": check.ok,
        "errors": len(check.errors),
        "warnings": len(check.warnings),
        "status": status(check),
        "summary": _(
            "%(packs)d packs, %(questions)d questions", packs=check.packs, questions=check.questions
        ),
        "problems": [
            {
                "line": p.line if p.here else 0,
                "where": _("line %(n)d", n=p.line)
                if p.here and p.line
                else (f"{p.file}:{p.line}" if p.line else p.file),
                "severity": "warning" if p.warning else "error",
                "message": p.text(),
            }
            for p in check.problems
        ],
    }
