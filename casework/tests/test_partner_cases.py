"""The partner inspectorates' cases of a Full Joint Inspection (seed 001 §7 a, issue 14 §1-2).

Services: the suggestions (by RoSH and vulnerability on the long-list, by the answers in each
inspectorate's areas; England's and Wales's inspectorates), and setting and removing a case
(idempotent, audited). Pages and access: the inspectors choose; a partner inspector sees only their
own inspectorate's cases, read-only, by HMI Probation reference; anyone else gets 403 or 404, and a
forbidden POST changes nothing.
"""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.domain.bank import available_versions, load_bank
from casework.enums import CaseStatus, PartnerReason
from casework.models import Answer, Assessment, PartnerCase
from casework.services import assessment as assessment_services
from casework.services import partner
from casework.tests import factories as cf
from inspections.enums import Country, Inspectorate, Programme, StaffRole, TeamRole
from inspections.models import AuditEvent
from inspections.tests import factories as f

pytestmark = pytest.mark.django_db

NEED, REFERRAL, DEFICIT, RISK, GOOD = (
    PartnerReason.NEED.value,
    PartnerReason.REFERRAL.value,
    PartnerReason.DEFICIT.value,
    PartnerReason.RISK.value,
    PartnerReason.GOOD_PRACTICE.value,
)
ENGLAND = ["cqc", "ofsted", "hmic"]
WALES = ["hiw", "cssiw", "estyn", "hmic"]


def _fji(country: str = Country.ENGLAND):
    return f.inspection(programme=Programme.FJI, yot_=f.yot(country=country))


def _answer(case, question_id: str, value, user=None):
    user = user or case.inspection.lead_inspector
    assessment = assessment_services.assessment_start(case=case, user=user)
    current = Answer.objects.filter(assessment=assessment, question_id=question_id).first()
    assessment_services.assessment_answer(
        assessment=assessment, question_id=question_id, value=value, user=user,
        expected_revision=current.revision if current else 0,
    )  # fmt: skip


def _by_case(suggestions, inspectorate):
    return {s.case.reference: s for s in suggestions[inspectorate]}


# --- The question bank can tell what the signals ask -----------------------------------------------


@pytest.mark.parametrize("version", available_versions())
def test_signals_name_questions_and_options_of_every_bank(version):
    bank = load_bank(version)
    for area, signals in partner.SIGNALS.items():
        for signal in signals:
            assert signal.question_id in bank, (area, signal.question_id)
            question = bank.question(signal.question_id)
            assert signal.options <= set(question.options), (area, signal.question_id)
            if signal.insufficient:
                assert question.kind == "judgement", (area, signal.question_id)


def test_every_partner_inspectorate_has_an_area():
    assert set(partner.INSPECTORATE_AREAS) == set(Inspectorate.values)
    assert partner.INSPECTORATE_AREAS[Inspectorate.OFSTED] == (partner.LEARNING, partner.SAFEGUARDING)
    assert partner.INSPECTORATE_AREAS[Inspectorate.CSSIW] == (partner.SAFEGUARDING,)
    assert partner.INSPECTORATE_AREAS[Inspectorate.ESTYN] == (partner.LEARNING,)


ASKED = frozenset({"2.1.0", "2.1.2.3", "4.10.1", "1.1.4", "8", "4.19.1.2"})


