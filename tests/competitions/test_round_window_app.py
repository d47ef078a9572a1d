"""A round's time window: it cannot open once its closing time has passed; organisers and participants see
it next to the round, and a participant's start button shows only while the round takes entries."""

import html
import re
from datetime import timedelta

from sqlalchemy import update

from drill.competitions.models import Competition, Round
from drill.database import utcnow
from tests.competitions.conftest import competition_form, competition_id, posted_fields, round_form

CELLS = [{"part": "written", "count": 1, "points": 10, "type": "single"}]


def flashes(page: str) -> list[str]:
    found = re.findall(r'<div class="alert alert-\w+" role="alert">([^<]*)</div>', page)
    return [html.unescape(m.strip()) for m in found]


def round_item(page: str, round_id: int) -> str:
    return page.split(f'id="round-{round_id}"', 1)[1].split('class="list-group-item"', 1)[0]


def test_a_round_whose_closing_time_has_passed_cannot_open_until_it_is_moved(
    db, org, make_user, signed_in, case_pack
):
    organiser = signed_in(make_user("t01", roles={"trainer"}, branch="head", locale="en"))
    cid = competition_id(organiser.post("/competitions/new", data=competition_form()))
    past = round_form(
        "written", "笔试", 1, cells=CELLS, opens_at="2020-05-01T09:00", closes_at="2020-05-01T10:00"
    )
    assert organiser.post(f"/competitions/{cid}/rounds/new", data=past).status_code == 302
    organiser.post(f"/competitions/{cid}/state/open")
    (round_,) = db.session.get(Competition, cid).rounds
    overview = f"/competitions/{cid}/rounds/{round_.id}/manage"
    edit = f"/competitions/{cid}/rounds/{round_.id}/edit"

    page = organiser.get(overview).get_data(as_text=True)
    assert re.search(r'id="round-window">Window: [^<]*9:00[^<]* – [^<]*10:00', page)  # in Shanghai time
    (warning,) = re.findall(r'id="window-passed">(.*?)</div>', page, flags=re.S)
    assert "closing time has passed" in warning and f'href="{edit}"' in warning

    refused = organiser.post(f"/competitions/{cid}/rounds/{round_.id}/state/open", follow_redirects=True)
    assert flashes(refused.get_data(as_text=True)) == [
        "The round's closing time has passed, so nobody could take part: edit the round and give it a "
        "later closing time first, then open it."
    ]
    db.session.expire_all()
    assert db.session.get(Round, round_.id).state == "draft"

    data = posted_fields(organiser.get(edit).get_data(as_text=True))
    data["closes_at"] = (utcnow() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")  # well ahead, any zone
    assert organiser.post(edit, data=data).status_code == 302
    assert organiser.post(f"/competitions/{cid}/rounds/{round_.id}/state/open").status_code == 302
    db.session.expire_all()
    assert db.session.get(Round, round_.id).state == "open"
    assert 'id="window-passed"' not in organiser.get(overview).get_data(as_text=True)


def test_a_participant_sees_each_rounds_window_and_may_start_only_inside_it(db, org, make_user, signed_in):
    organiser = signed_in(make_user("t01", roles={"trainer"}, branch="head"))
    person = make_user("m1", branch="east1")
    cid = competition_id(organiser.post("/competitions/new", data=competition_form()))
    organiser.post(f"/competitions/{cid}/participants", data={"p-employee_nos": "m1"})
    forms = {
        "now": round_form("written", "进行中", 1, cells=CELLS),
        "later": round_form(
            "written", "稍后", 1, cells=CELLS, opens_at="2099-05-01T09:00", closes_at="2099-05-01T10:00"
        ),
        "draft": round_form("written", "未开放", 1, cells=CELLS),
        "over": round_form("written", "已过", 1, cells=CELLS),
    }
    for form in forms.values():
        assert organiser.post(f"/competitions/{cid}/rounds/new", data=form).status_code == 302
    organiser.post(f"/competitions/{cid}/state/open")
    rounds = dict(zip(forms, db.session.get(Competition, cid).rounds, strict=True))
    for name in ("now", "later", "over"):
        organiser.post(f"/competitions/{cid}/rounds/{rounds[name].id}/state/open")
    db.session.execute(
        update(Round).where(Round.id == rounds["over"].id).values(closes_at=utcnow() - timedelta(minutes=1))
    )  # its closing time went by while it was open
    db.session.commit()

    page = signed_in(person).get(f"/competitions/{cid}").get_data(as_text=True)
    items = {name: round_item(page, r.id) for name, r in rounds.items()}
    assert "start-round" in items["now"]
    assert "2099/5/1 09:00 – 2099/5/1 10:00" in items["later"]  # the window, in Shanghai time
    for name in ("later", "draft", "over"):
        assert "start-round" not in items[name], name
    assert "2099/5/1 09:00" in re.search(r'class="[^"]*round-when">([^<]*)<', items["later"]).group(1)
    assert re.search(r'class="[^"]*round-when">([^<]*)<', items["draft"])
    assert re.search(r'class="[^"]*round-when">([^<]*)<', items["over"])
    # The organiser's own page shows the same window.
    overview = organiser.get(f"/competitions/{cid}/rounds/{rounds['later'].id}/manage").get_data(as_text=True)
    assert "2099/5/1 09:00 – 2099/5/1 10:00" in re.search(r'id="round-window">([^<]*)<', overview).group(1)
    assert 'id="window-ahead"' in overview
    over = organiser.get(f"/competitions/{cid}/rounds/{rounds['over'].id}/manage").get_data(as_text=True)
    assert 'id="window-passed"' in over
