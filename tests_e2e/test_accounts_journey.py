"""Issue 9 in a real browser: a real inspection between people who have no account yet.

The administrator adds a YOT and a lead inspector; the lead inspector takes the invitation from
their email, sets a password, plans an inspection of the new YOT, records its contacts and the
announcement; the YOT manager, who had no account, takes their own invitation, sets a password,
finds the long-list on their "What's next" page and uploads it; the lead inspector is told. axe
finds no serious or critical violation on the pages on the way.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail

from casework.models import LongList
from casework.tests import factories_longlist as fl
from inspections.enums import StaffRole, Status
from inspections.models import Inspection, User
from inspections.tests import factories as f
from tests_e2e.conftest import assert_accessible, future_clear_monday, sign_in

PASSWORD = "correct horse battery"
LENA_PASSWORD = "plum orchard lantern 42"
PRIYA_PASSWORD = "seven quiet herons 19"


def invitation_link(to: str) -> str:
    """The set-a-password link in the last email to ``to`` (the test settings keep emails in memory)."""
    sent = [m for m in mail.outbox if m.to == [to]]
    assert sent, f"no email to {to}: {[m.to for m in mail.outbox]}"
    found = re.search(r"https?://\S+/accounts/invitation/\S+/", sent[-1].body)
    assert found, sent[-1].body
    return found.group(0)


def sign_out(page) -> None:
    page.click("header button:has-text('Sign out')")
    page.wait_for_selector("#id_username")


def set_password(page, link: str, base: str, password: str) -> None:
    # The link is absolute (SITE_URL); the browser follows its path on the live server.
    page.goto(base + link[link.index("/accounts/invitation/") :])
    page.wait_for_selector("h1:has-text('Create your password')")
    page.fill("input[name=new_password1]", password)
    page.fill("input[name=new_password2]", password)
    page.click("main form [type=submit]")
    page.wait_for_selector("h1:has-text('What’s next')")


@pytest.mark.django_db(transaction=True)
def test_people_with_no_account_are_invited_and_carry_the_inspection_to_the_long_list(page, live_server, tmp_path):
    f.user(role=StaffRole.ADMINISTRATOR, username="ada", first_name="Ada", last_name="Admin")
    base = live_server.url

    # The administrator adds the YOT and the lead inspector.
    sign_in(page, base, "ada", PASSWORD)
    page.wait_for_selector("h1:has-text('What’s next')")
    page.click("header a:has-text('Youth offending teams')")
    page.wait_for_selector("h1:has-text('Youth offending teams')")
    page.click("text=Add a youth offending team")
    page.click("main form [type=submit]")  # nothing typed: each field is named
    page.wait_for_selector(".govuk-error-summary")
    assert "Enter the YOT's name" in page.inner_text(".govuk-error-summary")
    assert_accessible(page, "accounts-01-yot-errors")
    page.fill("input[name=code]", "westmoor")
    page.fill("input[name=name]", "Westmoor")
    page.check("input[name=country][value=england]")
    page.click("main form [type=submit]")
    page.wait_for_selector("main >> text=Westmoor")

    page.click("header a:has-text('People')")
    page.wait_for_selector("h1:has-text('People')")
    page.click("text=Add a person")
    page.fill("input[name=first_name]", "Lena")
    page.fill("input[name=last_name]", "Hughes")
    page.fill("input[name=email]", "lena.hughes@justice.example.gov.uk")
    page.check("input[name=language][value=en-gb]")
    page.check("input[name=role][value=lead_inspector]")
    assert_accessible(page, "accounts-02-add-person")
    page.click("main form [type=submit]")
    page.wait_for_selector("text=lena.hughes@justice.example.gov.uk")
    assert_accessible(page, "accounts-03-people")
    lena = User.objects.get(email="lena.hughes@justice.example.gov.uk")
    assert lena.role == StaffRole.LEAD_INSPECTOR and not lena.has_usable_password()
    sign_out(page)

    # The lead inspector sets a password from the invitation and plans the inspection.
    link = invitation_link("lena.hughes@justice.example.gov.uk")
    page.goto(base + link[link.index("/accounts/invitation/") :])
    page.wait_for_selector("h1:has-text('Create your password')")
    assert_accessible(page, "accounts-04-create-password")
    set_password(page, link, base, LENA_PASSWORD)
    # Used once: the same link now says so and changes nothing.
    page.goto(base + link[link.index("/accounts/invitation/") :])
    page.wait_for_selector("h1:has-text('This invitation has already been used')")
    page.goto(f"{base}/")

    start = future_clear_monday("england")
    page.click("text=Plan an inspection")
    page.check("input[name=programme][value=sqs]")
    page.select_option("select[name=yot]", label="Westmoor")
    page.fill("input[name=fieldwork_start_0]", str(start.day))
    page.fill("input[name=fieldwork_start_1]", str(start.month))
    page.fill("input[name=fieldwork_start_2]", str(start.year))
    page.click("main form [type=submit]")
    page.wait_for_selector("h1:has-text('Westmoor')")
    inspection = Inspection.objects.get(yot__code="westmoor")

    contacts = [
        ("chief_executive", "Sam Okafor", "sam.okafor@westmoor.example.gov.uk"),
        ("board_chair", "Morgan Reed", "morgan.reed@westmoor.example.gov.uk"),
        ("director_childrens_services", "Alex Byrne", "alex.byrne@westmoor.example.gov.uk"),
        ("yot_manager", "Priya Shah", "priya.shah@westmoor.example.gov.uk"),
    ]
    for role, name, email in contacts:
        page.click("text=Add a contact")
        page.select_option("select[name=role]", role)
        page.fill("input[name=name]", name)
        page.fill("input[name=email]", email)
        page.click("main form [type=submit]")
        page.wait_for_selector(f"main >> text={email}")

    page.click("text=Record the announcement")
    assert "Priya Shah (priya.shah@westmoor.example.gov.uk) has no password yet" in page.inner_text("main")
    page.fill("input[name=received_by]", "Priya Shah")
    assert_accessible(page, "accounts-05-announce")
    page.click("main form [type=submit]")
    page.wait_for_selector("text=Announcement recorded and the confirmation email sent.")
    assert Inspection.objects.get(pk=inspection.pk).status == Status.ANNOUNCED
    priya = User.objects.get(email="priya.shah@westmoor.example.gov.uk")
    assert priya.role == StaffRole.YOT_MANAGER and priya.yot.code == "westmoor"
    assert not priya.has_usable_password()
    # Only the YOT manager needs an account; the other contacts are told by the announcement.
    assert not User.objects.filter(email="sam.okafor@westmoor.example.gov.uk").exists()
    sign_out(page)

    # The YOT manager sets a password and finds what is due from them.
    set_password(page, invitation_link("priya.shah@westmoor.example.gov.uk"), base, PRIYA_PASSWORD)
    home = page.inner_text("main")
    assert "Westmoor" in home
    assert "long-list" in home.lower()
    assert_accessible(page, "accounts-06-yot-manager-home")

    page.goto(f"{base}/inspections/{inspection.reference}/")
    page.click("nav[aria-label='Inspection sections'] >> text=Long-list")
    page.wait_for_selector("h1:has-text('Long-list')")
    with page.expect_download() as download:
        page.click("text=Download the long-list template")
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    inspection = Inspection.objects.get(pk=inspection.pk)
    upload = tmp_path / "westmoor long-list.xlsx"
    upload.write_bytes(fl.filled_template(inspection, fl.rows_for(inspection, 45), template=template.read_bytes()))
    mail.outbox.clear()
    page.set_input_files("input[name=upload]", str(upload))
    page.click("main form button[type=submit], main form input[type=submit]")
    page.wait_for_selector(".govuk-notification-banner--success")
    assert LongList.objects.filter(inspection=inspection).count() == 1

    # The lead inspector is told, with a link into the service.
    told = [m for m in mail.outbox if m.to == ["lena.hughes@justice.example.gov.uk"]]
    assert told and "long-list" in told[0].body.lower()
    assert f"/inspections/{inspection.reference}/" in told[0].body
    sign_out(page)

    # The lead inspector sees who was shown the children's names: the YOT manager, on the long-list.
    sign_in(page, base, lena.username, LENA_PASSWORD)
    page.wait_for_selector("h1:has-text('What’s next')")
    page.goto(f"{base}/inspections/{inspection.reference}/")
    page.click("nav[aria-label='Inspection sections'] >> text=Who saw children’s details")
    page.wait_for_selector("h1:has-text('Who saw children’s details')")
    record = page.inner_text("main table")
    assert "Priya Shah" in record and "Long-list" in record
    assert_accessible(page, "accounts-07-who-saw")
    sign_out(page)

    # A YOT manager of another YOT still sees nothing of this inspection.
    f.user(role=StaffRole.YOT_MANAGER, username="other_yot", yot=f.yot(name="Eastmoor"))
    sign_in(page, base, "other_yot", PASSWORD)
    page.wait_for_selector("h1")
    response = page.goto(f"{base}/inspections/{inspection.reference}/")
    assert response.status in (403, 404)
