"""The phases of a run, each against a server this process started and stops.

- floor: N clients hammer the floor's one upsert.
- saves: N managers, logged in and each with an open drill, go round its questions changing answers:
  the answer-save path alone, under the same load as the floor.
- flow: N managers do whole drills (start, open the page, answer every question, submit, read the
  result), again and again: the save path amid everything else a manager does.

Each phase warms up first, then measures for `duration` seconds; requests that began in the warm-up
or ended after the window are left out of the figures, but every error of the phase is counted.
"""

from __future__ import annotations

import argparse
import math
import random
import secrets
import threading
import time
from contextlib import suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from bench import floor_app
from bench.clients import (
    Browser,
    Drill,
    DrillPlan,
    Failed,
    change_answers,
    hammer_floor,
    join_threads,
    log_in,
    start_drill,
    start_threads,
    submit,
    take_drills,
)
from bench.report import Figures, figures, in_window
from bench.servers import Gunicorn, Server, machine_busy_seconds, wait_for_quiet

QUIET_CORES = 0.25  # other processes using more CPU than this: the machine was not quiet
LOGINS_AT_ONCE = 8
FLOW_KINDS = ["drills page", "start", "attempt page", "save", "submit", "result page"]


@dataclass
class Phase:
    name: str
    figures: list[Figures]
    cpu: dict
    errors: int  # over the whole phase, warm-up included
    stuck: int = 0  # client threads still running when given up on (should be 0)
    notes: dict = field(default_factory=dict)

    def get(self, kind: str) -> Figures:
        return next(f for f in self.figures if f.kind == kind)


class Window:
    """Warm-up, then the measured seconds. CPU is read at both ends: the server's, this process's and
    the whole machine's, so that other work on a shared machine shows in the report instead of hiding."""

    def __init__(self, args: argparse.Namespace, server: Server):
        self.server = server
        self.begin = time.perf_counter() + args.warmup
        self.end = self.begin + args.duration
        self.cpu: dict = {}

    def watch(self) -> None:
        time.sleep(max(0.0, self.begin - time.perf_counter()))
        server0, client0, machine0 = self.server.cpu_seconds(), time.process_time(), machine_busy_seconds()
        time.sleep(max(0.0, self.end - time.perf_counter()))
        server1, client1, machine1 = self.server.cpu_seconds(), time.process_time(), machine_busy_seconds()
        seconds = self.end - self.begin
        self.cpu["loadgen_cores"] = round((client1 - client0) / seconds, 2)
        if server0 is not None and server1 is not None:
            self.cpu["server_cores"] = round((server1 - server0) / seconds, 2)
            if machine0 is not None and machine1 is not None:
                others = (
                    (machine1 - machine0) / seconds - self.cpu["server_cores"] - self.cpu["loadgen_cores"]
                )
                self.cpu["other_processes_cores"] = round(max(0.0, others), 2)


def measure(name: str, kinds: list[str], args, server: Server, browsers: list[Browser], work) -> Phase:
    """Run `work(browser, index, until)` on every browser for warm-up + duration; figures for `kinds`."""
    notes = {}
    if args.wait_quiet:
        notes["machine_cores_busy_at_start"] = wait_for_quiet(args.wait_quiet, QUIET_CORES)
        print(f"  {name}: the machine was using {notes['machine_cores_busy_at_start']} cores", flush=True)
    for browser in browsers:
        browser.close()  # fresh connections: an idle one may have outlived the server's keep-alive
    marks = [len(b.samples) for b in browsers]
    window = Window(args, server)
    threads = start_threads([partial(work, b, i, window.end) for i, b in enumerate(browsers)])
    window.watch()
    stuck = join_threads(threads, window.end + args.timeout + 5)
    samples = [s for b, mark in zip(browsers, marks, strict=True) for s in b.samples[mark:]]
    measured = in_window(samples, window.begin, window.end)
    return Phase(
        name=name,
        figures=[figures(kind, measured, args.duration) for kind in kinds],
        cpu=window.cpu,
        errors=sum(not s.ok for s in samples),
        stuck=stuck,
        notes=notes,
    )