@pytest.mark.parametrize(
    ("area", "answers", "insufficient", "expected"),
    [
        (partner.LEARNING, {"2.1.0": ["Education, training and employment"]}, set(), {NEED: ("2.1.0",)}),
        (partner.HEALTH, {"2.1.0": ["Education, training and employment"]}, set(), {}),
        (partner.HEALTH, {"2.1.0": ["Substance use", "Lifestyle"]}, set(), {NEED: ("2.1.0",)}),
        (partner.LEARNING, {"2.1.2.3": "Insufficient"}, {"2.1.2.3"}, {DEFICIT: ("2.1.2.3",)}),
        (partner.HEALTH, {"4.10.1": "Insufficient"}, {"4.10.1"}, {DEFICIT: ("4.10.1",)}),
        (partner.HEALTH, {"4.10.1": "Sufficient"}, set(), {}),
        (
            partner.HEALTH,
            {"1.1.4": ["Insufficient assessment of substance misuse"], "2.1.0": ["Physical health"]},
            set(),
            {NEED: ("2.1.0",), DEFICIT: ("1.1.4",)},
        ),
        (partner.SAFEGUARDING, {"8": "Yes"}, set(), {NEED: ("8",)}),
        (partner.SAFEGUARDING, {"8": "No"}, set(), {}),
        (partner.POLICE, {"4.19.1.2": "Yes"}, set(), {NEED: ("4.19.1.2",)}),
        # An answer the routing no longer asks (kept, hidden) shows nothing.
        (partner.LEARNING, {"5.1.3": ["Education, training and employment"]}, set(), {}),
    ],
    ids=[
        "ete-priority-is-learning-need",
        "ete-priority-is-not-health",
        "substance-use-is-health-need",
        "ete-planning-insufficient-is-deficit",
        "health-outcomes-insufficient-is-deficit",
        "health-outcomes-sufficient-is-nothing",
        "need-and-deficit-together",
        "child-protection-plan-is-safeguarding-need",
        "no-child-protection-plan-is-nothing",
        "arrest-is-police-need",
        "hidden-answer-is-nothing",
    ],
)
def test_signals_met(area, answers, insufficient, expected):
    assert partner.signals_met(area, asked=ASKED, answers=answers, insufficient=frozenset(insufficient)) == expected


# --- Suggestions -----------------------------------------------------------------------------------


def test_suggestions_by_rosh_and_vulnerability_go_to_every_inspectorate_of_england():
    inspection = _fji()
    high_rosh = cf.case(inspection, reference="HMIP-01")
    high_rosh.entry.rosh = "High"
    high_rosh.entry.save()
    very_vulnerable = cf.case(inspection, reference="HMIP-02")
    very_vulnerable.entry.vulnerability = "Very High"
    very_vulnerable.entry.save()
    cf.case(inspection, reference="HMIP-03")  # Low and Low, no answers
    medium = cf.case(inspection, reference="HMIP-04")
    medium.entry.rosh = "Medium"
    medium.entry.save()

    suggestions = partner.suggested_partner_cases(inspection)

    assert list(suggestions) == ENGLAND
    for inspectorate in ENGLAND:
        by_case = _by_case(suggestions, inspectorate)
        assert sorted(by_case) == ["HMIP-01", "HMIP-02"]
        assert by_case["HMIP-01"].reasons == (RISK,)
        assert (by_case["HMIP-01"].high_rosh, by_case["HMIP-01"].high_vulnerability) == (True, False)
        assert (by_case["HMIP-02"].high_rosh, by_case["HMIP-02"].high_vulnerability) == (False, True)


def test_suggestions_by_answers_go_to_the_inspectorate_of_the_area():
    inspection = _fji()
    ete = cf.case(inspection, reference="HMIP-01")
    _answer(ete, "2.1.0", ["Education, training and employment"])
    _answer(ete, "2.1.2.3", "Insufficient")
    health = cf.case(inspection, reference="HMIP-02")
    _answer(health, "4.10.1", "Insufficient")
    police = cf.case(inspection, reference="HMIP-03")
    _answer(police, "4.19.1.2", "Yes")
    nothing = cf.case(inspection, reference="HMIP-04")
    _answer(nothing, "4.10.1", "Sufficient")

    suggestions = partner.suggested_partner_cases(inspection)

    assert {i: sorted(_by_case(suggestions, i)) for i in ENGLAND} == {
        "cqc": ["HMIP-02"],
        "ofsted": ["HMIP-01"],
        "hmic": ["HMIP-03"],
    }
    ofsted = _by_case(suggestions, "ofsted")["HMIP-01"]
    assert ofsted.reasons == (NEED, DEFICIT)
    assert ofsted.questions == ("2.1.0", "2.1.2.3")
    assert _by_case(suggestions, "cqc")["HMIP-02"].reasons == (DEFICIT,)
    assert _by_case(suggestions, "hmic")["HMIP-03"].reasons == (NEED,)


