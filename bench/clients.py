"""Simulated people: a manager taking drills over HTTP (cookies, CSRF), and a client of the floor.

Each runs in its own thread on one keep-alive connection, records every request it makes as a Sample,
and stops by itself: at the run's end, after `max_requests`, and every request has a socket timeout.
"""

from __future__ import annotations

import html
import http.client
import json
import random
import re
import threading
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from bench.servers import BENCH_PASSWORD, employee_no, require_loopback

ATTEMPT_PATH = re.compile(r"^/drills/attempts/(\d+)$")
CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
DATA_CSRF = re.compile(r'id="attempt"[^>]*?data-csrf="([^"]+)"', re.S)
SECTION = re.compile(r'<section[^>]*data-position="(\d+)"')
DATA_TYPE = re.compile(r'data-type="([a-z]+)"')
VALUE = re.compile(r'<input[^>]*type="(?:radio|checkbox)"[^>]*value="([^"]*)"')
TEXT_INPUT = re.compile(r'<input class="form-control" type="text"')
DATA_ID = re.compile(r'data-id="([^"]+)"')
DATA_LEFT = re.compile(r'data-left="([^"]+)"')
OPTION = re.compile(r'<option value="([^"]+)"')
OPEN_ANSWER = "先了解客户的经营情况和资金需求，再介绍适合的产品，并约定下次回访的时间。" * 3


@dataclass(frozen=True)
class Sample:
    kind: str
    start: float  # time.perf_counter()
    end: float
    ok: bool
    error: str | None = None


@dataclass(frozen=True)
class Think:
    """A pause before each answer (and before submitting), drawn uniformly from [low, high] seconds."""

    low: float = 0.0
    high: float = 0.2

    def pause(self, rng: random.Random, until: float) -> None:
        seconds = rng.uniform(self.low, self.high)
        if seconds > 0:
            time.sleep(max(0.0, min(seconds, until - time.perf_counter())))


class Failed(Exception):
    """A request went wrong; it is recorded, and the current drill is abandoned."""


class Browser:
    """One keep-alive connection with a cookie jar; every request is timed into `samples`."""

    def __init__(self, host: str, port: int, timeout: float, max_requests: int):
        self.host, self.port, self.timeout = require_loopback(host), port, timeout
        self.connection: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}
        self.samples: list[Sample] = []
        self.left = max_requests

    def request(
        self, kind: str, method: str, path: str, *, form: dict | None = None, body: object = None,
        headers: dict | None = None, expect: int = 200,
    ) -> tuple[int, dict, str]:  # fmt: skip
        if self.left <= 0:
            raise Failed("request budget spent")
        self.left -= 1
        sent = {"User-Agent": "drill-bench", **(headers or {})}
        payload = None
        if form is not None:
            payload = urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            payload = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        start = time.perf_counter()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.connection.request(method, path, body=payload, headers=sent)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            self._drop()
            self._record(kind, start, f"{type(error).__name__}: {error}")
            raise Failed(kind) from error
        self._keep_cookies(response.msg.get_all("Set-Cookie") or [])
        if response.status != expect:
            self._record(kind, start, f"HTTP {response.status}")
            raise Failed(kind)
        self._record(kind, start, None)
        return response.status, dict(response.getheaders()), text

    def _record(self, kind: str, start: float, error: str | None) -> None:
        self.samples.append(Sample(kind, start, time.perf_counter(), error is None, error))

    def fail(self, kind: str, error: str) -> None:
        """Turn the last sample of `kind` into an error: the status was right but the body was not."""
        last = self.samples.pop()
        self.samples.append(Sample(kind, last.start, last.end, False, error))
        raise Failed(kind)

    def _keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)

    def _drop(self) -> None:
        if self.connection is not None:
            self.connection.close()
        self.connection = None

    def close(self) -> None:
        self._drop()


def form_csrf(page: str) -> str:
    found = CSRF_INPUT.search(page)
    if not found:
        raise ValueError("no csrf_token on the page")
    return html.unescape(found.group(1))


def answers(page: str, rng: random.Random) -> list[tuple[int, object]]:
    """(position, response) for every question on the attempt page, answered as a person might."""
    starts = list(SECTION.finditer(page))
    found = []
    for here, after in zip(starts, [*starts[1:], None], strict=True):
        section = page[here.start() : after.start() if after else len(page)]
        kind = DATA_TYPE.search(section)
        found.append((int(here.group(1)), respond(kind.group(1) if kind else "", section, rng)))
    return found


def respond(kind: str, section: str, rng: random.Random) -> object:
    values = [html.unescape(v) for v in VALUE.findall(section)]
    if kind == "single" and values:
        return rng.choice(values)
    if kind == "multiple" and values:
        return rng.sample(values, rng.randint(1, len(values)))
    if kind == "truefalse":
        return rng.random() < 0.5
    if kind == "blank":
        return ["存款"] * max(1, len(TEXT_INPUT.findall(section)))
    if kind == "numeric":
        return str(rng.randint(1, 100))
    if kind == "ordering":
        order = DATA_ID.findall(section)
        rng.shuffle(order)
        return order
    if kind == "matching":
        rights = sorted(set(OPTION.findall(section)))
        return {left: rng.choice(rights) for left in DATA_LEFT.findall(section)} if rights else {}
    return OPEN_ANSWER


