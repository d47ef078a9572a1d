"""Item analysis pages and exports (XLSX, CSV) for an exam and for a pack over time."""

from __future__ import annotations

from flask import Response, render_template
from sqlalchemy import select

from drill.accounts.access import role_required
from drill.content.models import Pack
from drill.exams import analysis
from drill.exams.access import managed_exam
from drill.export import XLSX, content_disposition
from drill.extensions import db


def _download(body, mimetype: str, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition("attachment", name)
    return response


@role_required("trainer", "admin")
def analysis_page(exam_id: int):
    exam = managed_exam(exam_id)
    result = analysis.analyse(analysis.exam_attempts(exam.id))
    return render_template("exams/analysis.html", exam=exam, pack=None, result=result)


@role_required("trainer", "admin")
def analysis_export(exam_id: int, fmt: str):
    exam = managed_exam(exam_id)
    result = analysis.analyse(analysis.exam_attempts(exam.id))
    name = f"item-analysis-{exam.id}.{fmt}"
    if fmt == "csv":
        return _download(analysis.as_csv(result), "text/csv; charset=utf-8", name)
    return _download(analysis.as_xlsx(result, exam.title), XLSX, name)


@role_required("trainer", "admin")
def pack_analysis(slug: str):
    pack = db.first_or_404(select(Pack).where(Pack.slug == slug))
    result = analysis.analyse(analysis.pack_attempts(pack), pack_id=pack.id)
    return render_template("exams/analysis.html", exam=None, pack=pack, result=result)