def browsers_for(args: argparse.Namespace, server: Server, count: int) -> list[Browser]:
    return [Browser(args.host, server.port, args.timeout, args.max_requests) for _ in range(count)]


def run_floor(args: argparse.Namespace, tmp: Path, gunicorn: Gunicorn) -> Phase:
    path = str(tmp / "floor.sqlite")
    floor_app.prepare(path)
    env = {"BENCH_FLOOR_DATABASE": path}
    server = Server("bench.floor_app:create_app()", env, args.host, gunicorn, tmp / "floor.log")
    server.start("/health")
    browsers = browsers_for(args, server, args.clients)
    try:

        def hammer(browser: Browser, index: int, until: float) -> None:
            hammer_floor(browser, index, args.think, random.Random(args.seed + index), until)

        return measure("floor", ["floor save"], args, server, browsers, hammer)
    finally:
        for browser in browsers:
            browser.close()  # first, so that the workers need not wait out their keep-alive
        server.stop()


@dataclass
class DrillRun:
    login: Figures
    logged_in: int
    saves: Phase
    flow: Phase | None
    errors: int  # every failed request against drill, setup included
    log_tail: str


def run_drill(
    args: argparse.Namespace, tmp: Path, gunicorn: Gunicorn, url: str, flow: bool = True
) -> DrillRun:
    env = {"DRILL_DATABASE_URL": url, "DRILL_SECRET_KEY": secrets.token_hex(32)}
    server = Server("drill:create_app()", env, args.host, gunicorn, tmp / "drill.log")
    server.start("/login")
    browsers = browsers_for(args, server, args.clients)
    rngs = [random.Random(args.seed + i) for i in range(args.clients)]
    # The saves phase's drill stays open through it; the flow's drills take seconds but ask for ten minutes.
    long_plan = DrillPlan(
        args.pack, args.questions, min(240, math.ceil((args.warmup + args.duration) / 60) + 5)
    )
    plan = DrillPlan(args.pack, args.questions, 10)
    try:
        started = time.perf_counter()
        drills: list[Drill | None] = [None] * args.clients
        # A password check costs ~0.1 s of CPU (argon2) by design: log in a few at a time, as people do.
        logging_in = threading.Semaphore(LOGINS_AT_ONCE)

        def begin(index: int) -> None:
            with logging_in:
                signed_in = log_in(browsers[index], index)
            if signed_in:
                with suppress(Failed, ValueError):
                    drills[index] = start_drill(browsers[index], long_plan, rngs[index])

        join_threads(start_threads([partial(begin, i) for i in range(args.clients)]), started + 180)
        login = figures("login", [s for b in browsers for s in b.samples], time.perf_counter() - started)
        ready = [i for i, drill in enumerate(drills) if drill is not None]
        team = [browsers[i] for i in ready]

        def change(browser: Browser, index: int, until: float) -> None:
            change_answers(browser, drills[ready[index]], args.think, rngs[ready[index]], until)

        saves = measure("saves", ["save"], args, server, team, change)
        for i in ready:  # close the saves phase's drills before the flow begins (not measured)
            with suppress(Failed, ValueError):
                submit(browsers[i], drills[i])

        def flow_work(browser: Browser, index: int, until: float) -> None:
            take_drills(browser, plan, args.flow_think, rngs[ready[index]], until)

        flow = measure("flow", FLOW_KINDS, args, server, team, flow_work) if flow else None
    finally:
        for browser in browsers:
            browser.close()  # first, so that the workers need not wait out their keep-alive
        server.stop()
    failed = sum(not s.ok for b in browsers for s in b.samples)
    return DrillRun(login, len(ready), saves, flow, failed, server.log_tail() if failed else "")
