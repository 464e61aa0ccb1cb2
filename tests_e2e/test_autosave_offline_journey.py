"""Issue 12 §1-2 in a real browser: nothing the assessor types is lost.

- A written answer saves itself while they type and shows "Saved at HH:MM"; text typed and then
  reloaded without leaving the field comes back (the local draft) and is saved.
- Without a network, answers are kept on the device and counted ("Answers waiting to be sent: 3"),
  outlive a reload, and reach the server once each when the network is back; one that someone
  else changed meanwhile (from a second browser) is shown as a conflict, not written over.
- With the answers' requests failing while the browser thinks it is online, the same happens.
- Text being typed survives another answer's save drawing every question again.
- The service worker controls the assessment page and its cache holds static files only; it sends
  what was kept after the tab is closed (Background Sync); signing out empties what was kept.
"""

from __future__ import annotations

import re
import time

import pytest

from casework.models import Answer, AnswerRevision
from casework.services import assessment as services
from casework.tests import factories as cf
from inspections.enums import StaffRole, TeamRole
from inspections.tests import factories as f
from tests_e2e.conftest import ARTIFACTS, axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery"
ANSWERS = "**/answers/**"
DRAFTS = "Object.keys(localStorage).filter(k => k.startsWith('case-assessment-draft:'))"

# The questions of the page: id, slug, how each is answered.
QUESTIONS = """() => [...document.querySelectorAll('form[data-question][hx-post]')].map(form => ({
  id: form.dataset.question, slug: form.id.replace('question-', ''), input: form.dataset.input,
  radios: form.querySelectorAll('input[type=radio][name=value]').length,
  text: !!form.querySelector('textarea[name=value]')}))"""


@pytest.fixture
def world():
    lead = f.user(role=StaffRole.LEAD_INSPECTOR, username="lena")
    inspection = f.inspection(lead=lead)
    supervisor = f.member(inspection, TeamRole.ASSISTANT_INSPECTOR, username="ari")
    assessor = cf.local_assessor(inspection, supervisor=supervisor, username="lowri")
    case = cf.case(inspection, assessor=assessor, reference="HMIP-01")
    assessment = services.assessment_start(case=case, user=assessor)
    return {"inspection": inspection, "case": case, "assessment": assessment, "assessor": assessor}


def view_url(live_server, world, view: int = 1) -> str:
    return f"{live_server.url}/inspections/{world['inspection'].reference}/cases/{world['case'].pk}/views/{view}/"


@pytest.fixture
def page_without_worker(browser):
    """A page whose requests page.route can fail: Playwright does not see the requests of a page a
    service worker controls, so these tests block the worker and fail the requests themselves."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def strict_page(browser):
    """A page under the service's own Content-Security-Policy (the shared fixture bypasses it, for
    axe), with the service worker allowed."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.errors = errors
    yield page
    context.close()


def shot(page, name: str, at: str | None = None) -> None:
    """The window's view (of ``at``, scrolled to), to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    if at:
        page.locator(at).first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def answer(world, question_id: str) -> Answer | None:
    return Answer.objects.filter(assessment=world["assessment"], question_id=question_id).first()


def wait_for_answer(world, question_id: str, check, timeout: float = 20.0) -> Answer:
    """The server's answer once ``check`` holds (the live server saves in another thread)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = answer(world, question_id)
        if found is not None and check(found):
            return found
        time.sleep(0.1)
    raise AssertionError(f"{question_id}: the server's answer is {answer(world, question_id)!r}")


def pick(page) -> tuple[dict, dict, dict]:
    """Two questions answered by radios and one written answer, on the page as it is."""
    questions = page.evaluate(QUESTIONS)
    radios = [q for q in questions if q["radios"] >= 2]
    written = next(q for q in questions if q["text"])
    return radios[0], radios[1], written


def radio(page, question: dict, index: int):
    return page.locator(f"#question-{question['slug']} input[type=radio][name=value]").nth(index)


