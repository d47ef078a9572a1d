"""The round form as an organiser fills it in: a window that closes after it opens, reviews due no earlier
than the round closes, only the settings the chosen kind uses, the defaults a new form shows stored as
shown, and after a refused edit the stored values back in the greyed-out fields."""

import re

from drill.competitions.models import Competition, Round
from tests.competitions.conftest import competition_form, competition_id, posted_fields, round_form

CELLS = [{"part": "written", "count": 1, "points": 10, "type": "single"}]


def errors(page: str) -> list[str]:
    return [e.strip() for e in re.findall(r'class="invalid-feedback[^"]*"[^>]*>([^<]*)<', page)]


def setup_competition(make_user, signed_in, **user):
    organiser = signed_in(make_user("t01", roles={"trainer"}, branch="head", **user))
    return organiser, competition_id(organiser.post("/competitions/new", data=competition_form()))


def rounds(db, cid) -> list[Round]:
    db.session.expire_all()
    return db.session.get(Competition, cid).rounds


def test_a_round_that_closes_before_it_opens_is_refused_with_the_exams_message(db, org, make_user, signed_in):
    organiser, cid = setup_competition(make_user, signed_in)
    url = f"/competitions/{cid}/rounds/new"
    for closes in ("2030-05-01T08:00", "2030-05-01T09:00"):  # before it opens, or as it opens
        form = round_form("written", "笔试", 1, cells=CELLS, opens_at="2030-05-01T09:00", closes_at=closes)
        refused = organiser.post(url, data=form)
        assert refused.status_code == 200
        assert errors(refused.get_data(as_text=True)) == [
            "截止时间必须晚于开始时间。"
        ]  # as the exam form says
    assert rounds(db, cid) == []

    form = round_form(
        "written", "笔试", 1, cells=CELLS, opens_at="2030-05-01T09:00", closes_at="2030-05-01T10:00"
    )
    assert organiser.post(url, data=form).status_code == 302
    (round_,) = rounds(db, cid)
    edit = f"/competitions/{cid}/rounds/{round_.id}/edit"
    data = posted_fields(organiser.get(edit).get_data(as_text=True))
    data["closes_at"] = "2030-05-01T07:30"
    refused = organiser.post(edit, data=data)
    assert refused.status_code == 200
    assert errors(refused.get_data(as_text=True)) == ["截止时间必须晚于开始时间。"]
    assert rounds(db, cid)[0].closes_at.hour == 2  # 10:00 in Shanghai, as it was


def test_reviews_fall_due_no_earlier_than_a_case_round_closes(db, org, make_user, signed_in, case_pack):
    organiser, cid = setup_competition(make_user, signed_in, locale="en")
    times = {"opens_at": "2030-05-01T09:00", "closes_at": "2030-05-01T12:00"}
    early = round_form(
        "case", "案例", 1, case_pack=case_pack.id, review_closes_at="2030-05-01T11:00", **times
    )
    refused = organiser.post(f"/competitions/{cid}/rounds/new", data=early)
    assert errors(refused.get_data(as_text=True)) == ["Reviews cannot be due before the round closes."]
    # A judge weight above 0 with nobody to judge is refused too, as before.
    no_judges = round_form("case", "案例", 1, case_pack=case_pack.id, judge_weight=1, **times)
    refused = organiser.post(f"/competitions/{cid}/rounds/new", data=no_judges)
    assert errors(refused.get_data(as_text=True)) == [
        "Choose the judges: their scores carry weight in this round."
    ]
    assert rounds(db, cid) == []
    on_time = round_form(
        "case", "案例", 1, case_pack=case_pack.id, review_closes_at="2030-05-01T12:00", **times
    )
    assert organiser.post(f"/competitions/{cid}/rounds/new", data=on_time).status_code == 302
    assert rounds(db, cid)[0].review_closes_at == rounds(db, cid)[0].closes_at


