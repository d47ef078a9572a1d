"""The rating grid of a period (managers × rating items on one page, saved in one POST), its XLSX round
trip, and the XLSX templates of the appraisal uploads (the indicator sheet, the grid)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from drill.accounts.access import role_required
from drill.accounts.rules.sheet import SheetError, read_table
from drill.appraisal import entry, evidence, services
from drill.appraisal.access import SUPERVISORS, period_or_404
from drill.appraisal.forms import GridForm, GridUploadForm
from drill.appraisal.models import Rating
from drill.appraisal.rules import grid
from drill.appraisal.services import AppraisalError
from drill.appraisal.views.entry import people_in_scope
from drill.appraisal.views.periods import refuse
from drill.database import utcnow
from drill.export import XLSX, attachment
from drill.extensions import db
from drill.messages import Message
from drill.sheet_template import workbook


def _setup(period_id: int):
    period = period_or_404(period_id)
    scheme = services.scheme_of(period)
    if scheme.periods[period.kind].source != "evidence":
        abort(404)
    return period, scheme, entry.rating_items(scheme), people_in_scope(period)


def _saved(period, people) -> dict[tuple[int, str], Rating]:
    """The period's ratings of `people`: read by period and kept here, not named in an IN list (a
    province's grid has more managers than a statement takes parameters)."""
    ids = {u.id for u in people}
    found = db.session.scalars(select(Rating).where(Rating.period_id == period.id))
    return {(r.user_id, r.item_key): r for r in found if r.user_id in ids}


def _save(period, scheme, items, people, cells) -> list[grid.GridProblem] | None:
    """Check every cell, then save them all in one commit; the problems (nothing saved) or None."""
    checked = grid.check(cells, items, scheme.bands)
    if not checked.ok:
        return checked.problems
    try:
        count = entry.save_marks(
            period, {u.employee_no: u for u in people}, checked.marks, current_user, utcnow()
        )
        db.session.commit()
    except AppraisalError as error:
        db.session.rollback()
        refuse(error)
        return []
    except IntegrityError:
        db.session.rollback()
        flash(_("Someone else rated at the same moment; look again."), "warning")
        return []
    flash(_("%(count)d ratings saved.", count=count), "success")
    return None


