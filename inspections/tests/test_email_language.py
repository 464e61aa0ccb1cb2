"""Every email goes in the recipient's language (issue 13 §2): Welsh, English, or both for someone in
Wales whose language is not known (docs/rulebook.md, "Language of emails")."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from inspections import services
from inspections.accounts import services as account_services
from inspections.enums import ContactRole, Country, Language, StaffRole, Status, TeamRole
from inspections.models import AuditEvent, Contact, Inspection, User
from inspections.notifications import BILINGUAL, email_language, notify
from inspections.reminders import reminders_send
from inspections.tests import factories as f

ANNOUNCED_AT = dt.datetime(2027, 1, 22, 9, 45, tzinfo=dt.UTC)

# Words of the announcement as the Welsh catalogue has them, and the English they translate.
WELSH_SUBJECT = "Arolygiad o waith troseddau ieuenctid Westshire"
WELSH_LINES = ("TÎM YR AROLYGIAD", "1. RHESTR HIR YR ACHOSION", "2. GWYBODAETH YMLAEN LLAW", "28 Ionawr 2027")
ENGLISH_SUBJECT = "Inspection of youth offending work in Westshire"
ENGLISH_LINES = (
    "THE INSPECTION TEAM",
    "Please send us a list of your recent statutory cases",
    "Standalone attendance centre requirements are not required",
    "28 January 2027",
)


# --- The rule, over plain data ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("preference", "country", "expected"),
    [
        pytest.param(Language.WELSH, Country.WALES, Language.WELSH, id="welsh-in-wales"),
        pytest.param(Language.WELSH, Country.ENGLAND, Language.WELSH, id="welsh-in-england-is-still-welsh"),
        pytest.param(Language.ENGLISH, Country.WALES, Language.ENGLISH, id="english-in-wales-is-english-only"),
        pytest.param("", Country.WALES, BILINGUAL, id="not-known-in-wales-is-both"),
        pytest.param("", Country.ENGLAND, Language.ENGLISH, id="not-known-in-england-is-english"),
        pytest.param(None, None, Language.ENGLISH, id="nothing-known-is-english"),
    ],
)
def test_email_language_honours_a_recorded_preference(preference, country, expected):
    assert email_language(preference, country=country) == expected


@pytest.mark.parametrize(
    ("contacts", "country", "expected"),
    [
        pytest.param(
            [("a@x.gov.uk", Language.ENGLISH), ("b@x.gov.uk", Language.WELSH), ("c@x.gov.uk", "")],
            Country.WALES,
            {Language.WELSH: ("b@x.gov.uk",), BILINGUAL: ("c@x.gov.uk",), Language.ENGLISH: ("a@x.gov.uk",)},
            id="wales-three-groups-welsh-first",
        ),
        pytest.param(
            [("a@x.gov.uk", ""), ("b@x.gov.uk", Language.WELSH)],
            Country.ENGLAND,
            {Language.WELSH: ("b@x.gov.uk",), Language.ENGLISH: ("a@x.gov.uk",)},
            id="england-not-known-is-english",
        ),
        pytest.param(
            [("Sam@x.gov.uk", Language.WELSH), ("sam@x.gov.uk", Language.ENGLISH)],
            Country.ENGLAND,
            {BILINGUAL: ("Sam@x.gov.uk",)},
            id="one-address-two-preferences-gets-both-once",
        ),
        pytest.param(
            [("sam@x.gov.uk", Language.WELSH), ("SAM@x.gov.uk", Language.WELSH)],
            Country.WALES,
            {Language.WELSH: ("sam@x.gov.uk",)},
            id="one-address-twice-is-written-to-once",
        ),
    ],
)
def test_announcement_language_groups(contacts, country, expected):
    groups = services.announcement_language_groups(contacts, country=country)
    assert groups == expected
    assert list(groups) == list(expected)  # Welsh first, English last


# --- The announcement --------------------------------------------------------------------------


def _planned(country: str, languages: dict[str, str]) -> Inspection:
    """A planned inspection of Westshire with its announcement contacts, each with the language given
    for their role (the others keep the model's default, English)."""
    inspection = f.inspection(status=Status.PLANNED, yot_=f.yot(name="Westshire", country=country))
    f.member(inspection, TeamRole.SSO)
    f.announcement_contacts(inspection)
    for role, language in languages.items():
        Contact.objects.filter(inspection=inspection, role=role).update(language=language)
    return inspection


def _announce(inspection: Inspection, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.inspection_announce(
            inspection=inspection, by=inspection.lead_inspector, received_by="Pat Jones", now=ANNOUNCED_AT
        )


def _confirmations() -> list:
    return [m for m in mail.outbox if WELSH_SUBJECT in m.subject or ENGLISH_SUBJECT in m.subject]


def _confirmation_to(address: str):
    (message,) = [m for m in _confirmations() if address in m.to]
    return message


@pytest.mark.django_db
def test_a_welsh_contact_gets_the_welsh_announcement_and_the_others_the_english_once(
    django_capture_on_commit_callbacks,
):
    inspection = _planned(Country.WALES, {ContactRole.CHIEF_EXECUTIVE: Language.WELSH})
    _announce(inspection, django_capture_on_commit_callbacks)
    assert services.announcement_email_send(inspection=inspection) is False  # the task runs again

    welsh = _confirmation_to("chief_executive@council.example.gov.uk")
    english = _confirmation_to("board_chair@council.example.gov.uk")
    assert welsh.to == ["chief_executive@council.example.gov.uk"]
    assert sorted(english.to) == sorted(
        f"{role}@council.example.gov.uk" for role in ("board_chair", "director_social_care", "yot_manager")
    )
    assert len(_confirmations()) == 2
    assert welsh.subject.startswith(WELSH_SUBJECT)
    assert ENGLISH_SUBJECT not in welsh.subject
    for line in WELSH_LINES:
        assert line in welsh.body
    for line in ENGLISH_LINES:
        assert line not in welsh.body
    assert english.subject.startswith(ENGLISH_SUBJECT)
    for line in ENGLISH_LINES:
        assert line in english.body
    for line in WELSH_LINES:
        assert line not in english.body
    # Each language's send has its own audit row.
    sent = AuditEvent.objects.filter(inspection=inspection, action="announcement_email_sent").order_by("id")
    assert [(e.detail["language"], sorted(e.detail["to"])) for e in sent] == [
        (Language.WELSH, ["chief_executive@council.example.gov.uk"]),
        (Language.ENGLISH, sorted(english.to)),
    ]


@pytest.mark.django_db
def test_in_wales_a_contact_whose_language_is_not_known_gets_welsh_then_english_in_one_email(
    django_capture_on_commit_callbacks,
):
    inspection = _planned(Country.WALES, {ContactRole.BOARD_CHAIR: ""})
    _announce(inspection, django_capture_on_commit_callbacks)
    both = _confirmation_to("board_chair@council.example.gov.uk")
    assert both.to == ["board_chair@council.example.gov.uk"]
    assert both.subject.startswith(WELSH_SUBJECT)
    assert ENGLISH_SUBJECT in both.subject
    for welsh, english in zip(WELSH_LINES, ENGLISH_LINES, strict=False):
        assert both.body.index(welsh) < both.body.index(english)
    assert len(_confirmations()) == 2  # the bilingual one and the English one to the others


@pytest.mark.django_db
def test_in_england_a_contact_whose_language_is_not_known_gets_english(django_capture_on_commit_callbacks):
    inspection = _planned(Country.ENGLAND, {ContactRole.BOARD_CHAIR: ""})
    _announce(inspection, django_capture_on_commit_callbacks)
    (only,) = _confirmations()
    assert "board_chair@council.example.gov.uk" in only.to and len(only.to) == 4
    assert only.subject.startswith(ENGLISH_SUBJECT)
    assert not any(line in only.body for line in WELSH_LINES)


class FailsForEnglishBackend(EmailBackend):
    """The mail server refuses the message to the English readers (a transient failure)."""

    def send_messages(self, messages):
        if any("board_chair@council.example.gov.uk" in m.to for m in messages):
            raise ConnectionError("mail server went away")
        return super().send_messages(messages)


@pytest.mark.django_db
def test_a_retry_after_a_failure_sends_only_the_language_still_to_go(settings, django_capture_on_commit_callbacks):
    inspection = _planned(Country.WALES, {ContactRole.CHIEF_EXECUTIVE: Language.WELSH})
    settings.EMAIL_BACKEND = f"{__name__}.FailsForEnglishBackend"
    with django_capture_on_commit_callbacks(execute=False):  # the task's first run is the call below
        services.inspection_announce(
            inspection=inspection, by=inspection.lead_inspector, received_by="Pat Jones", now=ANNOUNCED_AT
        )
    inspection.refresh_from_db()
    with pytest.raises(ConnectionError):
        services.announcement_email_send(inspection=inspection)
    assert [m.to for m in _confirmations()] == [["chief_executive@council.example.gov.uk"]]
    assert Inspection.objects.get(pk=inspection.pk).announcement_email_sent_at is None  # the claim given back

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.announcement_email_send(inspection=inspection) is True
    assert services.announcement_email_send(inspection=inspection) is False
    welsh = [m for m in _confirmations() if m.subject.startswith(WELSH_SUBJECT)]
    english = [m for m in _confirmations() if m.subject.startswith(ENGLISH_SUBJECT)]
    assert len(welsh) == 1 and len(english) == 1


@pytest.mark.django_db
def test_the_announce_page_previews_each_language(client):
    inspection = _planned(Country.WALES, {ContactRole.CHIEF_EXECUTIVE: Language.WELSH, ContactRole.BOARD_CHAIR: ""})
    client.force_login(inspection.lead_inspector)
    page = client.get(reverse("inspections:announce", args=[inspection.reference])).content.decode()
    assert "In Welsh, to: chief_executive@council.example.gov.uk" in page
    assert "In Welsh and English, to: board_chair@council.example.gov.uk" in page
    assert "In English, to: director_social_care@council.example.gov.uk" in page
    assert "TÎM YR AROLYGIAD" in page and "THE INSPECTION TEAM" in page
    # Each language's text is marked as such (three previews: Welsh, both, English).
    assert page.count('<div lang="cy">') == 2 and page.count('<div lang="en-GB">') == 2


# --- Notices and reminders ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_reminder_to_a_welsh_speaking_yot_manager_is_in_welsh(django_capture_on_commit_callbacks):
    inspection = f.inspection(status=Status.ANNOUNCED, yot_=f.yot(name="Westshire", country=Country.WALES))
    f.user(role=StaffRole.YOT_MANAGER, yot=inspection.yot, email="nia@westshire.gov.uk", language=Language.WELSH)
    f.user(role=StaffRole.YOT_MANAGER, yot=inspection.yot, email="tom@westshire.gov.uk", language=Language.ENGLISH)
    long_list_due = inspection.timeline.get("long_list_due")
    day_before = dt.datetime.combine(long_list_due.date - dt.timedelta(days=1), dt.time(9), tzinfo=dt.UTC)
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(now=day_before)
    welsh = [m for m in mail.outbox if m.to == ["nia@westshire.gov.uk"]]
    english = [m for m in mail.outbox if m.to == ["tom@westshire.gov.uk"]]
    assert len(welsh) == len(english) >= 1
    assert welsh[0].subject.startswith("Nodyn atgoffa")
    assert "Dyma nodyn atgoffa am yr arolygiad o waith troseddau ieuenctid Westshire" in welsh[0].body
    assert "This is a reminder" not in welsh[0].body
    assert "Reminder" not in welsh[0].subject
    assert "This is a reminder about the inspection of youth offending work in Westshire" in english[0].body


@pytest.mark.django_db
def test_a_notice_to_a_contact_in_wales_whose_language_is_not_known_is_in_both(django_capture_on_commit_callbacks):
    inspection = f.inspection(yot_=f.yot(name="Westshire", country=Country.WALES))
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            key="announced-contact",
            kind="inspection_announced",
            template="inspection_announced",
            context={"inspection": inspection, "link": "http://testserver/x/"},
            email="chair@westshire.gov.uk",
            name="Jo Patel",
            language="",
            inspection=inspection,
        )
    assert notification.language == BILINGUAL
    (message,) = mail.outbox
    welsh_subject, english_subject = message.subject.split(" / ")
    assert english_subject == f"Inspection {inspection.reference} of Westshire has been announced"
    assert welsh_subject != english_subject
    assert message.body.index("Annwyl Jo Patel") < message.body.index("Dear Jo Patel")


@pytest.mark.django_db
def test_the_emails_page_says_an_email_went_in_both_languages(client, django_capture_on_commit_callbacks):
    inspection = f.inspection(yot_=f.yot(name="Westshire", country=Country.WALES))
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            key="k",
            kind="inspection_announced",
            template="inspection_announced",
            context={"inspection": inspection, "link": ""},
            email="chair@westshire.gov.uk",
            language="",
            inspection=inspection,
        )
    client.force_login(inspection.lead_inspector)
    page = client.get(reverse("inspections:notifications", args=[inspection.reference])).content.decode()
    assert "in Welsh and English" in page


