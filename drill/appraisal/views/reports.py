"""A period's report (ranking, grade distribution against the quota, branch comparison) and its exports.

The ranking is paginated and filtered (branch, grade, manager's level, name or number); the exports take
the same filters and stream every matching record, a chunk at a time."""

from __future__ import annotations

from flask import Response, render_template
from flask_babel import gettext as _
from flask_login import current_user

from drill.accounts.access import role_required, scope_path
from drill.appraisal import export, labels, reports, services
from drill.appraisal.access import SUPERVISORS, period_or_404
from drill.appraisal.views.periods import filters_from_request
from drill.charts import bar_chart
from drill.export import XLSX, attachment


@role_required(*SUPERVISORS)
def report(period_id: int):
    period = period_or_404(period_id)
    scheme = services.scheme_of(period)
    scope = scope_path(current_user)
    filters = filters_from_request()
    everyone = reports.lines(period, scope)
    shares, overall = reports.distribution(scheme, everyone)
    every_branch = reports.branches(everyone)
    lines, between = reports.ends(every_branch)  # a province's 2,000: the best and the lowest
    over = reports.over_quota(shares, scheme.quota.band if scheme.quota else None)
    counted = reports.counted(everyone)
    unfiltered = filters == reports.Filters()  # then the list holds the very records summed in `everyone`
    pagination, found = reports.page(period, scope, filters, total=counted if unfiltered else None)
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
        page=pagination,
        filters=filters,
        groups=[line.branch for line in sorted(every_branch, key=lambda line: line.branch.code)],
        counted=counted,
        shares=shares if len(shares) <= reports.SHOWN else over,
        units=len(shares),
        units_listed=len(shares) <= reports.SHOWN,
        between=between,
        half=reports.SHOWN // 2,
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
    """The period, the export's headers, its sheets (the branches under the head office) and its lines."""
    period = period_or_404(period_id)
    scheme = services.scheme_of(period)
    scope, filters = scope_path(current_user), filters_from_request()
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
    bands, yes = {b.key: b.label for b in scheme.bands}, _("yes")
    groups = reports.groups(period, scope, filters)
    body = (
        (row.group.id, export.line(row, dimensions, bands, yes))
        for row in reports.stream(period, scope, filters, groups)
    )
    return period, scheme, headers, groups, body


@role_required(*SUPERVISORS)
def export_csv(period_id: int):
    period, _scheme, headers, _groups, body = _table(period_id)
    text = export.to_csv(headers, (values for _group, values in body))
    return Response(
        text, mimetype="text/csv", headers=attachment(f"appraisal-{period.scheme_id}-{period.label}.csv")
    )


@role_required(*SUPERVISORS)
def export_xlsx(period_id: int):
    period, scheme, headers, groups, body = _table(period_id)
    sheets = [(group.id, group.name) for group in groups]
    book = export.to_xlsx(f"{scheme.title} {period.label}", headers, sheets, body, vetoed_column=7)
    return Response(
        book, mimetype=XLSX, headers=attachment(f"appraisal-{period.scheme_id}-{period.label}.xlsx")
    )
