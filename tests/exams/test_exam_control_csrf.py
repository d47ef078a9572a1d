"""Closing an exam goes through a real form: without its CSRF token nothing happens."""

import re

import pytest

from drill.exams.models import ExamClosure
from tests.conftest import PASSWORD, csrf_token


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


def test_the_close_form_is_a_real_form_with_its_csrf_token(app, db, sample_pack, make_exam, make_user, login):
    exam = make_exam()
    trainer = app.test_client()
    page = trainer.get("/login").get_data(as_text=True)
    user = make_user("t-9", roles={"trainer"}, branch="head")
    trainer.post(
        "/login", data={"employee_no": user.employee_no, "password": PASSWORD, "csrf_token": csrf_token(page)}
    )
    overview = trainer.get(f"/exams/{exam.id}/overview").get_data(as_text=True)
    token = re.search(r'name="close-csrf_token" type="hidden" value="([^"]+)"', overview).group(1)
    forged = trainer.post(f"/exams/{exam.id}/close", data={})
    assert forged.status_code in (302, 400) and db.session.get(ExamClosure, exam.id) is None
    assert trainer.post(f"/exams/{exam.id}/close", data={"close-csrf_token": token}).status_code == 302
    assert db.session.get(ExamClosure, exam.id) is not None