def test_an_answer_hidden_by_a_later_change_no_longer_suggests():
    inspection = _fji()
    case = cf.case(inspection, reference="HMIP-01")
    _answer(case, "1.1.2", "Insufficient")
    _answer(case, "1.1.4", ["Insufficient assessment of education, training and employment"])
    assert sorted(_by_case(partner.suggested_partner_cases(inspection), "ofsted")) == ["HMIP-01"]

    _answer(case, "1.1.2", "Sufficient")  # 1.1.4 is no longer asked; its answer is kept

    assert Answer.objects.filter(question_id="1.1.4").count() == 1
    assert _by_case(partner.suggested_partner_cases(inspection), "ofsted") == {}


def test_suggestions_in_wales_go_to_the_welsh_inspectorates_by_area():
    inspection = _fji(Country.WALES)
    care = cf.case(inspection, reference="HMIP-01")
    _answer(care, "8", "Yes")
    ete = cf.case(inspection, reference="HMIP-02")
    _answer(ete, "2.12.2.3", "Insufficient")
    health = cf.case(inspection, reference="HMIP-03")
    _answer(health, "2.1.0", ["Emotional and mental health"])

    suggestions = partner.suggested_partner_cases(inspection)

    assert list(suggestions) == WALES
    assert {i: sorted(_by_case(suggestions, i)) for i in WALES} == {
        "hiw": ["HMIP-03"],
        "cssiw": ["HMIP-01"],
        "estyn": ["HMIP-02"],
        "hmic": [],
    }


def test_looked_after_on_the_long_list_is_a_safeguarding_need():
    inspection = _fji()
    case = cf.case(inspection, reference="HMIP-01")
    case.entry.looked_after = True
    case.entry.save()

    suggestions = partner.suggested_partner_cases(inspection)

    ofsted = _by_case(suggestions, "ofsted")["HMIP-01"]
    assert (ofsted.reasons, ofsted.looked_after, ofsted.questions) == ((NEED,), True, ())
    assert _by_case(suggestions, "cqc") == {}


def test_no_suggestions_for_an_sqs_or_for_cases_outside_the_final_sample():
    sqs = f.inspection(programme=Programme.SQS)
    case = cf.case(sqs)
    case.entry.rosh = "High"
    case.entry.save()
    assert partner.suggested_partner_cases(sqs) == {}

    inspection = _fji()
    removed = cf.case(inspection, reference="HMIP-01")
    removed.entry.rosh = "High"
    removed.entry.save()
    removed.status = CaseStatus.REMOVED
    removed.save()
    assert partner.suggested_partner_cases(inspection) == {"cqc": [], "ofsted": [], "hmic": []}


# --- Setting and removing -------------------------------------------------------------------------


def test_partner_case_set_is_idempotent_and_audited():
    inspection = _fji()
    lead = inspection.lead_inspector
    case = cf.case(inspection, reference="HMIP-01")

    first = partner.partner_case_set(case=case, inspectorate="ofsted", reasons=[DEFICIT, NEED], note=" ETE ", user=lead)
    again = partner.partner_case_set(case=case, inspectorate="ofsted", reasons=[NEED, DEFICIT], note="ETE", user=lead)

    assert (first.changed, again.changed) == (True, False)
    row = PartnerCase.objects.get()
    assert (row.reasons, row.note, row.chosen_by) == ([NEED, DEFICIT], "ETE", lead)
    assert list(AuditEvent.objects.filter(action__startswith="partner_case").values_list("action", "detail")) == [
        ("partner_case_added", {"case": "HMIP-01", "inspectorate": "ofsted", "reasons": [NEED, DEFICIT]})
    ]

    changed = partner.partner_case_set(case=case, inspectorate="ofsted", reasons=[GOOD], user=lead)

    assert changed.changed is True
    assert PartnerCase.objects.get().reasons == [GOOD]
    assert AuditEvent.objects.filter(action="partner_case_changed").get().detail == {
        "case": "HMIP-01", "inspectorate": "ofsted", "reasons": [GOOD], "before": [NEED, DEFICIT],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("inspectorate", "reasons", "field"),
    [
        ("estyn", [NEED], "inspectorate"),  # Estyn inspects in Wales only
        ("ofsted", [], "reasons"),
        ("ofsted", ["sunny"], "reasons"),
    ],
    ids=["wales-inspectorate-in-england", "no-reason", "unknown-reason"],
)
def test_partner_case_set_refuses(inspectorate, reasons, field):
    inspection = _fji()
    case = cf.case(inspection, reference="HMIP-01")
    with pytest.raises(ValidationError) as error:
        partner.partner_case_set(case=case, inspectorate=inspectorate, reasons=reasons, user=inspection.lead_inspector)
    assert field in error.value.message_dict
    assert PartnerCase.objects.count() == 0


