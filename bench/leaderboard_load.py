"""Load benchmark of competition leaderboards: board reads alone, then while scores keep arriving.

    .venv/bin/python -m bench.leaderboard_load --duration 20

Starts everything itself, on loopback only: a fresh database (a temporary SQLite file, or with
`--database postgresql://postgres@127.0.0.1:5432/test` a fresh PostgreSQL database beside that one, dropped
afterwards) loaded directly with a provincial competition — 5,000 participants in 100 teams, three rounds,
every written and case score already in (10,000 score events) — and drill under gunicorn.

Phase "alone": 16 readers (participants, signed in) fetch the board's JSON as fast as they can, each
request a full read (no If-None-Match), top 100 individuals and every team. Phase "scoring": the same
readers while 16 writers (organisers, signed in) record judged-round scores through the app's own form
and code path (`/competitions/<id>/participants/<pid>/correct` → `events.record`), each a new score event
every `--writer-think` seconds. Reports throughput and p95 of both phases and the ratio of the readers'
throughput, scoring / alone (target ≥ 0.80), and writes JSON under bench/results/. Every loop is bounded
in time and in requests.
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import sys
import tempfile
import time
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from bench.clients import Browser, Failed, Think, form_csrf, join_threads, start_threads
from bench.drills_load import bounded, code_version, think_range
from bench.phases import measure
from bench.report import table
from bench.servers import (
    BENCH_PASSWORD,
    REPO,
    Gunicorn,
    NotLoopback,
    Server,
    postgres_database,
    require_loopback,
)

TARGET_RATIO = 0.80
READERS = WRITERS = 16


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.leaderboard_load", description=__doc__.split("\n")[0]
    )
    add = parser.add_argument
    add("--participants", type=bounded(100, 50_000), default=5000, help="participants (5000)")
    add("--teams", type=bounded(1, 1000), default=100, help="teams, i.e. branches (100)")
    add("--readers", type=bounded(1, 64), default=READERS, help="board readers (16)")
    add("--writers", type=bounded(1, 64), default=WRITERS, help="score writers (16)")
    add("--writer-think", type=think_range, default=Think(1.0, 2.0),
        help="pause before each score a writer records, LOW-HIGH s (1-2: ~10 scores a second)")  # fmt: skip
    add("--conditional", action="store_true", help="readers send If-None-Match, as the live page does")
    add("--duration", type=bounded(1, 600), default=20, help="measured seconds per phase (20)")
    add("--warmup", type=bounded(0, 60), default=5, help="unmeasured seconds before each phase (5)")
    add("--host", default="127.0.0.1", help="loopback address to serve on")
    add("--database", help="postgresql://USER@127.0.0.1:5432/DB: run on a fresh PostgreSQL database")
    add("--workers", type=bounded(1, 16), default=2, help="gunicorn workers (2)")
    add("--threads", type=bounded(1, 64), default=8, help="gunicorn threads per worker (8)")
    add("--timeout", type=bounded(1, 60), default=10, help="seconds before a request counts as failed (10)")
    add("--max-requests", type=bounded(1, 1_000_000), default=200_000, help="per client and run")
    add("--results", type=Path, default=REPO / "bench" / "results", help="where the JSON goes")
    add("--wait-quiet", type=bounded(0, 600), default=0, metavar="SECONDS",
        help="before each phase, wait this long at most for the machine to go quiet (0)")  # fmt: skip
    add("--seed", type=int, default=20261128)
    add("--check", action="store_true", help="exit 1 when the ratio target is missed")
    args = parser.parse_args(argv)
    try:
        require_loopback(args.host)
        if args.database:
            from urllib.parse import urlsplit

            require_loopback(urlsplit(args.database).hostname, "database host")
    except NotLoopback as error:
        parser.error(str(error))
    return args


# --- loading the competition, row by row in bulk -----------------------------------------------------


def _rows(participants: int, teams: int, staff: int, password_hash: str, now: datetime, rng) -> dict:
    """Every row of the competition, as dictionaries for one executemany per table."""
    user = {"password_hash": password_hash, "locale": "zh_CN", "active": True, "created_at": now}
    people = [
        {
            **user,
            "id": i + 1,
            "employee_no": f"p{i + 1:05d}",
            "name": f"选手{i + 1}",
            "branch_id": 2 + i % teams,
            "category": "personal",
            "level": "junior",
        }
        for i in range(participants)
    ]
    scorers = [
        {
            **user,
            "id": participants + w + 1,
            "employee_no": f"w{w + 1:03d}",
            "name": f"记分员{w + 1}",
            "branch_id": 1,
        }
        for w in range(staff)
    ]
    round_defaults = {
        "competition_id": 1,
        "time_limit_minutes": 30,
        "speed_bonus": False,
        "speed_floor": 0.8,
        "peer_weight": 1.0,
        "judge_weight": 0.0,
        "disagreement": 20.0,
        "qualify_per_branch": False,
    }
    kinds = [("written", "笔试", 30), ("case", "案例分析", 40), ("judged", "情景模拟", 30)]
    events = []
    for round_id in (1, 2):
        for i in range(participants):
            done = now - timedelta(hours=3 - round_id, seconds=rng.randint(0, 3600))
            events.append(
                {
                    "competition_id": 1,
                    "seq": len(events) + 1,
                    "round_id": round_id,
                    "participant_id": i + 1,
                    "score": round(rng.uniform(40, 100), 2),
                    "completed_at": done,
                    "recorded_at": done,
                    "reason": "loaded by the benchmark",
                }
            )
    return {
        "branches": [{"id": 1, "code": "HQ", "name": "省联社", "kind": "head_office", "path": "/1/"}]
        + [
            {
                "id": 2 + t,
                "code": f"B{t:03d}",
                "name": f"第{t + 1}支行",
                "kind": "branch",
                "parent_id": 1,
                "path": f"/1/{2 + t}/",
            }
            for t in range(teams)
        ],
        "users": people + scorers,
        "roles": [{"user_id": u["id"], "role": "manager"} for u in people]
        + [{"user_id": u["id"], "role": "trainer"} for u in scorers],
        "competition": {
            "id": 1,
            "title": "全省客户经理技能竞赛",
            "state": "open",
            "team_rule": "mean",
            "reviews_per_entry": 3,
            "separate_branches": False,
            "event_seq": len(events),
            "config_version": 1,
            "created_by_id": participants + 1,
            "created_at": now,
        },
        "rounds": [
            {
                **round_defaults,
                "id": r + 1,
                "kind": kind,
                "title": title,
                "weight": weight,
                "position": r + 1,
                "state": "open" if kind == "judged" else "closed",
                "seed": r,
            }
            for r, (kind, title, weight) in enumerate(kinds)
        ],
        "participants": [
            {"id": i + 1, "competition_id": 1, "user_id": i + 1, "team_id": 2 + i % teams}
            for i in range(participants)
        ],
        "events": events,
    }


def load(url: str, participants: int, teams: int, staff: int, seed: int) -> dict:
    """Schema from the models, then one executemany per table. Returns what was loaded."""
    from argon2 import PasswordHasher
    from sqlalchemy import insert, text

    from drill import create_app
    from drill.accounts.models import Branch, User, UserRole
    from drill.competitions.models import Competition, Participant, Round, ScoreEvent
    from drill.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_hex(16)})
    # One hash shared by every bench account: argon2 for each of 5,000 rows would take minutes.
    rows = _rows(
        participants,
        teams,
        staff,
        PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1).hash(BENCH_PASSWORD),  # drill's default
        datetime.now(UTC),
        random.Random(seed),
    )
    with app.app_context():
        db.create_all()
        tables = [
            (Branch, "branches"),
            (User, "users"),
            (UserRole, "roles"),
            (Competition, "competition"),
            (Round, "rounds"),
            (Participant, "participants"),
            (ScoreEvent, "events"),
        ]
        for model, key in tables:
            db.session.execute(insert(model), rows[key] if isinstance(rows[key], list) else [rows[key]])
        if db.engine.dialect.name == "postgresql":
            # Events loaded with their numbers: the sequence that numbers new ones starts past them (as
            # migration 0021 does for an upgraded database), and the id sequences past the loaded ids.
            db.session.execute(text("SELECT setval('score_event_seq', (SELECT max(seq) FROM score_events))"))
            for table in ("branches", "users", "user_roles", "competitions", "competition_rounds",
                          "competition_participants", "score_events"):  # fmt: skip
                serial = f"pg_get_serial_sequence('{table}', 'id')"
                db.session.execute(text(f"SELECT setval({serial}, (SELECT max(id) FROM {table}))"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return {"participants": participants, "teams": teams, "events": len(rows["events"]), "writers": staff}


# --- the clients -----------------------------------------------------------------------------------


def log_in(browser: Browser, number: str, tries: int = 3) -> bool:
    for _ in range(tries):
        try:
            _status, _headers, page = browser.request("login page", "GET", "/login")
            form = {"employee_no": number, "password": BENCH_PASSWORD, "csrf_token": form_csrf(page)}
            browser.request("login", "POST", "/login", form=form, expect=302)
            return True
        except (Failed, ValueError):
            time.sleep(0.2)
    return False


def read_board(browser: Browser, conditional: bool, until: float) -> None:
    """Fetch the board's JSON again and again until `until` (a full read unless `conditional`)."""
    etag = None
    while time.perf_counter() < until and browser.left > 0:
        headers = {"If-None-Match": etag} if conditional and etag else {}
        try:
            _status, got, _body = browser.request(
                "board", "GET", "/competitions/1/board.json?limit=100", headers=headers,
                expect=304 if etag and conditional else 200,
            )  # fmt: skip
            etag = got.get("ETag", etag)
        except Failed:
            if conditional:
                etag = None  # a 200 where a 304 was hoped for: the board changed; read it next time
            else:
                time.sleep(0.05)


