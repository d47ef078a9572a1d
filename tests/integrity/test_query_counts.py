"""An exam's or a round's integrity page runs as many statements for 200 papers as for 5 (#14): papers are
listed fifty a page with their candidates and counts, and the similarity flags with both candidates."""

from datetime import timedelta

import pytest

from drill.accounts.models import User, UserRole
from drill.attempts.models import Attempt
from drill.competitions import setup
from drill.competitions.models import Round
from drill.database import utcnow
from drill.integrity.models import PaperWatch, SimilarityFlag
from tests.querycount import assert_same_queries, page_queries


class Papers:
    """`grow(n)`: n more candidates, each with a paper of the exam and one of the round, every paper
    watched (some page-leaves), and every second pair of papers flagged as similar."""

    def __init__(self, db, org, trainer, exam):
        self.db, self.org, self.exam, self.count = db, org, exam, 0
        competition = setup.create("省赛", trainer, state="open")
        db.session.flush()
        self.round = Round(competition_id=competition.id, kind="written", title="笔试", state="open", seed=1)
        db.session.add(self.round)
        db.session.commit()

    def grow(self, n: int) -> None:
        db, now, first = self.db, utcnow(), self.count
        people = [
            User(
                employee_no=f"p{first + i:05d}",
                name=f"考生{first + i}",
                password_hash="-",
                branch_id=self.org["east1"].id,
                category="personal",
                level="intermediate",
                role_rows=[UserRole(role="manager")],
            )
            for i in range(n)
        ]
        db.session.add_all(people)
        db.session.flush()
        papers = {"exam": [], "round": []}
        for u in people:
            for scope, extra in (
                ("exam", {"kind": "exam", "exam_id": self.exam.id}),
                ("round", {"kind": "competition", "competition_round_id": self.round.id}),
            ):
                papers[scope].append(
                    Attempt(
                        user_id=u.id,
                        title="卷",
                        criteria={},
                        seed=1,
                        state="submitted",
                        started_at=now - timedelta(minutes=30),
                        deadline=now,
                        closed_at=now,
                        **extra,
                    )
                )
        db.session.add_all(papers["exam"] + papers["round"])
        db.session.flush()
        for scope, found in papers.items():
            db.session.add_all(
                PaperWatch(attempt_id=a.id, leaves=i % 4, updated_at=now) for i, a in enumerate(found)
            )
            key = {"exam_id": self.exam.id} if scope == "exam" else {"round_id": self.round.id}
            db.session.add_all(
                SimilarityFlag(
                    key=f"{scope}:text:{a.id}:{b.id}",
                    kind="text",
                    attempt_a_id=a.id,
                    attempt_b_id=b.id,
                    similarity=0.9,
                    computed_at=now,
                    **key,
                )
                for a, b in zip(found[::2], found[1::2], strict=False)
            )
        db.session.commit()
        self.count += n


@pytest.fixture
def papers(db, org, make_user, make_exam, client, login):
    trainer = make_user("t01", roles={"trainer"}, branch="head")
    world = Papers(db, org, trainer, make_exam(created_by=trainer))
    login(trainer)
    return world


@pytest.mark.parametrize("scope", ["exam", "round"])
def test_the_integrity_papers_page_does_not_grow_with_its_papers(db, papers, client, scope):
    url = f"/integrity/exams/{papers.exam.id}" if scope == "exam" else f"/integrity/rounds/{papers.round.id}"
    papers.grow(5)
    small = page_queries(db, client, url)
    papers.grow(195)
    large = page_queries(db, client, url)
    assert_same_queries(small, large)
    page = client.get(url).get_data(as_text=True)
    assert page.count("/timeline") == 50 and "page=4" in page and "page=5" not in page
    assert "200" in page  # the papers counted, all of them