def test_partner_case_set_refuses_an_sqs_and_a_removed_case():
    sqs = f.inspection(programme=Programme.SQS)
    with pytest.raises(ValidationError):
        partner.partner_case_set(case=cf.case(sqs), inspectorate="ofsted", reasons=[NEED], user=sqs.lead_inspector)
    inspection = _fji()
    removed = cf.case(inspection, reference="HMIP-01")
    removed.status = CaseStatus.REMOVED
    removed.save()
    with pytest.raises(ValidationError) as error:
        partner.partner_case_set(case=removed, inspectorate="ofsted", reasons=[NEED], user=inspection.lead_inspector)
    assert "case" in error.value.message_dict
    assert PartnerCase.objects.count() == 0


def test_partner_case_remove_needs_a_reason_and_is_idempotent():
    inspection = _fji()
    lead = inspection.lead_inspector
    case = cf.case(inspection, reference="HMIP-01")
    partner.partner_case_set(case=case, inspectorate="cqc", reasons=[RISK], user=lead)

    with pytest.raises(ValidationError):
        partner.partner_case_remove(case=case, inspectorate="cqc", reason="  ", user=lead)
    assert PartnerCase.objects.count() == 1

    assert partner.partner_case_remove(case=case, inspectorate="cqc", reason="Seen enough.", user=lead) is True
    assert partner.partner_case_remove(case=case, inspectorate="cqc", reason="Seen enough.", user=lead) is False
    assert PartnerCase.objects.count() == 0
    assert list(AuditEvent.objects.filter(action="partner_case_removed").values_list("detail", flat=True)) == [
        {"case": "HMIP-01", "inspectorate": "cqc", "reason": "Seen enough."}
    ]


def test_confirm_adds_suggestions_with_their_reasons_and_keeps_what_was_chosen():
    inspection = _fji()
    lead = inspection.lead_inspector
    risky, chosen, plain = (cf.case(inspection, reference=f"HMIP-0{n}") for n in (1, 2, 3))
    for case in (risky, chosen):
        case.entry.rosh = "High"
        case.entry.save()
    partner.partner_case_set(case=chosen, inspectorate="hmic", reasons=[GOOD], user=lead)

    added = partner.partner_cases_confirm(
        inspection=inspection, inspectorate="hmic", case_ids=[risky.pk, chosen.pk, plain.pk], user=lead
    )

    assert added == 1
    assert dict(PartnerCase.objects.values_list("case__reference", "reasons")) == {
        "HMIP-01": [RISK],
        "HMIP-02": [GOOD],
    }


# --- Pages and access ------------------------------------------------------------------------------

PERSONAS = [
    "lead",
    "assistant",
    "sso",
    "assessor",
    "other_assessor",
    "yot_manager",
    "stranger",
    "partner",
    "other_partner",
    "far_partner",
]