def write_scores(browser: Browser, participants: int, think: Think, rng: random.Random, until: float) -> None:
    """Record a judged-round score for a random participant, through the organiser's correction form."""
    token, written = None, 0
    while time.perf_counter() < until and browser.left > 0:
        try:
            if token is None:
                _status, _headers, page = browser.request("page", "GET", "/competitions/1")
                token = form_csrf(page)
            think.pause(rng, until)
            if time.perf_counter() >= until:
                return
            form = {"fix-csrf_token": token, "fix-round": 3, "fix-score": f"{rng.uniform(50, 100):.2f}",
                    "fix-reason": "评委现场打分"}  # fmt: skip
            pid = rng.randint(1, participants)
            browser.request(
                "score", "POST", f"/competitions/1/participants/{pid}/correct", form=form, expect=302
            )
            written += 1
            if written % 10 == 0:  # a page now and then, as an organiser would look: it shows the flashes
                browser.request("page", "GET", "/competitions/1")
        except (Failed, ValueError):
            token = None
            time.sleep(0.1)


# --- the run ---------------------------------------------------------------------------------------


@contextmanager
def database(args: argparse.Namespace, tmp: Path):
    if args.database:
        with postgres_database(args.database) as url:
            yield url
    else:
        yield f"sqlite:///{tmp / 'leaderboard.sqlite'}"


