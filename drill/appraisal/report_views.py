"""A period's report (ranking, grade distribution against the quota, branch comparison) and its exports."""

from __future__ import annotations

from flask import Response, render_template
from flask_babel import gettext as _
from flask_login import current_user

from drill.accounts.access import role_required, scope_path
from drill.appraisal import export, labels, reports, services
from drill.appraisal.access import SUPERVISORS, period_or_404
from drill.appraisal.views import bp
from drill.charts import bar_chart


def _report(period_id: int):
    period = period_or_404(period_id)
    scheme = services.scheme_of(period)
    return period, scheme, reports.rows(period, scope_path(current_user))


@bp.route("/periods/<int:period_id>/report")
@role_required(*SUPERVISORS)
def report(period_id: int):
    period, scheme, found = _report(period_id)
    shares, overall = reports.distribution(scheme, found)
    lines = reports.branches(found)
    band_keys = [b.key for b in scheme.bands]
    band_names = [b.label for b in scheme.bands]
    means = bar_chart([(line.branch.name, [line.mean]) for line in lines], [_("Mean total")], maximum=100)
    spread = bar_chart(
        [(line.branch.name, [line.bands.get(k, 0) for k in band_keys]) for line in lines], band_names
    )
    return render_template(
        "appraisal/report.html",
        period=period,
        scheme=scheme,
        rows=found,
        shares=shares,
        overall=overall,
        lines=lines,
        band_keys=band_keys,
        bands=dict(zip(band_keys, band_names, strict=True)),
        means=means,
        spread=spread,
        dimensions=reports.dimension_columns(scheme),
        labels=labels,
    )


def _table(period_id: int):
    period, scheme, found = _report(period_id)
    dimensions = reports.dimension_columns(scheme)
    headers = [
        _("Rank in organisation"),
        _("Rank in unit"),
        _("Employee number"),
        _("Name"),
        _("Unit"),
        _("Total"),
        _("Appraisal grade"),
        _("Veto"),
        *(label for _key, label in dimensions),
    ]
    bands = {b.key: b.label for b in scheme.bands}
    return period, scheme, found, headers, lambda rows: export.lines(rows, dimensions, bands, _("yes"))


@bp.route("/periods/<int:period_id>/export.csv")
@role_required(*SUPERVISORS)
def export_csv(period_id: int):
    period, _scheme, found, headers, lines = _table(period_id)
    body = export.to_csv(headers, lines(found))
    return Response(
        body, mimetype="text/csv", headers=_attachment(f"appraisal-{period.scheme_id}-{period.label}.csv")
    )


@bp.route("/periods/<int:period_id>/export.xlsx")
@role_required(*SUPERVISORS)
def export_xlsx(period_id: int):
    period, scheme, found, headers, lines = _table(period_id)
    groups: dict[int, list] = {}
    for row in found:
        groups.setdefault(row.group.id, []).append(row)
    sheets = [
        (rows[0].group.name, lines(rows)) for rows in sorted(groups.values(), key=lambda r: r[0].group.code)
    ]
    body = export.to_xlsx(f"{scheme.title} {period.label}", headers, sheets, vetoed_column=7)
    return Response(
        body,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers=_attachment(f"appraisal-{period.scheme_id}-{period.label}.xlsx"),
    )


def _attachment(name: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{name}"'}