@pytest.mark.django_db
def test_an_account_made_from_a_contact_in_wales_whose_language_is_not_known_is_invited_in_both(
    django_capture_on_commit_callbacks,
):
    inspection = _planned(Country.WALES, {ContactRole.YOT_MANAGER: ""})
    _announce(inspection, django_capture_on_commit_callbacks)
    manager = User.objects.get(email="yot_manager@council.example.gov.uk")
    assert manager.language == ""
    (invitation,) = [m for m in mail.outbox if m.to == [manager.email] and m not in _confirmations()]
    assert "You are invited to HMI Probation's youth offending inspections service" in invitation.subject
    assert " / " in invitation.subject
    assert invitation.body.index("Annwyl") < invitation.body.index("Dear")


@pytest.mark.django_db
def test_a_password_reset_for_someone_in_wales_who_has_not_chosen_is_in_both(client):
    f.user(role=StaffRole.YOT_MANAGER, yot=f.yot(country=Country.WALES), email="nia@westshire.gov.uk", language="")
    client.post(reverse("password_reset"), {"email": "nia@westshire.gov.uk"})
    (message,) = mail.outbox
    assert message.subject.startswith("Ailosod eich cyfrinair")
    assert "Reset your password for HMI Probation's youth offending inspections service" in message.subject
    body = message.body
    assert body.index("Gofynnodd rhywun am ailosod cyfrinair") < body.index("Someone asked to reset the password")
    # The same single link in both halves.
    assert len(set(re.findall(r"http://testserver/accounts/password/reset/\S+/", body))) == 1


