"""Exam day: N candidates on 2 app nodes behind nginx, one PostgreSQL, the deadline job on a timer.

    .venv/bin/python -m bench.exam_day                       # 2,000 candidates, about 6 minutes
    .venv/bin/python -m bench.exam_day --candidates 400 --ramp 40 --normal 40   # a quick look

Half the candidates sit exam A, half exam B. Everyone signs in over `--ramp` seconds, starts their
paper and saves answers at a human pace (`--think`). Exam A falls due for all its papers in the same
second (its window closes); before that, half of its candidates submit and half walk away. Exam B's
candidates keep saving through exam A's deadline and for `--after` seconds more. `drill housekeeping`
runs every `--timer` seconds, started twice at once each time (as on two nodes), like the systemd timer
in deploy/. Measured: save latency before the deadline and while the abandoned papers are being closed,
how long after the deadline the last abandoned paper closed, papers closed twice (a trigger records
every closing write), acknowledged saves missing from the database, and errors. Prints a table, then,
last, `RESULT {json}`. Everything runs on loopback; a fresh database is created and dropped.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import secrets
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from bench.clients import DATA_CSRF, Browser, Failed, Sample, answers, form_csrf
from bench.report import percentile
from bench.servers import BENCH_PASSWORD, Gunicorn, postgres_database, require_loopback
from bench.topology import Cluster, nginx_binary, node_environment

# A deployment may lower argon2 to OWASP's minimum (PASSWORD_HASH): 2,000 sign-ins in a ramp on 2 cores.
PASSWORD_HASH = {"time_cost": 2, "memory_cost": 19456, "parallelism": 1}
BLUEPRINT = [{"part": "theory", "count": 10, "points": 10}]
GRACE = 5  # DEADLINE_GRACE_SECONDS


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.exam_day", description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=2000)
    parser.add_argument("--nodes", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per node")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker")
    parser.add_argument("--database", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--ramp", type=float, default=150.0, help="seconds over which candidates sign in")
    parser.add_argument("--normal", type=float, default=60.0, help="seconds of saving after the ramp")
    parser.add_argument("--after", type=float, default=75.0, help="seconds of saving after the deadline")
    parser.add_argument("--think", default="10-30", help="seconds between two saves of a candidate")
    parser.add_argument("--timer", type=float, default=15.0, help="seconds between housekeeping runs")
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args(argv)
    low, high = (float(v) for v in args.think.split("-"))
    args.think_range = (low, high)
    require_loopback(urlsplit(args.database).hostname, "database host")
    return args


def prepare(url: str, candidates: int, deadline_a: datetime, deadline_b: datetime) -> tuple[int, int]:
    """Schema, the shipped banks, the candidates (one shared hash), two exams, the closing trigger."""
    from argon2 import PasswordHasher
    from sqlalchemy import insert, text

    from drill import create_app
    from drill.accounts.models import User, UserRole
    from drill.accounts.services import create_branch
    from drill.content.services import import_paths
    from drill.exams.models import Exam
    from drill.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_hex(16)})
    with app.app_context():
        db.create_all()
        content = Path(app.config["CONTENT_DIR"])
        result = import_paths([content / "quizzes"], taxonomy_path=content / "taxonomy.yaml")
        if not result.ok:
            raise RuntimeError(f"the shipped banks did not import: {result.report.errors[:3]}")
        outlet = create_branch("EXAM", "考点网点", "outlet")
        now = datetime.now(UTC)
        password = PasswordHasher(**PASSWORD_HASH).hash(BENCH_PASSWORD)
        users = [
            {
                "id": 1000 + i, "employee_no": number(i), "name": f"考生{i + 1}", "password_hash": password,
                "branch_id": outlet.id, "category": "personal", "level": "junior", "locale": "zh_CN",
                "active": True, "created_at": now,
            }
            for i in range(candidates)
        ]  # fmt: skip
        db.session.execute(insert(User), users)
        db.session.execute(insert(UserRole), [{"user_id": u["id"], "role": "manager"} for u in users])
        author = User(employee_no="exam-author", name="出卷人", branch=outlet, password_hash=password)
        db.session.add(author)
        exams = []
        for title, closes in (("技能鉴定 A", deadline_a), ("技能鉴定 B", deadline_b)):
            exam = Exam(
                title=title, level="intermediate", category="personal", seed=secrets.randbits(31),
                blueprint=BLUEPRINT, opens_at=now - timedelta(minutes=5), closes_at=closes,
                time_limit_minutes=120, pass_rule={"total_min": 60},
                eligible={"branches": [outlet.id], "categories": [], "levels": []}, created_by=author,
            )  # fmt: skip
            db.session.add(exam)
            exams.append(exam)
        db.session.flush()
        # Every write that closes a paper leaves a row: a paper closed twice leaves two.
        db.session.execute(text("CREATE TABLE bench_closings (attempt_id integer, closed_at timestamptz)"))
        db.session.execute(
            text(
                "CREATE FUNCTION bench_closing() RETURNS trigger AS $$ BEGIN "
                "INSERT INTO bench_closings VALUES (NEW.id, NEW.closed_at); RETURN NEW; END $$ "
                "LANGUAGE plpgsql"
            )
        )
        db.session.execute(
            text(
                "CREATE TRIGGER bench_closing AFTER UPDATE ON attempts FOR EACH ROW WHEN "
                "(NEW.closed_at IS NOT NULL AND NEW.closed_at IS DISTINCT FROM OLD.closed_at) "
                "EXECUTE FUNCTION bench_closing()"
            )
        )
        ids = (exams[0].id, exams[1].id)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return ids


def number(index: int) -> str:
    return f"k{index + 1:05d}"


class Candidate:
    """One person: signs in, starts the paper, saves at a human pace; submits, walks away or keeps on."""

    def __init__(self, index: int, port: int, exam_id: int, plan: str, args, clock: dict):
        self.index, self.exam_id, self.plan, self.clock = index, exam_id, plan, clock
        self.browser = Browser("127.0.0.1", port, args.timeout, max_requests=100_000)
        self.rng = random.Random(index)
        self.think = args.think_range
        self.acknowledged: dict[tuple[int, int], tuple[float, object]] = {}
        # A save whose answer never came (a timeout) may still land after the one acknowledged before it.
        self.unanswered: tuple[tuple[int, int], object] | None = None
        self.attempt_id: int | None = None

    def run(self) -> None:
        try:
            self._sign_in_and_start()
            self._answer()
        except Failed:
            pass  # recorded as an error sample
        except (ValueError, KeyError, AttributeError) as error:  # a page without what it needs
            now = time.perf_counter()
            self.browser.samples.append(Sample("page", now, now, False, f"{type(error).__name__}: {error}"))
        finally:
            self.browser.close()

    def _sign_in_and_start(self) -> None:
        b = self.browser
        _s, _h, page = b.request("login page", "GET", "/login")
        form = {"employee_no": number(self.index), "password": BENCH_PASSWORD, "csrf_token": form_csrf(page)}
        b.request("login", "POST", "/login", form=form, expect=302)
        _s, _h, page = b.request("start page", "GET", f"/exams/{self.exam_id}/start")
        _s, headers, _p = b.request(
            "start", "POST", f"/exams/{self.exam_id}/start", form={"csrf_token": form_csrf(page)}, expect=302
        )
        path = urlsplit(headers["Location"]).path
        self.attempt_id = int(path.rsplit("/", 1)[1])
        _s, _h, page = b.request("paper", "GET", path)
        self.save_headers = {"X-CSRFToken": DATA_CSRF.search(page).group(1)}
        self.submit_form = {"csrf_token": form_csrf(page)}
        self.answers = answers(page, self.rng)

    def _answer(self) -> None:
        clock = self.clock
        if self.plan in ("submit", "abandon"):  # both stop saving a little before exam A falls due
            stop = clock["deadline_a"] - self.rng.uniform(5, 20)
        else:
            stop = clock["end"]
        while True:
            pause = self.rng.uniform(*self.think)
            if time.time() + pause >= stop:
                time.sleep(max(0.0, stop - time.time()))
                break
            time.sleep(pause)
            position, response = self.rng.choice(self.answers)
            if isinstance(response, str):
                response = f"{response}（{self.rng.randint(1, 999)}）"  # a changed answer, told apart
            url = f"/api/attempts/{self.attempt_id}/items/{position}"
            self.unanswered = ((self.attempt_id, position), response)
            _s, _h, reply = self.browser.request(
                "save", "PUT", url, body={"response": response}, headers=self.save_headers
            )
            if json.loads(reply).get("status") != "saved":
                self.browser.fail("save", f"not saved: {reply[:80]}")
            self.acknowledged[(self.attempt_id, position)] = (time.time(), response)
            self.unanswered = None
        if self.plan == "submit":
            self.browser.request(
                "submit",
                "POST",
                f"/drills/attempts/{self.attempt_id}/submit",
                form=self.submit_form,
                expect=302,
            )


def timer(cluster: Cluster, every: float, stop: threading.Event, runs: list) -> None:
    """deploy/'s timer, as if enabled on two nodes: two `drill housekeeping` at once, every `every` s."""
    while not stop.is_set():
        started = time.time()
        pair = [cluster.housekeeping(), cluster.housekeeping()]
        for process in pair:
            out, _err = process.communicate(timeout=600)
            runs.append(
                {"started": started, "ended": time.time(), "code": process.returncode, "out": out.strip()}
            )
        stop.wait(max(0.0, every - (time.time() - started)))