@pytest.fixture
def world():
    """An English FJI. ``case`` (HMIP-07, allocated to the local assessor) is Ofsted's; ``cqc_case``
    (HMIP-08) is CQC's; ``free_case`` (HMIP-09) nobody's. ``partner`` is Ofsted's inspector on this
    inspection, ``other_partner`` CQC's, ``far_partner`` Ofsted's on another inspection."""
    world = cf.team(programme=Programme.FJI)
    inspection, people = world["inspection"], world["people"]
    people["partner"] = f.member(inspection, TeamRole.PARTNER_INSPECTOR, username="partner", inspectorate="ofsted")
    people["other_partner"] = f.member(
        inspection, TeamRole.PARTNER_INSPECTOR, username="other_partner", inspectorate="cqc"
    )
    elsewhere = _fji()
    people["far_partner"] = f.member(
        elsewhere, TeamRole.PARTNER_INSPECTOR, username="far_partner", inspectorate="ofsted"
    )
    world["cqc_case"] = cf.case(inspection, reference="HMIP-08")
    world["free_case"] = cf.case(inspection, reference="HMIP-09")
    world["free_case"].entry.rosh = "Very High"
    world["free_case"].entry.save()
    assessment = assessment_services.assessment_start(case=world["case"], user=people["assessor"])
    assessment_services.assessment_answer(
        assessment=assessment, question_id="2.1.2.3", value="Insufficient", user=people["assessor"], expected_revision=0
    )
    lead = people["lead"]
    partner.partner_case_set(
        case=world["case"], inspectorate="ofsted", reasons=[DEFICIT], note="Look at ETE.", user=lead
    )
    partner.partner_case_set(case=world["cqc_case"], inspectorate="cqc", reasons=[REFERRAL], user=lead)
    return world


def _expect(ok: set[str], forbidden: set[str] = frozenset()) -> dict[str, int]:
    return {p: 200 if p in ok else 403 if p in forbidden else 404 for p in PERSONAS}


HMIP = {"lead", "assistant", "sso"}
INSPECTORS = {"lead", "assistant"}
TEAM_OTHERS = {"sso", "assessor", "other_assessor", "partner", "other_partner"}


def _url(world, name: str, case_key: str = "case") -> str:
    ref, pk = world["inspection"].reference, world[case_key].pk
    if name.startswith("view") and name[4:].isdigit():
        return reverse("casework:assess", args=[ref, pk, int(name[4:])])
    if name == "history":
        return reverse("casework:view_history", args=[ref, pk, 2])
    if name in ("case", "check", "review", "alert_raise"):
        return reverse(f"casework:{name}", args=[ref, pk])
    if name in ("partner_choose", "partner_confirm"):
        return reverse(f"casework:{name}", args=[ref, "ofsted"])
    if name == "partner_remove":
        return reverse("casework:partner_remove", args=[ref, "ofsted", pk])
    return reverse(f"casework:{name}", args=[ref])


# The Ofsted case: its partner sees it read-only; CQC's partner, and any other inspection's, do not.
SEES_OFSTED_CASE = {"lead", "assistant", "sso", "assessor", "partner"}
CASE_PAGES = [
    ("case", _expect(SEES_OFSTED_CASE)),
    *[(f"view{n}", _expect(SEES_OFSTED_CASE)) for n in range(6)],
    ("check", _expect(SEES_OFSTED_CASE)),
    ("history", _expect(SEES_OFSTED_CASE)),
    ("review", _expect({"lead", "assistant"}, {"sso", "assessor", "partner"})),
    ("alert_raise", _expect({"lead", "assistant", "assessor"}, {"sso", "partner"})),
]
INSPECTION_PAGES = [
    ("cases", _expect(HMIP | {"assessor", "other_assessor", "partner", "other_partner"})),
    ("alerts", _expect(HMIP, {"assessor", "other_assessor", "partner", "other_partner"})),
    ("moderation", _expect(INSPECTORS, TEAM_OTHERS)),
    ("scores", _expect(HMIP, {"assessor", "other_assessor", "partner", "other_partner"})),
    ("longlist", _expect(HMIP | {"yot_manager"}, {"assessor", "other_assessor", "partner", "other_partner"})),
    ("longlist_versions", _expect(HMIP | {"yot_manager"}, {"assessor", "other_assessor", "partner", "other_partner"})),
    ("sample", _expect(HMIP | {"yot_manager"}, {"assessor", "other_assessor", "partner", "other_partner"})),
    ("partner_cases", _expect(INSPECTORS | {"partner", "other_partner"}, {"sso", "assessor", "other_assessor"})),
    ("partner_choose", _expect(INSPECTORS, TEAM_OTHERS)),
    ("partner_remove", _expect(INSPECTORS, TEAM_OTHERS)),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("name", "expected"), CASE_PAGES + INSPECTION_PAGES, ids=[p[0] for p in CASE_PAGES + INSPECTION_PAGES]
)
def test_get_pages_by_persona(client, world, name, expected, persona):
    client.force_login(world["people"][persona])
    response = client.get(_url(world, name))
    assert response.status_code == expected[persona]
    page = response.content.decode()
    assert cf.CHILD_FAMILY_NAME not in page
    assert cf.CHILD_FIRST_NAMES not in page
    if persona in ("partner", "other_partner") and response.status_code == 200:
        # Partner inspectors never see a YOT case ID, and never another inspectorate's case.
        for case_key in ("case", "cqc_case", "free_case"):
            assert world[case_key].entry.case_id not in page
        other = {"partner": "cqc_case", "other_partner": "case"}[persona]
        assert world[other].reference not in page
        assert world["free_case"].reference not in page