# --- Recording the language --------------------------------------------------------------------


def _contact_post(**overrides) -> dict:
    data = {"role": ContactRole.BOARD_CHAIR, "name": "Jo Patel", "email": "jo@westshire.gov.uk", "phone": ""}
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_contact_form_stores_the_language(client):
    inspection = f.inspection(status=Status.PLANNED, yot_=f.yot(country=Country.WALES))
    client.force_login(inspection.lead_inspector)
    response = client.post(
        reverse("inspections:contact_add", args=[inspection.reference]), _contact_post(language=Language.WELSH)
    )
    assert response.status_code == 302
    contact = Contact.objects.get(inspection=inspection)
    assert (contact.name, contact.language) == ("Jo Patel", Language.WELSH)
    audit = AuditEvent.objects.get(inspection=inspection, action="contact_added")
    assert audit.detail["language"] == Language.WELSH


@pytest.mark.django_db
def test_the_contact_form_in_wales_may_be_left_unanswered_and_says_what_that_means(client):
    inspection = f.inspection(status=Status.PLANNED, yot_=f.yot(country=Country.WALES))
    client.force_login(inspection.lead_inspector)
    url = reverse("inspections:contact_add", args=[inspection.reference])
    page = client.get(url).content.decode()
    assert "Cymraeg" in page and "English" in page
    assert "their emails will be in Welsh and English" in page
    radios = re.findall(r'<input[^>]*name="language"[^>]*>', page)
    assert len(radios) == 2 and not any("checked" in radio for radio in radios)
    client.post(url, _contact_post())
    assert Contact.objects.get(inspection=inspection).language == ""


