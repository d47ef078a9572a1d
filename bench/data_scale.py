"""Province-sized data (#14): import, roll-up, and the daily pages' statements and latency at full size.

    .venv/bin/python -m bench.data_scale                      # SQLite and PostgreSQL, the issue's sizes
    .venv/bin/python -m bench.data_scale --db sqlite --scale 0.01   # a quick look

For each database (a temporary SQLite file; a fresh PostgreSQL schema, dropped afterwards):

1. `import_s`: 10,000 questions (20 packs × 500, bench.pack_gen) into an empty database through the import
   that `drill import` runs; `reimport_unchanged_s`: the same packs again (nothing changed).
2. `build_s`: the province (bench.province: 50,000 managers in 2,000 branches, an exam of 5,000, a case round
   of 5,000 entries with 3 peer reviews each, an assignment to 5,000, a year of appraisal), in bulk.
3. `rollup_s`: the annual appraisal roll-up of every manager, as the compute button runs it.
4. The pages organisers, markers, trainers and appraisal admins open daily, in-process with the Flask test
   client signed in through /login: the statements of one request (`queries`) and the median of `--repeat`
   requests (`p50_ms`); the exam release is POSTed once, after the others. The same pages are counted in
   the same world built with 5 rows each (`queries_small`): a count that grows with the rows is flagged.

Targets: import < 5 s, reimport < 1 s, roll-up < 30 s, each page p50 < 300 ms with queries == queries_small.
Prints a table per database, then, last, `RESULT {json}`.
"""

from __future__ import annotations

import argparse
import json
import secrets
import signal
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from bench.servers import BENCH_PASSWORD, require_loopback

TARGET_IMPORT_S = 5.0
TARGET_REIMPORT_S = 1.0
TARGET_ROLLUP_S = 30.0
TARGET_PAGE_MS = 300.0
# The pages, in the order they are opened; the release (a POST that changes the exam) comes last.
PAGES = (
    "round overview", "entry detail", "judging queue", "board.json", "exam overview", "grading queue",
    "next answer", "assignment report", "assignment xlsx", "users list", "appraisal person",
    "appraisal report", "period page", "levels",
)  # fmt: skip
RELEASE = "release"
PAGE_BUDGET_MS = 60_000.0  # at most this long on one page's repeats (one request at least)


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.data_scale", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test", help="PostgreSQL URL")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="1.0: the issue's sizes; 0.01 for a quick run"
    )
    parser.add_argument("--repeat", type=int, default=7, help="requests per page")
    parser.add_argument("--packs", type=int, default=20)
    parser.add_argument("--per-pack", type=int, default=500)
    parser.add_argument("--only", help="comma-separated pages to open (to work on them); no release")
    parser.add_argument("--no-import", action="store_true", help="skip the import figures")
    parser.add_argument("--no-rollup", action="store_true", help="skip the annual roll-up")
    args = parser.parse_args(argv)
    args.pages = PAGES if not args.only else tuple(p.strip() for p in args.only.split(","))
    unknown = set(args.pages) - set(PAGES)
    if unknown:
        parser.error(f"unknown pages {sorted(unknown)}; the pages are {', '.join(PAGES)}")
    if args.db != "sqlite":
        require_loopback(urlsplit(args.pg).hostname, "database host")
    return args


# --- databases ----------------------------------------------------------------------------------


@contextmanager
def sqlite_database():
    with tempfile.TemporaryDirectory(prefix="drill-scale-") as folder:
        yield f"sqlite:///{Path(folder) / 'bench.sqlite'}"


@contextmanager
def postgresql_schema(admin_url: str):
    """A fresh schema in the database `admin_url` names, dropped on the way out; yields its URL."""
    from sqlalchemy import create_engine, text

    from drill.config import normalise_database_url

    base = normalise_database_url(admin_url)
    schema = f"scale_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        separator = "&" if "?" in base else "?"
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def database(kind: str, args):
    return sqlite_database() if kind == "sqlite" else postgresql_schema(args.pg)


@contextmanager
def app_on(url: str):
    """The app on `url` with its schema, inside an app context; the engine is disposed on the way out."""
    from drill import create_app
    from drill.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": secrets.token_hex(16),
            "WTF_CSRF_ENABLED": False,  # in-process requests; the forms' tokens are not what is measured
            "HOUSEKEEPING_SECONDS": 0,
        }
    )
    with app.app_context():
        db.create_all()
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


# --- 1. import ----------------------------------------------------------------------------------


def import_figures(kind: str, args) -> dict:
    """Seconds to import the generated packs into an empty database, and to import them again."""
    try:
        from bench.pack_gen import write_packs
    except ImportError:
        return {"import_s": None, "reimport_unchanged_s": None, "import_note": "bench.pack_gen is missing"}
    with tempfile.TemporaryDirectory(prefix="drill-packs-") as folder, database(kind, args) as url:
        root = Path(folder)
        write_packs(root, packs=args.packs, per_pack=args.per_pack, seed=0)
        with app_on(url):
            return timed_imports(root)


