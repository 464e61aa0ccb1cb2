import datetime as dt

import pytest

from inspections.domain.eligibility import eligibility_windows


@pytest.mark.parametrize(
    ("announced", "first_tier", "community", "end"),
    [
        # Seed 000 Appendix A: at least 6 weeks before the announcement, up to a further 3 (1st tier)
        # or 6 (community, custodial) calendar months back.
        pytest.param(
            dt.date(2026, 3, 13), dt.date(2025, 10, 30), dt.date(2025, 7, 30), dt.date(2026, 1, 30), id="plain"
        ),
        pytest.param(
            dt.date(2026, 7, 12),
            dt.date(2026, 2, 28),
            dt.date(2025, 11, 30),
            dt.date(2026, 5, 31),
            id="clamps-to-february",
        ),
        pytest.param(
            dt.date(2027, 1, 22), dt.date(2026, 9, 11), dt.date(2026, 6, 11), dt.date(2026, 12, 11), id="across-year"
        ),
    ],
)
def test_eligibility_windows(announced, first_tier, community, end):
    windows = eligibility_windows(announced)
    assert (windows["first_tier"].start, windows["first_tier"].end) == (first_tier, end)
    assert (windows["community"].start, windows["custodial"].start) == (community, community)
    assert windows["custodial"].end == end