def run(args: argparse.Namespace, tmp: Path, url: str) -> dict:
    gunicorn = Gunicorn(workers=args.workers, threads=args.threads)
    env = {"DRILL_DATABASE_URL": url, "DRILL_SECRET_KEY": secrets.token_hex(32)}
    server = Server("drill:create_app()", env, args.host, gunicorn, tmp / "drill.log")
    server.start("/login")
    readers = [Browser(args.host, server.port, args.timeout, args.max_requests) for _ in range(args.readers)]
    writers = [Browser(args.host, server.port, args.timeout, args.max_requests) for _ in range(args.writers)]
    try:
        started = time.perf_counter()
        logins = [partial(log_in, b, f"p{i + 1:05d}") for i, b in enumerate(readers)]
        logins += [partial(log_in, b, f"w{i + 1:03d}") for i, b in enumerate(writers)]
        join_threads(start_threads(logins), started + 120)
        # One unmeasured read builds each worker's board (a rebuild: ~10,000 events).
        for browser in readers[: args.workers * 2]:
            with suppress(Failed):
                browser.request("warm", "GET", "/competitions/1/board.json?limit=100")

        def reader(browser: Browser, _index: int, until: float) -> None:
            read_board(browser, args.conditional, until)

        alone = measure("alone", ["board"], args, server, readers, reader)

        def either(browser: Browser, index: int, until: float) -> None:
            if index < len(readers):
                read_board(browser, args.conditional, until)
            else:
                write_scores(
                    browser, args.participants, args.writer_think, random.Random(args.seed + index), until
                )

        scoring = measure("scoring", ["board", "score"], args, server, readers + writers, either)
    finally:
        server.stop()
        for browser in readers + writers:
            browser.close()
    failed = [s for b in readers + writers for s in b.samples if not s.ok and s.kind != "board"]
    read_alone, read_scoring = alone.get("board"), scoring.get("board")
    ratio = read_scoring.throughput / read_alone.throughput if read_alone.throughput else 0.0
    return {
        "alone": alone,
        "scoring": scoring,
        "ratio": round(ratio, 3),
        "ratio_met": ratio >= TARGET_RATIO,
        "write_errors": len(failed),
        "server": gunicorn.describe(),
        "log_tail": server.log_tail() if failed else "",
    }


