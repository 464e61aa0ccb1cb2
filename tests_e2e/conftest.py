"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

Never downloads a browser: chromium comes from Debian (`apt-get install chromium`).
"""

import datetime as dt
import json
import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).with_name("axe.min.js")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

# The live server runs in a thread of this process; Playwright's sync API runs an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    # The hook sees every item of the session, not only this folder's: mark only the browser tests,
    # or a machine without chromium would skip the whole suite.
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    # bypass_csp lets the tests inject axe-core; the app's own pages never need it.
    context = browser.new_context(bypass_csp=True, locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sign_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (WCAG 2.x A and AA, 2.2 included) and return violations of the given impacts."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def assert_accessible(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    violations = axe_violations(page)
    assert violations == [], f"{name}: " + json.dumps(violations, indent=1)


def future_clear_monday(country: str) -> dt.date:
    """A Monday at least 12 working days ahead whose fieldwork weeks hold no bank holiday."""
    from django.utils import timezone

    from inspections.domain.timeline import fieldwork_holiday_problems
    from inspections.domain.workdays import WorkingCalendar

    today = timezone.localdate()
    day = today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)
    calendar = WorkingCalendar(country)
    while calendar.working_days_between(today, day) < 12 or fieldwork_holiday_problems("sqs", country, day):
        day += dt.timedelta(weeks=1)
    return day
