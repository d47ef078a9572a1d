"""Who may read and do what: a manager reads only their own file and published records; a scoped supervisor
rates and reads only their subtree; only admins run periods."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from drill.appraisal import entry, period_records, services
from drill.appraisal.models import Rating, Record
from drill.appraisal.rules import states
from drill.extensions import db
from tests.appraisal.test_bank_app import B001, OTHER_RATINGS
from tests.appraisal.world import labels_of, rate_all, scheme_file, sheet_csv

NOW = datetime(2025, 4, 2, tzinfo=UTC)


@pytest.fixture
def quarter(db, make_user):
    """A computed bank quarter for m1 (east) and m2 (west)."""
    people = {
        "admin": make_user("A01", roles={"admin"}, branch="head", locale="en"),
        "east_trainer": make_user("TE", roles={"trainer"}, branch="east", scope_branch="east"),
        "m1": make_user("M001", branch="east1"),
        "m2": make_user("M002", branch="west1"),
    }
    admin = people["admin"]
    period = services.create_period(scheme_file("bank-manager"), "quarterly", 2025, 1, admin)
    labels = labels_of("bank-manager")
    rows = {no: {labels[k]: v for k, v in B001.items()} for no in ("M001", "M002")}
    entry.import_indicators(period, "q1.csv", sheet_csv(list(labels.values()), rows), admin, NOW)
    for manager in ("m1", "m2"):
        rate_all(period, people[manager], OTHER_RATINGS, admin)
    assert period_records.compute_period(period, admin, NOW).ok
    db.session.commit()
    records = {r.user_id: r for r in db.session.scalars(select(Record).where(Record.period_id == period.id))}
    return people, period, records


def test_a_manager_reads_only_their_own_file_and_published_record(client, login, quarter):
    people, period, records = quarter
    m1, m2 = people["m1"], people["m2"]
    login(m1)
    assert client.get(f"/appraisal/people/{m1.id}").status_code == 200
    assert client.get("/appraisal/me").headers["Location"].endswith(f"/appraisal/people/{m1.id}")
    assert client.get(f"/appraisal/people/{m2.id}").status_code == 404
    assert client.get("/appraisal/people/999999").status_code == 404
    # Not published yet: even their own record is not there for them
    assert client.get(f"/appraisal/records/{records[m1.id].id}").status_code == 404
    period.state = states.PUBLISHED
    db.session.commit()
    assert client.get(f"/appraisal/records/{records[m1.id].id}").status_code == 200
    assert client.get(f"/appraisal/records/{records[m2.id].id}").status_code == 404
    # Nor any supervisor's or admin's page
    for path in (
        f"/appraisal/periods/{period.id}",
        f"/appraisal/periods/{period.id}/ratings",
        f"/appraisal/periods/{period.id}/report",
        f"/appraisal/periods/{period.id}/export.csv",
        "/appraisal/levels",
    ):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/appraisal/periods/{period.id}/compute").status_code == 403
    assert (
        client.post(
            f"/appraisal/people/{m1.id}/assign", data={"pack_id": "1", "competency": "ethics"}
        ).status_code
        == 403
    )


def test_a_scoped_supervisor_rates_and_reads_only_their_subtree(client, login, quarter):
    people, period, records = quarter
    m1, m2 = people["m1"], people["m2"]
    login(people["east_trainer"])
    ratings = {"value_thinking": 5, "comment_thinking": "主动走访新客户"}
    assert client.post(f"/appraisal/periods/{period.id}/ratings/{m1.id}", data=ratings).status_code == 302
    assert client.post(f"/appraisal/periods/{period.id}/ratings/{m2.id}", data=ratings).status_code == 403
    assert client.get(f"/appraisal/periods/{period.id}/ratings/{m2.id}").status_code == 403
    listed = client.get(f"/appraisal/periods/{period.id}/ratings").get_data(as_text=True)
    assert "M001" in listed and "M002" not in listed
    assert client.get(f"/appraisal/people/{m1.id}").status_code == 200
    assert client.get(f"/appraisal/people/{m2.id}").status_code == 404
    assert client.get(f"/appraisal/records/{records[m1.id].id}").status_code == 200  # before publication too
    assert client.get(f"/appraisal/records/{records[m2.id].id}").status_code == 404
    report = client.get(f"/appraisal/periods/{period.id}/report").get_data(as_text=True)
    assert "M001" in report and "M002" not in report
    exported = client.get(f"/appraisal/periods/{period.id}/export.csv").get_data(as_text=True)
    assert "M001" in exported and "M002" not in exported
    # A trainer does not run periods
    assert client.post(f"/appraisal/periods/{period.id}/compute").status_code == 403
    assert client.post(f"/appraisal/periods/{period.id}/move", data={"target": "reviewed"}).status_code == 403


def test_a_top_mark_without_a_comment_or_out_of_scale_is_refused(client, login, quarter):
    people, period, _ = quarter
    login(people["admin"])
    m1 = people["m1"]
    page = client.post(
        f"/appraisal/periods/{period.id}/ratings/{m1.id}", data={"value_thinking": 5, "comment_thinking": " "}
    )
    assert page.status_code == 200 and "needs a comment" in page.get_data(as_text=True)
    page = client.post(
        f"/appraisal/periods/{period.id}/ratings/{m1.id}",
        data={"value_thinking": 6, "comment_thinking": "好"},
    )
    assert page.status_code == 200
    saved = db.session.scalar(select(Rating).where(Rating.user_id == m1.id, Rating.item_key == "thinking"))
    assert saved.value == OTHER_RATINGS["thinking"]


def test_every_page_renders_for_an_admin_and_a_manager_lands_on_their_file(app, client, login, quarter):
    people, period, records = quarter
    login(people["admin"])
    for path in (
        "/appraisal/",
        "/appraisal/periods/new",
        f"/appraisal/periods/{period.id}",
        f"/appraisal/periods/{period.id}/import",
        f"/appraisal/periods/{period.id}/ratings",
        f"/appraisal/periods/{period.id}/ratings/{people['m1'].id}",
        f"/appraisal/periods/{period.id}/occurrences",
        f"/appraisal/periods/{period.id}/report",
        f"/appraisal/records/{records[people['m1'].id].id}",
        f"/appraisal/people/{people['m1'].id}",
        "/appraisal/levels",
    ):
        assert client.get(path).status_code == 200, path
    manager = app.test_client()
    login(people["m1"], target=manager)
    assert manager.get("/appraisal/").headers["Location"].endswith(f"/appraisal/people/{people['m1'].id}")
