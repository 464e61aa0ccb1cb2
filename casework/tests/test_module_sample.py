"""The additional modules' own sample of a Full Joint Inspection (seed 001 §6, issue 14 §2).

Services: adding (references HMIP-M-01 …, never reused; a kind and a reason; a core sample case at
most once per module; the inspection's modules only), removing (kept, with why; idempotent), the
counts per module, the judgements of the bank's module questions (revisions, conflicts) and the
findings. Pages and access: HMI Probation's inspectors manage, the SSO reads, local assessors and
partner inspectors get 403, the YOT and strangers 404; a forbidden POST changes nothing; no child's
name on any page, and the YOT case ID only for those who may see identities (recorded).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from casework import retention
from casework.domain.bank import available_versions, load_bank
from casework.models import ModuleAnswer, ModuleCase
from casework.services import module_sample as services
from casework.tests import factories as cf
from inspections.enums import Language, Module, Programme, TeamRole
from inspections.models import AuditEvent, IdentityView
from inspections.tests import factories as f

pytestmark = pytest.mark.django_db

MODULES = [Module.EARLY_PREVENTION.value, Module.COURT_WORK.value, Module.GOVERNANCE.value]


@pytest.fixture
def world():
    """An English FJI with three modules, every persona, an Ofsted partner inspector, and one
    out-of-court disposal in the Early Prevention sample (``oocd``)."""
    world = cf.team(programme=Programme.FJI, modules=MODULES)
    inspection, people = world["inspection"], world["people"]
    people["partner"] = f.member(inspection, TeamRole.PARTNER_INSPECTOR, username="partner", inspectorate="ofsted")
    world["oocd"] = services.module_case_add(
        inspection=inspection, module="early_prevention", kind="Youth caution", yot_case_id="YC-88421",
        reason="First-time entrant, caution in October", user=people["lead"],
    )  # fmt: skip
    return world


def _add(world, module="court_work", **extra):
    values = {"kind": "Pre-sentence report", "reason": "Custody proposed", "user": world["people"]["lead"]}
    return services.module_case_add(inspection=world["inspection"], module=module, **{**values, **extra})


# --- The rulebook's data -------------------------------------------------------------------------


def test_every_module_has_its_case_kinds():
    assert set(services.MODULE_CASE_KINDS) == set(Module.values)
    assert services.MODULE_CASE_KINDS[Module.GOVERNANCE] == services.CaseKinds((), False)
    assert services.MODULE_CASE_KINDS[Module.EARLY_PREVENTION].from_core_sample is False


def test_module_questions_of_the_newest_bank():
    bank = load_bank(available_versions()[-1])
    found = {module: [q.id for q in services.module_questions(bank, module)] for module in Module.values}
    assert found == {
        "early_prevention": [], "court_work": ["1.5.3"], "interventions": ["1.15.1", "2.2.1", "4.13.2"],
        "drug_alcohol": [], "governance": [], "parents_carers": [], "victims_rj": [],
    }  # fmt: skip


@pytest.mark.parametrize("version", available_versions())
def test_module_questions_are_sufficient_or_insufficient(version):
    bank = load_bank(version)
    for module in Module.values:
        for question in services.module_questions(bank, module):
            assert set(question.options) == set(services.VALUES), (version, question.id)


def test_modules_of_follow_the_seed_order_and_an_sqs_has_none():
    inspection = f.inspection(programme=Programme.FJI, modules=["governance", "court_work"])
    assert services.modules_of(inspection) == ("court_work", "governance")
    assert services.modules_of(f.inspection(programme=Programme.SQS, modules=["court_work"])) == ()


# --- Adding and removing -------------------------------------------------------------------------


def test_add_gives_the_next_reference_and_audits(world):
    second = _add(world)
    assert (world["oocd"].reference, second.reference) == ("HMIP-M-01", "HMIP-M-02")
    assert second.bank_version == available_versions()[-1]
    assert list(AuditEvent.objects.filter(action="module_case_added").values_list("detail", flat=True)) == [
        {"case": "HMIP-M-01", "module": "early_prevention", "kind": "Youth caution",
         "reason": "First-time entrant, caution in October", "core_case": ""},
        {"case": "HMIP-M-02", "module": "court_work", "kind": "Pre-sentence report", "reason": "Custody proposed",
         "core_case": ""},
    ]  # fmt: skip


def test_a_removed_cases_reference_is_not_reused(world):
    lead = world["people"]["lead"]
    assert services.module_case_remove(module_case=world["oocd"], reason="Not a first-time entrant", user=lead)
    assert services.module_case_remove(module_case=world["oocd"], reason="Again", user=lead) is False
    assert _add(world).reference == "HMIP-M-02"
    row = ModuleCase.objects.get(reference="HMIP-M-01")
    assert (row.is_removed, row.removed_reason, row.removed_by) == (True, "Not a first-time entrant", lead)
    assert AuditEvent.objects.filter(action="module_case_removed").get().detail == {
        "case": "HMIP-M-01",
        "module": "early_prevention",
        "reason": "Not a first-time entrant",
    }
    assert services.module_counts(world["inspection"]) == {"early_prevention": 0, "court_work": 1, "governance": 0}


@pytest.mark.parametrize(
    ("module", "extra", "field"),
    [
        ("interventions", {}, "module"),
        ("court_work", {"reason": "  "}, "reason"),
        ("court_work", {"kind": ""}, "kind"),
        ("court_work", {"kind": "x" * 201}, "kind"),
        ("court_work", {"yot_case_id": "x" * 51}, "yot_case_id"),
    ],
    ids=["module-not-inspected", "no-reason", "no-kind", "kind-too-long", "case-id-too-long"],
)
def test_add_refuses(world, module, extra, field):
    with pytest.raises(ValidationError) as error:
        _add(world, module, **extra)
    assert list(error.value.message_dict) == [field]
    assert ModuleCase.objects.count() == 1


def test_add_refuses_an_sqs():
    sqs = f.inspection(programme=Programme.SQS, modules=["court_work"])
    with pytest.raises(ValidationError):
        services.module_case_add(inspection=sqs, module="court_work", kind="PSR", reason="x", user=sqs.lead_inspector)


def test_a_core_case_takes_its_order_type_and_is_marked_once_per_module(world):
    core = world["case"]
    row = _add(world, kind="", core_case=core)
    assert (row.kind, row.core_case) == ("Referral Order", core)
    assert list(services.core_cases_for(world["inspection"], "court_work")) == []
    with pytest.raises(ValidationError) as error:
        _add(world, core_case=core)
    assert list(error.value.message_dict) == ["core_case"]
    services.module_case_remove(module_case=row, reason="Wrong case", user=world["people"]["lead"])
    assert _add(world, core_case=core).reference == "HMIP-M-03"


def test_a_core_case_of_another_inspection_is_refused(world):
    elsewhere = cf.case(f.inspection(programme=Programme.FJI), reference="HMIP-01")
    with pytest.raises(ValidationError) as error:
        _add(world, core_case=elsewhere)
    assert list(error.value.message_dict) == ["core_case"]


# --- Judgements and findings ---------------------------------------------------------------------


def test_answer_records_revisions_and_refuses_a_stale_page(world):
    row, lead, assistant = _add(world), world["people"]["lead"], world["people"]["assistant"]
    first = services.module_answer_record(
        module_case=row, question_id="1.5.3", value="Insufficient", note="No PSR", user=lead, expected_revision=0
    )
    same = services.module_answer_record(
        module_case=row, question_id="1.5.3", value="Insufficient", note="No PSR ", user=lead, expected_revision=1
    )
    assert (first.pk, same.revision) == (same.pk, 1)
    with pytest.raises(services.AnswerConflict):
        services.module_answer_record(
            module_case=row, question_id="1.5.3", value="Sufficient", user=assistant, expected_revision=0
        )
    changed = services.module_answer_record(
        module_case=row, question_id="1.5.3", value="Sufficient", user=assistant, expected_revision=1
    )
    assert ModuleAnswer.objects.values_list("value", "note", "revision", "by").get() == (
        "Sufficient",
        "",
        2,
        assistant.pk,
    )
    assert changed.revision == 2
    assert [d["revision"] for d in AuditEvent.objects.filter(action="module_answer_saved").values_list(
        "detail", flat=True
    )] == [1, 2]  # fmt: skip


@pytest.mark.parametrize(
    ("question_id", "value"), [("1.15.1", "Sufficient"), ("2.1.2.3", "Sufficient"), ("1.5.3", "Yes")],
    ids=["another-modules-question", "a-core-question", "not-a-judgement"],
)  # fmt: skip
def test_answer_refuses(world, question_id, value):
    row = _add(world)
    with pytest.raises(ValidationError):
        services.module_answer_record(
            module_case=row, question_id=question_id, value=value, user=world["people"]["lead"], expected_revision=0
        )
    assert ModuleAnswer.objects.count() == 0


def test_a_removed_case_takes_no_judgement_or_findings(world):
    row, lead = _add(world), world["people"]["lead"]
    services.module_case_remove(module_case=row, reason="Out", user=lead)
    with pytest.raises(ValidationError):
        services.module_answer_record(module_case=row, question_id="1.5.3", value="Sufficient", user=lead,
                                      expected_revision=0)  # fmt: skip
    with pytest.raises(ValidationError):
        services.module_case_findings_save(module_case=row, findings="x", user=lead, expected_revision=0)


def test_findings_save_with_revisions(world):
    row, lead = world["oocd"], world["people"]["lead"]
    services.module_case_findings_save(module_case=row, findings=" Timely caution ", user=lead, expected_revision=0)
    services.module_case_findings_save(module_case=row, findings="Timely caution", user=lead, expected_revision=1)
    with pytest.raises(services.AnswerConflict):
        services.module_case_findings_save(module_case=row, findings="Other", user=lead, expected_revision=0)
    row.refresh_from_db()
    assert (row.findings, row.findings_revision) == ("Timely caution", 1)
    assert AuditEvent.objects.filter(action="module_findings_saved").count() == 1


# --- Pages and access ----------------------------------------------------------------------------

PERSONAS = ["lead", "assistant", "sso", "assessor", "other_assessor", "partner", "yot_manager", "stranger"]
INSPECTORS = {"lead", "assistant"}
TEAM_OTHERS = {"sso", "assessor", "other_assessor", "partner"}


def _expect(ok: set[str], forbidden: set[str]) -> dict[str, int]:
    return {p: 200 if p in ok else 403 if p in forbidden else 404 for p in PERSONAS}


def _url(world, name: str, *args) -> str:
    ref = world["inspection"].reference
    if name == "module_case_add":
        return reverse("casework:module_case_add", args=[ref, "early_prevention"])
    if name in ("module_case", "module_case_remove"):
        return reverse(f"casework:{name}", args=[ref, world["oocd"].pk])
    return reverse(f"casework:{name}", args=[ref, *args])


PAGES = [
    ("module_sample", _expect(INSPECTORS | {"sso"}, {"assessor", "other_assessor", "partner"})),
    ("module_case", _expect(INSPECTORS | {"sso"}, {"assessor", "other_assessor", "partner"})),
    ("module_case_add", _expect(INSPECTORS, TEAM_OTHERS)),
    ("module_case_remove", _expect(INSPECTORS, TEAM_OTHERS)),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_get_pages_by_persona(client, world, name, expected, persona):
    client.force_login(world["people"][persona])
    response = client.get(_url(world, name))
    assert response.status_code == expected[persona]
    page = response.content.decode()
    assert cf.CHILD_FAMILY_NAME not in page
    assert cf.CHILD_FIRST_NAMES not in page
    if response.status_code != 200:
        assert "YC-88421" not in page


@pytest.mark.parametrize("persona", ["sso", "assessor", "partner", "yot_manager", "stranger"])
def test_a_forbidden_post_changes_nothing(client, world, persona):
    client.force_login(world["people"][persona])
    ref, pk = world["inspection"].reference, world["oocd"].pk
    posts = [
        (_url(world, "module_case_add"), {"kind": "Triage", "reason": "x"}),
        (_url(world, "module_case_remove"), {"reason": "x"}),
        (reverse("casework:module_answer", args=[ref, pk, "1.5.3"]), {"value": "Sufficient", "expected_revision": 0}),
        (reverse("casework:module_findings", args=[ref, pk]), {"findings": "x", "expected_revision": 0}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code in (403, 404), url
    row = ModuleCase.objects.get()
    assert (row.is_removed, row.findings, ModuleAnswer.objects.count()) == (False, "", 0)


def test_an_sqs_has_no_module_sample(client):
    world = cf.team(programme=Programme.SQS)
    client.force_login(world["people"]["lead"])
    assert client.get(reverse("casework:module_sample", args=[world["inspection"].reference])).status_code == 404


def test_lead_adds_a_case_through_the_page(client, world):
    client.force_login(world["people"]["lead"])
    url = reverse("casework:module_case_add", args=[world["inspection"].reference, "court_work"])
    page = client.get(url).content.decode()
    assert "Do not write the child’s name: the service cannot check for it." in page
    assert "HMIP-07" in page  # a core sample case may be chosen, by its reference
    response = client.post(url, {"core_case": "", "kind": "Pre-sentence report", "yot_case_id": "", "reason": ""})
    assert response.status_code == 200
    assert "Say why this case is in the module’s sample." in response.content.decode()
    response = client.post(url, {"core_case": world["case"].pk, "kind": "", "reason": "PSR proposed custody"})
    assert response.status_code == 302
    assert ModuleCase.objects.values_list("reference", "module", "kind", "core_case").order_by("id").last() == (
        "HMIP-M-02",
        "court_work",
        "Referral Order",
        world["case"].pk,
    )


def test_list_shows_each_module_its_cases_and_the_case_id_to_the_team(client, world):
    client.force_login(world["people"]["sso"])
    page = client.get(_url(world, "module_sample")).content.decode()
    for label in ("Early Prevention &amp; Out of Court Disposals", "Court Work", "Governance"):
        assert label in page
    assert "Interventions" not in page
    assert "HMIP-M-01" in page and "Youth caution" in page and "YC-88421" in page
    assert "Add a case" not in page  # the SSO reads only
    assert page.count("The question bank has no questions for this module: record findings as notes.") == 2
    assert IdentityView.objects.filter(user=world["people"]["sso"], path=_url(world, "module_sample")).count() == 1


def test_case_page_without_module_questions_says_so(client, world):
    client.force_login(world["people"]["lead"])
    page = client.get(_url(world, "module_case")).content.decode()
    assert "The question bank has no questions for this module: record findings as notes." in page
    assert "Save the findings" in page


def test_case_page_records_a_judgement_and_shows_a_conflict(client, world):
    row = _add(world)
    client.force_login(world["people"]["lead"])
    ref = world["inspection"].reference
    page = client.get(reverse("casework:module_case", args=[ref, row.pk])).content.decode()
    assert "1.5.3" in page and "Specifically, was any written report produced of the appropriate type?" in page
    url = reverse("casework:module_answer", args=[ref, row.pk, "1.5.3"])
    response = client.post(url, {"value": "Insufficient", "note": "Late report", "expected_revision": 0})
    assert response.status_code == 302
    assert ModuleAnswer.objects.values_list("value", "note").get() == ("Insufficient", "Late report")
    stale = client.post(url, {"value": "Sufficient", "note": "", "expected_revision": 0})
    assert stale.status_code == 400
    assert "Someone else saved this judgement" in stale.content.decode()
    assert ModuleAnswer.objects.get().value == "Insufficient"
    assert client.post(reverse("casework:module_answer", args=[ref, row.pk, "2.1.2.3"]), {}).status_code == 404


def test_cases_page_links_the_module_sample_for_an_fji_only(client, world):
    client.force_login(world["people"]["lead"])
    link = _url(world, "module_sample")
    assert link in client.get(reverse("casework:cases", args=[world["inspection"].reference])).content.decode()
    client.force_login(world["people"]["assessor"])
    assert link not in client.get(reverse("casework:cases", args=[world["inspection"].reference])).content.decode()
    sqs = f.inspection(programme=Programme.SQS)
    client.force_login(sqs.lead_inspector)
    page = client.get(reverse("casework:cases", args=[sqs.reference])).content.decode()
    assert "module-sample" not in page


# --- Retention -------------------------------------------------------------------------------------


def test_retention_removes_names_and_the_yot_case_id_from_module_cases(world):
    lead = world["people"]["lead"]
    row = _add(world, yot_case_id="PSR-5531", reason=f"{cf.CHILD_FIRST_NAMES}'s report")
    services.module_answer_record(module_case=row, question_id="1.5.3", value="Sufficient", user=lead,
                                  note=f"{cf.CHILD_FAMILY_NAME} PSR-5531", expected_revision=0)  # fmt: skip
    services.module_case_findings_save(module_case=world["oocd"], findings="YC-88421 was timely", user=lead,
                                       expected_revision=0)  # fmt: skip
    retention.inspection_anonymise(inspection=world["inspection"])
    rows = ModuleCase.objects.order_by("reference").values_list("yot_case_id", "reason", "findings")
    assert list(rows) == [
        (retention.MARKER, "First-time entrant, caution in October", f"{retention.MARKER} was timely"),
        (retention.MARKER, f"{retention.MARKER}'s report", ""),
    ]
    assert ModuleAnswer.objects.get().note == f"{retention.MARKER} {retention.MARKER}"


def test_case_page_in_welsh_shows_the_banks_welsh(client, world):
    row, lead = _add(world), world["people"]["lead"]
    lead.language = Language.WELSH
    lead.save(update_fields=["language"])
    question = load_bank(row.bank_version).question("1.5.3")
    assert question.cy.get("text") and question.cy.get("options")
    client.force_login(lead)
    url = reverse("casework:module_case", args=[world["inspection"].reference, row.pk])
    # The page's Welsh stays active in the thread after the request: put English back for later tests.
    with translation.override(translation.get_language()):
        page = client.get(url).content.decode()
    assert escape(question.cy["text"]) in page
    assert escape(question.cy["options"][0]) in page
    assert question.text not in page
