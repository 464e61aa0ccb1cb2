"""Demo data for reports (registered in ``ReportsConfig.ready``), run after the schedule step.

The inspection week comes first: casework's ``fieldwork`` assesses three Manchester cases in full
(the schedule, now final, has allocated them), raises a Concern and records a supervisor's review.
No report is generated: a Report is made only by a generation job, which renders PDFs, and loading
the demo must stay fast. Generate the draft from the Manchester report page instead.
"""

from __future__ import annotations

from casework.demo import fieldwork
from inspections.demo import DemoContext


def step(context: DemoContext) -> None:
    fieldwork(context)
