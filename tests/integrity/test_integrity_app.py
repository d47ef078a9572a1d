"""Integrity through the web: the paper's events, the invigilator's view, the settings and the flags."""

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from drill.attempts.models import Attempt, AttemptItem
from drill.integrity.models import FlagDecision, IntegrityEvent, IntegritySettings, PaperWatch, SimilarityFlag
from tests.competitions.conftest import posted_fields
from tests.drills.conftest import positions_by_key

DEVICE_A, DEVICE_B = "a" * 32, "b" * 32


def start(client, db, exam) -> Attempt:
    started = client.post(f"/exams/{exam.id}/start")
    assert started.status_code == 302
    return db.session.get(Attempt, int(started.headers["Location"].rsplit("/", 1)[1]))


def send(client, attempt, *events, device=DEVICE_A, seq_from=0):
    body = {"device": device, "events": [{"seq": seq_from + i, "kind": k} for i, k in enumerate(events)]}
    return client.post(f"/integrity/attempts/{attempt.id}/events", json=body)


def set_limit(db, exam, limit):
    db.session.add(IntegritySettings(exam_id=exam.id, leave_limit=limit))
    db.session.commit()


def test_leaving_the_page_is_counted_and_shown_on_the_paper_and_to_the_trainer(
    app, db, sample_pack, make_exam, make_user, login
):
    exam = make_exam()
    trainer = exam.created_by
    candidate = app.test_client()
    login(make_user("c1", name="张三", locale="en"), target=candidate)
    attempt = start(candidate, db, exam)
    assert send(candidate, attempt, "opened").get_json()["leaves"] == 0
    reply = send(candidate, attempt, "left", "returned", "left", "returned", "left", seq_from=1).get_json()
    assert reply["leaves"] == 3 and reply["status"] == "ok" and reply["superseded"] is False
    paper = candidate.get(f"/drills/attempts/{attempt.id}").get_data(as_text=True)
    assert 'id="integrity"' in paper and "Page left: 3 times" in paper and "integrity/integrity.js" in paper

    invigilator = app.test_client()
    login(trainer, target=invigilator)
    overview = invigilator.get(f"/exams/{exam.id}/overview").get_data(as_text=True)
    assert 'id="integrity-summary"' in overview
    assert "1 人切屏超过 2 次" in overview or "1 candidate left the page more than 2 times" in overview
    papers = invigilator.get(f"/integrity/exams/{exam.id}").get_data(as_text=True)
    assert '<td class="text-end leaves">3</td>' in papers
    timeline = invigilator.get(f"/integrity/attempts/{attempt.id}/timeline")
    kinds = [e.kind for e in db.session.scalars(select(IntegrityEvent).order_by(IntegrityEvent.id))]
    assert kinds == ["opened", "left", "returned", "left", "returned", "left"]
    assert timeline.status_code == 200 and timeline.get_data(as_text=True).count('data-kind="left"') == 3


def test_a_resent_event_counts_once(app, db, sample_pack, make_exam, make_user, login):
    exam = make_exam()
    client = app.test_client()
    login(make_user("c1"), target=client)
    attempt = start(client, db, exam)
    send(client, attempt, "left", "returned")
    assert send(client, attempt, "left", "returned").get_json()["leaves"] == 1  # the same seqs again
    assert send(client, attempt, "left", seq_from=2).get_json()["leaves"] == 2


def test_the_limit_warns_one_page_leave_before_and_then_asks_for_the_submit(
    app, db, sample_pack, make_exam, make_user, login
):
    exam = make_exam()
    set_limit(db, exam, 3)
    client = app.test_client()
    login(make_user("c1"), target=client)
    attempt = start(client, db, exam)
    assert send(client, attempt, "left").get_json()["status"] == "ok"
    assert send(client, attempt, "left", seq_from=1).get_json()["status"] == "warn"
    assert send(client, attempt, "left", seq_from=2).get_json()["status"] == "submit"
    watch = db.session.get(PaperWatch, attempt.id)
    assert watch.limit_reached_at is not None
    assert db.session.scalar(select(IntegrityEvent.kind).where(IntegrityEvent.seq < 0)) == "limit"
    # the page submits through the normal submit; afterwards nothing more is recorded
    client.post(f"/drills/attempts/{attempt.id}/submit")
    assert send(client, attempt, "left", seq_from=3).status_code == 409


