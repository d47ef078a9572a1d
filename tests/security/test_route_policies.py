"""Every route of the app has a declared access policy (drill/access_policy.py), and keeps it: each route is
called with each of its methods as anonymous, a manager, a manager of another branch, a branch-scoped
trainer, a judge and an admin, with real ids from a seeded world (tests/security/conftest.py)."""

from __future__ import annotations

import pytest
from flask import url_for

from drill.access_policy import ANYONE, POLICIES, SCOPES, unregistered
from tests.security.conftest import PERSONAS, VICTIM_NO

ALL = set(PERSONAS) - {"anonymous"}
# Which personas pass each object scope in the seeded world (the manager owns every personal object; the
# admin set up the exam, the competition and the assignment, and owns the draft).
PASSES = {
    "none": ALL,
    "subtree": ALL,
    "code": ALL,
    "own": {"manager"},
    "supervised": {"manager", "admin"},
    "organiser": {"admin"},
    "member": {"manager", "judge", "admin"},
    "participant": {"manager"},
    "judge": {"judge", "admin"},
}
OWNER = {"authoring.": "admin"}  # endpoint prefix → who owns the object of an "own" route there
# Who must never read the east manager's name or employee number, and where.
OUTSIDERS = {"other_manager": "", "trainer": "", "judge": "competitions."}
REFUSED = {403, 404}
LAST = ("auth.logout",)  # signs the caller out: called after everything else


def rules(app):
    return [r for r in app.url_map.iter_rules()]


def test_every_route_has_an_access_policy(app):
    missing = [
        f"{e} ({r.rule})"
        for e in unregistered(r.endpoint for r in rules(app))
        for r in rules(app)
        if r.endpoint == e
    ]
    assert not missing, (
        "Routes without an access policy: "
        + ", ".join(missing)
        + ". Add each to POLICIES in drill/access_policy.py: who may call it, which object scope it checks."
    )


def test_every_policy_names_a_route_that_exists(app):
    endpoints = {r.endpoint for r in rules(app)}
    stale = sorted(set(POLICIES) - endpoints)
    assert not stale, f"Policies for routes that no longer exist (remove them): {', '.join(stale)}"
    assert all(p.scope in SCOPES for p in POLICIES.values())


def allowed(endpoint: str, persona: str, roles: set[str] | None) -> bool:
    policy = POLICIES[endpoint]
    if not policy.admits(roles):
        return False
    if policy.roles == ANYONE or persona == "anonymous":
        return True
    if policy.scope == "own":
        owner = next((who for prefix, who in OWNER.items() if endpoint.startswith(prefix)), "manager")
        return persona == owner
    return persona in PASSES[policy.scope]


def calls(app, world):
    """(endpoint, method, url) for every rule and method, GETs first, sign-out last."""
    out = []
    with app.test_request_context():
        for rule in rules(app):
            if rule.endpoint not in POLICIES:
                continue  # test_every_route_has_an_access_policy names it
            values = {**world.ids, **world.per_endpoint.get(rule.endpoint, {})}
            missing = [a for a in rule.arguments if a not in values]
            assert not missing, (
                f"The probe has no value for {missing} of {rule.endpoint} ({rule.rule}): add a real one to "
                "the world in tests/security/conftest.py (ids; per_endpoint where a name means another thing)"
            )
            url = url_for(rule.endpoint, **{a: values[a] for a in rule.arguments})
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                out.append((rule.endpoint, method, url))
    return sorted(out, key=lambda c: (c[0] in LAST, c[1] != "GET", c[0], c[1]))


def call(client, method, url):
    if method == "PUT":
        return client.put(url, json={"response": "探测"})
    return client.open(url, method=method, data={} if method == "POST" else None)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_route_answers_each_kind_of_user_as_its_policy_says(app, login, world, persona):
    client = app.test_client()
    user = world.people.get(persona)
    if user is not None:
        login(user, target=client)
    roles = set(user.roles) if user is not None else None
    victim = world.people["manager"]
    failures = []
    for endpoint, method, url in calls(app, world):
        policy = POLICIES[endpoint]
        where = f"{method} {url} ({endpoint}; policy {policy.roles}, scope {policy.scope})"
        try:
            response = call(client, method, url)
        except Exception as error:  # a 500 in production: name it and go on probing
            failures.append(f"{where}: raised {error!r}")
            continue
        status = response.status_code
        if status >= 500:
            failures.append(f"{where}: {status}")
        elif not allowed(endpoint, persona, roles):
            if persona == "anonymous":
                signed_out = status == 401 or (status == 302 and "/login" in response.headers["Location"])
                if not signed_out:
                    failures.append(f"{where}: {status} for anonymous, expected a sign-in")
            elif status not in REFUSED:
                failures.append(f"{where}: {status}, expected 403 or 404 for {persona}")
        elif method == "GET" and status == 403:
            failures.append(f"{where}: 403 for {persona}, whom the policy admits")
        prefix = OUTSIDERS.get(persona)
        shown = status < 300 and policy.scope != "code"  # a certificate's code shows its holder's name
        if prefix is not None and not (prefix and endpoint.startswith(prefix)) and shown:
            body = response.get_data()
            if VICTIM_NO.encode() in body or victim.name.encode() in body:
                failures.append(f"{where}: shows the east manager to {persona}")
        response.close()
    assert not failures, f"{len(failures)} answers break their policy:\n" + "\n".join(failures)
