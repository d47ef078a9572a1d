"""Accessible pages: axe-core (the npm package axe-core 4.14.1, vendored in tests/browser/vendor/ with its
licence, injected from there: no network) runs over the main pages of every kind of user, in Chinese, and
finds no critical or serious violation of WCAG 2.1 A/AA: the manager's pages on a 375 px touch phone, the
trainer's, organiser's, judge's and appraisal admin's on a desktop.

The pages come from the seeded world of the route-policy probe (tests/security/conftest.py): a drill, an
exam with a released certificate, a case-round competition with peer reviews, an appraisal period with
records, a level change, an assignment and a draft.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import url_for

from tests.browser.test_accounts_browser import sign_in
from tests.competitions.conftest import case_pack  # noqa: F401  (fixture of the world)
from tests.conftest import PASSWORD
from tests.drills.conftest import sample_pack  # noqa: F401  (fixture of the world)
from tests.exams.conftest import make_exam  # noqa: F401  (fixture of the world)
from tests.security.conftest import world  # noqa: F401  (fixture, through `seeded`)

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}

# Who sees which pages, on which screen: (persona of the world, viewport, endpoints).
ROLES = {
    "manager": (
        "manager",
        PHONE,
        [
            "main.home", "drills.index", "drills.notebook", "drills.my_history", "drills.attempt",
            "exams.index", "exams.result", "competitions.index", "competitions.show", "competitions.my_round",
            "appraisal.my_file", "accounts.settings",
        ],
    ),
    "trainer": (
        "admin",  # the world's admin set up the exam and the assignment and owns the draft
        DESKTOP,
        [
            "main.home", "drills.assignments", "drills.assignment_report", "exams.index", "exams.new",
            "exams.manage", "exams.overview", "exams.grading_queue", "authoring.index", "authoring.editor",
            "integrity.exam_papers",
        ],
    ),
    "organiser": (
        "admin",
        DESKTOP,
        [
            "competitions.index", "competitions.new", "competitions.manage", "competitions.round_overview",
            "competitions.board", "competitions.audit", "integrity.round_papers",
        ],
    ),
    "judge": ("judge", DESKTOP, ["main.home", "competitions.index", "competitions.judge"]),
    "appraisal admin": (
        "admin",
        DESKTOP,
        [
            "appraisal.index", "appraisal.period", "appraisal.record", "appraisal.ratings",
            "appraisal.levels", "appraisal.occurrences", "appraisal.person", "accounts.users",
            "accounts.branches",
        ],
    ),
}  # fmt: skip


@pytest.fixture
def app_config(app_config):
    # The seeded world signs its people in and makes their drills through the test client, without tokens.
    return {**app_config, "WTF_CSRF_ENABLED": False}


@pytest.fixture
def seeded(app, request):
    """The world of the route-policy probe, built inside a request (its appraisal records say things in
    the reader's language; outside the test client's requests there is none with TESTING off), before the
    live server seeds the demo organisation (whose managers the world's appraisal period would lack)."""
    for dependency in ("db", "org", "make_user", "login", "case_pack"):  # contexts outside the request's
        request.getfixturevalue(dependency)
    with app.test_request_context():
        seeded_world = request.getfixturevalue("world")
    return seeded_world, request.getfixturevalue("live_server")


def violations(page) -> list[dict]:
    """axe's critical and serious WCAG 2.1 A/AA violations on the page as it is now."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.evaluate(AXE)  # through the DevTools protocol: the page's CSP does not apply
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
        TAGS,
    )
    return [v for v in result if v["impact"] in ("critical", "serious")]


def describe(found: list[dict]) -> list[str]:
    lines = []
    for v in found:
        targets = [" ".join(map(str, node["target"])) for node in v["nodes"]]
        shown = ", ".join(targets[:4]) + (f" (+{len(targets) - 4})" if len(targets) > 4 else "")
        lines.append(f"{v['id']} [{v['impact']}] ×{len(targets)}: {shown}")
    return lines


@pytest.mark.parametrize("role", list(ROLES))
def test_the_main_pages_of_each_role_have_no_serious_accessibility_violation(
    app,
    browser,
    seeded,
    role,
):
    persona, viewport, endpoints = ROLES[role]
    people, live_server = seeded
    user = people.people[persona]
    with app.test_request_context():
        values = people.ids
        urls = {}
        for endpoint in endpoints:
            rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
            arguments = {**values, **people.per_endpoint.get(endpoint, {})}
            urls[endpoint] = url_for(endpoint, **{a: arguments[a] for a in rule.arguments})
    touch = viewport is PHONE
    context = browser.new_context(viewport=viewport, is_mobile=touch, has_touch=touch, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    failures = []
    try:
        sign_in(page, live_server, user.employee_no, PASSWORD)
        page.wait_for_url(lambda url: "/login" not in url)
        for endpoint, url in urls.items():
            response = page.goto(live_server + url)
            assert response is not None and response.status == 200, f"{url} ({endpoint}): {response.status}"
            found = describe(violations(page))
            if found:
                failures.append(f"{role} · {url} ({endpoint}):\n    " + "\n    ".join(found))
    finally:
        context.close()
    assert not failures, "\n".join(failures)