def settings(args: argparse.Namespace, server: str, kind: str) -> dict:
    return {
        "participants": args.participants,
        "teams": args.teams,
        "readers": args.readers,
        "writers": args.writers,
        "writer_think_s": [args.writer_think.low, args.writer_think.high],
        "conditional": args.conditional,
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "server": server,
        "database": kind,
    }


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    kind = "postgresql" if args.database else "sqlite"
    print(
        f"leaderboard load benchmark: {args.participants} participants in {args.teams} teams, {args.readers} "
        f"readers, {args.writers} writers (think {args.writer_think.low}-{args.writer_think.high} s), "
        f"{args.warmup}+{args.duration} s a phase, drill on {kind}",
        flush=True,
    )
    with (
        tempfile.TemporaryDirectory(prefix="drill-bench-") as tmp_name,
        database(args, Path(tmp_name)) as url,
    ):
        began = time.perf_counter()
        loaded = load(url, args.participants, args.teams, args.writers, args.seed)
        print(f"loaded {loaded['events']} score events in {time.perf_counter() - began:.1f} s", flush=True)
        outcome = run(args, Path(tmp_name), url)
    rows = [(p.name, f) for p in (outcome["alone"], outcome["scoring"]) for f in p.figures]
    print()
    print(table(rows))
    print()
    for phase in (outcome["alone"], outcome["scoring"]):
        print(f"{phase.name}: CPU cores used {phase.cpu}; errors in the whole phase {phase.errors}")
    mark = "met" if outcome["ratio_met"] else "MISSED"
    print(f"board reads while scoring / alone: {outcome['ratio']:.3f} (target >= {TARGET_RATIO:.2f}): {mark}")
    if outcome["log_tail"]:
        print("server log, last lines:\n" + outcome["log_tail"])
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join([".venv/bin/python", "-m", "bench.leaderboard_load", *sys.argv[1:]]),
        "settings": settings(args, outcome["server"], kind),
        "code": code_version(),
        "loaded": loaded,
        "phases": {
            p.name: {"requests": {f.kind: f.as_dict() for f in p.figures}, "cpu": p.cpu, "errors": p.errors}
            for p in (outcome["alone"], outcome["scoring"])
        },
        "ratio": outcome["ratio"],
        "ratio_met": outcome["ratio_met"],
        "write_errors": outcome["write_errors"],
    }
    args.results.mkdir(parents=True, exist_ok=True)
    out = args.results / f"leaderboard-{kind}-{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(f"written: {out.relative_to(REPO) if out.is_relative_to(REPO) else out}")
    return 1 if args.check and not outcome["ratio_met"] else 0


if __name__ == "__main__":
    sys.exit(main())