def test_a_written_round_keeps_the_weights_a_new_form_shows_and_no_review_deadline(
    db, org, make_user, signed_in, case_pack
):
    organiser, cid = setup_competition(make_user, signed_in)
    new = posted_fields(organiser.get(f"/competitions/{cid}/rounds/new").get_data(as_text=True))
    assert (new["peer_weight"], new["judge_weight"]) == (["1.00"], ["0.00"])
    # Without the script the case settings show and are sent, filled in or not: a written round ignores them.
    form = round_form("written", "笔试", 1, cells=CELLS, peer_weight=0, judge_weight=3, judges=[],
                      review_closes_at="2030-05-02T09:00")  # fmt: skip
    assert organiser.post(f"/competitions/{cid}/rounds/new", data=form).status_code == 302
    (round_,) = rounds(db, cid)
    assert (round_.peer_weight, round_.judge_weight, round_.review_closes_at) == (1.0, 0.0, None)
    shown = posted_fields(
        organiser.get(f"/competitions/{cid}/rounds/{round_.id}/edit").get_data(as_text=True)
    )
    assert (shown["peer_weight"], shown["judge_weight"]) == (["1.00"], ["0.00"])  # as a new form shows them


def test_the_form_marks_each_setting_with_the_kinds_that_use_it_for_its_script(db, org, make_user, signed_in):
    organiser, cid = setup_competition(make_user, signed_in)
    page = organiser.get(f"/competitions/{cid}/rounds/new").get_data(as_text=True)
    assert re.search(r'<fieldset[^>]*id="written-settings"[^>]*data-kinds="written"', page)
    assert re.search(r'<fieldset[^>]*id="scoring-settings"[^>]*data-kinds="case judged"', page)
    for name in ("peer_weight", "judge_weight", "review_closes_at", "judge_budget"):
        assert re.search(rf'data-kinds="case">\s*<div[^>]*>\s*<label[^>]*for="{name}"', page), name
    assert re.search(r'data-kinds="judged">\s*<div[^>]*>\s*<label[^>]*for="rubric_pack"', page)
    script = re.search(r'<script src="([^"]*round_form\.js)"', page).group(1)
    response = organiser.get(script)
    assert response.status_code == 200 and b"data-kinds" in response.data
    response.close()
    # The page works without it: every setting is in the form.
    assert {"peer_weight", "judge_weight", "case_pack", "cells-0-count"} <= set(posted_fields(page))


def test_a_refused_edit_shows_the_stored_values_in_the_greyed_out_fields(db, org, make_user, signed_in):
    organiser, cid = setup_competition(make_user, signed_in)
    form = round_form("written", "笔试", 1, cells=CELLS, time_limit_minutes=30, opens_at="2030-05-01T09:00")
    organiser.post(f"/competitions/{cid}/rounds/new", data=form)
    (round_,) = rounds(db, cid)
    edit = f"/competitions/{cid}/rounds/{round_.id}/edit"
    stale = posted_fields(organiser.get(edit).get_data(as_text=True))  # still a draft's page
    organiser.post(f"/competitions/{cid}/state/open")
    organiser.post(f"/competitions/{cid}/rounds/{round_.id}/state/open")
    assert rounds(db, cid)[0].state == "open"

    crafted = dict(stale, time_limit_minutes="45", opens_at="2030-06-01T09:00", weight="2")
    crafted.update({"cells-0-count": "3", "cells-0-points": "5"})
    refused = organiser.post(edit, data=crafted)
    assert refused.status_code == 200
    page = refused.get_data(as_text=True)
    assert 'id="refused"' in page
    shown = posted_fields(page, disabled=True)
    assert shown["time_limit_minutes"] == ["30"] and shown["opens_at"] == ["2030-05-01 09:00:00"]
    assert (shown["cells-0-count"], shown["cells-0-points"]) == (["1"], ["10.00"])
    assert shown["kind"] == ["written"]
    assert shown["weight"] == ["2"]  # what may change keeps what the organiser typed
    assert rounds(db, cid)[0].time_limit_minutes == 30 and rounds(db, cid)[0].weight == 1.0