def test_written_answer_saves_while_typing_and_comes_back_after_a_reload(page_without_worker, live_server, world):
    page = page_without_worker
    sign_in(page, live_server.url, "lowri", PASSWORD)
    page.goto(view_url(live_server, world))
    _, _, written = pick(page)
    field = f"#q-{written['slug']}"
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))

    # Typing, then stopping: it saves itself, without leaving the field, and says when.
    page.click(field)
    page.keyboard.type("Seen in the case record.")
    tag = page.locator(f"[data-saved='{written['id']}']")
    tag.wait_for()
    assert re.fullmatch(r"Saved at \d\d:\d\d", tag.inner_text())
    assert page.evaluate("document.activeElement.id") == f"q-{written['slug']}"  # still typing there
    saved = wait_for_answer(world, written["id"], lambda a: a.revision == 1)
    assert saved.value == "Seen in the case record."
    assert re.search(r"Your answers on this page were last saved at \d\d:\d\d\.", page.inner_text("#autosave"))
    shot(page, "autosave-01-saved-at", f"#question-{written['slug']}")

    # The reported bug: more text typed and the page reloaded at once, still in the field. The save
    # cannot get through (the request hangs), so only the draft on the device has the text.
    page.route(ANSWERS, lambda route: None)
    page.keyboard.type(" The plan was reviewed.")
    page.reload()
    assert "beforeunload" in dialogs  # leaving with unsaved text warned
    page.unroute(ANSWERS)
    page.wait_for_selector(f"{field}")
    assert page.input_value(field) == "Seen in the case record. The plan was reviewed."
    shot(page, "autosave-02-draft-restored", f"#question-{written['slug']}")
    # The text put back is saved in turn, on the revision it was typed on.
    saved = wait_for_answer(world, written["id"], lambda a: a.revision == 2)
    assert saved.value == "Seen in the case record. The plan was reviewed."
    page.locator(f"[data-saved='{written['id']}']").wait_for()
    assert page.evaluate(DRAFTS) == []

    # Text left from an older revision (the answer was saved since) is offered, not put back silently.
    action = page.get_attribute(f"#question-{written['slug']}", "action")
    key = f"case-assessment-draft:{world['assessor'].pk}:{action}#1"
    page.evaluate(
        "([key]) => localStorage.setItem(key, JSON.stringify({value: 'An older text.', at: Date.now()}))", [key]
    )
    page.reload()
    offer = page.locator(f"#question-{written['slug']} [data-autosave-note]")
    offer.wait_for()
    assert "You typed a different answer here that was not saved" in offer.inner_text()
    assert "An older text." in offer.inner_text()
    assert page.input_value(field) == "Seen in the case record. The plan was reviewed."
    shot(page, "autosave-02b-older-draft-offered", f"#question-{written['slug']}")
    offer.locator("button", has_text="Put my unsaved text back").click()
    assert page.input_value(field) == "An older text."
    saved = wait_for_answer(world, written["id"], lambda a: a.revision == 3)
    assert saved.value == "An older text."


def test_answers_given_offline_reach_the_server_once_and_a_conflict_is_shown(page, browser, live_server, world):
    sign_in(page, live_server.url, "lowri", PASSWORD)
    url = view_url(live_server, world)
    page.goto(url)
    page.wait_for_function("navigator.serviceWorker.controller !== null")  # the worker controls the page
    first, second, written = pick(page)
    radio(page, first, 0).check()
    page.locator(f"[data-saved='{first['id']}']").wait_for()
    wait_for_answer(world, first["id"], lambda a: a.revision == 1)
    first, second, written = pick(page)  # an answer may show or hide questions

    # The network goes; the assessor keeps answering.
    page.context.set_offline(True)
    page.wait_for_selector("#autosave :text('You are offline')")
    radio(page, first, 1).check()  # changed, based on revision 1
    radio(page, second, 0).check()  # a first answer, based on revision 0
    page.click(f"#q-{written['slug']}")
    page.keyboard.type("Written without a network.")
    page.wait_for_selector("#autosave :text('Answers waiting to be sent: 3')")
    shot(page, "autosave-03-offline-waiting", "#autosave")
    assert axe_violations(page) == []
    assert answer(world, second["id"]) is None and answer(world, written["id"]) is None

    # Someone else answers the second question meanwhile, differently, from another browser.
    other = browser.new_context(locale="en-GB")
    other_page = other.new_page()
    sign_in(other_page, live_server.url, "ari", PASSWORD)
    other_page.goto(url)
    their = radio(other_page, second, 1)
    their_value = their.get_attribute("value")
    their.check()
    other_page.locator(f"[data-saved='{second['id']}']").wait_for()
    other.close()
    assert wait_for_answer(world, second["id"], lambda a: a.revision == 1).value == their_value

    # A reload without a network finds no page (none is cached), but nothing kept is lost.
    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED"):
        page.reload()
    page.context.set_offline(False)
    page.goto(url)

    # Back online: each kept answer is sent once; the one answered differently meanwhile is shown
    # as a conflict, with the assessor's answer still in the form, not written over.
    mine = radio(page, first, 1).get_attribute("value")
    assert wait_for_answer(world, first["id"], lambda a: a.revision == 2).value == mine
    assert wait_for_answer(world, written["id"], lambda a: a.revision == 1).value == "Written without a network."
    page.wait_for_selector(f"#question-{second['slug']} :text('saved a different answer to {second['id']}')")
    assert page.is_checked(f"#question-{second['slug']} input[type=radio] >> nth=0")
    page.wait_for_selector("#autosave :text('waiting to be sent')", state="detached")
    shot(page, "autosave-04-back-online-conflict", f"#question-{second['slug']}")
    kept = answer(world, second["id"])
    assert (kept.value, kept.revision, kept.updated_by.username) == (their_value, 1, "ari")
    revisions = AnswerRevision.objects.filter(answer__assessment=world["assessment"])
    counts = {q["id"]: revisions.filter(answer__question_id=q["id"]).count() for q in (first, second, written)}
    assert counts == {first["id"]: 2, second["id"]: 1, written["id"]: 1}
    assert page.evaluate("(async () => (await caches.keys()).length)()") == 1
    cached = page.evaluate(
        "(async () => { const c = await caches.open((await caches.keys())[0]);"
        " return (await c.keys()).map(r => new URL(r.url).pathname); })()"
    )
    assert cached and all(path.startswith("/static/") for path in cached)