@pytest.mark.parametrize("name", ["case", "view0", "view2", "check", "history"])
@pytest.mark.parametrize("case_key", ["cqc_case", "free_case"])
def test_partner_gets_404_on_a_case_not_their_inspectorates(client, world, name, case_key):
    client.force_login(world["people"]["partner"])
    assert client.get(_url(world, name, case_key)).status_code == 404


def test_other_partner_sees_their_own_case(client, world):
    client.force_login(world["people"]["other_partner"])
    assert client.get(_url(world, "case", "cqc_case")).status_code == 200
    assert client.get(_url(world, "case", "case")).status_code == 404


def test_partner_list_shows_only_their_inspectorates_cases(client, world):
    client.force_login(world["people"]["partner"])
    page = client.get(_url(world, "partner_cases")).content.decode()
    assert "Your inspectorate’s cases" in page
    assert "HMIP-07" in page
    assert "Look at ETE." in page
    assert "A shortfall in this area that is worth looking into further" in page
    assert "HMIP-08" not in page and "HMIP-09" not in page
    cases_page = client.get(_url(world, "cases")).content.decode()
    assert "HMIP-07" in cases_page and "HMIP-08" not in cases_page and "HMIP-09" not in cases_page


def test_partner_reads_the_case_but_cannot_answer(client, world):
    client.force_login(world["people"]["partner"])
    page = client.get(_url(world, "view2")).content.decode()
    assert "2.1.2.3" in page
    assert "Start the assessment" not in client.get(_url(world, "case")).content.decode()
    url = reverse("casework:answer", args=[world["inspection"].reference, world["case"].pk, "2.1.2.3"])
    before = list(Answer.objects.values_list("question_id", "value", "revision"))
    response = client.post(url, {"value": "Sufficient", "expected_revision": 1})
    assert response.status_code == 403
    assert list(Answer.objects.values_list("question_id", "value", "revision")) == before
    for name in ("start", "complete"):
        response = client.post(reverse(f"casework:{name}", args=[world["inspection"].reference, world["case"].pk]))
        assert response.status_code == 403
    assert Assessment.objects.get().completed_at is None


def test_lead_page_shows_suggestions_and_chosen_cases(client, world):
    client.force_login(world["people"]["lead"])
    page = client.get(_url(world, "partner_cases")).content.decode()
    for label in ("Care Quality Commission", "Ofsted", "HMI Constabulary"):
        assert label in page
    assert "Healthcare Inspectorate Wales" not in page
    # HMIP-09 has a very high RoSH on the long-list: suggested to every inspectorate.
    free_pk = world["free_case"].pk
    assert page.count(f'value="{free_pk}"') == 3
    assert "High risk of serious harm on the long-list." in page
    assert "Look at ETE." in page


def test_change_page_shows_what_was_chosen(client, world):
    client.force_login(world["people"]["lead"])
    page = client.get(_url(world, "partner_choose") + f"?case={world['case'].pk}").content.decode()
    assert "Why case HMIP-07 is for this inspectorate" in page
    assert re.search(r'value="deficit"\s+checked', page)
    assert not re.search(r'value="need"\s+checked', page)
    assert "Look at ETE.</textarea>" in page
    assert client.get(_url(world, "partner_choose") + "?case=999999").status_code == 404


