"""Long-list intake and case sample selection: the pure core (no database).

Public API (the lead engineer's views and services call these):
- spec: Heading, FIELDS, fields_for, eligibility_windows, EligibilityWindow
- template.build_template(*, yot_name, announced, windows) -> bytes
- validate.validate_longlist(data, *, announced, filename=None, limits=None, max_errors=500)
  -> LongListResult(rows, errors, row_count); rows.LongListRow, rows.LongListError
- selection.select_sample(rows, *, size, programme="sqs", seed=0) -> Selection;
  check_sample(rows, selected, *, size, programme="sqs"); mix.mix_table(rows, selected)
- export.render(rows, *, headers, fmt, title="Export") -> bytes; neutralise(value)
- diff.diff_longlists(old_rows, new_rows) -> LongListDiff(added, removed, changed)
"""

from .diff import LongListChange, LongListDiff, diff_longlists
from .export import LONGLIST_HEADERS, longlist_rows, neutralise, render
from .mix import MixLine, mix_table
from .reader import ReadLimits
from .rows import LongListError, LongListResult, LongListRow
from .selection import (
    RuleCheck,
    SampleTargets,
    SelectedCase,
    Selection,
    check_sample,
    heading_quotas,
    sample_targets,
    select_sample,
)
from .spec import FIELDS, EligibilityWindow, Field, Heading, eligibility_windows, fields_for
from .template import build_template
from .validate import validate_longlist

__all__ = [
    "FIELDS",
    "LONGLIST_HEADERS",
    "EligibilityWindow",
    "Field",
    "Heading",
    "LongListChange",
    "LongListDiff",
    "LongListError",
    "LongListResult",
    "LongListRow",
    "MixLine",
    "ReadLimits",
    "RuleCheck",
    "SampleTargets",
    "SelectedCase",
    "Selection",
    "build_template",
    "check_sample",
    "diff_longlists",
    "eligibility_windows",
    "fields_for",
    "heading_quotas",
    "longlist_rows",
    "mix_table",
    "neutralise",
    "render",
    "sample_targets",
    "select_sample",
    "validate_longlist",
]
