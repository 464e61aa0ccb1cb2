"""Issue 12 §6 in a real browser: the SSO drags a case to another slot (and onto a slot where its
case manager would be in two interviews at once, which is saved but shown in red, with both cells
marked), then moves a case with the keyboard alone (Tab and Enter) through its Move page. Each
step is checked on the server's stored schedule; axe finds no serious or critical violation."""

from __future__ import annotations

import pytest

from scheduling import selectors as S
from scheduling import workbench
from scheduling.tests.test_schedule_services import sqs_world
from scheduling.tests.test_workbench import TWO_MANAGERS, clash_slot, slot_of, store_schedule
from tests_e2e.conftest import assert_accessible, sign_in

PASSWORD = "correct horse battery"


def rule_keeping_slot(inspection, case) -> str:
    inputs = S.schedule_inputs(inspection)
    mapping, pins = S.assignment_of(S.entries_of(S.latest_version(inspection)))
    return next(
        t.slot.id
        for t in workbench.move_targets(
            case_ref=case.reference,
            mapping=mapping,
            pins=pins,
            slots=inputs.slots,
            cases=inputs.cases,
            case_managers=inputs.case_managers,
            members=inputs.members,
        )
        if t.keeps_rules and not t.is_swap
    )


def drag(page, source: str, target: str) -> None:
    """Drag with the mouse, as a person does: press on the case, move over the slot in steps,
    let go. Both ends are put in view first (the target in the middle of the tall window), since
    a drag that leaves the window ends without a drop."""
    page.locator(target).evaluate("el => el.scrollIntoView({block: 'center'})")
    start, end = page.locator(source).bounding_box(), page.locator(target).bounding_box()
    assert start["y"] >= 0 and end["y"] + end["height"] <= page.viewport_size["height"], (start, end)
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + 20)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + 20, steps=8)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + 24)
    page.mouse.up()


def tab_to(page, predicate_js: str, limit: int = 400) -> None:
    """Press Tab until the focused element matches ``predicate_js`` (a function of the element)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(({predicate_js}))(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached {predicate_js}")


@pytest.mark.django_db(transaction=True)
def test_sso_drags_cases_sees_the_clash_marked_and_moves_one_with_the_keyboard(page, live_server):
    inspection, people, cases = sqs_world(n_cases=4, managers=TWO_MANAGERS)
    store_schedule(inspection, people["sso"], cases)
    schedule_url = f"{live_server.url}/inspections/{inspection.reference}/schedule/"
    sign_in(page, live_server.url, "sso", PASSWORD)
    page.goto(schedule_url)
    page.wait_for_selector("h1:has-text('Fieldwork schedule')")
    assert_accessible(page, "workbench-01-timetable")

    # Drag HMIP-02 to a free slot where it breaks no rule. (A tall window keeps both ends of a drag
    # from one person's week to another's in view: the test's mouse does not scroll while dragging.)
    page.set_viewport_size({"width": 1280, "height": 3200})
    second = cases[1]
    target = rule_keeping_slot(inspection, second)
    page.locator(f'td[data-case="{second.pk}"]').drag_to(page.locator(f'td[data-slot="{target}"]'))
    page.wait_for_selector("#schedule-work .govuk-notification-banner--success:has-text('HMIP-02 moved from')")
    assert slot_of(inspection, second) == target
    assert page.locator(f'td[data-slot="{target}"][data-case="{second.pk}"]').count() == 1

    # Drag HMIP-01 next to J. Smith's other interview: saved, but red, and both cells say why.
    first, partner = cases[0], cases[2]
    clash = clash_slot(inspection, first, partner).id
    drag(page, f'td[data-case="{first.pk}"]', f'td[data-slot="{clash}"]')
    banner = page.wait_for_selector("#schedule-work .app-sch-banner-breaks")
    assert "This change breaks a rule" in banner.inner_text()
    assert "J. Smith would be in two interviews at once" in banner.inner_text()
    assert page.locator("#schedule-work .govuk-notification-banner--success").count() == 0
    assert slot_of(inspection, first) == clash
    marked = page.locator("td.app-sch-clash")
    assert marked.count() == 2
    assert "Case manager in two interviews at once" in marked.first.inner_text()
    assert "Breaks a rule" in marked.first.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('app-sch-banner-breaks')")
    assert_accessible(page, "workbench-02-clash-marked")

    # The keyboard route: Tab to HMIP-01's Move link, Enter; Tab to a rule-keeping slot, Enter.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(schedule_url)
    page.wait_for_selector("td.app-sch-clash")
    tab_to(page, "el => el.tagName === 'A' && el.textContent.trim() === 'Move HMIP-01'")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Move HMIP-01')")
    assert_accessible(page, "workbench-03-move-page")
    back = rule_keeping_slot(inspection, first)
    tab_to(page, f"el => el.tagName === 'BUTTON' && el.form?.elements.slot?.value === '{back}'")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Fieldwork schedule')")
    page.wait_for_selector("text=HMIP-01 moved from")
    assert slot_of(inspection, first) == back
    assert page.locator("td.app-sch-clash").count() == 0
    assert_accessible(page, "workbench-04-after-keyboard-move")