def timed_imports(root: Path) -> dict:
    """Import the packs under `root` as `drill import` does (then commit), twice; seconds of each."""
    from drill.content.services import import_paths
    from drill.extensions import db
    from drill.paths import project_dir

    taxonomy = project_dir("content") / "taxonomy.yaml"
    figures = {}
    for name in ("import_s", "reimport_unchanged_s"):
        started = time.perf_counter()
        result = import_paths([root], taxonomy_path=taxonomy)
        db.session.commit()
        figures[name] = round(time.perf_counter() - started, 3)
        if not result.ok:
            raise RuntimeError(f"the generated packs did not import: {result.report.errors[:3]}")
    return figures


# --- 2-4. the province --------------------------------------------------------------------------


def roll_up(period_id: int, by_number: str) -> None:
    """The annual roll-up of every manager, through what the compute button (appraisal.compute) runs."""
    from sqlalchemy import select

    from drill.accounts.models import User
    from drill.appraisal import period_records
    from drill.appraisal.models import Period
    from drill.database import utcnow
    from drill.extensions import db
    from drill.i18n import local_day

    period = db.session.get(Period, period_id)
    by = db.session.scalar(select(User).where(User.employee_no == by_number))
    now = utcnow()
    outcome = period_records.compute_period(period, by, now, local_day(now))
    if not outcome.ok:
        raise RuntimeError(f"the roll-up was refused: {outcome.blockers[:3]}")
    db.session.commit()


class Counter:
    """Statements run on the engine between `start()` and `stop()`."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.n = 0
        self.on = False
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *_args):
        if self.on:
            self.n += 1

    def measure(self, call):
        self.n, self.on = 0, True
        started = time.perf_counter()
        try:
            response = call()
        finally:
            self.on = False
        return response, (time.perf_counter() - started) * 1000, self.n


def open_pages(app, province, repeat: int, pages=PAGES) -> dict:
    """{page: {"queries", "p50_ms", "status", ...}}: each page GET `repeat` times, then the release POSTed."""
    from drill import process
    from drill.extensions import db

    client = app.test_client()
    signed = client.post("/login", data={"employee_no": province.boss, "password": province.password})
    if signed.status_code != 302:
        raise RuntimeError(f"sign-in refused ({signed.status_code})")
    process.settle()  # as each gunicorn worker does once its app is loaded (drill.gunicorn_config)
    counter = Counter(db.engine)
    found = {}
    for page in pages:
        url = province.url(page)
        times, queries, status, size = [], None, None, 0
        for _ in range(repeat):
            if sum(times) > PAGE_BUDGET_MS:  # a page this slow is a miss already; spare the rest of the run
                break
            if page == "board.json":
                app.extensions.pop("competition_boards", None)  # fresh: rebuilt from the score log
            response, ms, queries = counter.measure(lambda url=url: answer(client.get, url))
            status, size = response.status_code, len(response.get_data())
            response.close()  # a streamed export holds its temporary file until closed
            times.append(ms)
        found[page] = {"queries": queries, "p50_ms": round(statistics.median(times), 1), "status": status,
                       "bytes": size, "requests": len(times)}  # fmt: skip
        if status >= 500:
            found[page]["error"] = response.get_data(as_text=True)[:300]
        progress(f"{page}: {found[page]}")
    if pages != PAGES:
        return found
    url = province.url(RELEASE)
    response, ms, queries = counter.measure(lambda: answer(client.post, url))
    found[RELEASE] = {"queries": queries, "p50_ms": round(ms, 1), "status": response.status_code,
                      "released": released(province.ids["release_exam"])}  # fmt: skip
    if response.status_code >= 500:
        found[RELEASE]["error"] = response.get_data(as_text=True)[:300]
    return found


def answer(method, url: str):
    """The response, or a 500 naming the exception when the app raised (the test suite's app propagates
    its errors; one broken page must not end a run of the others)."""
    from flask import Response

    from drill.extensions import db

    try:
        return method(url)
    except Exception as error:  # reported as the page's result
        db.session.rollback()
        return Response(f"{type(error).__name__}: {error}", status=500)


def progress(line: str) -> None:
    """A long run says where it is (on stderr; the table and RESULT go to stdout)."""
    print(f"  {datetime.now(UTC):%H:%M:%S} {line}", file=sys.stderr, flush=True)


def released(exam_id: int) -> bool:
    from drill.exams.models import Exam
    from drill.extensions import db

    db.session.expire_all()
    return db.session.get(Exam, exam_id).released_at is not None


def province_figures(kind: str, args, scale: float, repeat: int) -> dict:
    with database(kind, args) as url, app_on(url) as app:
        return measure_province(app, scale, repeat, args.pages, rollup=not args.no_rollup)


def measure_province(app, scale: float, repeat: int, pages=PAGES, rollup=True) -> dict:
    """Build the province at `scale` in the app's (empty) database, roll the year up, open the pages."""
    from argon2 import PasswordHasher

    from bench import province as world
    from drill.accounts.models import OWASP_MINIMUM

    password_hash = PasswordHasher(**OWASP_MINIMUM).hash(BENCH_PASSWORD)  # once, for every account
    started = time.perf_counter()
    province = world.build(world.Counts.at(scale), password_hash, BENCH_PASSWORD)
    build_s = time.perf_counter() - started
    progress(f"built {province.rows:,} rows in {build_s:.1f} s: {province.seconds}")
    analyze_s = analyzed()
    started, rollup_s = time.perf_counter(), None
    if rollup:
        roll_up(province.ids["annual"], province.boss)
        rollup_s = time.perf_counter() - started
        progress(f"rolled up in {rollup_s:.1f} s")
    pages = open_pages(app, province, repeat, pages)
    rollup_s = None if rollup_s is None else round(rollup_s, 2)
    return {"build_s": round(build_s, 2), "build_steps_s": province.seconds, "analyze_s": analyze_s,
            "rollup_s": rollup_s,
            "rows": province.rows, "counts": province.counts.__dict__, "pages": pages}  # fmt: skip


