"""Browser tests: Chromium through pytest-playwright against pytest-django's live server.

Chromium is Debian's (CHROMIUM_PATH, default /usr/bin/chromium). Without it the browser tests
are skipped on a developer's machine, but never in CI (CI set), where they must run.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections

from tests.browser.helpers import PHONE, screenshot
from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures and
# tests beside it are still plain synchronous calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).resolve().parent


def chromium_missing() -> bool:
    return not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK))


def pytest_collection_modifyitems(config, items):
    browser_tests = [item for item in items if HERE in Path(item.path).parents]
    for item in browser_tests:
        item.add_marker(pytest.mark.browser)
    if chromium_missing() and not os.environ.get("CI"):
        skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM} (set CHROMIUM_PATH)")
        for item in browser_tests:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if chromium_missing():
        pytest.fail(f"Chromium not found at {CHROMIUM}: CI must run the browser tests")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session", autouse=True)
def migrated_rows(django_db_setup, django_db_blocker) -> str | None:
    """The rows the migrations seed (fields, content types...), as Django serialized them when
    it created the test database. Read before Playwright starts: once its event loop is marked
    running, Django hands this thread another connection object, one without them."""
    return getattr(connections[DEFAULT_DB_ALIAS], "_test_serialized_contents", None)


@pytest.fixture
def live_app(live_server, transactional_db, django_db_serialized_rollback, migrated_rows):
    """The live server, over a database that starts as the migrations left it.

    The flush that ends a transactional test empties every table, seeded ones included.
    pytest-django restores them from the serialized copy, unless the copy sits on the other
    connection object (see `migrated_rows`); then it is done here.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    if migrated_rows and not hasattr(connection, "_test_serialized_contents"):
        call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(migrated_rows)
    return live_server


@pytest.fixture
def phone_page(browser):
    """A page on a 360×740 touch phone whose browser asks for English, to show that the
    portal answers in Vietnamese all the same."""
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="en-US",
        timezone_id="Asia/Ho_Chi_Minh",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def csp_violations(phone_page):
    """Console errors about the content security policy, collected while the test runs."""
    found: list[str] = []
    phone_page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


@pytest.fixture
def login():
    """`login(page, live_server, username, password)`: sign in through the login form and
    wait for the page the user's role starts on."""

    def sign_in(page, live_server, username: str, password: str = PASSWORD) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("#login-form button[type=submit]")
        if "/accounts/login/" in page.url:
            raise AssertionError(f"{username} could not log in: {page.inner_text('main')}")

    return sign_in


@pytest.fixture(name="screenshot")
def screenshot_fixture():
    """`screenshot(page, name)` → test-artifacts/screenshots/<name>.png."""
    return screenshot
