"""The deploy/ recipe run on one machine: two app nodes (gunicorn, each its own master as on its own
machine) behind nginx with deploy/nginx/drill.conf, one PostgreSQL, and the scheduled job. Candidates,
served by whichever node nginx picks, sit a competition's written round and an exam; one node is killed
mid-exam and started again. No saved answer is lost, no paper is closed twice, and both nodes' boards
agree. PostgreSQL only (several nodes refuse SQLite); skipped without nginx."""

import json
import random
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select, update

from bench.clients import DATA_CSRF, Browser, Failed, answers, form_csrf
from bench.topology import Cluster, nginx_binary, node_environment
from drill.attempts.models import Attempt, AttemptItem
from drill.competitions import setup
from drill.competitions.models import Round, ScoreEvent
from drill.database import utcnow
from drill.exams.models import Exam
from tests.conftest import PASSWORD

pytestmark = pytest.mark.deploy

BLUEPRINT = [
    {"part": "theory", "count": 1, "points": 25, "type": "single"},
    {"part": "theory", "count": 1, "points": 25, "type": "truefalse"},
    {"part": "theory", "count": 1, "points": 25, "type": "numeric"},
    {"part": "theory", "count": 1, "points": 25, "type": "multiple"},
]
CANDIDATES = 6
WINDOW = timedelta(minutes=10)  # the papers' window: long enough for every step before the deadline


@pytest.fixture
def cluster(app, db, database_url, tmp_path):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("several app nodes need PostgreSQL (set DRILL_TEST_DATABASE_URL); SQLite is one node")
    if nginx_binary() is None:
        pytest.skip("nginx is not installed (apt-get install nginx)")
    env = node_environment(database_url, nodes=2, secret_key="topology-test-key")
    with Cluster(tmp_path / "cluster", env, nodes=2) as running:
        yield running


@pytest.fixture
def browsers():
    """browsers(port) -> a new client (a keep-alive connection, a cookie jar), closed after the test."""
    made = []

    def make(port):
        made.append(Browser("127.0.0.1", port, timeout=15, max_requests=10_000))
        return made[-1]

    yield make
    for browser in made:
        browser.close()


def sign_in(browser, user):
    _status, _headers, page = browser.request("login page", "GET", "/login")
    form = {"employee_no": user.employee_no, "password": PASSWORD, "csrf_token": form_csrf(page)}
    browser.request("login", "POST", "/login", form=form, expect=302)
    return browser


class Paper:
    """An open paper as its page gave it, and every save the server acknowledged."""

    def __init__(self, browser, path):
        self.browser, self.path = browser, path
        self.id = int(path.rsplit("/", 1)[1])
        _status, _headers, page = browser.request("paper", "GET", path)
        self.headers = {"X-CSRFToken": DATA_CSRF.search(page).group(1)}
        self.form = {"csrf_token": form_csrf(page)}
        self.answers = answers(page, random.Random(self.id))
        self.acknowledged = {}

    def save(self, position, response):
        url = f"/api/attempts/{self.id}/items/{position}"
        try:
            _status, _headers, body = self.browser.request(
                "save", "PUT", url, body={"response": response}, headers=self.headers
            )
        except Failed:
            raise AssertionError(f"save {url} failed: {self.browser.samples[-1].error}") from None
        assert json.loads(body)["status"] == "saved"
        self.acknowledged[position] = response

    def submit(self):
        url = f"/drills/attempts/{self.id}/submit"  # a competition paper is submitted there too
        self.browser.request("submit", "POST", url, form=self.form, expect=302)


def start(browser, url):
    _status, _headers, page = browser.request("drills page", "GET", "/drills/")
    _status, headers, _ = browser.request(
        "start", "POST", url, form={"csrf_token": form_csrf(page)}, expect=302
    )
    return Paper(browser, urlsplit(headers["Location"]).path)


