"""Four eyes on level changes: the admin who proposed a change cannot approve it; another admin can; a
one-person branch may turn the rule off, and a self-approval is then audited as such."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from drill.appraisal import level_changes
from drill.appraisal.models import AuditLog, LevelChange
from drill.appraisal.services import AppraisalError
from drill.database import utcnow
from tests.appraisal.test_level_changes_app import level_of, local_today, proposal


@pytest.fixture
def admins(make_user):
    return {
        "proposer": make_user("A01", roles={"admin"}, branch="head", name="提议人"),
        "second": make_user("A02", roles={"admin"}, branch="head", name="复核人"),
        "m1": make_user("M001", branch="east1", category="tobacco", level="junior", name="张经理"),
    }


def proposed_by(db, admins) -> LevelChange:
    change = level_changes._store(admins["m1"], proposal(admins["m1"]), admins["proposer"])
    db.session.commit()
    return change


def decide(client, change, **data):
    return client.post(f"/appraisal/levels/{change.id}/decide", data=data, follow_redirects=True)


def approvals(db):
    db.session.expire_all()
    query = select(AuditLog).where(AuditLog.entity == "level", AuditLog.action == "approve")
    return list(db.session.scalars(query))


def test_the_admin_who_proposed_a_change_cannot_approve_it_and_another_admin_can(
    app, db, admins, signed_in_as
):
    change = proposed_by(db, admins)
    today = local_today().isoformat()
    page = decide(signed_in_as(admins["proposer"]), change, effective_date=today, approve="y")
    assert "须由另一位管理员审批" in page.get_data(as_text=True)
    assert db.session.get(LevelChange, change.id).state == "proposed" and approvals(db) == []
    decide(signed_in_as(admins["second"]), change, effective_date=today, approve="y")
    [approval] = approvals(db)
    assert approval.actor_id == admins["second"].id and "self_approved" not in approval.new
    assert level_of(admins["m1"]) == "intermediate"


def test_the_proposer_may_still_reject_their_own_proposal(db, admins):
    change = proposed_by(db, admins)
    level_changes.decide(change, admins["proposer"], False, utcnow(), None, "数据有误")
    assert change.state == "rejected"


def test_the_rule_holds_for_the_service_as_well_as_the_page(db, admins):
    change = proposed_by(db, admins)
    with pytest.raises(AppraisalError, match="four-eyes"):
        level_changes.decide(
            change, admins["proposer"], True, utcnow(), local_today() + timedelta(days=1), ""
        )


@pytest.fixture
def app_config(app_config, request):
    return {**app_config, "LEVEL_FOUR_EYES": getattr(request, "param", True)}


@pytest.mark.parametrize("app_config", [False], indirect=True)
def test_a_one_person_branch_turns_the_rule_off_and_the_self_approval_is_audited(db, admins, signed_in_as):
    change = proposed_by(db, admins)
    decide(signed_in_as(admins["proposer"]), change, effective_date=local_today().isoformat(), approve="y")
    [approval] = approvals(db)
    assert approval.actor_id == admins["proposer"].id and approval.new["self_approved"] is True
    assert level_of(admins["m1"]) == "intermediate"


@pytest.fixture
def signed_in_as(app, login):
    def make(user):
        client = app.test_client()
        login(user, target=client)
        return client

    return make


def test_the_levels_page_offers_the_proposer_no_approve_button(db, admins, signed_in_as):
    change = proposed_by(db, admins)
    mine = signed_in_as(admins["proposer"]).get("/appraisal/levels").get_data(as_text=True)
    theirs = signed_in_as(admins["second"]).get("/appraisal/levels").get_data(as_text=True)
    assert f"change-{change.id}" in mine and "须由另一位管理员审批" in mine and 'name="approve"' not in mine
    assert 'name="approve"' in theirs and "own-proposal" not in theirs
