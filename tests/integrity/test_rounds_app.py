"""Integrity in competition rounds: the round form's settings, the participant told before starting, the
organiser's summary and the flags on copied case entries."""

from sqlalchemy import select

from drill.integrity.models import IntegritySettings, SimilarityFlag
from tests.competitions.conftest import competition_form, competition_id, hand_in, round_form

CELLS = [{"part": "written", "count": 1, "points": 10, "type": "single"}]
OWN = "我会先核实企业近三年的财务报表和现金流，再实地走访厂房，评估抵押物价值，然后确定授信额度和期限。"
COPY = OWN.replace("先", "首先").replace("然后", "最后")
OTHER = [
    "零售户的陈列要整齐，价格标签清楚，诚信经营，不销售假冒卷烟，按时订货并保持店面整洁干净。",
    "对重点客户要定期回访，了解需求变化，推荐合适的理财产品，并及时处理投诉，提高满意度。",
]


def test_the_round_form_stores_the_integrity_settings(db, org, make_user, signed_in):
    organiser = signed_in(make_user("t01", roles={"trainer"}, branch="head"))
    cid = competition_id(organiser.post("/competitions/new", data=competition_form()))
    form = round_form(
        "written", "笔试", 1, cells=CELLS,
        **{"integrity-count_leaves": "y", "integrity-leave_limit": "4", "integrity-one_device": "y"},
    )  # fmt: skip
    assert organiser.post(f"/competitions/{cid}/rounds/new", data=form).status_code == 302
    row = db.session.scalar(select(IntegritySettings))
    assert (row.count_leaves, row.leave_limit, row.block_paste, row.fullscreen, row.one_device) == (
        True, 4, False, False, True,
    )  # fmt: skip
    page = organiser.get(f"/competitions/{cid}/rounds/{row.round_id}/edit").get_data(as_text=True)
    assert 'name="integrity-leave_limit" type="number" value="4"' in page or 'value="4"' in page


def test_copied_case_entries_are_flagged_for_the_organiser_task_by_task(app, db, contest, signed_in):
    c = contest(kind="case")
    clients = [signed_in(person) for person in c.people]
    show = clients[0].get(f"/competitions/{c.competition.id}").get_data(as_text=True)
    assert 'id="integrity-rules"' in show  # the participant is told before starting
    entries = [
        hand_in(client, db, c.competition.id, c.round.id, text)
        for client, text in zip(clients, [OWN, COPY, *OTHER], strict=True)
    ]
    organiser = signed_in(c.trainer)
    assert organiser.post(f"/integrity/rounds/{c.round.id}/compute").status_code == 302
    flags = db.session.scalars(select(SimilarityFlag).order_by(SimilarityFlag.id)).all()
    assert [(f.kind, f.attempt_a_id, f.attempt_b_id) for f in flags] == [("text", entries[0], entries[1])] * 2
    overview = organiser.get(f"/competitions/{c.competition.id}/rounds/{c.round.id}/manage").get_data(
        as_text=True
    )
    assert 'id="integrity-summary"' in overview and "2 个相似标记待查看" in overview
    page = organiser.get(f"/integrity/rounds/{c.round.id}").get_data(as_text=True)
    assert page.count("/integrity/flags/") == 2
    participant = clients[2]
    assert participant.get(f"/integrity/rounds/{c.round.id}").status_code == 403
    assert participant.get(f"/integrity/flags/{flags[0].id}").status_code == 403
