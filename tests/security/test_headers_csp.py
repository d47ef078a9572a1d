"""Security headers on every response: a nonce-based Content-Security-Policy without inline script, no
framing (the big screen included), no MIME sniffing, a same-origin referrer policy; Secure cookies outside
development and testing; plain HTTP not redirected unless asked (intranets end TLS at their proxy)."""

import re
from pathlib import Path

import pytest

from drill import create_app
from drill.extensions import db as _db
from drill.paths import project_dir


def policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in header.split("; ")}


def test_every_page_forbids_framing_sniffing_and_inline_script(client):
    response = client.get("/login")
    csp = policy(response)
    assert csp["frame-ancestors"] == "'none'" and response.headers["X-Frame-Options"] == "DENY"
    assert csp["default-src"] == "'self'" and csp["object-src"] == "'none'"
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert re.fullmatch(r"'self' 'nonce-[\w-]+'", csp["script-src"])
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_the_pages_scripts_carry_the_nonce_of_their_response(client):
    response = client.get("/login")
    nonce = re.search(r"'nonce-([\w-]+)'", response.headers["Content-Security-Policy"]).group(1)
    page = response.get_data(as_text=True)
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts)
    again = client.get("/login").headers["Content-Security-Policy"]
    assert again != response.headers["Content-Security-Policy"]  # a fresh nonce per response


def test_the_big_screen_board_cannot_be_framed_either(client, make_user, login):
    login(make_user("m001"))
    response = client.get("/competitions/1/board/big")  # 404 or a page: framing is refused either way
    assert policy(response)["frame-ancestors"] == "'none'"


def test_the_hot_json_replies_run_nothing_and_make_no_nonce(app, client, make_user, login):
    """An answer save, a board poll and a correction reply under the JSON policy: no script source at all."""
    login(make_user("m001"))
    replies = [
        client.put("/api/attempts/1/items/1", json={"response": "A"}),  # 404: no such attempt
        client.get("/competitions/1/board.json"),  # 404: no such competition
        client.post("/competitions/1/participants/1/corrections", json={}),  # 403: not an organiser
    ]
    for response in replies:
        csp = policy(response)
        assert csp["default-src"] == "'none'" and "script-src" not in csp, response.request.path
        assert csp["frame-ancestors"] == "'none'" and "nonce" not in str(csp)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "'nonce-" in client.get("/").headers["Content-Security-Policy"]  # the pages keep theirs


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


TEMPLATES = project_dir("templates")


@pytest.mark.parametrize("template", sorted(p.relative_to(TEMPLATES) for p in TEMPLATES.rglob("*.html")))
def test_no_template_has_an_inline_script_or_event_handler(template):
    text = (TEMPLATES / template).read_text()
    assert not INLINE_SCRIPT.search(text), "move it to drill/static/<area>/ (JSON data blocks are fine)"
    assert not INLINE_HANDLER.search(text), "bind the handler from a script file (addEventListener)"


def test_no_script_file_builds_code_from_strings():
    for path in (Path(__file__).parents[2] / "drill" / "static").rglob("*.js"):
        if ".min." in path.name:
            continue
        text = path.read_text()
        assert "eval(" not in text and "new Function(" not in text, path


@pytest.fixture
def production_like(app_config):
    """The app as a server runs it: not testing, not debugging."""
    made = []

    def make(**overrides):
        served = {
            key: value for key, value in app_config.items() if key != "PASSWORD_HASH"
        }  # refused outside tests
        app = create_app({**served, "TESTING": False, **overrides})
        made.append(app)
        with app.app_context():
            _db.create_all()
        return app

    yield make
    for app in made:
        with app.app_context():
            _db.engine.dispose()


def test_outside_development_the_session_cookie_is_secure_and_http_is_not_redirected(production_like):
    app = production_like()
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    client = app.test_client()
    response = client.get("/login")
    assert response.status_code == 200  # FORCE_HTTPS is off by default: no redirect to https
    assert "Strict-Transport-Security" not in response.headers
    cookie = response.headers.get("Set-Cookie", "")
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_a_plain_http_intranet_turns_secure_cookies_off_and_https_can_be_forced(production_like):
    assert not production_like(SECURE_COOKIES=False).config["SESSION_COOKIE_SECURE"]
    forced = production_like(FORCE_HTTPS=True).test_client().get("/login")
    assert forced.status_code == 302 and forced.headers["Location"].startswith("https://")


def test_tests_and_development_keep_plain_cookies(app):
    assert not app.config["SESSION_COOKIE_SECURE"]