def test_a_second_device_takes_the_paper_over_and_the_first_is_told(
    app, db, sample_pack, make_exam, make_user, login
):
    exam = make_exam()
    client = app.test_client()
    login(make_user("c1"), target=client)
    attempt = start(client, db, exam)
    assert send(client, attempt, "opened").get_json()["superseded"] is False
    assert send(client, attempt, "opened", device=DEVICE_B).get_json()["superseded"] is False
    assert send(client, attempt, "alive", seq_from=1).get_json()["superseded"] is True
    kinds = [e.kind for e in db.session.scalars(select(IntegrityEvent).order_by(IntegrityEvent.id))]
    assert kinds == ["opened", "opened", "device"]
    assert db.session.get(PaperWatch, attempt.id).devices == 1


def test_events_are_taken_only_for_the_candidates_own_exam_paper(
    app, db, sample_pack, make_exam, make_user, login
):
    exam = make_exam()
    owner, other = app.test_client(), app.test_client()
    login(make_user("c1"), target=owner)
    login(make_user("c2"), target=other)
    attempt = start(owner, db, exam)
    assert send(other, attempt, "left").status_code == 404
    drill = Attempt(
        user_id=attempt.user_id,
        kind="practice",
        title="练习",
        seed=1,
        started_at=attempt.started_at,
        deadline=attempt.deadline,
    )
    db.session.add(drill)
    db.session.commit()
    assert send(owner, drill, "left").status_code == 404  # practice drills have no controls
    assert owner.post(f"/integrity/attempts/{attempt.id}/events", json={"device": "x"}).status_code == 400
    bad = {"device": DEVICE_A, "events": [{"seq": 0, "kind": "limit"}]}  # only the server says that
    assert owner.post(f"/integrity/attempts/{attempt.id}/events", json=bad).status_code == 400


def test_only_the_exams_trainers_read_timelines_and_flags(app, db, sample_pack, make_exam, make_user, login):
    exam = make_exam()
    candidate = app.test_client()
    login(make_user("c1"), target=candidate)
    attempt = start(candidate, db, exam)
    assert candidate.get(f"/integrity/attempts/{attempt.id}/timeline").status_code == 403
    assert candidate.get(f"/integrity/exams/{exam.id}").status_code == 403
    scoped = app.test_client()
    login(make_user("t-east", roles={"trainer"}, branch="east", scope_branch="east"), target=scoped)
    assert scoped.get(f"/integrity/attempts/{attempt.id}/timeline").status_code == 403
    assert scoped.get(f"/integrity/exams/{exam.id}").status_code == 403
    assert scoped.post(f"/integrity/exams/{exam.id}/compute").status_code == 403


def test_the_start_page_says_which_controls_are_on(app, db, sample_pack, make_exam, make_user, login):
    exam = make_exam()
    set_limit(db, exam, 4)
    db.session.execute(
        IntegritySettings.__table__.update()
        .values(block_paste=False)
        .where(IntegritySettings.exam_id == exam.id)
    )
    db.session.commit()
    client = app.test_client()
    login(make_user("c1", locale="en"), target=client)
    page = client.get(f"/exams/{exam.id}/start").get_data(as_text=True)
    assert 'id="integrity-rules"' in page
    assert "After 4 page-leaves your paper is submitted" in page
    assert "Pasting into answers is blocked" not in page
    assert "Answer on one device at a time" in page


def test_the_exam_form_keeps_the_integrity_settings(app, db, sample_pack, make_exam, make_user, login):
    exam = make_exam()
    client = app.test_client()
    login(exam.created_by, target=client)
    page = client.get(f"/exams/{exam.id}/edit").get_data(as_text=True)
    fields = posted_fields(page, "exam-form")
    assert "integrity-count_leaves" in fields and "integrity-block_paste" in fields  # all on by default
    del fields["integrity-block_paste"]  # unticked
    fields["integrity-leave_limit"] = ["5"]
    assert client.post(f"/exams/{exam.id}/edit", data=MultiDict(fields)).status_code == 302
    row = db.session.scalar(select(IntegritySettings).where(IntegritySettings.exam_id == exam.id))
    assert (row.count_leaves, row.block_paste, row.leave_limit, row.one_device) == (True, False, 5, True)


