"""Service users' views in an FJI (issue 14 §4; seed 001 §10): recorded by the team without names,
summarised in numbers and quotes given with consent, drafted into the FJI report and the poster, and
seen only by HMI Probation's staff and the partner inspectors of the inspection."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casework.domain.bank import load_bank
from casework.domain.scores import score
from casework.models import Case
from inspections.enums import Status, TeamRole
from inspections.tests import factories as f
from reports import voices
from reports.domain import drafting
from reports.domain.voices import poster_line, report_text, summarise
from reports.models import ServiceUserView
from reports.tests.factories import world as report_world

pytestmark = pytest.mark.django_db


def answer(**kw):
    values = dict(
        kind="child", method="interview", understood="yes", listened="yes", helped="partly",
        helped_most="", could_be_better="", may_quote=False,
    )  # fmt: skip
    values.update(kw)
    return SimpleNamespace(**values)


def test_the_summary_counts_each_answer_and_quotes_only_with_consent():
    summary = summarise(
        [
            answer(helped="yes", helped_most="My worker came to every meeting", may_quote=True),
            answer(kind="parent", helped="no", could_be_better="Tell me about meetings sooner", may_quote=True),
            answer(kind="victim", helped="not_said", helped_most="Private words", may_quote=False),
        ]
    )
    assert summary.total == 3 and summary.by_kind == {"child": 1, "parent": 1, "victim": 1}
    assert summary.answers["helped"] == {"yes": 1, "no": 1, "not_said": 1}
    assert summary.yes_share("helped") == 50  # "did not say" is left out of the share
    assert summary.helped_most == ["My worker came to every meeting"]  # the unconsented quote is not used
    text = report_text(summary)
    assert "We heard from 3 people: 1 children and young people, 1 parents or carers, 1 victims." in text
    assert "Said the work had helped: 50% said yes." in text
    assert "“Tell me about meetings sooner”" in text and "Private words" not in text
    assert (
        poster_line(summary) == "We talked to 3 children, parents, carers and victims. 50% told us the work had helped."
    )


def test_with_no_views_the_draft_asks_the_lead_inspector_and_the_poster_says_nothing():
    empty = summarise([])
    assert "no views of children, parents or carers, or victims are recorded yet" in report_text(empty)
    assert poster_line(empty) is None


@pytest.fixture
def fji():
    inspection, people = report_world(programme="fji", status=Status.FIELDWORK)
    people["partner"] = f.member(inspection, TeamRole.PARTNER_INSPECTOR)
    return {"inspection": inspection, "people": people, "case": Case.objects.filter(inspection=inspection).first()}


def _fields(**kw):
    values = dict(
        kind="parent", method="interview", held_on=dt.date(2027, 3, 9), understood="yes", listened="partly",
        helped="yes", helped_most="The parenting course", could_be_better="", may_quote=True,
    )  # fmt: skip
    values.update(kw)
    return values


def test_a_view_is_recorded_for_a_sample_case_only(fji):
    other, _people = report_world(programme="fji", name="Elsewhere")
    elsewhere = Case.objects.filter(inspection=other).first()
    with pytest.raises(ValidationError) as refused:
        voices.view_record(inspection=fji["inspection"], by=fji["people"]["lead"], case=elsewhere, **_fields())
    assert "case" in refused.value.error_dict
    view = voices.view_record(inspection=fji["inspection"], by=fji["people"]["partner"], case=fji["case"], **_fields())
    assert view.case == fji["case"] and view.recorded_by == fji["people"]["partner"]


def test_the_fji_draft_has_a_section_from_the_views_and_the_poster_a_line():
    summary = summarise([answer(helped="yes")])
    bank = load_bank()
    sections = drafting.fji_sections(bank, score(bank, []), [], voices=summary)
    by_key = {s.key: s for s in sections}
    assert by_key["voices"].title == "What children, parents and carers, and victims told us"
    assert "We heard from 1 people" in by_key["voices"].text
    assert "100% told us the work had helped." in by_key["poster"].text
    keys = [s.key for s in sections]
    assert keys.index("voices") < keys.index("recommendations")


def _url(fji):
    return reverse("reports:service_users", args=[fji["inspection"].reference])


def _post(fji, **kw):
    data = {
        "kind": "child", "method": "interview", "case": str(fji["case"].pk), "understood": "yes",
        "listened": "yes", "helped": "partly", "helped_most": "", "could_be_better": "Quicker replies",
        "may_quote": "on", "held_on_0": "9", "held_on_1": "3", "held_on_2": "2027",
    }  # fmt: skip
    data.update(kw)
    return data


def test_recorded_on_the_page_and_summarised_there(client, fji):
    client.force_login(fji["people"]["lead"])
    response = client.post(_url(fji), _post(fji))
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(_url(fji)).content.decode()
    assert "What 1 person told us" in page and fji["case"].label in page


def test_a_view_about_a_later_case_of_the_sample_is_recorded_for_that_case(client, fji):
    last = Case.objects.filter(inspection=fji["inspection"]).order_by("position").last()
    client.force_login(fji["people"]["partner"])
    response = client.post(_url(fji), _post(fji, case=str(last.pk)))
    assert response.status_code == 302
    assert ServiceUserView.objects.get(inspection=fji["inspection"]).case == last


def test_a_missing_answer_names_the_question_and_keeps_what_was_typed(client, fji):
    client.force_login(fji["people"]["partner"])
    response = client.post(_url(fji), _post(fji, helped="", could_be_better="Keep this text"))
    page = response.content.decode()
    assert response.status_code == 400 and "Choose an answer to “Has the work helped”" in page
    assert "Keep this text" in page and not ServiceUserView.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("lead", 200), ("assistant", 200), ("sso", 200), ("partner", 200),
        ("assessor", 403), ("yot_manager", 403), ("stranger", 404),
    ],
)  # fmt: skip
def test_who_may_see_and_record_them(client, fji, persona, status):
    client.force_login(fji["people"][persona])
    assert client.get(_url(fji)).status_code == status
    response = client.post(_url(fji), _post(fji))
    assert response.status_code == (302 if status == 200 else status)
    assert ServiceUserView.objects.exists() == (status == 200)


def test_an_sqs_has_no_service_users_page(client):
    inspection, people = report_world(programme="sqs")
    client.force_login(people["lead"])
    assert client.get(reverse("reports:service_users", args=[inspection.reference])).status_code == 404


def test_a_partner_inspector_of_another_inspection_gets_404(client, fji):
    other, _people = report_world(programme="fji", name="Elsewhere")
    outsider = f.member(other, TeamRole.PARTNER_INSPECTOR)
    client.force_login(outsider)
    assert client.get(_url(fji)).status_code == 404
    assert client.post(_url(fji), _post(fji)).status_code == 404
    assert not ServiceUserView.objects.exists()
