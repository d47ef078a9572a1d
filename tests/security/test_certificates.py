"""Certificates: read only by their holder and the trainers and admins whose scope holds them; numbers and
verification codes nobody can guess; a public verification page (证书查验) reached from the printed QR code,
showing name, level, dates and whether the certificate is valid, and nothing else."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from drill.attempts.models import Attempt
from drill.database import utcnow
from drill.exams import release
from drill.exams.models import Exam
from drill.verify.views.certificate import EXPIRED, REVOKED, VALID, status


@pytest.fixture
def certify(db, make_user):
    """certify(user) -> a certificate issued to `user` the way a release issues it."""
    author = make_user(roles={"admin"}, branch="head")

    def issue(user, exam=None):
        now = utcnow()
        exam = exam or Exam(
            title="中级技能考评", level="intermediate", category="personal", seed=1, blueprint=[],
            opens_at=now - timedelta(days=2), closes_at=now - timedelta(days=1), time_limit_minutes=30,
            pass_rule={"total_min": 60, "part_mins": {}},
            eligible={"branches": [], "categories": [], "levels": []}, created_by=author,
        )  # fmt: skip
        db.session.add(exam)
        db.session.flush()
        attempt = Attempt(
            user_id=user.id, kind="exam", exam_id=exam.id, title=exam.title, criteria={}, seed=1,
            state="submitted", started_at=now - timedelta(days=1, hours=1), deadline=now - timedelta(days=1),
            closed_at=now - timedelta(days=1), score=8, max_score=10,
        )  # fmt: skip
        db.session.add(attempt)
        db.session.flush()
        outcome = SimpleNamespace(attempt=attempt, verdict=SimpleNamespace(total_percent=80.0))
        certificate = release._issue(exam, user, outcome, now)
        db.session.commit()
        return certificate

    return issue


def test_a_trainer_scoped_to_another_branch_cannot_read_a_managers_certificate(
    app, db, make_user, login, certify
):
    holder = make_user("E100", branch="east1", name="钱东城")
    certificate = certify(holder)
    url = f"/exams/certificates/{certificate.number}"
    readers = {
        "holder": (holder, 200),
        "east trainer": (make_user(roles={"trainer"}, branch="east", scope_branch="east"), 200),
        "head-office trainer": (make_user(roles={"trainer"}, branch="head"), 200),
        "west trainer": (make_user(roles={"trainer"}, branch="west", scope_branch="west"), 404),
        "west admin": (make_user(roles={"admin"}, branch="west", scope_branch="west"), 404),
        "another manager": (make_user(branch="east1"), 404),
    }
    for who, (user, expected) in readers.items():
        client = app.test_client()
        login(user, target=client)
        response = client.get(url)
        assert response.status_code == expected, who
        assert (holder.name in response.get_data(as_text=True)) == (expected == 200), who


def test_certificate_numbers_and_codes_say_nothing_about_the_exam_or_the_holder(db, make_user, certify):
    people = [make_user(branch="east1") for _ in range(3)]
    first = certify(people[0])
    certificates = [first] + [certify(p, exam=first.exam) for p in people[1:]]
    numbers = [c.number for c in certificates]
    codes = [c.code for c in certificates]
    assert len(set(numbers)) == len(set(codes)) == 3
    for certificate, person in zip(certificates, people, strict=True):
        assert re.fullmatch(r"DR\d{4}-[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}", certificate.number)
        assert (
            f"{person.id:06d}" not in certificate.number and f"{first.exam_id:04d}" not in certificate.number
        )
        assert len(certificate.code) >= 22 and re.fullmatch(r"[A-Za-z0-9_-]+", certificate.code)


def test_the_verification_page_shows_name_level_dates_and_validity_to_anyone_and_nothing_else(
    client, db, make_user, certify
):
    holder = make_user("E200", branch="east1", name="钱东城")
    certificate = certify(holder)
    page = client.get(f"/verify/{certificate.code}")  # no sign-in
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "证书查验" in text and "钱东城" in text and "中级" in text and 'data-state="valid"' in text
    assert "此证书真实有效" in text
    for private in ("E200", "东城一网点", "东城支行", "80.0", certificate.number, "中级技能考评"):
        assert private not in text, private


def test_a_revoked_or_expired_certificate_says_so_and_an_unknown_code_is_not_found(
    client, db, make_user, certify
):
    certificate = certify(make_user(branch="east1"))
    certificate.revoked_at, certificate.revoked_reason = utcnow(), "复核后未通过"
    db.session.commit()
    text = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert 'data-state="revoked"' in text and "撤销" in text and "复核后未通过" not in text
    assert client.get(f"/verify/{certificate.code[:-1]}x").status_code == 404
    assert client.get("/verify/short").status_code == 404
    forged = client.get("/verify/garbage1234567890abcdef")
    assert forged.status_code == 404 and "此证书不存在或无效" in forged.get_data(as_text=True)
    assert client.get(f"/verify/{certificate.number}").status_code == 404  # the printed number is no key


def test_validity_is_revoked_before_expired_and_expires_after_its_last_day():
    last = date(2027, 6, 30)
    assert status(False, last, last) == VALID
    assert status(False, last, last + timedelta(days=1)) == EXPIRED
    assert status(True, last, last) == REVOKED
    assert status(True, last, last + timedelta(days=400)) == REVOKED


def test_the_printed_certificate_carries_a_qr_code_of_its_verification_link(
    app, db, make_user, login, certify
):
    holder = make_user(branch="east1")
    certificate = certify(holder)
    client = app.test_client()
    login(holder, target=client)
    text = client.get(f"/exams/certificates/{certificate.number}").get_data(as_text=True)
    link = f"http://localhost/verify/{certificate.code}"
    qr = re.search(r'<figure[^>]*id="verify-qr".*?</figure>', text, re.S).group(0)
    assert "<svg" in qr and "<path" in qr and link in qr
    assert "onclick" not in text
    assert client.get(link).status_code == 200


def _insert(connection, table: str, **values) -> None:
    """A row with `values` and a plain value in every other NOT NULL column without a default."""
    from sqlalchemy import inspect, text

    for column in inspect(connection).get_columns(table):
        if column["nullable"] or column["name"] in values or column.get("default") is not None:
            continue
        kind = str(column["type"]).upper()
        if "INT" in kind or "FLOAT" in kind or "NUMERIC" in kind or "REAL" in kind or "DOUBLE" in kind:
            values[column["name"]] = 1
        elif "BOOL" in kind:
            values[column["name"]] = True
        elif "TIMESTAMP" in kind or "DATETIME" in kind:
            values[column["name"]] = datetime(2026, 1, 1, tzinfo=UTC)
        elif "DATE" in kind:
            values[column["name"]] = date(2026, 1, 1)
        elif "JSON" in kind:
            values[column["name"]] = "[]"
        else:
            values[column["name"]] = "x"
    names = ", ".join(values)
    connection.execute(
        text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + n for n in values)})"), values
    )


@pytest.mark.empty_database
def test_certificates_issued_before_the_upgrade_get_a_verification_code_each(app_config):
    from flask_migrate import upgrade

    from drill import create_app
    from drill.extensions import db
    from drill.paths import project_dir

    app = create_app(app_config)
    directory = str(project_dir("migrations"))
    try:
        with app.app_context():
            upgrade(directory=directory, revision="0010_certificate_revocation")
            with db.engine.begin() as connection:
                _insert(connection, "branches", id=1, code="HO", name="总行", kind="head_office", path="/1/")
                for user in (1, 2):
                    _insert(connection, "users", id=user, employee_no=f"M{user}", branch_id=1)
                _insert(connection, "exams", id=1, created_by_id=1)
                for user in (1, 2):
                    _insert(connection, "attempts", id=user, user_id=user, exam_id=1, kind="exam")
                    _insert(
                        connection, "certificates", id=user, number=f"DR2026-0001-00000{user}", user_id=user,
                        exam_id=1, attempt_id=user,
                    )  # fmt: skip
            upgrade(directory=directory, revision="0011_security")
            with db.engine.connect() as connection:
                from sqlalchemy import text

                codes = connection.execute(text("SELECT code FROM certificates ORDER BY id")).scalars().all()
    finally:
        with app.app_context():
            db.engine.dispose()
    assert len(codes) == 2 and len(set(codes)) == 2 and all(len(c) >= 22 for c in codes)


def test_every_symbol_turns_up_in_every_place_of_a_certificate_number():
    """Fifty random bits, five a symbol: a number is as hard to guess in each of its ten places."""
    from datetime import date

    from drill.exams.release import NUMBER_ALPHABET, certificate_number

    numbers = (certificate_number(date(2026, 12, 7)) for _ in range(3000))
    drawn = [number.removeprefix("DR2026-").replace("-", "") for number in numbers]
    for place in range(10):
        assert {number[place] for number in drawn} == set(NUMBER_ALPHABET), place
