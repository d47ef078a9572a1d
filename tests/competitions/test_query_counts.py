"""Organisers', judges' and participants' competition pages run as many statements for 200 entries as for
5 (#14): the manage page, the case round's overview (and its filter and XLSX export), an entry's detail,
the judging queue, the board page and board.json (with a fresh cache), my round and the audit log."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from drill.accounts.models import User, UserRole
from drill.attempts.models import Attempt, AttemptItem
from drill.competitions import content, setup
from drill.competitions.models import (
    Calibration,
    JudgeScore,
    Participant,
    PeerReview,
    ReviewAllocation,
    Round,
    RoundJudge,
    ScoreEvent,
)
from drill.database import utcnow
from tests.querycount import assert_same_queries, counted, page_queries


class World:
    """A running competition: a case round being reviewed (two reviews an entry, calibrations, some
    reviews still owed) and a judged round open to one judge, grown `grow(n)` participants at a time, each
    with a handed-in case entry, reviews, a judge's sheet and score events, added as plain rows."""

    def __init__(self, db, org, make_user, case_pack):
        self.db, self.org = db, org
        self.trainer = make_user("t01", roles={"trainer"}, branch="head", name="组织者周")
        self.judge = make_user("j01", roles={"judge"}, branch="head", name="评委吴")
        self.me = make_user("m01", name="选手甲", branch="east1")  # the one participant who signs in
        self.competition = setup.create("省赛", self.trainer, reviews_per_entry=2, state="open")
        db.session.commit()
        now = utcnow()
        self.case = Round(
            competition_id=self.competition.id, kind="case", title="案例分析", weight=1.0, position=1,
            state="reviewing", seed=7, case_pack_id=case_pack.id, peer_weight=1.0, judge_weight=0.0,
            opens_at=now - timedelta(hours=2), closes_at=now - timedelta(hours=1),
        )  # fmt: skip
        self.judged = Round(
            competition_id=self.competition.id, kind="judged", title="现场演讲", weight=1.0, position=2,
            state="open", seed=8, case_pack_id=case_pack.id, peer_weight=0.0, judge_weight=1.0,
        )  # fmt: skip
        self.judged.judges = [RoundJudge(user_id=self.judge.id)]
        db.session.add_all([self.case, self.judged])
        db.session.commit()
        case_content = content.of_round(self.case)
        self.tasks = content.task_versions(case_pack.id)
        self.examples = [e["id"] for e in case_content.examples]
        self.criteria = [c["id"] for c in case_content.criteria]
        self.count, self.seq, self.entries = 0, 0, []

    def grow(self, n: int) -> None:
        db, now = self.db, utcnow()
        first = self.count
        people = [
            User(
                employee_no=f"p{first + i:05d}",
                name=f"选手{first + i}",
                password_hash="-",
                branch_id=self.org["east1" if i % 2 else "west1"].id,
                category="personal",
                level="junior",
            )
            for i in range(n)
        ]
        for person in people:
            person.role_rows = [UserRole(role="manager")]
        db.session.add_all(people)
        db.session.flush()
        if first == 0:
            people[0] = self.me
        members = [
            Participant(
                competition_id=self.competition.id,
                user_id=u.id,
                team_id=self.org["east" if i % 2 else "west"].id,
            )
            for i, u in enumerate(people)
        ]
        entries = [
            Attempt(
                user_id=u.id,
                kind="competition",
                competition_round_id=self.case.id,
                title="案例分析",
                criteria={},
                seed=i,
                state="submitted",
                started_at=now - timedelta(minutes=90),
                deadline=now - timedelta(minutes=60),
                closed_at=now - timedelta(minutes=70),
                items=[
                    AttemptItem(
                        position=p,
                        question_version_id=v.id,
                        option_seed=f"{i}:{p}",
                        points=float(v.points),
                        response=f"答案{i}",
                    )
                    for p, v in enumerate(self.tasks, start=1)
                ],
            )
            for i, u in enumerate(people)
        ]
        db.session.add_all(members + entries)
        db.session.flush()
        allocations = []
        for i, entry in enumerate(entries):
            for step in (1, 2):  # reviewed by the next two of this batch; every fifth owes its second review
                reviewer = members[(i + step) % n]
                state = "assigned" if step == 2 and i % 5 == 0 else "done"
                allocations.append(
                    ReviewAllocation(
                        round_id=self.case.id, entry_id=entry.id, reviewer_id=reviewer.id, state=state
                    )
                )
        db.session.add_all(allocations)
        db.session.flush()
        scores = {c: 20.0 + (i % 3) for i, c in enumerate(self.criteria)}
        db.session.add_all(
            PeerReview(
                allocation_id=a.id,
                round_id=self.case.id,
                entry_id=a.entry_id,
                reviewer_id=a.reviewer_id,
                criteria=scores,
                total=sum(scores.values()),
                created_at=now,
            )
            for a in allocations
            if a.state == "done"
        )
        db.session.add_all(
            Calibration(
                round_id=self.case.id,
                participant_id=m.id,
                given={x: scores for x in self.examples},
                relative_deviation=0.1,
                accuracy=0.9,
                weight=1.0,
                created_at=now,
            )
            for m in members[::2]
        )
        db.session.add_all(
            JudgeScore(
                round_id=self.judged.id,
                participant_id=m.id,
                judge_id=self.judge.id,
                criteria=scores,
                total=sum(scores.values()),
                created_at=now,
                updated_at=now,
                locked_at=now,
            )
            for m in members[::2]
        )
        for m in members:
            for round_ in (self.case, self.judged):
                self.seq += 1
                db.session.add(
                    ScoreEvent(
                        competition_id=self.competition.id,
                        seq=self.seq,
                        round_id=round_.id,
                        participant_id=m.id,
                        score=70.0 + self.seq % 20,
                        completed_at=now,
                        recorded_at=now,
                        reason="peer",
                        recorded_by_id=self.trainer.id if self.seq % 7 == 0 else None,
                    )
                )
        self.competition.event_seq = self.seq
        self.competition.config_version += 1  # the boards read the new participants
        db.session.commit()
        self.count += n
        self.entries += entries
        self.people = getattr(self, "people", []) + people