@dataclass(frozen=True)
class DrillPlan:
    pack: str = ""
    count: int = 10
    minutes: int = 10


def log_in(browser: Browser, index: int, tries: int = 3) -> bool:
    for _ in range(tries):
        try:
            _status, _headers, page = browser.request("login page", "GET", "/login")
            form = {
                "employee_no": employee_no(index),
                "password": BENCH_PASSWORD,
                "csrf_token": form_csrf(page),
            }
            browser.request("login", "POST", "/login", form=form, expect=302)
            return True
        except (Failed, ValueError):
            time.sleep(0.2)
    return False


@dataclass
class Drill:
    """An open attempt as the page gave it: where to save, the tokens, and an answer for each question."""

    attempt_id: str
    path: str
    save_headers: dict
    submit_csrf: str
    answers: list[tuple[int, object]]


def start_drill(browser: Browser, plan: DrillPlan, rng: random.Random) -> Drill:
    _status, _headers, page = browser.request("drills page", "GET", "/drills/")
    form = {"theme": "", "level": "", "competency": "", "pack": plan.pack, "count": plan.count,
            "minutes": plan.minutes, "csrf_token": form_csrf(page)}  # fmt: skip
    _status, headers, _page = browser.request("start", "POST", "/drills/", form=form, expect=302)
    path = urlsplit(headers.get("Location", "")).path
    found = ATTEMPT_PATH.match(path)
    if not found:
        browser.fail("start", f"redirected to {path!r}, not to an attempt")
    _status, _headers, page = browser.request("attempt page", "GET", path)
    token = DATA_CSRF.search(page)
    if token is None:
        browser.fail("attempt page", "no data-csrf on #attempt")
    return Drill(
        attempt_id=found.group(1),
        path=path,
        save_headers={"X-CSRFToken": html.unescape(token.group(1))},
        submit_csrf=form_csrf(page),
        answers=answers(page, rng),
    )


def save(browser: Browser, drill: Drill, position: int, response: object) -> None:
    url = f"/api/attempts/{drill.attempt_id}/items/{position}"
    _status, _headers, reply = browser.request(
        "save", "PUT", url, body={"response": response}, headers=drill.save_headers
    )
    if json.loads(reply).get("status") != "saved":
        browser.fail("save", f"not saved: {reply[:120]}")


def submit(browser: Browser, drill: Drill) -> None:
    browser.request(
        "submit", "POST", f"{drill.path}/submit", form={"csrf_token": drill.submit_csrf}, expect=302
    )
    browser.request("result page", "GET", drill.path)


def take_drills(browser: Browser, plan: DrillPlan, think: Think, rng: random.Random, until: float) -> None:
    """The whole flow: start a drill, answer every question, submit, read the result; again, until the end."""
    while time.perf_counter() < until and browser.left > 0:
        try:
            drill = start_drill(browser, plan, rng)
            for position, response in drill.answers:
                think.pause(rng, until)
                if time.perf_counter() >= until:
                    return
                save(browser, drill, position, response)
            think.pause(rng, until)
            if time.perf_counter() >= until:
                return
            submit(browser, drill)
        except (Failed, ValueError):
            time.sleep(min(0.2, max(0.0, until - time.perf_counter())))  # a failed drill: start another


def change_answers(browser: Browser, drill: Drill, think: Think, rng: random.Random, until: float) -> None:
    """The save path alone: a manager going round the questions of one open drill, changing answers."""
    rounds = 0
    while browser.left > 0:
        position, response = drill.answers[rounds % len(drill.answers)]
        rounds += 1
        think.pause(rng, until)
        if time.perf_counter() >= until:
            return
        try:
            save(browser, drill, position, response)
        except Failed:
            time.sleep(min(0.2, max(0.0, until - time.perf_counter())))


def hammer_floor(browser: Browser, index: int, think: Think, rng: random.Random, until: float) -> None:
    """The floor's client: the same pauses as `change_answers`, each request one upsert of a row."""
    position = 0
    while browser.left > 0:
        think.pause(rng, until)
        if time.perf_counter() >= until:
            return
        position = position % 10 + 1
        try:
            _status, _headers, reply = browser.request(
                "floor save",
                "PUT",
                f"/rows/{index * 100 + position}",
                body={"response": f"opt{rng.randint(1, 4)}"},
            )
            if json.loads(reply).get("status") != "saved":
                browser.fail("floor save", f"not saved: {reply[:120]}")
        except Failed:
            time.sleep(min(0.2, max(0.0, until - time.perf_counter())))


def start_threads(targets: list) -> list[threading.Thread]:
    threads = [threading.Thread(target=target, daemon=True) for target in targets]
    for thread in threads:
        thread.start()
    return threads


def join_threads(threads: list[threading.Thread], by: float) -> int:
    """Wait for the threads, never past `by` (perf_counter time); how many are still running."""
    for thread in threads:
        thread.join(max(0.0, by - time.perf_counter()))
    return sum(thread.is_alive() for thread in threads)