def watch_closing(url: str, exam_id: int, deadline: float, stop: threading.Event, seen: dict) -> None:
    """Poll the database: when did the last of exam A's papers close."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        while not stop.is_set():
            left = connection.execute(
                "SELECT count(*) FROM attempts WHERE exam_id = %s AND state = 'open'", (exam_id,)
            ).fetchone()[0]
            if time.time() > deadline and left == 0 and "closed_all" not in seen:
                seen["closed_all"] = time.time()
            stop.wait(0.25)


def check(url: str, people: list[Candidate], exam_a: int) -> dict:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT attempt_id, position, response FROM attempt_items WHERE attempt_id = ANY(%s)",
            ([p.attempt_id for p in people if p.attempt_id],),
        ).fetchall()
        twice = connection.execute(
            "SELECT count(*) FROM (SELECT attempt_id FROM bench_closings GROUP BY attempt_id "
            "HAVING count(*) > 1) AS t"
        ).fetchone()[0]
        states = dict(
            connection.execute(
                "SELECT state, count(*) FROM attempts WHERE exam_id = %s GROUP BY state", (exam_a,)
            ).fetchall()
        )
    stored = {(a, p): r for a, p, r in rows}
    lost = sum(
        1
        for person in people
        for key, (_t, response) in person.acknowledged.items()
        if stored.get(key) != response and (key, stored.get(key)) != person.unanswered
    )
    return {"closed_twice": twice, "lost_saves": lost, "exam_a_states": states}


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    if nginx_binary() is None:
        print("nginx is not installed (apt-get install nginx)", file=sys.stderr)
        return 2
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 4 * args.candidates + 1024)), hard))
    threading.stack_size(512 * 1024)
    begun = time.time()
    deadline_a = begun + 60 + args.ramp + args.normal  # the set-up takes up to a minute
    end = deadline_a + args.after
    with (
        tempfile.TemporaryDirectory(prefix="drill-exam-day-") as tmp,
        postgres_database(args.database) as url,
    ):
        as_dt = lambda t: datetime.fromtimestamp(t, UTC)  # noqa: E731
        exam_a, exam_b = prepare(url, args.candidates, as_dt(deadline_a), as_dt(end + 3600))
        env = node_environment(url, args.nodes, secrets.token_hex(32))
        env["DRILL_PASSWORD_HASH"] = json.dumps(PASSWORD_HASH)
        gunicorn = Gunicorn(workers=args.workers, threads=args.threads)
        with Cluster(Path(tmp), env, nodes=args.nodes, gunicorn=gunicorn) as cluster:
            clock = {"deadline_a": deadline_a, "end": end}
            half = args.candidates // 2
            plans = ["submit" if i % 2 == 0 else "abandon" for i in range(half)]
            plans += ["keep"] * (args.candidates - half)
            people = [
                Candidate(i, cluster.port, exam_a if plan != "keep" else exam_b, plan, args, clock)
                for i, plan in enumerate(plans)
            ]
            random.Random(1).shuffle(people)
            stop, runs, seen = threading.Event(), [], {}
            helpers = [
                threading.Thread(target=timer, args=(cluster, args.timer, stop, runs), daemon=True),
                threading.Thread(
                    target=watch_closing, args=(url, exam_a, deadline_a, stop, seen), daemon=True
                ),
            ]
            for helper in helpers:
                helper.start()
            ramp_start = time.time()
            client_cpu = client_cpu_seconds()
            threads = []
            for n, person in enumerate(people):
                time.sleep(max(0.0, ramp_start + args.ramp * n / len(people) - time.time()))
                thread = threading.Thread(target=person.run, daemon=True)
                thread.start()
                threads.append(thread)
            for thread in threads:
                thread.join(timeout=max(1.0, end + 120 - time.time()))
            while "closed_all" not in seen and time.time() < deadline_a + 90:
                time.sleep(0.5)  # give the job its minute, and a half
            client_cores = (client_cpu_seconds() - client_cpu) / (time.time() - ramp_start)
            stop.set()
            for helper in helpers:
                helper.join(timeout=120)
        verdict = check(url, people, exam_a)
    result = summarise(args, people, runs, seen, deadline_a, end, verdict)
    result["client_cores"] = round(client_cores, 2)
    print_table(result)
    print("RESULT " + json.dumps(result, ensure_ascii=False))
    return 0


def client_cpu_seconds() -> float:
    """CPU used by this process, the candidates' client: it shares the machine with the servers."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def summarise(args, people, runs, seen, deadline_a, end, verdict) -> dict:
    samples = [s for p in people for s in p.browser.samples]
    offset = time.time() - time.perf_counter()  # samples are on the perf_counter clock

    def saves_between(low: float, high: float) -> list[float]:
        return sorted(
            (s.end - s.start) * 1000
            for s in samples
            if s.kind == "save" and s.ok and low <= s.start + offset < high
        )

    closed_all = seen.get("closed_all")
    first_run = min((r["started"] for r in runs if r["started"] >= deadline_a + GRACE), default=None)
    normal = saves_between(deadline_a - args.normal, deadline_a)
    during = saves_between(first_run or deadline_a, max(closed_all or end, (first_run or deadline_a) + 10))
    kinds = defaultdict(lambda: [0, 0])
    for s in samples:
        kinds[s.kind][0 if s.ok else 1] += 1
    p95 = percentile(normal, 95)
    p95_close = percentile(during, 95)
    return {
        "candidates": args.candidates,
        "nodes": args.nodes,
        "save_p95_ms": round(p95, 1) if p95 is not None else None,
        "save_p95_ms_during_close": round(p95_close, 1) if p95_close is not None else None,
        "close_seconds": round(closed_all - deadline_a, 1) if closed_all else None,
        "closed_twice": verdict["closed_twice"],
        "lost_saves": verdict["lost_saves"],
        "errors": sum(bad for _ok, bad in kinds.values()),
        "saves_normal": len(normal),
        "saves_during_close": len(during),
        "abandoned_papers": sum(1 for p in people if p.plan == "abandon"),
        "exam_a_states": verdict["exam_a_states"],
        "requests": {k: {"ok": v[0], "errors": v[1]} for k, v in sorted(kinds.items())},
        "error_kinds": dict(Counter(f"{s.kind}: {s.error}" for s in samples if not s.ok).most_common(5)),
        "housekeeping_runs": len(runs),
        "housekeeping_failures": sum(1 for r in runs if r["code"] != 0),
        "settings": {
            "ramp": args.ramp,
            "normal": args.normal,
            "after": args.after,
            "think": args.think,
            "timer": args.timer,
            "gunicorn": f"{args.nodes} nodes x {args.workers} workers x {args.threads} threads",
            "password_hash": PASSWORD_HASH,
        },
    }


def print_table(result: dict) -> None:
    rows = [
        ("candidates", result["candidates"], ""),
        ("app nodes (behind nginx)", result["nodes"], ""),
        ("save p95, before the deadline (ms)", result["save_p95_ms"], f"{result['saves_normal']} saves"),
        ("save p95, while closing (ms)", result["save_p95_ms_during_close"], "target < 2x the above"),
        ("last abandoned paper closed after (s)", result["close_seconds"], "target <= 60"),
        ("abandoned papers", result["abandoned_papers"], ""),
        ("papers closed twice", result["closed_twice"], "target 0"),
        ("acknowledged saves lost", result["lost_saves"], "target 0"),
        ("errors", result["errors"], "target 0"),
        ("client CPU (cores, mean)", result.get("client_cores"), "the candidates' client shares the machine"),
    ]
    for name, value, note in rows:
        print(f"{name:<40} {value!s:>10}  {note}")
    for kind, counts in result["requests"].items():
        print(f"  {kind:<38} {counts['ok']:>10}  errors {counts['errors']}")


if __name__ == "__main__":
    sys.exit(main())