def test_copied_open_answers_are_flagged_shown_side_by_side_and_decided_with_a_reason(
    app, db, sample_pack, make_exam, make_user, login
):
    exam = make_exam()
    text = "我会先核实企业近三年的财务报表和现金流，<b>再</b>实地走访厂房，评估抵押物价值，然后确定授信额度。"
    answers = [
        text,
        text.replace("先", "首先").replace("然后", "最后"),
        "客户陈列整齐，价格清楚，按时订货，诚信经营，不卖假烟，店面干净。",
    ]
    for i, answer in enumerate(answers):
        client = app.test_client()
        login(make_user(f"c{i}", name=f"考生{i}"), target=client)
        attempt = start(client, db, exam)
        at = positions_by_key(db, attempt)
        assert (
            client.put(
                f"/api/attempts/{attempt.id}/items/{at['ds-open']}", json={"response": answer}
            ).status_code
            == 200
        )
        client.post(f"/drills/attempts/{attempt.id}/submit")
    trainer = app.test_client()
    login(exam.created_by, target=trainer)
    trainer.post(f"/integrity/exams/{exam.id}/compute")
    flags = db.session.scalars(select(SimilarityFlag)).all()
    assert [(f.kind, f.attempt_a.user.employee_no, f.attempt_b.user.employee_no) for f in flags] == [
        ("text", "c0", "c1")
    ]
    trainer.post(f"/integrity/exams/{exam.id}/compute")  # a second run adds nothing
    assert len(db.session.scalars(select(SimilarityFlag)).all()) == 1
    page = trainer.get(f"/integrity/flags/{flags[0].id}").get_data(as_text=True)
    assert "<mark>" in page and "&lt;b&gt;" in page and "<b>再</b>" not in page
    assert (
        trainer.post(
            f"/integrity/flags/{flags[0].id}", data={"decision": "follow_up", "reason": ""}
        ).status_code
        == 200
    )
    assert db.session.scalars(select(FlagDecision)).all() == []
    trainer.post(
        f"/integrity/flags/{flags[0].id}", data={"decision": "follow_up", "reason": "两人同一网点，约谈"}
    )
    trainer.post(
        f"/integrity/flags/{flags[0].id}", data={"decision": "cleared", "reason": "约谈后确认各自作答"}
    )
    decisions = db.session.scalars(select(FlagDecision).order_by(FlagDecision.id)).all()
    assert [d.decision for d in decisions] == ["follow_up", "cleared"]
    db.session.refresh(flags[0])
    assert flags[0].status == "cleared"
    marked = db.session.scalars(
        select(AttemptItem.earned).where(AttemptItem.attempt_id == flags[0].attempt_a_id)
    )
    assert None in list(marked)  # the open answer still waits for its marker: a flag scores nothing


def test_the_same_wrong_answers_on_objective_questions_are_flagged_in_words(
    app, db, sample_pack, make_exam, make_user, login
):
    from tests.drills.conftest import option_ids

    exam = make_exam()
    single, multiple = option_ids(db, "ds-single"), option_ids(db, "ds-multiple")
    wrong = {
        "ds-single": single["错误选项乙"],
        "ds-truefalse": True,
        "ds-numeric": "1",
        "ds-multiple": [multiple["多选错一"]],
    }
    right = {
        "ds-single": single["正确选项甲"],
        "ds-truefalse": False,
        "ds-numeric": "4321.5",
        "ds-multiple": [multiple["多选对一"], multiple["多选对二"]],
    }
    for i, answers in enumerate([wrong, wrong, right, {**right, "ds-numeric": "2"}]):
        client = app.test_client()
        login(make_user(f"c{i}"), target=client)
        attempt = start(client, db, exam)
        at = positions_by_key(db, attempt)
        for key, response in answers.items():
            client.put(f"/api/attempts/{attempt.id}/items/{at[key]}", json={"response": response})
        client.post(f"/drills/attempts/{attempt.id}/submit")
    trainer = app.test_client()
    login(exam.created_by, target=trainer)
    trainer.post(f"/integrity/exams/{exam.id}/compute")
    (flag,) = db.session.scalars(select(SimilarityFlag)).all()
    assert (flag.kind, flag.attempt_a.user.employee_no, flag.attempt_b.user.employee_no) == (
        "choices",
        "c0",
        "c1",
    )
    assert len(flag.detail["questions"]) == 4 and flag.similarity == 1.0
    page = trainer.get(f"/integrity/flags/{flag.id}").get_data(as_text=True)
    assert "错误选项乙" in page and "多选错一" in page and "<strong>对</strong>" in page