def test_two_nodes_behind_nginx_survive_a_node_killed_mid_exam(
    cluster, app, db, org, make_user, sample_pack, browsers
):
    trainer = make_user("t01", roles={"trainer"}, branch="head")
    people = [make_user(f"c{i:02d}", name=f"考生{i}", branch="east1") for i in range(CANDIDATES)]
    now = utcnow()
    due = now + WINDOW
    competition = setup.create("全省技能竞赛", trainer, state="open")
    setup.add_participants(competition, people)
    round_ = setup.add_round(
        competition, kind="written", title="笔试", weight=1.0, state="open", blueprint=BLUEPRINT,
        opens_at=now - timedelta(minutes=1), closes_at=due, time_limit_minutes=30,
    )  # fmt: skip
    exam = Exam(
        title="中级客户经理技能鉴定", level="intermediate", category="personal", seed=7, blueprint=BLUEPRINT,
        opens_at=now - timedelta(minutes=1), closes_at=due, time_limit_minutes=30, attempts_allowed=1,
        pass_rule={"total_min": 60}, eligible={"branches": [org["east"].id], "categories": [], "levels": []},
        created_by=trainer,
    )  # fmt: skip
    db.session.add(exam)
    db.session.commit()
    competition_id, round_id, exam_id = competition.id, round_.id, exam.id

    clients = [sign_in(browsers(cluster.port), user) for user in people]
    rounds = [start(b, f"/competitions/{competition_id}/rounds/{round_id}/start") for b in clients]
    exams = [start(b, f"/exams/{exam_id}/start") for b in clients]
    papers = rounds + exams

    def save_some(part):
        for paper in papers:
            for position, response in paper.answers[part::2]:
                paper.save(position, response)

    save_some(0)
    cluster.kill(0)  # mid-exam, node 1 crashes: nginx sends everything to node 2
    save_some(1)
    cluster.restart(0)
    for paper in papers:  # a change of mind on the first question, after the restart
        position, response = paper.answers[0]
        paper.save(position, response)
    for paper in rounds[: CANDIDATES // 2] + exams[: CANDIDATES // 2]:
        paper.submit()
    errors = [s for b in clients for s in b.samples if not s.ok]
    assert errors == []

    # The deadline passes (the window's end and the open papers' deadlines moved to past the grace, rather
    # than waited for); the timer fires on both nodes at the same moment.
    past = utcnow() - timedelta(seconds=app.config["DEADLINE_GRACE_SECONDS"] + 1)
    db.session.execute(update(Exam).where(Exam.id == exam_id).values(closes_at=past))
    db.session.execute(update(Round).where(Round.id == round_id).values(closes_at=past))
    still_open = Attempt.id.in_([p.id for p in papers]), Attempt.state == "open"
    db.session.execute(update(Attempt).where(*still_open).values(deadline=past))
    db.session.commit()
    runs = [cluster.housekeeping(), cluster.housekeeping()]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs

    db.session.expire_all()
    states = dict(db.session.execute(select(Attempt.id, Attempt.state)).all())
    assert sorted(states[p.id] for p in papers) == ["expired"] * CANDIDATES + ["submitted"] * CANDIDATES
    for paper in papers:  # every acknowledged save is there, the last one of each question
        saved = dict(
            db.session.execute(
                select(AttemptItem.position, AttemptItem.response).where(AttemptItem.attempt_id == paper.id)
            ).all()
        )
        assert {p: saved[p] for p in paper.acknowledged} == paper.acknowledged
    events = db.session.execute(
        select(ScoreEvent.participant_id, func.count())
        .where(ScoreEvent.round_id == round_id)
        .group_by(ScoreEvent.participant_id)
    ).all()
    assert len(events) == CANDIDATES and {n for _, n in events} == {1}  # each paper scored (closed) once

    # Both nodes' boards agree, each asked directly.
    boards = []
    for node in cluster.nodes:
        direct = browsers(node.port)
        direct.cookies = dict(clients[0].cookies)  # the same session, valid on either node
        _status, _headers, body = direct.request("board", "GET", f"/competitions/{competition_id}/board.json")
        boards.append(json.loads(body)["individual"])
    assert boards[0] == boards[1] and len(boards[0]) == CANDIDATES
