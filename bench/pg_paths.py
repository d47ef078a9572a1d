"""Hot paths on SQLite and PostgreSQL, driven by wrk (#22): floor, saves, board, score events, logins.

    .venv/bin/python -m bench.pg_paths            # both databases, 5 s warm-up + 20 s a phase, ~8 minutes
    .venv/bin/python -m bench.pg_paths --quick    # 1 + 5 s a phase, under 5 minutes for both
    .venv/bin/python -m bench.pg_paths --only postgresql --phases save --duration 600   # the long save run

The load generator is `wrk` (the Debian package: `apt-get install wrk`), with the Lua scripts in
bench/wrk/: a C event loop with CPU to spare, where the Python client of `bench.drills_load` was the limit.
Requests are prepared by Python first (sign-ins, CSRF tokens, open drills, answers), written to a file, and
replayed round robin by wrk; every response is checked for its status (and a save for "saved").

Per database (a temporary SQLite file; a fresh PostgreSQL database beside `--database`, dropped afterwards):
- floor: `bench/floor_app.py` (bare Flask, one upsert into the same kind of database), 32 connections;
- save: 32 signed-in managers, each with an open drill, `PUT /api/attempts/<id>/items/<n>`, 32 connections;
- login: 32 connections posting the sign-in form (argon2 at the configured default);
- board: a provincial competition (5,000 participants, 100 teams, 10,000 events); 16 signed-in
  participants read board.json (top 100, full reads) alone, then with 16 organisers recording scores
  as the manage page's correction form sends them (JSON, `POST …/participants/<id>/corrections`), paced
  1-2 s each ("light"), then flat out ("heavy": score_per_s).

Every phase reports the generator's CPU (wrk's own, from /proc), the servers' and everybody else's, and
WARNs when wrk used 80% or more of its threads: then the generator, not the server, was the limit.
Everything listens on loopback only; processes are stopped by their own pid. The last line is
`RESULT {json}` keyed by database.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import urlencode

from bench import floor_app
from bench.clients import (
    Browser,
    DrillPlan,
    Failed,
    form_csrf,
    join_threads,
    log_in,
    start_drill,
    start_threads,
)
from bench.drills_load import code_version
from bench.leaderboard_load import load as load_competition
from bench.leaderboard_load import log_in as log_in_as
from bench.servers import (
    BENCH_PASSWORD,
    REPO,
    Gunicorn,
    Server,
    _cpu,
    machine_busy_seconds,
    postgres_database,
    prepare_drill,
    require_loopback,
)

SCRIPTS = REPO / "bench" / "wrk"
TARGETS = {  # the issue's, for both databases
    "save_floor_ratio": 1 / 3,
    "save_p99_ms": 100,
    "board_alone_per_s": 830,
    "board_scoring_ratio": 0.8,
    "score_per_s": 300,
    "score_p95_ms": 100,
    "login_per_s": 40,
}
PHASES = ("floor", "save", "login", "board")
GENERATOR_LIMIT = 0.8  # of wrk's threads busy: the generator may be the limit


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.pg_paths", description=__doc__.split("\n")[0])
    add = parser.add_argument
    add("--quick", action="store_true", help="1 s warm-up and 5 s a phase (both databases in < 5 minutes)")
    add("--duration", type=float, help="seconds measured a phase (20; --quick 5)")
    add("--warmup", type=float, help="seconds of warm-up before each phase (5; --quick 1)")
    add("--only", choices=("sqlite", "postgresql"), help="one database only")
    add("--phases", default=",".join(PHASES), help=f"comma-separated among {', '.join(PHASES)}")
    add("--database", default="postgresql://postgres@127.0.0.1:5432/test",
        help="PostgreSQL beside which a throwaway database is made (loopback only)")  # fmt: skip
    add("--connections", type=int, default=32, help="wrk connections for floor, saves, logins (32)")
    add("--readers", type=int, default=16, help="board readers (16)")
    add("--writers", type=int, default=16, help="score writers (16)")
    add("--wrk-threads", type=int, default=2, help="wrk threads (2)")
    add("--workers", type=int, default=2, help="gunicorn workers (2)")
    add("--threads", type=int, default=4, help="gunicorn threads per worker (4)")
    add("--participants", type=int, default=5000, help="competition size (5000)")
    add("--repeat", type=int, default=1, help="measure the save phase this many times in a row (1)")
    add("--host", default="127.0.0.1")
    add("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    args.duration = args.duration or (5.0 if args.quick else 20.0)
    args.warmup = args.warmup if args.warmup is not None else (1.0 if args.quick else 5.0)
    args.phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    unknown = set(args.phases) - set(PHASES)
    if unknown:
        parser.error(f"unknown phase(s): {', '.join(sorted(unknown))}")
    require_loopback(args.host)
    return args


def need_wrk() -> str:
    found = shutil.which("wrk")
    if found is None:
        sys.exit(
            "bench.pg_paths needs wrk, the HTTP load generator: it is a Debian package — "
            "`sudo apt-get install wrk` (or build it from https://github.com/wg/wrk), then run again."
        )
    return found


# --- wrk -------------------------------------------------------------------------------------------


@dataclass
class Load:
    """One wrk process replaying a request file against a server."""

    name: str
    lines: list[str]
    expect: int
    match: str = "-"
    connections: int = 32
    delay: str = "0"  # "lo-hi" ms before each request (paced.lua)


@dataclass
class Measured:
    name: str
    requests: int = 0
    per_s: float = 0.0
    p50_ms: float | None = None
    p95_ms: float | None = None
    p99_ms: float | None = None
    max_ms: float | None = None
    errors: int = 0
    generator_cores: float = 0.0
    server_cores: float | None = None
    other_cores: float | None = None
    warn: str = ""
    extra: dict = field(default_factory=dict)


def _wrk_argv(
    wrk: str, load: Load, port: int, host: str, seconds: float, threads: int, path: Path
) -> list[str]:
    script = SCRIPTS / ("paced.lua" if load.delay != "0" else "replay.lua")
    threads = max(1, min(threads, load.connections))
    url = f"http://{host}:{port}"
    return [
        wrk, "-t", str(threads), "-c", str(load.connections), "-d", f"{max(1, round(seconds))}s",
        "--timeout", "10s", "--latency", "-s", str(script), url,
        "--", str(path), str(load.expect), load.match, load.delay, str(-(-load.connections // threads)),
    ]  # fmt: skip


def run_loads(args, wrk: str, server: Server, loads: list[Load], tmp: Path, seconds: float) -> list[Measured]:
    """Run the loads at once for `seconds`; the figures of each, with CPU accounting."""
    procs = []
    for i, load in enumerate(loads):
        path = tmp / f"{load.name}-{i}.requests"
        path.write_text("\n".join(load.lines) + "\n", encoding="utf-8")
        argv = _wrk_argv(wrk, load, server.port, args.host, seconds, args.wrk_threads, path)
        procs.append(
            subprocess.Popen(argv, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        )
    started = time.monotonic()
    busy0, server0 = machine_busy_seconds(), server.cpu_seconds()
    wrk_cpu = {p.pid: 0.0 for p in procs}
    while any(p.poll() is None for p in procs):  # sample wrk's CPU until it exits (its /proc goes then)
        for p in procs:
            with suppress(OSError):
                wrk_cpu[p.pid] = _cpu(p.pid)
        time.sleep(0.2)
    elapsed = time.monotonic() - started
    busy1, server1 = machine_busy_seconds(), server.cpu_seconds()
    server_cores = None if server0 is None or server1 is None else (server1 - server0) / elapsed
    generator_total = sum(wrk_cpu.values()) / elapsed
    other = None
    if busy0 is not None and busy1 is not None and server_cores is not None:
        other = max(0.0, (busy1 - busy0) / elapsed - server_cores - generator_total)
    results = []
    for load, proc in zip(loads, procs, strict=True):
        out, err = proc.communicate()
        line = next((x for x in out.splitlines() if x.startswith("WRKJSON ")), None)
        if line is None:
            raise RuntimeError(f"wrk gave no figures for {load.name}:\n{out[-800:]}\n{err[-800:]}")
        data = json.loads(line.removeprefix("WRKJSON "))
        socket_errors = data["connect"] + data["read"] + data["write"] + data["timeout"]
        duration = data["duration_us"] / 1e6 or seconds
        good = max(0, data["checked"] - data["bad"])
        cores = wrk_cpu[proc.pid] / elapsed
        measured = Measured(
            load.name, data["requests"], round(good / duration, 1),
            *(round(data[k] / 1000, 1) for k in ("p50_us", "p95_us", "p99_us", "max_us")),
            errors=data["bad"] + socket_errors, generator_cores=round(cores, 2),
            server_cores=None if server_cores is None else round(server_cores, 2),
            other_cores=None if other is None else round(other, 2),
        )  # fmt: skip
        threads = max(1, min(args.wrk_threads, load.connections))
        if cores >= GENERATOR_LIMIT * threads:
            measured.warn = (
                f"WARN: wrk used {cores:.2f} of its {threads} threads: the generator may be the limit"
            )
        bad = [x.removeprefix("FIRSTBAD ") for x in out.splitlines() if x.startswith("FIRSTBAD ")]
        if bad:
            measured.extra["first_bad"] = bad[0][:200]
        results.append(measured)
    return results


def phase(args, wrk, server, loads, tmp) -> list[Measured]:
    if args.warmup > 0:
        run_loads(args, wrk, server, loads, tmp, args.warmup)
    return run_loads(args, wrk, server, loads, tmp, args.duration)


def line(method: str, path: str, headers: dict[str, str], body: str = "") -> str:
    # The User-Agent of bench.clients.Browser: Flask-Login's "strong" session protection ties a session to
    # the address and User-Agent it signed in with, and drops it on any other.
    headers = {"User-Agent": "drill-bench", **headers}
    pairs = "\x01".join(f"{k}: {v}" for k, v in headers.items())
    return f"{method}\t{path}\t{pairs}\t{body}"


def cookie(browser: Browser) -> str:
    return "; ".join(f"{k}={v}" for k, v in browser.cookies.items())


# --- the servers under test ----------------------------------------------------------------------


@contextmanager
def database(kind: str, args, tmp: Path, name: str):
    if kind == "sqlite":
        yield f"sqlite:///{tmp / (name + '.sqlite')}"
    else:
        with postgres_database(args.database) as url:
            yield url


def gunicorn(args) -> Gunicorn:
    return Gunicorn(workers=args.workers, threads=args.threads)


def floor_phase(args, wrk, kind, tmp) -> list[Measured]:
    with database(kind, args, tmp, "floor") as url:
        target = url if kind == "postgresql" else url.removeprefix("sqlite:///")
        floor_app.prepare(target)
        server = Server(
            "bench.floor_app:create_app()", {"BENCH_FLOOR_DATABASE": target}, args.host, gunicorn(args),
            tmp / f"floor-{kind}.log",
        )  # fmt: skip
        server.start("/health")
        try:
            body = json.dumps({"response": "B"})
            lines = [
                line("PUT", f"/rows/{k}", {"Content-Type": "application/json"}, body) for k in range(1, 321)
            ]
            return phase(args, wrk, server, [Load("floor", lines, 200, "saved", args.connections)], tmp)
        finally:
            server.stop()


def drill_phases(args, wrk, kind, tmp) -> tuple[list[Measured], int]:
    """save and login against drill with one manager per connection. Also the failures while preparing."""
    out, failures = [], 0
    with database(kind, args, tmp, "drill") as url:
        prepare_drill(url, args.connections)
        env = {"DRILL_DATABASE_URL": url, "DRILL_SECRET_KEY": secrets.token_hex(32)}
        server = Server("drill:create_app()", env, args.host, gunicorn(args), tmp / f"drill-{kind}.log")
        server.start("/login")
        browsers = [Browser(args.host, server.port, 30, 10_000) for _ in range(args.connections)]
        try:
            if "save" in args.phases:
                done = [False] * len(browsers)
                drills = [None] * len(browsers)

                def ready(i: int) -> None:
                    if log_in(browsers[i], i):
                        with suppress(Failed, ValueError):
                            drills[i] = start_drill(browsers[i], DrillPlan(minutes=240), random.Random(i))
                    done[i] = True

                join_threads(
                    start_threads([partial(ready, i) for i in range(len(browsers))]),
                    time.perf_counter() + 300,
                )
                lines = []
                for browser, drill in zip(browsers, drills, strict=True):
                    if drill is None:
                        failures += 1
                        continue
                    headers = {
                        "Content-Type": "application/json",
                        "Cookie": cookie(browser),
                        **drill.save_headers,
                    }
                    path = f"/api/attempts/{drill.attempt_id}/items/"
                    for position, response in drill.answers:
                        body = json.dumps({"response": response}, ensure_ascii=False)
                        lines.append(line("PUT", f"{path}{position}", headers, body))
                random.Random(args.seed).shuffle(lines)
                for run in range(args.repeat if lines else 0):  # again and again over the same rows
                    name = "save" if run == 0 else f"save {run + 1}"
                    load = Load(name, lines, 200, '"saved"', args.connections)
                    out += (
                        phase(args, wrk, server, [load], tmp)
                        if run == 0
                        else run_loads(args, wrk, server, [load], tmp, args.duration)
                    )
                    if kind == "postgresql":
                        out[-1].extra["attempt_items"] = hot_updates(url)
                    print(table(kind, out[-1:]).splitlines()[-1], flush=True)
            if "login" in args.phases:
                lines = []
                for i in range(args.connections):
                    anonymous = Browser(args.host, server.port, 30, 10)
                    try:
                        _s, _h, page = anonymous.request("login page", "GET", "/login")
                        form = {
                            "employee_no": f"b{i + 1:04d}",
                            "password": BENCH_PASSWORD,
                            "csrf_token": form_csrf(page),
                        }
                    except (Failed, ValueError):
                        failures += 1
                        continue
                    finally:
                        anonymous.close()
                    headers = {
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Cookie": cookie(anonymous),
                    }
                    lines.append(line("POST", "/login", headers, urlencode(form)))
                out += phase(args, wrk, server, [Load("login", lines, 302, "-", args.connections)], tmp)
        finally:
            for browser in browsers:
                browser.close()
            server.stop()
    return out, failures


def board_phases(args, wrk, kind, tmp) -> tuple[list[Measured], int]:
    out, failures = [], 0
    with database(kind, args, tmp, "board") as url:
        load_competition(url, args.participants, 100, args.writers, args.seed)
        env = {"DRILL_DATABASE_URL": url, "DRILL_SECRET_KEY": secrets.token_hex(32)}
        server = Server("drill:create_app()", env, args.host, gunicorn(args), tmp / f"board-{kind}.log")
        server.start("/login")
        readers = [Browser(args.host, server.port, 30, 10_000) for _ in range(args.readers)]
        writers = [Browser(args.host, server.port, 30, 10_000) for _ in range(args.writers)]
        try:
            logins = [partial(log_in_as, b, f"p{i + 1:05d}") for i, b in enumerate(readers)]
            logins += [partial(log_in_as, b, f"w{i + 1:03d}") for i, b in enumerate(writers)]
            join_threads(start_threads(logins), time.perf_counter() + 300)
            board = "/competitions/1/board.json?limit=100"
            reads = [line("GET", board, {"Cookie": cookie(b)}) for b in readers if b.cookies]
            rng, scores = random.Random(args.seed), []
            for browser in writers:
                try:
                    _s, _h, page = browser.request("page", "GET", "/competitions/1")
                    token = form_csrf(page)
                except (Failed, ValueError):
                    failures += 1
                    continue
                headers = {
                    "Content-Type": "application/json",
                    "Accept": "application/json",
                    "X-CSRFToken": token,
                    "Cookie": cookie(browser),
                }
                for _ in range(50):  # what the manage page's correction form sends (correct.js)
                    body = {"round": 3, "score": f"{rng.uniform(50, 100):.2f}", "reason": "评委现场打分"}
                    pid = rng.randint(1, args.participants)
                    path = f"/competitions/1/participants/{pid}/corrections"
                    scores.append(line("POST", path, headers, json.dumps(body, ensure_ascii=False)))
            failures += args.readers - len(reads)
            for browser in readers[: args.workers * 2]:  # build each worker's board (a rebuild) unmeasured
                with suppress(Failed):
                    browser.request("warm", "GET", board)
            reading = Load("board alone", reads, 200, '"individual"', len(reads))
            out += phase(args, wrk, server, [reading], tmp)
            light = Load("score light", scores, 201, '"recorded"', args.writers, delay="1000-2000")
            read_light = Load("board light", reads, 200, '"individual"', len(reads))
            out += phase(args, wrk, server, [read_light, light], tmp)
            heavy = Load("score", scores, 201, '"recorded"', args.writers)
            read_heavy = Load("board heavy", reads, 200, '"individual"', len(reads))
            out += phase(args, wrk, server, [read_heavy, heavy], tmp)
        finally:
            for browser in readers + writers:
                browser.close()
            server.stop()
    return out, failures


def hot_updates(url: str) -> dict:
    """PostgreSQL's count of updates of attempt_items, how many were HOT (in place, no index entries), and
    the dead row versions left: whether a long run of saves stays fast (#22)."""
    import psycopg

    time.sleep(1.5)  # backends report their counts at most once a second
    with psycopg.connect(url, autocommit=True) as connection:
        row = connection.execute(
            "SELECT n_tup_upd, n_tup_hot_upd, n_dead_tup, n_live_tup FROM pg_stat_user_tables "
            "WHERE relname = 'attempt_items'"
        ).fetchone()
    updated, hot, dead, live = row or (0, 0, 0, 0)
    return {"updated": updated, "hot": hot, "hot_share": round(hot / updated, 3) if updated else None,
            "dead": dead, "live": live}  # fmt: skip


# --- the report ------------------------------------------------------------------------------------


def run_database(args, wrk: str, kind: str) -> tuple[list[Measured], dict]:
    measured, failures = [], 0
    with tempfile.TemporaryDirectory(prefix="drill-pg-paths-") as tmp_name:
        tmp = Path(tmp_name)
        if "floor" in args.phases:
            measured += floor_phase(args, wrk, kind, tmp)
        if "save" in args.phases or "login" in args.phases:
            found, failed = drill_phases(args, wrk, kind, tmp)
            measured, failures = measured + found, failures + failed
        if "board" in args.phases:
            found, failed = board_phases(args, wrk, kind, tmp)
            measured, failures = measured + found, failures + failed
    return measured, summary(measured, failures)


def summary(measured: list[Measured], failures: int) -> dict:
    by = {m.name: m for m in measured}

    def get(name, attr):
        return getattr(by[name], attr) if name in by else None

    alone, heavy, light = (
        get("board alone", "per_s"),
        get("board heavy", "per_s"),
        get("board light", "per_s"),
    )
    return {
        "floor_per_s": get("floor", "per_s"),
        "save_per_s": get("save", "per_s"),
        "save_p95_ms": get("save", "p95_ms"),
        "save_p99_ms": get("save", "p99_ms"),
        "save_floor_ratio": round(by["save"].per_s / by["floor"].per_s, 3)
        if {"save", "floor"} <= set(by)
        else None,
        "board_alone_per_s": alone,
        "board_light_ratio": round(light / alone, 3) if alone and light is not None else None,
        "board_scoring_ratio": round(heavy / alone, 3) if alone and heavy is not None else None,
        "score_per_s": get("score", "per_s"),
        "score_p95_ms": get("score", "p95_ms"),
        "login_per_s": get("login", "per_s"),
        "errors": sum(m.errors for m in measured) + failures,
        "generator_cores": max((m.generator_cores for m in measured), default=None),
        "generator_limited": any(m.warn for m in measured),
        "save_hot_share": by["save"].extra.get("attempt_items", {}).get("hot_share")
        if "save" in by
        else None,
    }


def verdict(result: dict) -> list[str]:
    checks = [
        ("save ÷ floor ≥ 1/3", result["save_floor_ratio"], lambda v: v >= TARGETS["save_floor_ratio"]),
        ("save p99 < 100 ms", result["save_p99_ms"], lambda v: v < TARGETS["save_p99_ms"]),
        ("board alone ≥ 830/s", result["board_alone_per_s"], lambda v: v >= TARGETS["board_alone_per_s"]),
        (
            "board heavy ÷ alone ≥ 0.8",
            result["board_scoring_ratio"],
            lambda v: v >= TARGETS["board_scoring_ratio"],
        ),
        ("scores ≥ 300/s", result["score_per_s"], lambda v: v >= TARGETS["score_per_s"]),
        ("score p95 < 100 ms", result["score_p95_ms"], lambda v: v < TARGETS["score_p95_ms"]),
        ("logins ≥ 40/s", result["login_per_s"], lambda v: v >= TARGETS["login_per_s"]),
        ("no errors", result["errors"], lambda v: v == 0),
    ]
    return [f"  {'met ' if ok(v) else 'MISS'} {name}: {v}" for name, v, ok in checks if v is not None]


def table(kind: str, measured: list[Measured]) -> str:
    head = (
        "| db | path | req/s | p50 ms | p95 ms | p99 ms | errors | wrk cores | server cores | other cores |"
    )
    rows = [head, "|" + "---|" * 10]
    for m in measured:
        rows.append(
            f"| {kind} | {m.name} | {m.per_s:,.0f} | {m.p50_ms} | {m.p95_ms} | {m.p99_ms} | {m.errors} "
            f"| {m.generator_cores} | {m.server_cores} | {m.other_cores} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    # A SIGTERM unwinds like Ctrl-C, so that every server and database this run made is stopped and dropped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    args = arguments(argv)
    wrk = need_wrk()
    kinds = [args.only] if args.only else ["sqlite", "postgresql"]
    results, started = {}, time.monotonic()
    print(f"{gunicorn(args).describe()}; wrk -t{args.wrk_threads}; warm-up {args.warmup:g} s, "
          f"{args.duration:g} s a phase; {os.cpu_count()} CPUs", flush=True)  # fmt: skip
    for kind in kinds:
        measured, result = run_database(args, wrk, kind)
        results[kind] = result
        print(table(kind, measured))
        for m in measured:
            if m.warn:
                print(f"{kind} {m.name}: {m.warn}")
            if m.extra.get("attempt_items"):
                print(f"{kind} {m.name}: attempt_items updates {m.extra['attempt_items']}")
            if m.extra.get("first_bad"):
                print(f"{kind} {m.name}: a wrong response: {m.extra['first_bad']}")
        print("\n".join(verdict(result)), flush=True)
    print(f"({time.monotonic() - started:.0f} s; commit {code_version().get('commit', '?')[:10]})")
    print("RESULT " + json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
