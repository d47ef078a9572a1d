"""A live server with CSRF on, and Playwright driving Debian's Chromium headless.

The browser tests skip, saying why, where no Chromium is installed (`apt-get install -y chromium`).
"""

import gc
import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from drill.accounts import demo
from drill.extensions import db

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
PHONE = {"width": 375, "height": 740}


def chromium_path() -> str | None:
    explicit = os.environ.get("DRILL_CHROMIUM")
    if explicit:
        return explicit
    return next((path for name in CHROMIUM_CANDIDATES if (path := shutil.which(name))), None)


@pytest.fixture
def app_config(app_config):
    # Served as in production (TESTING off), so passwords hash at the production cost: the cheap test hash
    # is refused outside TESTING.
    served = {key: value for key, value in app_config.items() if key != "PASSWORD_HASH"}
    return {**served, "WTF_CSRF_ENABLED": True, "TESTING": False}


@pytest.fixture
def live_server(app):
    """Serve the app on a free loopback port with the demo organisation seeded."""
    with app.app_context():
        demo.seed()
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # Polled every 50 ms for the shutdown below (the default 0.5 s made each test's teardown wait that long).
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()
    # A request Chromium sent as the page closed (a page-leave beacon) may still hold a connection: close
    # the pool and collect now, inside this browser test, not in whichever test runs next on this worker.
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    gc.collect()


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        pytest.skip(
            "no Chromium found: install Debian's chromium (apt-get install -y chromium) or set DRILL_CHROMIUM"
        )
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def pytest_collection_modifyitems(items):
    """The live test server runs on Werkzeug's development server: when Chromium closes a page while a
    static file is being sent, that server leaves the file to the garbage collector (a ResourceWarning
    raised in its thread, not in drill). That is the test server's, not a defect the test looks for."""
    for item in items:
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.filterwarnings("ignore::ResourceWarning"))
            item.add_marker(pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"))


PHONE_SIZES = {"375x812": {"width": 375, "height": 812}, "320x568": {"width": 320, "height": 568}}


@pytest.fixture(params=list(PHONE_SIZES))
def touch_phone(browser, request):
    """A touch phone page, once at 375×812 and once at 320×568."""
    context = browser.new_context(
        viewport=PHONE_SIZES[request.param], is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
