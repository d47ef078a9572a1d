"""Level changes take effect on their day, not at the approval; one pending proposal per manager even when
two admins run the rules at once; the reasons read in words; and the housekeeping that applies due changes
and closes overdue papers, from cron or in passing."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from drill import housekeeping
from drill.accounts.models import User
from drill.appraisal import level_changes
from drill.appraisal.models import AuditLog, LevelChange
from drill.appraisal.rules.levels import Proposal
from drill.attempts.models import Attempt
from drill.database import utcnow
from drill.extensions import db

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def people(make_user):
    return {
        "admin": make_user("A01", roles={"admin"}, branch="head", name="管理小组"),
        "proposer": make_user("A02", roles={"admin"}, branch="head", name="管理小组提议人"),
        "m1": make_user("M001", branch="east1", category="tobacco", level="junior", name="张经理"),
        "m2": make_user("M002", branch="west1", category="tobacco", level="intermediate", name="李经理"),
    }


def proposal(user: User, to_level: str = "intermediate") -> Proposal:
    from drill.messages import N_, Message

    reasons = (
        Message(
            N_("graded %(grade)s or better in %(count)d consecutive %(kind)s periods (%(periods)s)"),
            grade="good",
            count=2,
            kind="semiannual",
            periods="2025-H1, 2025-H2",
        ),
        Message(N_("annual grade %(grade)s in %(period)s"), grade="excellent", period="2025"),
    )
    return Proposal(
        "tobacco", user.level, to_level, "up", reasons, ("2025-H1", "2025-H2"), "C-1", date(2026, 1, 5)
    )


def propose(user: User, admin: User) -> LevelChange:
    """A proposal made by another admin than `admin` (four eyes: the proposer may not approve it)."""
    proposer = db.session.scalar(select(User).where(User.employee_no == "A02"))
    change = level_changes._store(user, proposal(user), proposer if proposer is not None else admin)
    db.session.commit()
    return change


def level_of(user: User) -> str:
    db.session.expire_all()
    return db.session.get(User, user.id).level


def local_today() -> date:
    return utcnow().astimezone(SHANGHAI).date()


def test_an_approval_dated_in_the_future_waits_for_its_day(client, login, people):
    m1, admin = people["m1"], people["admin"]
    change = propose(m1, admin)
    login(admin)
    later = local_today() + timedelta(days=10)
    response = client.post(
        f"/appraisal/levels/{change.id}/decide",
        data={"effective_date": later.isoformat(), "approve": "y", "note": "年度定级"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert f"张经理 将于 {later.isoformat()} 调整为 中级" in page
    assert level_of(m1) == "junior"  # not yet
    assert f"已批准，{later.isoformat()} 生效" in page
    # The file shows the level now and the one to come
    file_page = client.get(f"/appraisal/people/{m1.id}").get_data(as_text=True)
    assert 'id="level">初级' in file_page and f"中级（{later.isoformat()} 起）" in file_page
    # Housekeeping the day before changes nothing; on the day, the level changes once, audited
    day_before = datetime.combine(later - timedelta(days=1), datetime.min.time(), SHANGHAI).astimezone(UTC)
    assert housekeeping.run(day_before) == (0, 0)
    on_the_day = datetime.combine(later, datetime.min.time(), SHANGHAI).astimezone(UTC) + timedelta(hours=1)
    assert housekeeping.run(on_the_day) == (0, 1)
    db.session.commit()
    assert housekeeping.run(on_the_day + timedelta(hours=1)) == (0, 0)
    assert level_of(m1) == "intermediate"
    applied = db.session.scalars(select(AuditLog).where(AuditLog.action == "apply")).all()
    assert [(a.subject_id, a.old["level"], a.new["level"], a.actor_id) for a in applied] == [
        (m1.id, "junior", "intermediate", None)
    ]
    assert db.session.get(LevelChange, change.id).applied_at == on_the_day
    file_page = client.get(f"/appraisal/people/{m1.id}").get_data(as_text=True)
    assert 'id="level">中级' in file_page and f"{later.isoformat()} 起生效" in file_page


def test_an_approval_dated_today_applies_at_once(client, login, people):
    m1, admin = people["m1"], people["admin"]
    change = propose(m1, admin)
    login(admin)
    response = client.post(
        f"/appraisal/levels/{change.id}/decide",
        data={"effective_date": local_today().isoformat(), "approve": "y"},
        follow_redirects=True,
    )
    assert "张经理 现为中级" in response.get_data(as_text=True)
    assert level_of(m1) == "intermediate"


def test_no_new_proposal_while_an_approved_change_waits(people):
    m1, admin = people["m1"], people["admin"]
    change = propose(m1, admin)
    level_changes.decide(change, admin, True, utcnow(), local_today() + timedelta(days=30), "")
    db.session.commit()
    assert level_changes._already(m1, proposal(m1)) is True


def test_the_cli_applies_what_is_due(runner, people):
    m1, admin = people["m1"], people["admin"]
    change = propose(m1, admin)
    change.state, change.effective_date = level_changes.APPROVED, local_today() - timedelta(days=1)
    db.session.commit()
    result = runner.invoke(args=["housekeeping"])
    assert result.exit_code == 0 and "1 项等级调整生效" in result.output
    assert level_of(m1) == "intermediate"


def test_one_pending_proposal_per_manager(people):
    m1, admin = people["m1"], people["admin"]
    assert propose(m1, admin) is not None
    # Another admin's run got past the "already pending?" check at the same moment: its insert is refused
    # by the index and skipped, and the session carries on
    assert level_changes._store(m1, proposal(m1), admin) is None
    assert propose(people["m2"], admin) is not None
    assert db.session.scalar(select(func.count(LevelChange.id))) == 2
    db.session.add(LevelChange(**{**_columns(proposal(m1)), "user_id": m1.id}))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    # Decided proposals don't count: a manager may have many of those
    for change in db.session.scalars(select(LevelChange)):
        change.state = level_changes.REJECTED
    db.session.commit()
    assert propose(m1, admin) is not None


def _columns(p: Proposal) -> dict:
    return {
        "category": p.category,
        "from_level": p.from_level,
        "to_level": p.to_level,
        "direction": p.direction,
        "reason": [],
        "periods": list(p.periods),
        "state": level_changes.PROPOSED,
        "proposed_on": p.proposed_on,
    }


def test_the_reasons_name_grades_periods_and_levels_in_words(client, login, people):
    propose(people["m1"], people["admin"])
    login(people["admin"])
    page = client.get("/appraisal/levels").get_data(as_text=True)
    assert "连续 2 个 半年度 考评期均为 良好 及以上" in page and "2025 年度等级为 优秀" in page
    assert "good" not in page and "semiannual" not in page


def test_the_app_closes_overdue_papers_and_applies_due_changes_in_passing(app_config, people):
    from drill import create_app
    from drill.attempts import engine

    m1, admin = people["m1"], people["admin"]
    change = propose(m1, admin)
    change.state, change.effective_date = level_changes.APPROVED, local_today()
    started = utcnow() - timedelta(hours=2)
    attempt = Attempt(
        user_id=m1.id,
        kind="practice",
        title="练兵",
        seed=1,
        started_at=started,
        deadline=started + timedelta(minutes=30),
    )
    db.session.add(attempt)
    db.session.commit()
    assert engine.close_overdue(utcnow(), 5, user=people["m2"]) == 0  # another's paper stays
    busy = create_app({**app_config, "HOUSEKEEPING_SECONDS": 0.001})
    try:
        busy.test_client().get("/login")  # any request
    finally:
        with busy.app_context():
            db.engine.dispose()
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).state == "expired"
    assert level_of(m1) == "intermediate"


def test_a_revoked_certificate_no_longer_supports_a_promotion(people):
    from drill.exams.models import Certificate, Exam

    m1, admin = people["m1"], people["admin"]
    now = utcnow()
    exam = Exam(
        title="中级考评",
        level="intermediate",
        category="tobacco",
        seed=1,
        blueprint=[],
        opens_at=now,
        closes_at=now,
        time_limit_minutes=60,
        pass_rule={},
        eligible={},
        created_by=admin,
    )
    attempt = Attempt(user_id=m1.id, kind="exam", title="中级考评", seed=1, started_at=now, deadline=now)
    db.session.add_all([exam, attempt])
    db.session.flush()
    held = Certificate(
        number="DR-1",
        user_id=m1.id,
        exam_id=exam.id,
        attempt_id=attempt.id,
        level="intermediate",
        category="tobacco",
        issued_on=local_today(),
        valid_until=local_today() + timedelta(days=700),
        score_percent=80,
    )
    db.session.add(held)
    db.session.commit()
    assert [c.number for c in level_changes.certificates(m1)] == ["DR-1"]
    held.revoked_at, held.revoked_reason = now, "复核改分"
    db.session.commit()
    assert level_changes.certificates(m1) == []