@pytest.fixture
def world(db, org, make_user, case_pack):
    return World(db, org, make_user, case_pack)


def both_sizes(db, world, client, url, fresh_boards=None):
    """The page's statements at 5 entries and at 200, asserted equal."""
    world.grow(5)
    if fresh_boards:
        fresh_boards()
    small = page_queries(db, client, url())
    world.grow(195)
    if fresh_boards:
        fresh_boards()
    large = page_queries(db, client, url())
    assert_same_queries(small, large)
    return small, large


@pytest.fixture
def organiser(world, client, login):
    login(world.trainer)
    return client


def test_the_manage_page_does_not_grow_with_its_participants(db, world, organiser):
    both_sizes(db, world, organiser, lambda: f"/competitions/{world.competition.id}/manage")
    found = organiser.get(f"/competitions/{world.competition.id}/manage?q=p00007").get_data(as_text=True)
    assert "选手7" in found and "选手8" not in found


def test_the_round_overview_pages_its_entries_and_does_not_grow(db, world, organiser):
    cid, rid = world.competition.id, world.case.id
    both_sizes(db, world, organiser, lambda: f"/competitions/{cid}/rounds/{rid}/manage")
    page = organiser.get(f"/competitions/{cid}/rounds/{rid}/manage").get_data(as_text=True)
    assert page.count(f'href="/competitions/{cid}/rounds/{rid}/entries/') == 50
    assert "page=4" in page and "page=5" not in page
    found = organiser.get(f"/competitions/{cid}/rounds/{rid}/manage?q=p00123").get_data(as_text=True)
    assert "选手123" in found and "选手124" not in found
    # Entries still owed a review wait for it: every fifth of each batch.
    waiting = organiser.get(f"/competitions/{cid}/rounds/{rid}/manage?state=awaiting_reviews")
    assert waiting.get_data(as_text=True).count("/entries/") == 40  # 1 of 5, 39 of 195


def test_the_round_overview_filters_by_branch_and_the_filter_does_not_grow(db, world, organiser):
    cid, rid = world.competition.id, world.case.id
    both_sizes(db, world, organiser, lambda: f"/competitions/{cid}/rounds/{rid}/manage?q=东城&page=2")


def test_the_round_export_streams_every_entry_with_its_score(db, world, organiser):
    cid, rid = world.competition.id, world.case.id
    url = f"/competitions/{cid}/rounds/{rid}/export.xlsx"
    counts = []
    for n in (5, 195):
        world.grow(n)
        with counted(db) as statements:
            response = organiser.get(url)
            assert response.status_code == 200
            response.close()  # the workbook is streamed from a temporary file
        counts.append(statements)
    assert_same_queries(*counts)
    response = organiser.get(f"{url}?state=awaiting_reviews")
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    response.close()
    rows = list(book.active.iter_rows(values_only=True))
    book.close()
    assert rows[0][:3] == ("答卷", "工号", "姓名") and len(rows) == 1 + 40
    assert {r[4] for r in rows[1:]} == {"等待互评"}


def test_an_entrys_detail_does_not_grow_with_the_round(db, world, organiser):
    cid, rid = world.competition.id, world.case.id
    both_sizes(
        db, world, organiser, lambda: f"/competitions/{cid}/rounds/{rid}/entries/{world.entries[2].id}"
    )


def test_the_judging_queue_does_not_grow_with_the_participants(db, world, client, login):
    login(world.judge)
    both_sizes(db, world, client, lambda: f"/competitions/{world.competition.id}/judging")
    page = client.get(f"/competitions/{world.competition.id}/judging").get_data(as_text=True)
    assert page.count("judge-link") == 200


def test_the_board_and_its_data_do_not_grow_with_a_fresh_cache(app, db, world, organiser):
    def fresh():
        app.extensions.pop("competition_boards", None)

    cid = world.competition.id
    both_sizes(db, world, organiser, lambda: f"/competitions/{cid}/board", fresh)


def test_the_board_data_does_not_grow_with_a_fresh_cache(app, db, world, organiser):
    def fresh():
        app.extensions.pop("competition_boards", None)

    both_sizes(db, world, organiser, lambda: f"/competitions/{world.competition.id}/board.json", fresh)


def test_my_round_does_not_grow_with_the_round(db, world, client, login):
    world.grow(5)
    login(world.me)
    small = page_queries(db, client, f"/competitions/{world.competition.id}/rounds/{world.case.id}")
    world.grow(195)
    large = page_queries(db, client, f"/competitions/{world.competition.id}/rounds/{world.case.id}")
    assert_same_queries(small, large)


def test_the_audit_log_does_not_grow_with_the_events(db, world, organiser):
    both_sizes(db, world, organiser, lambda: f"/competitions/{world.competition.id}/audit")
