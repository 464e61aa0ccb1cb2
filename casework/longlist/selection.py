"""Case sample selection: a pure, seeded function from long-list rows to a sample with reasons.

Rules (seed 000 §10.4, §11.7; seed 001 §4) and the readings chosen where the seeds give no number:
- Size: 20 in most YOTs, 14 in the smallest, 34 or 47 in the largest (§11.7). Any size >= 1 is accepted.
- Heading mix: 20 = 4 first tier, 10 community, 6 custodial (§11.7). Other sizes scale that 20/50/30 mix
  by largest remainder (whole places first, then the leftover places to the largest fractions, ties to the
  heading listed first): 14 = 3/7/4, 34 = 7/17/10, 47 = 9/24/14. When a heading has too few cases, all of
  them are taken and its spare places go, one at a time, to the heading furthest below its share of the
  mix ("on occasions this balance may be adjusted", §11.7).
- High RoSH and high vulnerability (High or Very High): at least ceil(size / 10) of each, so 2 for 14 and
  20, 4 for 34, 5 for 47 (§10.4 "we always seek to include some"). One case can count for both.
- FJI only (seed 001 §4 "a proportion ... high RoSH, vulnerability or likelihood of reoffending"): at least
  a quarter of the sample, ceil(size / 4), is high RoSH, high vulnerability or a high likelihood of
  reoffending. Likelihood of reoffending is read from the ASSET score: 33 to 64 is high, the top band of
  the Scaled Approach's Asset score bands (0-14 low, 15-32 medium, 33-64 high); the seeds give no number.
- Case managers: every case manager on the list gets a case where the places allow (§10.4), using only
  cases without a note on suitability (a noted case is not taken just to represent its manager), and no one
  presents more than 3 cases (three 2-hour slots, about a day); the limit is relaxed only when the list
  cannot fill the sample otherwise.
- Representative mix of gender, ethnicity and age band (§10.4): each free place goes to the case whose
  values are most under-represented in the sample so far compared with the long-list.
- A case with a note on suitability is kept but chosen only when no un-noted case meets the need.
Priority when rules clash: size, heading mix, case-manager limit, high RoSH / vulnerability / FJI
complexity, case-manager coverage, representative mix. Ties are broken by a shuffle seeded with `seed`,
so the same rows and seed always give the same sample, whatever order the rows come in.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from inspections.domain.messages import Msg, _, concat, ngettext

from .mix import MixLine, mix_table  # noqa: F401 - re-exported beside the selection
from .rows import LongListRow
from .spec import HEADING_LABELS, Heading

PROGRAMMES = ("sqs", "fji")
STANDARD_SIZES = (14, 20, 34, 47)
BASE_SIZE = 20
BASE_MIX: dict[Heading, int] = {Heading.FIRST_TIER: 4, Heading.COMMUNITY: 10, Heading.CUSTODIAL: 6}
CASE_MANAGER_CAP = 3
HIGH_ASSET_SCORE = 33


def heading_quotas(size: int) -> dict[Heading, int]:
    """The 4/10/6 mix of 20 scaled to `size` by largest remainder."""
    exact = {h: size * n for h, n in BASE_MIX.items()}  # in twentieths
    quotas = {h: v // BASE_SIZE for h, v in exact.items()}
    left = size - sum(quotas.values())
    order = sorted(Heading, key=lambda h: (-(exact[h] % BASE_SIZE), list(Heading).index(h)))
    for h in order[:left]:
        quotas[h] += 1
    return quotas


def minimum_high(size: int) -> int:
    return math.ceil(size / 10)


def minimum_complex(size: int, programme: str) -> int:
    return math.ceil(size / 4) if programme == "fji" else 0


def high_likelihood(row: LongListRow) -> bool:
    return row.asset_score is not None and row.asset_score >= HIGH_ASSET_SCORE


def is_complex(row: LongListRow) -> bool:
    return row.high_rosh or row.high_vulnerability or high_likelihood(row)


@dataclass(frozen=True)
class SampleTargets:
    size: int  # places to fill: the size asked for, or the whole list if it is shorter
    quotas: dict[Heading, int]  # per heading, after moving places away from headings with too few cases
    min_high_rosh: int
    min_high_vulnerability: int
    min_complex: int  # FJI: high RoSH, vulnerability or likelihood of reoffending; 0 for SQS
    case_manager_cap: int


def sample_targets(rows: Sequence[LongListRow], *, size: int, programme: str = "sqs") -> SampleTargets:
    if size < 1:
        raise ValueError("The sample size must be at least 1.")
    if programme not in PROGRAMMES:
        raise ValueError(f"Unknown programme {programme!r}; expected one of {', '.join(PROGRAMMES)}.")
    available = Counter(r.heading for r in rows)
    if len(rows) <= size:
        quotas = {h: available[h] for h in Heading}
    else:
        wanted = heading_quotas(size)
        quotas = {h: min(wanted[h], available[h]) for h in Heading}
        spare = size - sum(quotas.values())
        while spare:
            # Give the place to the heading furthest below its share of the base mix.
            open_headings = [h for h in Heading if quotas[h] < available[h]]
            h = min(open_headings, key=lambda h: (quotas[h] / BASE_MIX[h], -BASE_MIX[h]))
            quotas[h] += 1
            spare -= 1
    return SampleTargets(
        size=min(size, len(rows)),
        quotas=quotas,
        min_high_rosh=minimum_high(size),
        min_high_vulnerability=minimum_high(size),
        min_complex=minimum_complex(size, programme),
        case_manager_cap=CASE_MANAGER_CAP,
    )


@dataclass(frozen=True)
class RuleCheck:
    code: str  # size, heading_mix, high_rosh, high_vulnerability, fji_complex, case_manager_coverage,
    # case_manager_cap, suitability
    met: bool
    message: Msg  # the rule, and when it is not met, why


@dataclass(frozen=True)
class SelectedCase:
    row: LongListRow
    reasons: tuple[Msg | str, ...]

    @property
    def case_id(self) -> str:
        return self.row.case_id

    @property
    def heading(self) -> Heading:
        return self.row.heading


@dataclass(frozen=True)
class Selection:
    programme: str
    seed: int
    size_requested: int
    targets: SampleTargets
    cases: tuple[SelectedCase, ...]
    checks: tuple[RuleCheck, ...]

    @property
    def unmet(self) -> tuple[RuleCheck, ...]:
        return tuple(c for c in self.checks if not c.met)

    def as_dict(self) -> dict[str, object]:
        return {
            "programme": self.programme,
            "seed": self.seed,
            "size": self.size_requested,
            "selected": [
                {"case_id": c.case_id, "heading": HEADING_LABELS[c.heading], "reasons": [str(r) for r in c.reasons]}
                for c in self.cases
            ],
            "quotas": {HEADING_LABELS[h]: self.targets.quotas[h] for h in Heading},
            "unmet": [{"rule": c.code, "message": str(c.message)} for c in self.unmet],
            "checks": [{"rule": c.code, "met": c.met, "message": str(c.message)} for c in self.checks],
        }


def heading_label(heading: Heading) -> Msg:
    """The heading's name in the reader's language (the long-list's sheet names stay English)."""
    return Msg(HEADING_LABELS[heading])


# The heading names, for makemessages (heading_label translates them when shown).
_HEADING_NAMES = (_("1st tier"), _("Community"), _("Custodial"))


def _cases(n: int) -> Msg:
    return ngettext("%(n)d case", "%(n)d cases", n, n=n)


def _mix_text(quotas: dict[Heading, int]) -> Msg:
    return concat([Msg("%(n)d %(heading)s", {"n": quotas[h], "heading": heading_label(h)}) for h in Heading], ", ")


# What a minimum counts, in the words of its rule ("At least 3 high-RoSH cases").
_AT_LEAST = {
    "high_rosh": lambda n: ngettext("at least %(n)d high-RoSH case", "at least %(n)d high-RoSH cases", n, n=n),
    "high_vulnerability": lambda n: ngettext(
        "at least %(n)d high-vulnerability case", "at least %(n)d high-vulnerability cases", n, n=n
    ),
    "fji_complex": lambda n: ngettext(
        "at least %(n)d high RoSH, vulnerability or likelihood-of-reoffending case",
        "at least %(n)d high RoSH, vulnerability or likelihood-of-reoffending cases",
        n,
        n=n,
    ),
}
_ONLY_ON_LIST = {
    "high_rosh": lambda n: ngettext(
        "only %(n)d high-RoSH case on the list", "only %(n)d high-RoSH cases on the list", n, n=n
    ),
    "high_vulnerability": lambda n: ngettext(
        "only %(n)d high-vulnerability case on the list", "only %(n)d high-vulnerability cases on the list", n, n=n
    ),
    "fji_complex": lambda n: ngettext(
        "only %(n)d high RoSH, vulnerability or likelihood-of-reoffending case on the list",
        "only %(n)d high RoSH, vulnerability or likelihood-of-reoffending cases on the list",
        n,
        n=n,
    ),
}


def check_sample(
    rows: Sequence[LongListRow], selected: Sequence[LongListRow], *, size: int, programme: str = "sqs"
) -> tuple[RuleCheck, ...]:
    """Every selection rule, met or not, for any sample of the list (also after an SSO swap or removal)."""
    targets = sample_targets(rows, size=size, programme=programme)
    checks: list[RuleCheck] = []
    n = len(selected)
    if len(rows) < size:
        checks.append(
            RuleCheck(
                "size",
                False,
                _("Sample of %(size)d: the long-list has only %(cases)s", size=size, cases=_cases(len(rows))),
            )
        )
    elif n != size:
        checks.append(
            RuleCheck("size", False, _("Sample of %(size)d: the sample has %(cases)s", size=size, cases=_cases(n)))
        )
    else:
        checks.append(RuleCheck("size", True, _("Sample of %(size)d", size=size)))

    wanted = heading_quotas(size)
    available = Counter(r.heading for r in rows)
    have = Counter(r.heading for r in selected)
    problems = []
    for h in Heading:
        if have[h] == wanted[h]:
            continue
        label = heading_label(h)
        if available[h] < wanted[h] and have[h] == available[h]:
            problems.append(
                ngettext(
                    "only %(n)d %(heading)s case on the list, %(wanted)d wanted",
                    "only %(n)d %(heading)s cases on the list, %(wanted)d wanted",
                    available[h],
                    n=available[h],
                    heading=label,
                    wanted=wanted[h],
                )
            )
        else:
            problems.append(
                _("%(n)d %(heading)s in the sample, %(wanted)d wanted", n=have[h], heading=label, wanted=wanted[h])
            )
    if problems:
        mix = _("Heading mix %(mix)s: %(problems)s", mix=_mix_text(wanted), problems=concat(problems, "; "))
    else:
        mix = _("Heading mix %(mix)s", mix=_mix_text(wanted))
    checks.append(RuleCheck("heading_mix", not problems, mix))

    def at_least(code: str, minimum: int, test) -> None:
        on_list = sum(1 for r in rows if test(r))
        in_sample = sum(1 for r in selected if test(r))
        rule = _AT_LEAST[code](minimum)
        if in_sample >= minimum:
            checks.append(RuleCheck(code, True, Msg("%(rule)s", {"rule": rule}).capitalised()))
        elif on_list < minimum:
            checks.append(
                RuleCheck(
                    code,
                    False,
                    _("%(rule)s: %(only)s", rule=rule, only=_ONLY_ON_LIST[code](on_list)).capitalised(),
                )
            )
        else:
            checks.append(
                RuleCheck(
                    code,
                    False,
                    _(
                        "%(rule)s: the sample has %(in_sample)d of the %(on_list)d on the list; the others are in "
                        "full headings or with case managers at their limit",
                        rule=rule,
                        in_sample=in_sample,
                        on_list=on_list,
                    ).capitalised(),
                )
            )

    at_least("high_rosh", targets.min_high_rosh, lambda r: r.high_rosh)
    at_least("high_vulnerability", targets.min_high_vulnerability, lambda r: r.high_vulnerability)
    if programme == "fji":
        at_least("fji_complex", targets.min_complex, is_complex)

    managers = sorted({r.case_manager for r in rows})
    present = {r.case_manager for r in selected}
    absent = [m for m in managers if m not in present]
    if not absent:
        checks.append(RuleCheck("case_manager_coverage", True, _("At least one case for every case manager")))
    else:
        only_noted = {m for m in absent if all(r.noted_unsuitable for r in rows if r.case_manager == m)}
        if len(managers) > size:
            why = _(
                "%(managers)d case managers on the list but only %(size)d places", managers=len(managers), size=size
            )
        elif only_noted:
            why = _("some have only cases noted as possibly unsuitable, others' cases are in full headings")
            if len(only_noted) == len(absent):
                why = _("their only cases are noted as possibly unsuitable")
        else:
            why = _("their cases are in full headings or were needed elsewhere")
        if len(absent) > 10:
            shown = _("%(names)s and %(more)d more", names=", ".join(absent[:10]), more=len(absent) - 10)
        else:
            shown = ", ".join(absent)
        checks.append(
            RuleCheck(
                "case_manager_coverage",
                False,
                _(
                    "At least one case for every case manager: %(why)s; not represented: %(shown)s",
                    why=why,
                    shown=shown,
                ),
            )
        )

    cap = targets.case_manager_cap
    loads = Counter(r.case_manager for r in selected)
    over = sorted((m for m, k in loads.items() if k > cap))
    if not over:
        checks.append(
            RuleCheck("case_manager_cap", True, _("No case manager presents more than %(cap)d cases", cap=cap))
        )
    else:
        fillable = sum(min(cap, k) for k in Counter(r.case_manager for r in rows).values())
        if fillable < targets.size:
            why = _(
                "the list's case managers can present only %(fillable)d cases at %(cap)d each",
                fillable=fillable,
                cap=cap,
            )
        elif not can_fill(rows, targets.quotas, cap):
            why = _("the list cannot fill every heading's places with at most %(cap)d cases per case manager", cap=cap)
        else:
            why = _("more cases chosen for them than the limit")
        detail = concat([_("%(name)s presents %(n)d", name=m, n=loads[m]) for m in over], ", ")
        checks.append(
            RuleCheck(
                "case_manager_cap",
                False,
                _(
                    "No case manager presents more than %(cap)d cases: %(why)s (%(detail)s)",
                    cap=cap,
                    why=why,
                    detail=detail,
                ),
            )
        )

    noted = [r for r in selected if r.noted_unsuitable]
    if noted:
        names = ", ".join(r.case_id for r in noted)
        checks.append(
            RuleCheck(
                "suitability",
                False,
                _(
                    "No case the YOT noted as possibly unsuitable: %(names)s chosen because no other case met the "
                    "need; read their notes before marking the sample final",
                    names=names,
                ),
            )
        )
    else:
        checks.append(RuleCheck("suitability", True, _("No case the YOT noted as possibly unsuitable")))
    return tuple(checks)


def _fill_shortfall(spare: Sequence[int], avail: Sequence[Sequence[int]], need: Sequence[int]) -> int:
    """How many places cannot be filled, with CM u giving at most spare[u] more cases and avail[u][h]
    more cases under heading h, when heading h still needs need[h] cases.

    Max-flow min-cut for this bipartite flow (Gale's supply-demand theorem): the most that can be filled
    is the minimum, over sets S of headings, of need(outside S) + sum over CMs of
    min(spare, avail(S)). With three headings there are only eight sets to try.
    """
    total = sum(need)
    best = total
    headings = range(len(need))
    for mask in range(1, 1 << len(need)):
        inside = [h for h in headings if mask >> h & 1]
        demand = sum(need[h] for h in inside)
        if not demand:
            continue
        supply = 0
        for u, row in enumerate(avail):
            s = spare[u]
            if s:
                a = sum(row[h] for h in inside)
                supply += s if s < a else a
                if supply >= demand:
                    break
        best = min(best, total - demand + min(supply, demand))
    return total - best


def can_fill(rows: Sequence[LongListRow], quotas: dict[Heading, int], cap: int) -> bool:
    """Whether the list can fill every heading's quota with at most `cap` cases per case manager."""
    managers = sorted({r.case_manager for r in rows})
    index = {m: u for u, m in enumerate(managers)}
    avail = [[0, 0, 0] for _ in managers]
    order = list(Heading)
    for r in rows:
        avail[index[r.case_manager]][order.index(r.heading)] += 1
    return _fill_shortfall([cap] * len(managers), avail, [quotas[h] for h in order]) == 0


class _Picker:
    """Index-based state for the greedy selection; rows' attributes are read once.

    Every pick keeps the rest of the sample fillable within the heading quotas and the case-manager
    limit (checked with _fill_shortfall), so a must-include or coverage pick never forces the limit to
    be broken later. The limit is raised above CASE_MANAGER_CAP only when the list itself cannot fill the
    sample otherwise, and then to the smallest limit that can.
    """

    DIMENSIONS = ("gender", "ethnicity", "age_band")

    def __init__(self, rows: Sequence[LongListRow], targets: SampleTargets, seed: int):
        self.rows = rows
        self.targets = targets
        n = len(rows)
        ranks = list(range(n))
        random.Random(seed).shuffle(ranks)  # noqa: S311 - a seeded tie-break, not security
        self.rank = ranks
        order = list(Heading)
        self.heading = [r.heading for r in rows]
        self.heading_index = [order.index(r.heading) for r in rows]
        self.manager = [r.case_manager for r in rows]
        managers = sorted(set(self.manager))
        index = {m: u for u, m in enumerate(managers)}
        self.manager_index = [index[m] for m in self.manager]
        self.avail = [[0, 0, 0] for _ in managers]
        for u, h in zip(self.manager_index, self.heading_index, strict=True):
            self.avail[u][h] += 1
        self.need = [targets.quotas[h] for h in order]
        self.suitable = [not r.noted_unsuitable for r in rows]
        # The same counts over cases without a note on suitability: while the sample can still be
        # completed from those alone, every pick must keep it so (noted cases are the last resort).
        self.avail_suitable = [[0, 0, 0] for _ in managers]
        for u, h, ok in zip(self.manager_index, self.heading_index, self.suitable, strict=True):
            if ok:
                self.avail_suitable[u][h] += 1
        self.values = [(r.gender, r.ethnicity, r.age_band) for r in rows]
        self.shares = []
        for d in range(len(self.DIMENSIONS)):
            counts = Counter(v[d] for v in self.values)
            self.shares.append({k: c / n for k, c in counts.items()})
        self.sample_counts: list[Counter] = [Counter() for _ in self.DIMENSIONS]
        self.chosen: list[int] = []
        self.is_chosen = [False] * n
        self.reasons: dict[int, list[Msg]] = {}
        self.heading_count: Counter = Counter()
        self.manager_count: Counter = Counter()
        self.cap = targets.case_manager_cap
        while self.cap < targets.size and _fill_shortfall(self.spare(), self.avail, self.need):
            self.cap += 1
        self.spare_list = self.spare()
        self.suitable_mode = _fill_shortfall(self.spare_list, self.avail_suitable, self.need) == 0

    def spare(self) -> list[int]:
        counts = Counter(self.manager_index[i] for i in self.chosen)
        return [self.cap - counts[u] for u in range(len(self.avail))]

    def open(self, i: int) -> bool:
        h = self.heading[i]
        return (
            not self.is_chosen[i]
            and self.heading_count[h] < self.targets.quotas[h]
            and self.manager_count[self.manager[i]] < self.cap
        )

    def keeps_fillable(self, i: int, *, suitable_only: bool) -> bool:
        u, h = self.manager_index[i], self.heading_index[i]
        ok = self.suitable[i]
        self.spare_list[u] -= 1
        self.avail[u][h] -= 1
        self.avail_suitable[u][h] -= ok
        self.need[h] -= 1
        short = _fill_shortfall(self.spare_list, self.avail, self.need)
        if not short and suitable_only:
            short = _fill_shortfall(self.spare_list, self.avail_suitable, self.need)
        self.spare_list[u] += 1
        self.avail[u][h] += 1
        self.avail_suitable[u][h] += ok
        self.need[h] += 1
        return short == 0

    def best(self, candidates, key):
        """The highest-keyed open candidate whose pick keeps the sample fillable, or None. While the sample
        can be completed without noted cases, prefer picks that keep it so."""
        ranked = sorted((c for c in candidates if self.open(c)), key=key, reverse=True)
        passes = (True, False) if self.suitable_mode else (False,)
        for suitable_only in passes:
            for i in ranked:
                if self.keeps_fillable(i, suitable_only=suitable_only):
                    return i
        return None

    def mix_gain(self, i: int) -> float:
        k = len(self.chosen) + 1
        return sum(self.shares[d][v] * k - self.sample_counts[d][v] for d, v in enumerate(self.values[i]))

    def add(self, i: int, reasons: list[Msg]) -> None:
        h = self.heading[i]
        row = self.rows[i]
        under = [
            _("age %(band)s", band=v) if d == 2 else v
            for d, v in enumerate(self.values[i])
            if self.shares[d][v] < 1 and self.shares[d][v] * (len(self.chosen) + 1) - self.sample_counts[d][v] >= 0.5
        ]
        text = [
            _(
                "%(heading)s heading place (%(n)d in the sample)",
                heading=heading_label(h),
                n=self.targets.quotas[h],
            ),
            *reasons,
        ]
        if under:
            text.append(_("helps the mix: %(values)s", values=concat(under, ", ")))
        if not self.suitable[i]:
            note = row.suitability_note if len(row.suitability_note) <= 80 else row.suitability_note[:77] + "..."
            text.append(
                _('noted as possibly unsuitable ("%(note)s"): chosen only because no other case fitted', note=note)
            )
        self.chosen.append(i)
        self.is_chosen[i] = True
        self.reasons[i] = text
        self.heading_count[h] += 1
        self.manager_count[self.manager[i]] += 1
        u, hi = self.manager_index[i], self.heading_index[i]
        self.spare_list[u] -= 1
        self.avail[u][hi] -= 1
        self.avail_suitable[u][hi] -= self.suitable[i]
        self.need[hi] -= 1
        for d, v in enumerate(self.values[i]):
            self.sample_counts[d][v] += 1
        if self.suitable_mode:
            self.suitable_mode = _fill_shortfall(self.spare_list, self.avail_suitable, self.need) == 0

    def must_include(self, programme: str) -> None:
        t = self.targets
        needs = [
            ("high_rosh", t.min_high_rosh, lambda r: r.high_rosh, lambda r: _("high RoSH (%(level)s)", level=r.rosh)),
            (
                "high_vulnerability",
                t.min_high_vulnerability,
                lambda r: r.high_vulnerability,
                lambda r: _("high vulnerability (%(level)s)", level=r.vulnerability),
            ),
        ]
        if programme == "fji":
            needs.append(("fji_complex", t.min_complex, is_complex, _complex_reason))
        have = {code: 0 for code, *_rest in needs}
        while len(self.chosen) < t.size:
            wanted = [n for n in needs if have[n[0]] < n[1]]
            if not wanted:
                return
            hits = {i: sum(1 for n in wanted if n[2](row)) for i, row in enumerate(self.rows)}
            best = self.best(
                (i for i, k in hits.items() if k),
                key=lambda i: (
                    self.suitable[i],
                    hits[i],
                    self.manager_count[self.manager[i]] == 0,
                    self.mix_gain(i),
                    -self.rank[i],
                ),
            )
            if best is None:
                return
            row = self.rows[best]
            reasons = []
            for code, _minimum, test, why in needs:
                if test(row):
                    have[code] += 1
                    if any(n[0] == code for n in wanted) and why(row) not in reasons:
                        reasons.append(why(row))
            if self.manager_count[self.manager[best]] == 0:
                reasons.append(_("case manager %(name)s not yet represented", name=self.manager[best]))
            self.add(best, reasons)

    def cover_managers(self) -> None:
        by_manager: dict[str, list[int]] = {}
        for i, m in enumerate(self.manager):
            if self.suitable[i]:  # a case noted as possibly unsuitable is not taken just to represent its CM
                by_manager.setdefault(m, []).append(i)
        first_rank = {m: min(self.rank[i] for i in idx) for m, idx in by_manager.items()}
        skipped: set[str] = set()
        while len(self.chosen) < self.targets.size:
            waiting = []
            for m, idx in by_manager.items():
                if self.manager_count[m] or m in skipped:
                    continue
                options = [i for i in idx if self.open(i)]
                if options:
                    waiting.append((len(options), first_rank[m], m, options))
            if not waiting:
                return
            # The most constrained case manager first, so fewer are left out.
            _count, _rank, m, options = min(waiting)
            best = self.best(options, key=lambda i: (self.mix_gain(i), -self.rank[i]))
            if best is None:
                skipped.add(m)
                continue
            self.add(best, [_("case manager %(name)s not yet represented", name=m)])

    def fill(self) -> None:
        everyone = range(len(self.rows))
        while len(self.chosen) < self.targets.size:
            best = self.best(everyone, key=lambda i: (self.suitable[i], self.mix_gain(i), -self.rank[i]))
            if best is None:  # cannot happen while every pick keeps the sample fillable; never loop forever
                self.cap += 1
                self.spare_list = self.spare()
                continue
            self.add(best, [])


def _complex_reason(row: LongListRow) -> Msg:
    if high_likelihood(row):
        return _("high likelihood of reoffending (Asset score %(score)s)", score=row.asset_score)
    return _("high RoSH or vulnerability (the full joint inspection's share of such cases)")


def select_sample(rows: Sequence[LongListRow], *, size: int, programme: str = "sqs", seed: int = 0) -> Selection:
    """Choose the inspection sample from clean long-list rows; see the module docstring for the rules."""
    ordered = sorted(rows, key=lambda r: (list(Heading).index(r.heading), r.case_id.casefold(), r.row_number))
    targets = sample_targets(ordered, size=size, programme=programme)
    picker = _Picker(ordered, targets, seed)
    picker.must_include(programme)
    picker.cover_managers()
    picker.fill()
    order = sorted(picker.chosen, key=lambda i: (list(Heading).index(picker.heading[i]), picker.rank[i]))
    cases = tuple(SelectedCase(ordered[i], tuple(picker.reasons[i])) for i in order)
    checks = check_sample(ordered, [c.row for c in cases], size=size, programme=programme)
    return Selection(programme=programme, seed=seed, size_requested=size, targets=targets, cases=cases, checks=checks)
