"""A trainer sets an exam that covers every assessment point of a shipped standard, through the real form
(CSRF on), and each candidate's paper holds exactly one question per point; a point without a question is
refused beside its row, in Chinese, and nothing is saved."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from drill.attempts.models import Attempt
from drill.content.models import Question, QuestionVersion
from drill.content.services import import_paths
from drill.content.standards import load_standards
from drill.database import utcnow
from drill.exams.models import Exam
from drill.paths import project_dir
from tests.competitions.conftest import posted_fields
from tests.conftest import PASSWORD, csrf_token

CONTENT = project_dir("content")
THEME, LEVEL, AUDIENCE = "service-qa", "intermediate", "bank"  # 中级 营销服务问答, for banks
PACKS = ("bank-service-qa", "service-qa", "tobacco-service-qa")


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


@pytest.fixture
def login(client):
    def sign_in(user, target=client):
        token = csrf_token(target.get("/login").get_data(as_text=True))
        data = {"employee_no": user.employee_no, "password": PASSWORD, "csrf_token": token}
        assert target.post("/login", data=data).status_code == 302

    return sign_in


@pytest.fixture
def shipped(db):
    """The shipped packs of the theme (every one naming a point of it), imported as `drill import` does."""
    assert import_paths([CONTENT / "quizzes" / f"{name}.md" for name in PACKS]).ok
    db.session.commit()


def standard_points() -> dict[str, str]:
    """The points of 中级 营销服务问答 for banks, read straight from the shipped standards file."""
    standards, _ = load_standards(Path(CONTENT), None, str)
    return {
        p.id: p.title
        for p in standards.points.values()
        if p.theme == THEME and p.level == LEVEL and p.audience in (AUDIENCE, "both")
    }


def exam_form(client, path="/exams/new", **cells) -> dict:
    page = client.get(path).get_data(as_text=True)
    data = posted_fields(page, "exam-form")
    now = utcnow() + timedelta(hours=8)  # the form is in the organisation's time (Asia/Shanghai)
    data.update(
        {
            "csrf_token": csrf_token(page),
            "title": "中级营销服务考点全覆盖",
            "level": LEVEL,
            "opens_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "cells-0-cover": "points",
            "cells-0-part": "理论",
            "cells-0-points": "2",
            "cells-0-theme": THEME,
            "cells-0-level": LEVEL,
            "cells-0-audience": AUDIENCE,
            **cells,
        }
    )
    return data


def test_an_exam_covering_every_point_of_a_standard_gives_each_candidate_one_question_per_point(
    app, client, db, shipped, make_user, login
):
    points = standard_points()
    assert len(points) >= 3
    login(make_user("t1", roles={"trainer"}, branch="head"))
    page = client.get("/exams/new").get_data(as_text=True)
    assert "每个考点一题" in page and "理论" in page
    assert 'value="theory"' not in page  # the part is shown by its label
    saved = client.post("/exams/new", data=exam_form(client))
    assert saved.status_code == 302, saved.get_data(as_text=True)
    exam = db.session.scalar(select(Exam))
    (row,) = exam.blueprint
    assert (row["cover"], row["part"], row["count"], row["audience"]) == (
        "points",
        "theory",
        len(points),
        "bank",
    )

    overview = client.get(f"/exams/{exam.id}/overview").get_data(as_text=True)
    assert f"覆盖 {len(points)} 个考点" in overview
    assert all(pid in overview for pid in points)
    assert 'id="shortfalls"' not in overview

    edit = client.get(f"/exams/{exam.id}/edit").get_data(as_text=True)  # the form shows what was saved
    shown = posted_fields(edit, "exam-form")
    assert (shown["cells-0-cover"], shown["cells-0-part"], shown["cells-0-audience"]) == (
        ["points"],
        ["理论"],
        ["bank"],
    )

    for n in range(3):  # three candidates, three different draws: every paper covers every point once
        candidate = app.test_client()
        login(make_user(f"m{n}", branch="east1"), target=candidate)
        start = candidate.get(f"/exams/{exam.id}/start").get_data(as_text=True)
        assert (
            candidate.post(f"/exams/{exam.id}/start", data={"csrf_token": csrf_token(start)}).status_code
            == 302
        )
        attempt = db.session.scalar(
            select(Attempt).where(Attempt.exam_id == exam.id).order_by(Attempt.id.desc())
        )
        versions = [db.session.get(QuestionVersion, i.question_version_id) for i in attempt.items]
        named = [set(v.spec.get("standards") or ()) for v in versions]
        assert len(versions) == len(points) == len({v.question_id for v in versions})
        covered = sorted(pid for pid in points if any(pid in n for n in named))
        assert covered == sorted(points)
        assert all(n & set(points) for n in named)  # no question that names none of them
        assert all(i.points == 2 and i.part == "theory" for i in attempt.items)
        db.session.expire_all()


def test_a_point_without_a_question_is_refused_beside_its_row_and_nothing_is_saved(
    client, db, shipped, make_user, login
):
    points = standard_points()
    lost = sorted(points)[0]
    keys = [
        key
        for key, spec in db.session.execute(
            select(Question.key, QuestionVersion.spec).join(
                QuestionVersion, QuestionVersion.question_id == Question.id
            )
        )
        if lost in (spec.get("standards") or ())
    ]
    db.session.execute(update(Question).where(Question.key.in_(keys)).values(retired_at=utcnow()))
    db.session.commit()

    login(make_user("t1", roles={"trainer"}, branch="head"))
    data = exam_form(client, **{"cells-1-count": "2", "cells-1-points": "1", "cells-1-type": "truefalse"})
    refused = client.post("/exams/new", data=data)
    assert refused.status_code == 200
    page = refused.get_data(as_text=True)
    assert "组卷规则无法覆盖每个考点" in page
    assert f"第 1 行：{len(points)} 个考点中有 1 个没有可抽的题：{lost} {points[lost]}" in page
    assert 'id="cells-row-1-points"' in page and 'id="cells-row-2-points"' not in page
    assert db.session.scalar(select(func.count(Exam.id))) == 0

    # The same row for the tobacco audience names other points: it is saved.
    data["cells-0-audience"] = "tobacco"
    data["csrf_token"] = csrf_token(page)
    assert client.post("/exams/new", data=data).status_code == 302
    exam = db.session.scalar(select(Exam))
    saved = list(exam.blueprint)

    # Back to the bank audience on the edit form: refused there too, and the exam is left as it was.
    edit = client.get(f"/exams/{exam.id}/edit").get_data(as_text=True)
    changed = dict(posted_fields(edit, "exam-form"))
    changed.update({"cells-0-audience": "bank", "title": "改过的标题", "csrf_token": csrf_token(edit)})
    again = client.post(f"/exams/{exam.id}/edit", data=changed).get_data(as_text=True)
    assert f"{lost} {points[lost]}" in again
    db.session.expire_all()
    exam = db.session.get(Exam, exam.id)
    assert (exam.title, exam.blueprint) == ("中级营销服务考点全覆盖", saved)


def test_a_row_asking_again_for_covered_points_and_a_row_without_points_are_refused(
    client, db, shipped, make_user, login
):
    login(make_user("t1", roles={"trainer"}, branch="head"))
    data = exam_form(
        client,
        **{
            "cells-1-cover": "points",
            "cells-1-part": "实操",
            "cells-1-points": "1",
            "cells-1-theme": THEME,
            "cells-1-level": LEVEL,
            "cells-1-audience": "",
            "cells-2-cover": "points",
            "cells-2-points": "1",
            "cells-2-theme": THEME,
        },
    )
    page = client.post("/exams/new", data=data).get_data(as_text=True)
    assert "第 2 行重复了前面的行已覆盖的考点" in page
    assert "“每个考点一题”需要选定主题和级别。" in page
    assert db.session.scalar(select(func.count(Exam.id))) == 0


def test_points_only_case_tasks_assess_are_left_out_of_a_paper(app, monkeypatch):
    """The case-analysis standard lists the points of the case tasks (content/cases, ctk-…) beside those of
    its question banks (cas-…): a paper of quiz questions covers the latter."""
    from drill.exams import coverage

    named = {"case": {"ctk-b2-01", "cas-b2-01"}, "quiz": {"cas-b2-01"}}
    monkeypatch.setattr(coverage, "_named", lambda kind: named[kind])
    with app.app_context():
        ids = [p.id for p in coverage.points_of("case-analysis", "intermediate", "bank")]
        assert "ctk-b2-01" not in ids and "cas-b2-01" in ids
        assert "ctk-b2-02" in ids  # a point no question names at all stays: its row is short, and says so
        assert coverage.case_only({"cas-b2-01", "ctk-b2-01"}) == set()