def test_lead_confirms_adds_and_removes(client, world):
    client.force_login(world["people"]["lead"])
    free = world["free_case"]
    response = client.post(_url(world, "partner_confirm"), {"case": [free.pk]})
    assert response.status_code == 302
    assert PartnerCase.objects.get(case=free, inspectorate="ofsted").reasons == [RISK]
    again = client.post(_url(world, "partner_confirm"), {"case": [free.pk]}, follow=True)
    assert PartnerCase.objects.filter(case=free).count() == 1
    assert "A case you chose is no longer suggested" in again.content.decode()

    url = _url(world, "partner_choose") + f"?case={free.pk}"
    response = client.post(url, {"case": free.pk, "reasons": [RISK, GOOD], "note": "Good ETE work."})
    assert response.status_code == 302
    row = PartnerCase.objects.get(case=free, inspectorate="ofsted")
    assert (row.reasons, row.note) == ([RISK, GOOD], "Good ETE work.")

    response = client.post(_url(world, "partner_choose"), {"case": world["cqc_case"].pk, "reasons": []})
    assert response.status_code == 200
    assert "Choose at least one reason why this case is for this inspectorate." in response.content.decode()
    assert not PartnerCase.objects.filter(case=world["cqc_case"], inspectorate="ofsted").exists()

    remove = _url(world, "partner_remove", "free_case")
    refused = client.post(remove, {"reason": ""})
    assert refused.status_code == 200
    assert PartnerCase.objects.filter(case=free, inspectorate="ofsted").exists()
    assert client.post(remove, {"reason": "Not needed."}).status_code == 302
    assert not PartnerCase.objects.filter(case=free, inspectorate="ofsted").exists()
    twice = client.post(remove, {"reason": "Not needed."}, follow=True)
    assert "was already removed" in twice.content.decode()
    assert AuditEvent.objects.filter(action="partner_case_removed").count() == 1


@pytest.mark.parametrize(
    "persona", ["sso", "assessor", "partner", "other_partner", "yot_manager", "stranger", "far_partner"]
)
def test_forbidden_posts_change_nothing(client, world, persona):
    client.force_login(world["people"][persona])
    before = sorted(PartnerCase.objects.values_list("case_id", "inspectorate", "reasons", "note"))
    free = world["free_case"]
    expected = 403 if persona in TEAM_OTHERS else 404
    responses = [
        client.post(_url(world, "partner_confirm"), {"case": [free.pk]}),
        client.post(_url(world, "partner_choose"), {"case": free.pk, "reasons": [NEED]}),
        client.post(_url(world, "partner_remove"), {"reason": "Because."}),
    ]
    assert [r.status_code for r in responses] == [expected] * 3
    assert sorted(PartnerCase.objects.values_list("case_id", "inspectorate", "reasons", "note")) == before


def test_an_inspectorate_of_the_other_country_is_404(client, world):
    client.force_login(world["people"]["lead"])
    url = reverse("casework:partner_choose", args=[world["inspection"].reference, "estyn"])
    assert client.get(url).status_code == 404


def test_partner_cases_page_is_404_on_an_sqs(client):
    world = cf.team(programme=Programme.SQS)
    client.force_login(world["people"]["lead"])
    assert client.get(reverse("casework:partner_cases", args=[world["inspection"].reference])).status_code == 404


def test_a_partner_without_an_inspectorate_sees_no_case(client, world):
    nobody = f.member(world["inspection"], TeamRole.PARTNER_INSPECTOR, username="no_inspectorate")
    assert nobody.role == StaffRole.PARTNER_INSPECTOR and nobody.inspectorate == ""
    client.force_login(nobody)
    assert client.get(_url(world, "case")).status_code == 404
    assert client.get(_url(world, "partner_cases")).status_code == 403


def test_partner_cases_page_queries_do_not_grow_with_the_cases(client, world):
    lead = world["people"]["lead"]
    client.force_login(lead)
    url = _url(world, "partner_cases")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = queries()
    for n in range(6):
        case = cf.case(world["inspection"], reference=f"HMIP-Q{n}")
        case.entry.rosh = "High"
        case.entry.save()
        _answer(case, "2.1.2.3", "Insufficient", user=lead)
    assert queries() == before
