"""Demo data for reports (registered in ``ReportsConfig.ready``), run after the schedule step.

The inspection week comes first: casework's ``fieldwork`` assesses three Manchester cases in full
(the schedule, now final, has allocated them), raises a Concern and records a supervisor's review.
No report is generated: a Report is made only by a generation job, which renders PDFs, and loading
the demo must stay fast. Generate the draft from the Manchester report page instead.

Newport's FJI (Wales) gets three service users' views (seed 001 §10): a child and a parent
interviewed about cases of the sample (the parent's by the Estyn partner inspector, about one of
Estyn's cases) and a victim's questionnaire not tied to a case. Its improvement plan cannot be shown:
the YOT sends one once the draft report has gone to it, and the demo generates no report.
"""

from __future__ import annotations

import datetime as dt

from casework.demo import fieldwork
from casework.models import PartnerCase
from inspections.demo import DemoContext
from inspections.enums import Inspectorate
from reports import voices

# Who gave the view, how, on which day of the fieldwork, the three answers, their words, consent to quote.
VIEWS = (
    ("child", "interview", 7, ("yes", "yes", "partly"), "Having the same worker all the way through.",
     "Meetings after school, not in the middle of lessons.", True),
    ("parent", "interview", 8, ("partly", "yes", "yes"), "The worker helped us get the school to take him back.",
     "We did not know who to call when the worker was away.", True),
    ("victim", "questionnaire", 9, ("no", "partly", "not_said"), "", "I was not told when the order finished.",
     False),
)  # fmt: skip


def step(context: DemoContext) -> None:
    fieldwork(context)
    _service_users(context)


def _service_users(context: DemoContext) -> None:
    inspection = context.inspections.get("newport")
    if inspection is None:
        return
    people = context.people
    cases = voices.sample_cases(inspection)
    estyn = (
        PartnerCase.objects.filter(case__inspection=inspection, inspectorate=Inspectorate.ESTYN)
        .select_related("case")
        .order_by("case__position")
        .first()
    )
    about = [cases[0] if cases else None, estyn.case if estyn else None, None]
    recorders = [people["lead"], people["partner.wales"] if estyn else people["assistant"], people["assistant"]]
    for (kind, method, day, answers, helped_most, better, quote), case, by in zip(VIEWS, about, recorders, strict=True):
        understood, listened, helped = answers
        voices.view_record(
            inspection=inspection, by=by, case=case, kind=kind, method=method,
            held_on=inspection.fieldwork_start + dt.timedelta(days=day), understood=understood, listened=listened,
            helped=helped, helped_most=helped_most, could_be_better=better, may_quote=quote,
        )  # fmt: skip
    context.write(f"{inspection.reference}: {len(VIEWS)} service users' views recorded")
