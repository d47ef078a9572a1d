"""Fixtures for the competitions app tests: the test case and question bank, people, signed-in clients,
and the form posts an organiser makes."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import select

from drill.content.models import Pack
from drill.content.services import import_paths
from drill.paths import project_dir
from tests.drills.conftest import PACKS as DRILL_PACKS

PACKS = Path(__file__).parent / "packs"
CELL_FIELDS = (
    "part",
    "count",
    "points",
    "theme",
    "competency",
    "type",
    "difficulty_min",
    "difficulty_max",
    "level",
)


@pytest.fixture
def case_pack(db):
    """The test case (two open tasks 60 + 40, rubric idea 60 / expr 40, two scored examples) and the
    eight-question drills bank; returns the case's Pack."""
    result = import_paths([PACKS, DRILL_PACKS], taxonomy_path=project_dir("content") / "taxonomy.yaml")
    assert result.ok, [str(p) for p in result.report.errors]
    db.session.commit()
    return db.session.scalar(select(Pack).where(Pack.slug == "case-contest"))


@pytest.fixture
def signed_in(app, login):
    """signed_in(user) -> a test client of its own, signed in as that user."""

    def make(user):
        client = app.test_client()
        login(user, target=client)
        return client

    return make


def round_form(kind, title, weight, *, cells=(), **extra) -> dict:
    """The new-round form as the browser posts it (every blueprint row present, empty or not)."""
    data = {
        "kind": kind, "title": title, "weight": weight, "time_limit_minutes": 30, "speed_floor": "0.8",
        "case_pack": 0, "rubric_pack": 0, "peer_weight": 1, "judge_weight": 0, "judge_budget": 10,
        "qualify_from": 0,
    }  # fmt: skip
    for i in range(4):
        row = cells[i] if i < len(cells) else {}
        for name in CELL_FIELDS:
            data[f"cells-{i}-{name}"] = row.get(name, "")
    data.update(extra)
    return data


def competition_form(title="比学赶超技能竞赛", **extra) -> dict:
    return {
        "title": title,
        "team_rule": "mean",
        "team_n": "",
        "reviews_per_entry": 3,
        "freeze_at": "",
        **extra,
    }


def competition_id(response) -> int:
    """The competition a redirect goes to (/competitions/<id>/...)."""
    return int(re.search(r"/competitions/(\d+)", response.headers["Location"]).group(1))


@pytest.fixture
def contest(db, org, make_user, case_pack):
    """contest(kind="case", k=2, judges=()) -> a running competition with one open round of that kind,
    a trainer who organises it and four participants: 甲 and 乙 in 东城, 丙 and 丁 in 西山."""
    from types import SimpleNamespace

    from drill.competitions import setup

    def make(kind="case", k=2, judges=(), **round_fields):
        trainer = make_user("t01", roles={"trainer"}, branch="head", name="组织者周")
        people = [
            make_user(f"m{i}", name=name, branch=branch)
            for i, (name, branch) in enumerate(
                [("甲选手", "east1"), ("乙选手", "east1"), ("丙选手", "west1"), ("丁选手", "west1")], start=1
            )
        ]
        competition = setup.create("案例赛", trainer, reviews_per_entry=k, state="open")
        setup.add_participants(competition, people)
        weights = {
            "peer_weight": 1.0 if kind == "case" else 0.0,
            "judge_weight": 0.0 if kind == "case" else 1.0,
        }
        round_ = setup.add_round(
            competition, kind=kind, title="案例分析", weight=1.0, state="open", case_pack_id=case_pack.id,
            judges=[j.id for j in judges], **{**weights, **round_fields},
        )  # fmt: skip
        db.session.commit()
        participants = {p.user_id: p for p in setup.participants(competition)}
        return SimpleNamespace(
            trainer=trainer, people=people, competition=competition, round=round_,
            pid={u.employee_no: participants[u.id].id for u in people},
        )  # fmt: skip

    return make


def hand_in(client, db, competition_id, round_id, text):
    """Start the case round's entry, answer both tasks with `text`, submit; returns the attempt id."""
    response = client.post(f"/competitions/{competition_id}/rounds/{round_id}/start")
    attempt_id = int(response.headers["Location"].rsplit("/", 1)[1])
    for position in (1, 2):
        client.put(
            f"/api/attempts/{attempt_id}/items/{position}", json={"response": f"{text}（第{position}题）"}
        )
    assert client.post(f"/drills/attempts/{attempt_id}/submit").status_code == 302
    return attempt_id


class _FormReader(HTMLParser):
    """What a browser posts for the form with a given id (disabled inputs are not sent, unless `disabled`
    asks for what the page shows in them too)."""

    def __init__(self, form_id, disabled=False):
        super().__init__()
        self.form_id = form_id
        self.disabled = disabled
        self.fields: dict[str, list[str]] = {}
        self.inside = False
        self.select = None  # (name, multiple, [(value, selected)])
        self.textarea = None  # [name, text]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
            return
        if not self.inside or ("disabled" in a and not self.disabled):
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.setdefault(name, []).append(
                a.get("value") or ("on" if a.get("type") == "checkbox" else "")
            )
        elif tag == "select" and name:
            self.select = (name, "multiple" in a, [])
        elif tag == "option" and self.select is not None:
            self.select[2].append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self.select is not None:
            name, multiple, choices = self.select
            chosen = [v for v, selected in choices if selected]
            if not chosen and not multiple and choices:
                chosen = [choices[0][0]]
            self.fields.setdefault(name, []).extend(chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            self.fields.setdefault(name, []).append(text.removeprefix("\n"))
            self.textarea = None


def posted_fields(html: str, form_id: str = "round-form", *, disabled=False) -> dict[str, list[str]]:
    """The page's form as a browser would send it unchanged: {name: [values]}, disabled fields left out
    (or, with `disabled`, the values every field shows, greyed out or not)."""
    reader = _FormReader(form_id, disabled)
    reader.feed(html)
    return reader.fields
