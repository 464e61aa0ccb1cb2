"""What changed between two versions of a long-list (issue 3: "the SSO sees what changed").

Cases are matched by case ID, case-insensitively. A changed case lists the headers of the fields that
differ, so the page can say "Y100042: Highest RoSH, Case manager changed".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .rows import LongListRow
from .spec import FIELDS

_COMPARED = ("heading", *(f.key for f in FIELDS))
_HEADERS = {"heading": "Heading", **{f.key: f.header for f in FIELDS}}


@dataclass(frozen=True)
class LongListChange:
    case_id: str
    fields: tuple[str, ...]  # column headers of the fields that differ


@dataclass(frozen=True)
class LongListDiff:
    added: tuple[str, ...]  # case IDs only in the new version
    removed: tuple[str, ...]  # case IDs only in the old version
    changed: tuple[LongListChange, ...]

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.changed)


def diff_longlists(old: Sequence[LongListRow], new: Sequence[LongListRow]) -> LongListDiff:
    before = {r.case_id.casefold(): r for r in old}
    after = {r.case_id.casefold(): r for r in new}
    changed = []
    for key in sorted(before.keys() & after.keys()):
        a, b = before[key], after[key]
        fields = tuple(_HEADERS[k] for k in _COMPARED if getattr(a, k) != getattr(b, k))
        if fields:
            changed.append(LongListChange(b.case_id, fields))
    return LongListDiff(
        added=tuple(after[k].case_id for k in sorted(after.keys() - before.keys())),
        removed=tuple(before[k].case_id for k in sorted(before.keys() - after.keys())),
        changed=tuple(changed),
    )