def analyzed() -> float | None:
    """PostgreSQL: ANALYZE after the bulk load, as an operator does after an import (autovacuum would,
    a little later): the planner then knows the province's sizes. Its seconds; None on SQLite."""
    from sqlalchemy import text

    from drill.extensions import db

    if db.engine.dialect.name != "postgresql":
        return None
    started = time.perf_counter()
    with db.engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()
    seconds = round(time.perf_counter() - started, 2)
    progress(f"analyzed in {seconds} s")
    return seconds


def run_database(kind: str, args) -> dict:
    started = time.monotonic()
    print(f"{kind}: importing {args.packs} × {args.per_pack} questions...", flush=True)
    result = {} if args.no_import else import_figures(kind, args)
    print(f"{kind}: the province at 5 rows each...", flush=True)
    small = province_figures(kind, args, 0.0, 2)
    print(f"{kind}: the province at scale {args.scale:g}...", flush=True)
    large = province_figures(kind, args, args.scale, args.repeat)
    pages = {}
    for page, figures in large["pages"].items():
        pages[page] = {**figures, "queries_small": small["pages"][page]["queries"]}
    result.update(
        build_s=large["build_s"], build_steps_s=large["build_steps_s"], rollup_s=large["rollup_s"],
        rows=large["rows"], counts=large["counts"], pages=pages, seconds=round(time.monotonic() - started, 1),
    )  # fmt: skip
    return result


# --- the table ----------------------------------------------------------------------------------


def page_ok(figures: dict) -> bool:
    return (
        figures["status"] in (200, 302)
        and figures["p50_ms"] < TARGET_PAGE_MS
        and figures["queries"] == figures["queries_small"]
    )


def table(kind: str, result: dict) -> str:
    def seconds(value) -> str:
        return f"{value:8.2f}" if value is not None else f"{'-':>8}"

    def mark(met: bool | None) -> str:
        return "-" if met is None else ("met" if met else "MISSED")

    lines = [f"{kind}: {result['counts']} ({result['rows']:,} rows in bulk, built in {result['build_s']} s)"]
    for name, target in (("import_s", TARGET_IMPORT_S), ("reimport_unchanged_s", TARGET_REIMPORT_S),
                         ("rollup_s", TARGET_ROLLUP_S)):  # fmt: skip
        value = result.get(name)
        lines.append(f"  {name:<22} {seconds(value)} s  (target < {target:g} s) "
                     f"{mark(None if value is None else value < target)}")  # fmt: skip
    if result.get("import_note"):
        lines.append(f"  ({result['import_note']})")
    head = f"  {'page':<18} {'status':>6} {'queries':>8} {'small':>6} {'p50 ms':>8}  verdict"
    lines += [head, "  " + "-" * (len(head) - 2)]
    for page, f in result["pages"].items():
        grown = " GREW" if f["queries"] != f["queries_small"] else ""
        verdict = "met" if page_ok(f) else "MISSED"
        if page == RELEASE:
            verdict += f" (released: {f.get('released')})"
        lines.append(
            f"  {page:<18} {f['status']:>6} {f['queries']:>8} {f['queries_small']:>6} {f['p50_ms']:8.1f}  "
            f"{verdict}{grown}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    # A SIGTERM unwinds like Ctrl-C, so that the temporary database or schema is removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    args = arguments(argv)
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    results, started = {}, time.monotonic()
    print(
        f"scale {args.scale:g}, {args.repeat} requests a page; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        flush=True,
    )
    for kind in kinds:
        results[kind] = run_database(kind, args)
        print(table(kind, results[kind]), flush=True)
    print(f"({time.monotonic() - started:.0f} s)")
    print("RESULT " + json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