@pytest.mark.django_db
def test_the_contact_form_in_england_has_english_chosen(client):
    inspection = f.inspection(status=Status.PLANNED, yot_=f.yot(country=Country.ENGLAND))
    client.force_login(inspection.lead_inspector)
    page = client.get(reverse("inspections:contact_add", args=[inspection.reference])).content.decode()
    english = re.search(r'<input[^>]*name="language"[^>]*value="en-gb"[^>]*>', page).group(0)
    welsh = re.search(r'<input[^>]*name="language"[^>]*value="cy"[^>]*>', page).group(0)
    assert "checked" in english and "checked" not in welsh


@pytest.mark.django_db
def test_the_contact_form_keeps_what_was_typed_when_it_is_invalid(client):
    inspection = f.inspection(status=Status.PLANNED, yot_=f.yot(country=Country.WALES))
    client.force_login(inspection.lead_inspector)
    response = client.post(
        reverse("inspections:contact_add", args=[inspection.reference]),
        _contact_post(email="not an address", language=Language.WELSH),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter an email address in the correct format, like name@example.gov.uk" in page
    assert 'value="Jo Patel"' in page
    welsh = re.search(r'<input[^>]*name="language"[^>]*value="cy"[^>]*>', page).group(0)
    assert "checked" in welsh
    assert not Contact.objects.filter(inspection=inspection).exists()


@pytest.mark.django_db
def test_someone_not_on_the_inspection_cannot_add_a_contact(client):
    inspection = f.inspection(status=Status.PLANNED)
    client.force_login(f.user(role=StaffRole.LEAD_INSPECTOR))
    response = client.post(
        reverse("inspections:contact_add", args=[inspection.reference]), _contact_post(language=Language.WELSH)
    )
    assert response.status_code == 404
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_a_person_chooses_the_language_of_their_emails_on_their_account(client):
    inspection = f.inspection()
    person = f.user(role=StaffRole.YOT_MANAGER, yot=inspection.yot, language="")
    contact = Contact.objects.create(
        inspection=inspection, role=ContactRole.YOT_MANAGER, name="Nia Evans", email=person.email, user=person
    )
    other = f.user(role=StaffRole.YOT_MANAGER, yot=inspection.yot, language=Language.ENGLISH)
    client.force_login(person)
    account = client.get(reverse("accounts:your_account")).content.decode()
    assert "Language of your emails" in account and "Not chosen yet" in account
    response = client.post(reverse("accounts:your_language"), {"language": Language.WELSH}, follow=True)
    assert response.redirect_chain == [(reverse("accounts:your_account"), 302)]
    assert "Saved: your emails will be in Welsh." in response.content.decode()
    person.refresh_from_db()
    contact.refresh_from_db()
    other.refresh_from_db()
    assert (person.language, contact.language, other.language) == (Language.WELSH, Language.WELSH, Language.ENGLISH)


@pytest.mark.django_db
def test_choosing_no_language_on_the_account_page_says_so_and_changes_nothing(client):
    person = f.user(language=Language.ENGLISH)
    client.force_login(person)
    response = client.post(reverse("accounts:your_language"), {})
    assert response.status_code == 200
    assert "Choose the language of your emails" in response.content.decode()
    person.refresh_from_db()
    assert person.language == Language.ENGLISH


@pytest.mark.django_db
def test_the_language_page_needs_sign_in(client):
    response = client.post(reverse("accounts:your_language"), {"language": Language.WELSH})
    assert response.status_code == 302 and reverse("login") in response.url


@pytest.mark.django_db
def test_person_language_set_refuses_an_unknown_language():
    person = f.user(language=Language.ENGLISH)
    with pytest.raises(ValidationError, match="Choose the language of your emails"):
        account_services.person_language_set(person=person, language="fr")
    person.refresh_from_db()
    assert person.language == Language.ENGLISH


@pytest.mark.django_db
def test_the_inspection_page_says_which_language_each_contact_is_written_to(client):
    inspection = _planned(Country.WALES, {ContactRole.CHIEF_EXECUTIVE: Language.WELSH, ContactRole.BOARD_CHAIR: ""})
    client.force_login(inspection.lead_inspector)
    page = client.get(reverse("inspections:detail", args=[inspection.reference])).content.decode()
    assert re.search(r"chief_executive@council.example.gov.uk</td><td class=\"govuk-table__cell\">Welsh</td>", page)
    assert re.search(
        r"board_chair@council.example.gov.uk</td><td class=\"govuk-table__cell\">Welsh and English</td>", page
    )
    assert re.search(r"yot_manager@council.example.gov.uk</td><td class=\"govuk-table__cell\">English</td>", page)