def _mark(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


@role_required(*SUPERVISORS)
def grid_page(period_id: int):
    period, scheme, items, people = _setup(period_id)
    form = GridForm()
    if form.validate_on_submit():
        cells = form.cells(people, items, request.form)
        problems = _save(period, scheme, items, people, cells)
        if problems is None:
            return redirect(url_for("appraisal.grid_page", period_id=period.id))
        shown = {(c.employee_no, c.item): (c.mark, c.comment) for c in cells}
        return _render(period, scheme, items, people, form, problems, shown)
    return _render(period, scheme, items, people, form, [], _shown(period, people))


def _shown(period, people) -> dict[tuple[str, str], tuple[str, str]]:
    """What the grid's cells show: the saved marks and comments, by (employee number, item key)."""
    numbers = {u.id: u.employee_no for u in people}
    return {
        (numbers[user_id], key): (_mark(r.value), r.comment)
        for (user_id, key), r in _saved(period, people).items()
    }


def _render(period, scheme, items, people, form, problems, shown, status=None):
    """The grid page; its inputs are written in the template (not one WTForms field per cell, which took
    seconds for 138 managers × 6 items)."""
    bad = {(p.employee_no, p.item): p.message.text() for p in problems}
    names = {u.employee_no: u.name for u in people}
    return render_template(
        "appraisal/grid.html",
        period=period,
        scheme=scheme,
        items=items,
        people=people,
        form=form,
        shown=shown,
        upload=GridUploadForm(formdata=None),
        problems=problems,
        bad=bad,
        names=names,
        rule=comment_rule(items, scheme),
        editable=period.state in ("open", "computed", "reviewed"),
    ), status or (422 if problems else 200)


def comment_rule(items, scheme) -> str:
    """When a comment is needed, in words, for the page's note."""
    rules = {i.comment for i in items}
    if rules == {"always"}:
        return _("Every mark needs a comment saying what it is based on.")
    if rules == {"never"}:
        return _("Comments are optional.")
    top, bottom = scheme.bands[0], scheme.bands[-1]
    return _(
        "A comment is needed only for a mark in the top band (%(top)s, from %(low)g points) or the bottom "
        "band (%(bottom)s, below %(high)g points); points = mark ÷ top of the scale × 100.",
        top=top.label,
        low=top.low,
        bottom=bottom.label,
        high=bottom.high,
    )


@role_required(*SUPERVISORS)
def grid_xlsx(period_id: int):
    """The grid as a sheet, filled in with what is saved: fill it, upload it back."""
    period, scheme, items, people = _setup(period_id)
    saved = {(r.user_id, r.item_key): r for r in _saved(period, people).values()}
    marks = {
        (u.employee_no, i.key): (saved[(u.id, i.key)].value, saved[(u.id, i.key)].comment)
        for u in people
        for i in items
        if (u.id, i.key) in saved
    }
    rows = grid.rows([(u.employee_no, u.name) for u in people], items, marks)
    body = workbook(_("Ratings"), grid.header(items), rows, grid_notes(items, scheme))
    return Response(
        body, mimetype=XLSX, headers=attachment(f"ratings-{period.scheme_id}-{period.label}.xlsx")
    )


def grid_notes(items, scheme) -> list[tuple[str, str]]:
    notes = [
        ("工号", _("The manager's employee number; keep it as it is (the row is matched by it).")),
        ("姓名", _("For reading only; not imported.")),
    ]
    for item in items:
        low, high = item.scale
        notes.append(
            (
                item.label,
                _(
                    "The mark, a number from %(low)g to %(high)g; leave it empty to enter nothing.",
                    low=low,
                    high=high,
                ),
            )
        )
        notes.append(
            (item.label + grid.COMMENT, _("What the mark is based on.") + " " + comment_rule([item], scheme))
        )
    notes.append(
        ("", _("Nothing is saved if any cell is wrong; every problem is listed with its row and item."))
    )
    return notes


@role_required(*SUPERVISORS)
def grid_upload(period_id: int):
    period, scheme, items, people = _setup(period_id)
    upload = GridUploadForm()
    problems: list[grid.GridProblem] = []
    if not upload.validate_on_submit():
        flash(_("Choose the filled-in XLSX or CSV sheet to upload."), "warning")
        return redirect(url_for("appraisal.grid_page", period_id=period.id))
    file = upload.sheet.data
    try:
        table = read_table(file.filename or "sheet", file.read())
    except SheetError as error:
        problems = [grid.GridProblem("", "", Message(error.args[0]), None)]
    else:
        cells, problems = grid.read_sheet(table, items, {u.employee_no for u in people})
        if not problems:
            problems = _save(period, scheme, items, people, cells)
            if problems is None:
                return redirect(url_for("appraisal.grid_page", period_id=period.id))
    return _render(
        period, scheme, items, people, GridForm(formdata=None), problems, _shown(period, people), 422
    )


@role_required("admin")
def import_template(period_id: int):
    """The indicator sheet's template: 工号, 姓名, every indicator column of the scheme, one example row."""
    period = period_or_404(period_id)
    scheme = services.scheme_of(period)
    people = evidence.managers_for(scheme)
    headers = ["工号", "姓名", *(c.label for c in scheme.columns)]
    example = [people[0].employee_no if people else "B0001", people[0].name if people else "张三"]
    example += [_example(c) for c in scheme.columns]
    notes = [
        ("工号", _("The manager's employee number, one row per manager of the scheme.")),
        ("姓名", _("For reading only; not imported.")),
    ]
    for column in scheme.columns:
        notes.append((column.label, _column_note(column)))
    notes.append(
        ("", _("Nothing is imported if any cell is wrong; every problem is listed with its row and column."))
    )
    body = workbook(_("Indicators"), headers, [example], notes)
    return Response(body, mimetype=XLSX, headers=attachment(f"indicators-{period.scheme_id}.xlsx"))


def _example(column) -> float:
    low = column.minimum if column.minimum is not None else 0
    high = column.maximum if column.maximum is not None else max(low, 0) + 100
    return round((low + high) / 2, 2)


def _column_note(column) -> str:
    bounds = []
    if column.minimum is not None:
        bounds.append(_("at least %(value)g", value=column.minimum))
    if column.maximum is not None:
        bounds.append(_("at most %(value)g", value=column.maximum))
    unit = _("unit: %(unit)s", unit=column.unit) if column.unit else ""
    return "；".join(
        [
            _("A number (key “%(key)s” is accepted as the header too)", key=column.key),
            *bounds,
            *([unit] if unit else []),
        ]
    )
