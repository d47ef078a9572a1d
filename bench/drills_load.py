"""Load benchmark of timed drills: the answer-save path against a Flask + SQLite floor.

    .venv/bin/python -m bench.drills_load --clients 32 --duration 20

Starts everything itself, on loopback only: a fresh database (a temporary SQLite file, or with
`--database postgresql://postgres@127.0.0.1:5432/test` a fresh PostgreSQL database beside that one,
dropped afterwards); drill under gunicorn with the shipped question banks and one bench user per client;
and the floor (bench/floor_app.py) under the same gunicorn settings. Then three phases (bench/phases.py):
the floor hammered; the save path alone; the whole manager flow. Prints a table and the verdict against
the issue's targets, and writes JSON under bench/results/. Every loop is bounded in time and count.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from bench.clients import Think
from bench.phases import QUIET_CORES, DrillRun, Phase, run_drill, run_floor
from bench.report import table, verdict, verdict_lines
from bench.servers import REPO, Gunicorn, NotLoopback, postgres_database, prepare_drill, require_loopback


def think_range(text: str) -> Think:
    low, _, high = text.partition("-")
    try:
        think = Think(float(low), float(high or low))
    except ValueError as error:
        raise argparse.ArgumentTypeError("think is LOW-HIGH seconds, e.g. 0-0.2, or one number") from error
    if not 0 <= think.low <= think.high <= 10:
        raise argparse.ArgumentTypeError("think must be LOW-HIGH seconds, 0 <= LOW <= HIGH <= 10")
    return think


def bounded(low: int, high: int):
    def parse(text: str) -> int:
        value = int(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
        return value

    return parse


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.drills_load", description=__doc__.split("\n")[0])
    add = parser.add_argument
    add("--clients", type=bounded(1, 256), default=32, help="concurrent clients (32)")
    add("--duration", type=bounded(1, 600), default=20, help="measured seconds per phase (20)")
    add("--warmup", type=bounded(0, 60), default=5, help="unmeasured seconds before each phase (5)")
    add("--think", type=think_range, default=Think(0.0, 0.0),
        help="pause before each request of the floor and saves phases, LOW-HIGH s (0)")  # fmt: skip
    add("--flow-think", type=think_range, default=Think(0.0, 0.2),
        help="pause before each answer and submit in the flow phase, LOW-HIGH s (0-0.2)")  # fmt: skip
    add("--host", default="127.0.0.1", help="loopback address to serve on: 127.0.0.1, localhost or ::1")
    add("--database", help="postgresql://USER@127.0.0.1:5432/DB: run drill on a fresh PostgreSQL database")
    add("--schema", choices=["models", "migrations"], default="models",
        help="drill's tables from the models (default) or from the migrations")  # fmt: skip
    add("--workers", type=bounded(1, 16), default=2, help="gunicorn workers (2)")
    add("--threads", type=bounded(1, 64), default=4, help="gunicorn threads per worker (4)")
    add("--pack", default="", help="draw from this pack slug only (default: any)")
    add("--questions", type=bounded(1, 100), default=10, help="questions per drill (10)")
    add("--timeout", type=bounded(1, 60), default=10, help="seconds before a request counts as failed (10)")
    add("--max-requests", type=bounded(1, 1_000_000), default=100_000, help="per client and run")
    add("--wait-quiet", type=bounded(0, 600), default=0, metavar="SECONDS",
        help="before each phase, wait up to this long for other processes to leave the CPU (0)")  # fmt: skip
    add("--phase", choices=["all", "floor", "drill", "saves"], default="all",
        help="all; the floor only; drill only (saves and flow); drill's saves phase only")  # fmt: skip
    add("--results", type=Path, default=REPO / "bench" / "results", help="where the JSON goes")
    add("--seed", type=int, default=20261128)
    add("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    try:
        require_loopback(args.host)
        if args.database:
            from urllib.parse import urlsplit

            require_loopback(urlsplit(args.database).hostname, "database host")
    except NotLoopback as error:
        parser.error(str(error))
    return args


@contextmanager
def drill_database(args: argparse.Namespace, tmp: Path):
    if args.database:
        with postgres_database(args.database) as url:
            yield url
    else:
        yield f"sqlite:///{tmp / 'drill.sqlite'}"


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    gunicorn = Gunicorn(workers=args.workers, threads=args.threads)
    database = "postgresql" if args.database else "sqlite"
    floor = drill = prepared = None
    print(
        f"drill load benchmark: {args.clients} clients, {args.warmup}+{args.duration} s a phase, "
        f"think {args.think.low}-{args.think.high} s (flow {args.flow_think.low}-{args.flow_think.high} s), "
        f"{gunicorn.describe()}, drill on {database}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="drill-bench-") as tmp_name:
        tmp = Path(tmp_name)
        if args.phase in ("all", "floor"):
            print("floor: Flask + SQLite, one upsert a request ...", flush=True)
            floor = run_floor(args, tmp, gunicorn)
        if args.phase in ("all", "drill", "saves"):
            with drill_database(args, tmp) as url:
                print(f"drill: preparing {database} (schema from {args.schema}, question banks, users) ...",
                      flush=True)  # fmt: skip
                prepared = prepare_drill(url, users=args.clients, schema=args.schema)
                print("drill: log in, then the saves phase, then the flow phase ...", flush=True)
                drill = run_drill(args, tmp, gunicorn, url, flow=args.phase != "saves")
    result = summarise(args, gunicorn, floor, drill, prepared)
    print_summary(result, floor, drill)
    args.results.mkdir(parents=True, exist_ok=True)
    out = args.results / f"drills-{database}-{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(f"written: {out.relative_to(REPO) if out.is_relative_to(REPO) else out}")
    met = "verdict" in result and all(v for k, v in result["verdict"].items() if k.endswith("_met"))
    return 1 if args.check and not met else 0


def phase_dict(phase: Phase) -> dict:
    return {
        "requests": {f.kind: f.as_dict() for f in phase.figures},
        "all_requests_rps": round(sum(f.throughput for f in phase.figures), 1),
        "cpu": phase.cpu,
        "errors_whole_phase": phase.errors,
        "stuck_clients": phase.stuck,
        **phase.notes,
    }


def summarise(args, gunicorn: Gunicorn, floor: Phase | None, drill: DrillRun | None, prepared) -> dict:
    phases = [p for p in (floor, *((drill.saves, drill.flow) if drill else ())) if p]
    busy = [p.cpu.get("other_processes_cores") for p in phases]
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join([".venv/bin/python", "-m", "bench.drills_load", *sys.argv[1:]]),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
            "other_processes_cores": busy,
            "quiet": all(b is not None and b <= QUIET_CORES for b in busy),
        },
        "settings": {
            "clients": args.clients,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "think_s": [args.think.low, args.think.high],
            "flow_think_s": [args.flow_think.low, args.flow_think.high],
            "wait_quiet_s": args.wait_quiet,
            "questions": args.questions,
            "pack": args.pack,
            "server": gunicorn.describe(),
            "database": "postgresql" if args.database else "sqlite",
        },
        "code": code_version(),
        "prepared": prepared,
        "phases": {p.name: phase_dict(p) for p in phases},
    }
    if drill:
        result["login"] = {**drill.login.as_dict(), "logged_in_with_a_drill": drill.logged_in}
        result["drill_errors_total"] = drill.errors
        result["server_log_tail"] = drill.log_tail.splitlines()
    if floor and drill:
        errors = floor.errors + drill.errors + (args.clients - drill.logged_in)
        result["verdict"] = verdict(drill.saves.get("save"), floor.get("floor save"), errors)
        result["verdict"]["flow_save_p95_ms"] = drill.flow.get("save").p95_ms if drill.flow else None
    return result


def code_version() -> dict:
    """The commit measured, and whether drill's files differed from it (work in progress)."""

    def git(*argv: str) -> str:
        done = subprocess.run(["git", *argv], cwd=REPO, capture_output=True, text=True, timeout=10)
        return done.stdout.strip()

    try:
        return {
            "commit": git("rev-parse", "HEAD"),
            "dirty": bool(git("status", "--porcelain", "drill", "templates", "migrations")),
        }
    except (OSError, subprocess.SubprocessError):
        return {}


def print_summary(result: dict, floor: Phase | None, drill: DrillRun | None) -> None:
    rows = []
    if floor:
        rows += [("floor", f) for f in floor.figures]
    if drill:
        rows += [("setup", drill.login)] + [
            (p.name, f) for p in (drill.saves, drill.flow) if p for f in p.figures
        ]
    print()
    print(table(rows))
    print()
    for phase in [p for p in (floor, *((drill.saves, drill.flow) if drill else ())) if p]:
        print(f"{phase.name}: CPU cores used {phase.cpu}; errors in the whole phase {phase.errors}")
    for name, row in rows:
        for error, count in row.error_kinds.items():
            print(f"  {name} {row.kind}: {count} x {error}")
    if drill and drill.log_tail:
        print("drill's server log, last lines:\n" + drill.log_tail)
    if not result["machine"]["quiet"]:
        busy = result["machine"]["other_processes_cores"]
        print(f"warning: other processes used {busy} cores while measuring: the figures understate")
    if "verdict" in result:
        print()
        print("\n".join(verdict_lines(result["verdict"])))


if __name__ == "__main__":
    sys.exit(main())
