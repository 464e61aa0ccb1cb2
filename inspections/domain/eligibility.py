"""Long-list eligibility windows, seed 000 Appendix A.

"1st tier cases that commenced at least 6 weeks, and going back up to a further 3 months
before the inspection announcement, and community and custodial cases that commenced at
least 6 weeks and going back up to a further 6 months before the announcement."

Reading: the window ends 6 calendar weeks (42 days) before the announcement date and
starts 3 (or 6) calendar months before that end; both ends are included. It lives here,
below casework, because the announcement email states it too (seed 000 §10.2).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

FIRST_TIER = "first_tier"
COMMUNITY = "community"
CUSTODIAL = "custodial"
HEADINGS = (FIRST_TIER, COMMUNITY, CUSTODIAL)
HEADING_LABELS = {FIRST_TIER: "1st tier", COMMUNITY: "Community", CUSTODIAL: "Custodial"}

MINIMUM_AGE = dt.timedelta(weeks=6)
FURTHER_MONTHS = {FIRST_TIER: 3, COMMUNITY: 6, CUSTODIAL: 6}


@dataclass(frozen=True)
class Window:
    heading: str
    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def eligibility_windows(announced: dt.date) -> dict[str, Window]:
    end = announced - MINIMUM_AGE
    return {heading: Window(heading, end - relativedelta(months=FURTHER_MONTHS[heading]), end) for heading in HEADINGS}
