"""Differences between two long-list versions. Pure."""

from __future__ import annotations

import dataclasses
import datetime as dt

from casework.longlist.diff import LongListChange, diff_longlists
from casework.longlist.sample_data import synthetic_rows
from casework.longlist.spec import Heading

ANNOUNCED = dt.date(2026, 3, 13)


def test_diff_names_added_removed_and_changed_cases():
    old = synthetic_rows(5, announced=ANNOUNCED, seed=1)
    new = [
        dataclasses.replace(old[0], rosh="Very High", case_manager="New Person"),
        *old[1:4],
        dataclasses.replace(old[4], case_id="Y999999"),
    ]
    diff = diff_longlists(old, new)
    assert diff.added == ("Y999999",)
    assert diff.removed == (old[4].case_id,)
    assert diff.changed == (LongListChange(old[0].case_id, ("Highest RoSH", "Case manager")),)


def test_diff_matches_case_ids_ignoring_case_and_sees_heading_moves():
    old = synthetic_rows(2, announced=ANNOUNCED, seed=2)
    moved = Heading.CUSTODIAL if old[0].heading is not Heading.CUSTODIAL else Heading.COMMUNITY
    new = [dataclasses.replace(old[0], case_id=old[0].case_id.lower(), heading=moved), old[1]]
    diff = diff_longlists(old, new)
    assert (diff.added, diff.removed) == ((), ())
    assert diff.changed == (LongListChange(old[0].case_id.lower(), ("Heading", "YOIS/Careworks/Childview ID")),)
    assert diff_longlists(old, old).unchanged