def test_answers_whose_requests_fail_are_kept_and_sent_later(page_without_worker, live_server, world):
    page = page_without_worker
    sign_in(page, live_server.url, "lowri", PASSWORD)
    page.goto(view_url(live_server, world))
    first, _, written = pick(page)
    page.route(ANSWERS, lambda route: route.abort("connectionfailed"))
    radio(page, first, 0).check()
    page.click(f"#q-{written['slug']}")
    page.keyboard.type("Typed while the server could not be reached.")
    page.wait_for_selector("#autosave :text('Answers waiting to be sent: 2')")
    page.wait_for_selector(f"#question-{written['slug']} :text('Waiting to be sent')")
    shot(page, "autosave-05-requests-failing", f"#question-{written['slug']}")
    page.unroute(ANSWERS)
    saved = wait_for_answer(world, written["id"], lambda a: a.revision == 1)
    assert saved.value == "Typed while the server could not be reached."
    wait_for_answer(world, first["id"], lambda a: a.revision == 1)
    page.wait_for_selector("#autosave :text('waiting to be sent')", state="detached")


# What a page keeps on the device, read through the outbox module itself.
KEPT = """async () => (await import('/static/js/answer_outbox.js')).entries()"""


def test_signing_out_leaves_nothing_typed_on_the_device(page, live_server, world):
    sign_in(page, live_server.url, "lowri", PASSWORD)
    url = view_url(live_server, world)
    page.goto(url)
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    # An answer kept for a case that has gone since (the server refuses it), and a draft.
    gone = f"/inspections/{world['inspection'].reference}/cases/999999"
    page.evaluate(
        """async ([gone, user]) => {
          const outbox = await import('/static/js/answer_outbox.js');
          const token = document.querySelector('[name=csrfmiddlewaretoken]').value;
          await outbox.keep({url: gone + '/answers/1.1.1/', user, revision: 0, question: '1.1.1', slug: '1-1-1',
            viewUrl: gone + '/views/1/',
            fields: [['csrfmiddlewaretoken', token], ['expected_revision', '0'], ['value', 'Sufficient']]});
          localStorage.setItem(`case-assessment-draft:${user}:${gone}/answers/1.20a/#0`,
            JSON.stringify({value: 'Typed, never saved.', at: Date.now()}));
        }""",
        [gone, str(world["assessor"].pk)],
    )
    page.reload()
    link = page.locator("#autosave a", has_text="1.1.1: not saved, the answer could not be accepted.")
    link.wait_for()
    assert link.get_attribute("href") == f"{gone}/views/1/#question-1-1-1"
    assert [entry["state"] for entry in page.evaluate(KEPT)] == ["refused"]
    shot(page, "autosave-06-needs-attention", "#autosave")

    page.click("header button:has-text('Sign out')")
    page.wait_for_selector("#id_username")
    assert page.evaluate(KEPT) == []
    assert page.evaluate(DRAFTS) == []


def test_answers_kept_offline_are_sent_by_the_worker_after_the_tab_is_closed(strict_page, live_server, world):
    page = strict_page
    sign_in(page, live_server.url, "lowri", PASSWORD)
    page.goto(view_url(live_server, world))
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    first, _, _ = pick(page)
    page.context.set_offline(True)
    radio(page, first, 0).check()
    page.wait_for_selector("#autosave :text('Answers waiting to be sent: 1')")
    assert page.errors == []  # nothing refused by the Content-Security-Policy, no script error
    context = page.context
    page.close()  # no page is left to send it
    context.set_offline(False)
    assert wait_for_answer(world, first["id"], lambda a: a.revision == 1, timeout=30).updated_by == world["assessor"]


def test_text_being_typed_survives_another_answer_showing_more_questions(page, live_server, world):
    sign_in(page, live_server.url, "lowri", PASSWORD)
    page.goto(view_url(live_server, world))
    first, _, written = pick(page)
    page.click(f"#q-{written['slug']}")
    page.keyboard.type("Typed while another answer was saved.")
    # Another answer saved meanwhile (without leaving the text) shows a question, so every question
    # is drawn again; 1.1.1 Insufficient asks 1.1.3.
    assert first["id"] == "1.1.1"
    page.evaluate(
        """(slug) => { const radio = document.querySelector(`#question-${slug} input[value=Insufficient]`);
           radio.checked = true; radio.dispatchEvent(new Event('change', {bubbles: true})); }""",
        first["slug"],
    )
    page.wait_for_selector("#question-1-1-3")
    assert page.input_value(f"#q-{written['slug']}") == "Typed while another answer was saved."
    saved = wait_for_answer(world, written["id"], lambda a: a.revision == 1)
    assert saved.value == "Typed while another answer was saved."
