"""Case sample selection: worked examples plus hypothesis properties over random long-lists. Pure."""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.longlist.sample_data import synthetic_rows
from casework.longlist.selection import (
    CASE_MANAGER_CAP,
    HIGH_ASSET_SCORE,
    check_sample,
    heading_quotas,
    is_complex,
    mix_table,
    sample_targets,
    select_sample,
)
from casework.longlist.spec import ETHNICITIES, GENDERS, LEVELS, Heading
from casework.longlist.validate import LongListRow

SENTENCED = dt.date(2026, 1, 10)


def make_row(
    i: int,
    *,
    heading=Heading.COMMUNITY,
    manager="Ann Able",
    rosh="Low",
    vulnerability="Low",
    gender="Male",
    ethnicity="White",
    age=15,
    asset=10,
    note="",
) -> LongListRow:
    return LongListRow(
        heading=heading,
        sheet=None,
        row_number=i + 2,
        case_id=f"C{i:04d}",
        family_name=f"Family{i}",
        first_names="Sam",
        gender=gender,
        date_of_birth=dt.date(SENTENCED.year - age, 1, 1),
        ethnicity=ethnicity,
        order_type="Youth Rehabilitation Order",
        sentence_date=SENTENCED,
        sentence_length="12 months",
        termination_date=None,
        termination_reason="",
        asset_score=asset,
        scaled_approach="Standard",
        vulnerability=vulnerability,
        rosh=rosh,
        looked_after=False,
        home_host="",
        child_protection=False,
        case_manager=manager,
        case_manager_email="cm@yot.example.gov.uk",
        line_manager="Lee",
        case_manager_needs="",
        office="Central",
        suitability_note=note,
        other_information="",
    )


def codes(selection) -> set[str]:
    return {c.code for c in selection.unmet}


@pytest.mark.parametrize(
    "size, mix",
    [(20, (4, 10, 6)), (14, (3, 7, 4)), (34, (7, 17, 10)), (47, (9, 24, 14)), (1, (0, 1, 0)), (10, (2, 5, 3))],
    ids=["20-typical", "14-smallest", "34-larger", "47-largest", "1", "10"],
)
def test_heading_quotas_scale_the_4_10_6_mix(size, mix):
    assert tuple(heading_quotas(size)[h] for h in Heading) == mix


def test_short_heading_moves_its_places_to_the_others():
    rows = [make_row(i, heading=Heading.FIRST_TIER, manager=f"M{i}") for i in range(2)]
    rows += [
        make_row(10 + i, heading=h, manager=f"M{10 + i}")
        for i, h in enumerate([Heading.COMMUNITY] * 30 + [Heading.CUSTODIAL] * 30)
    ]
    targets = sample_targets(rows, size=20)
    assert tuple(targets.quotas[h] for h in Heading) == (2, 11, 7)
    selection = select_sample(rows, size=20)
    assert Counter(c.heading for c in selection.cases) == {
        Heading.FIRST_TIER: 2,
        Heading.COMMUNITY: 11,
        Heading.CUSTODIAL: 7,
    }
    mix_rule = next(c for c in selection.unmet if c.code == "heading_mix")
    assert mix_rule.message == (
        "Heading mix 4 1st tier, 10 Community, 6 Custodial: only 2 1st tier cases on the "
        "list, 4 wanted; 11 Community in the sample, 10 wanted; 7 Custodial in the sample, "
        "6 wanted"
    )


def test_high_rosh_and_vulnerability_are_included_with_reasons():
    rows = [make_row(i, heading=h, manager=f"M{i % 12}") for i, h in enumerate(list(Heading) * 20)]
    rows[7] = make_row(7, heading=rows[7].heading, manager="M7", rosh="Very High")
    rows[8] = make_row(8, heading=rows[8].heading, manager="M8", rosh="High")
    rows[9] = make_row(9, heading=rows[9].heading, manager="M9", vulnerability="High")
    selection = select_sample(rows, size=20, seed=4)
    chosen = {c.case_id: c.reasons for c in selection.cases}
    assert "high RoSH (Very High)" in chosen["C0007"]
    assert "high RoSH (High)" in chosen["C0008"]
    assert "high vulnerability (High)" in chosen["C0009"]
    assert [c.message for c in selection.unmet] == [
        "At least 2 high-vulnerability cases: only 1 high-vulnerability case on the list"
    ]


def test_fji_takes_a_quarter_complex_cases_counting_high_asset_scores():
    rows = [
        make_row(i, heading=h, manager=f"M{i % 14}", asset=HIGH_ASSET_SCORE if i % 4 == 0 else 5)
        for i, h in enumerate(list(Heading) * 30)
    ]
    for i in (1, 2, 5, 6):
        rows[i] = make_row(i, heading=rows[i].heading, manager=f"M{i % 14}", rosh="High", vulnerability="High")
    selection = select_sample(rows, size=20, programme="fji")
    assert sum(1 for c in selection.cases if is_complex(c.row)) >= math.ceil(20 / 4)
    assert any(f"high likelihood of reoffending (Asset score {HIGH_ASSET_SCORE})" in c.reasons for c in selection.cases)
    assert selection.unmet == ()


def test_noted_unsuitable_cases_are_kept_on_the_list_but_chosen_last():
    rows = [
        make_row(i, heading=h, manager=f"M{i % 10}", note="Revoked" if i % 4 == 1 else "")
        for i, h in enumerate(list(Heading) * 14)
    ]
    selection = select_sample(rows, size=20)
    assert all(not c.row.noted_unsuitable for c in selection.cases)
    assert codes(selection) == {"high_rosh", "high_vulnerability"}  # none on this list
    only_noted = [make_row(i, manager=f"M{i}", note="Transferred out") for i in range(2)]
    picked = select_sample([*only_noted, make_row(8, manager="M9"), make_row(9, manager="M9")], size=3)
    assert sum(c.row.noted_unsuitable for c in picked.cases) == 1
    assert "suitability" in codes(picked)
    coverage = next(c.message for c in picked.unmet if c.code == "case_manager_coverage")
    assert coverage.startswith(
        "At least one case for every case manager: their only cases are noted as possibly "
        "unsuitable; not represented: M"
    )
    assert any(
        r.startswith('noted as possibly unsuitable ("Transferred out")') for c in picked.cases for r in c.reasons
    )


def test_case_manager_cap_is_relaxed_only_when_the_list_cannot_fill_the_sample():
    rows = [make_row(i, heading=h, manager=f"M{i % 2}") for i, h in enumerate(list(Heading) * 10)]
    selection = select_sample(rows, size=20)
    assert len(selection.cases) == 20
    cap_rule = next(c for c in selection.unmet if c.code == "case_manager_cap")
    assert cap_rule.message.startswith(
        "No case manager presents more than 3 cases: the list's case managers can "
        "present only 6 cases at 3 each (M0 presents "
    )


def test_every_case_manager_is_represented_when_places_allow():
    rows = [make_row(i, heading=h, manager=f"M{i % 9}") for i, h in enumerate(list(Heading) * 12)]
    selection = select_sample(rows, size=14, seed=2)
    assert {c.row.case_manager for c in selection.cases} == {f"M{i}" for i in range(9)}
    assert any(r == "case manager M8 not yet represented" for c in selection.cases for r in c.reasons)


def test_too_many_case_managers_for_the_places_is_named():
    rows = [make_row(i, heading=h, manager=f"M{i:02d}") for i, h in enumerate(list(Heading) * 10)]
    message = next(c.message for c in select_sample(rows, size=14).unmet if c.code == "case_manager_coverage")
    assert message.startswith(
        "At least one case for every case manager: 30 case managers on the list but only 14 places; not represented: "
    )


def test_short_list_is_taken_whole_and_said_so():
    rows = [make_row(i, heading=h, manager=f"M{i}") for i, h in enumerate(list(Heading) * 3)]
    selection = select_sample(rows, size=20)
    assert len(selection.cases) == 9
    assert next(c.message for c in selection.unmet if c.code == "size") == (
        "Sample of 20: the long-list has only 9 cases"
    )


def test_mix_table_counts_and_percentages():
    rows = [make_row(0, gender="Female", age=12), make_row(1), make_row(2), make_row(3, heading=Heading.CUSTODIAL)]
    lines = {(m.dimension, m.value): m for m in mix_table(rows, rows[:2])}
    female = lines[("Gender", "Female")]
    assert (female.list_count, female.list_percent, female.sample_count, female.sample_percent) == (1, 25.0, 1, 50.0)
    assert (lines[("Age band", "10-13")].list_count, lines[("Heading", "Custodial")].sample_count) == (1, 0)
    assert {m.dimension for m in lines.values()} == {
        "Heading",
        "Gender",
        "Ethnicity",
        "Age band",
        "RoSH",
        "Vulnerability",
        "Looked after",
        "Child protection",
    }


def test_mix_follows_the_long_list():
    rows = synthetic_rows(400, announced=dt.date(2026, 3, 13), seed=5)
    selection = select_sample(rows, size=47, seed=1)
    lines = {(m.dimension, m.value): m for m in mix_table(rows, [c.row for c in selection.cases])}
    for value in ("Male", "Female"):
        line = lines[("Gender", value)]
        assert abs(line.sample_count - line.list_count * 47 / 400) <= 2


def test_selection_of_2000_rows_takes_well_under_a_second():
    rows = synthetic_rows(2000, announced=dt.date(2026, 3, 13), seed=9)
    started = time.perf_counter()
    select_sample(rows, size=47, programme="fji", seed=3)
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    "size, programme, error",
    [(0, "sqs", "at least 1"), (20, "joint", "Unknown programme")],
    ids=["size-0", "bad-programme"],
)
def test_bad_arguments_are_refused(size, programme, error):
    with pytest.raises(ValueError, match=error):
        select_sample([make_row(1)], size=size, programme=programme)


# --- Properties -------------------------------------------------------------------------------------


@st.composite
def long_lists(draw, max_rows=90):
    n = draw(st.integers(0, max_rows))
    managers = draw(st.integers(1, 25))
    rows = []
    for i in range(n):
        rows.append(
            make_row(
                i,
                heading=draw(st.sampled_from(list(Heading))),
                manager=f"M{draw(st.integers(0, managers - 1)):02d}",
                rosh=draw(st.sampled_from(LEVELS)),
                vulnerability=draw(st.sampled_from(LEVELS)),
                gender=draw(st.sampled_from(GENDERS)),
                ethnicity=draw(st.sampled_from(ETHNICITIES)),
                age=draw(st.integers(10, 17)),
                asset=draw(st.integers(0, 64)),
                note=draw(st.sampled_from(["", "", "", "", "Revoked"])),
            )
        )
    return rows


SIZES = st.one_of(st.sampled_from([14, 20, 34, 47]), st.integers(1, 50))
PROGRAMMES = st.sampled_from(["sqs", "fji"])
QUICK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _independent_checks(rows, chosen, size, programme) -> dict[str, bool]:
    """Each rule's truth worked out here, separately from selection.check_sample."""
    k = math.ceil(size / 10)
    result = {
        "size": len(chosen) == size,
        "heading_mix": Counter(r.heading for r in chosen)
        == Counter({h: q for h, q in heading_quotas(size).items() if q}),
        "high_rosh": sum(r.high_rosh for r in chosen) >= k,
        "high_vulnerability": sum(r.high_vulnerability for r in chosen) >= k,
        "case_manager_coverage": {r.case_manager for r in chosen} == {r.case_manager for r in rows},
        "case_manager_cap": max(Counter(r.case_manager for r in chosen).values(), default=0) <= CASE_MANAGER_CAP,
        "suitability": not any(r.noted_unsuitable for r in chosen),
    }
    if programme == "fji":
        result["fji_complex"] = sum(is_complex(r) for r in chosen) >= math.ceil(size / 4)
    return result


@QUICK
@given(rows=long_lists(), size=SIZES, programme=PROGRAMMES, seed=st.integers(0, 3))
def test_property_size_headings_and_named_rules(rows, size, programme, seed):
    selection = select_sample(rows, size=size, programme=programme, seed=seed)
    chosen = [c.row for c in selection.cases]
    ids = [r.case_id for r in chosen]
    assert len(ids) == len(set(ids)) == min(size, len(rows))
    assert set(ids) <= {r.case_id for r in rows}
    # Heading quotas: exactly the adjusted quotas, never more than a heading has.
    available = Counter(r.heading for r in rows)
    counts = Counter(r.heading for r in chosen)
    assert all(counts[h] == selection.targets.quotas[h] <= available[h] for h in Heading)
    if len(rows) >= size and all(available[h] >= q for h, q in heading_quotas(size).items()):
        assert all(counts[h] == q for h, q in heading_quotas(size).items())
    # Every rule is either met, or named as unmet with a reason.
    truth = _independent_checks(rows, chosen, size, programme)
    assert {c.code: c.met for c in selection.checks} == truth
    assert all(": " in c.message for c in selection.unmet)
    # A rule the list cannot meet says so in numbers.
    k = math.ceil(size / 10)
    on_list = sum(r.high_rosh for r in rows)
    if on_list < k:
        message = next(c.message for c in selection.unmet if c.code == "high_rosh")
        assert message.endswith(f"only {on_list} high-RoSH case{'' if on_list == 1 else 's'} on the list")
    # Every case carries its heading reason first.
    assert all(c.reasons[0].startswith(c.row.heading.label) for c in selection.cases)
    # The cap is exceeded only when the list cannot fill the sample's headings within it.
    if max(Counter(r.case_manager for r in chosen).values(), default=0) > CASE_MANAGER_CAP:
        assert _max_within_cap(rows, selection.targets.quotas) < selection.targets.size


def _max_within_cap(rows, quotas) -> int:
    """Largest sample within the quotas and the cap: Edmonds-Karp over source -> case manager (cap) -> case
    (1) -> heading (quota) -> sink, written here independently of the selection code."""
    capacity: dict[tuple, int] = {}
    for r in rows:
        capacity[("s", ("m", r.case_manager))] = CASE_MANAGER_CAP
        capacity[(("m", r.case_manager), ("r", r.case_id))] = 1
        capacity[(("r", r.case_id), ("h", r.heading))] = 1
    for h in Heading:
        capacity[(("h", h), "t")] = quotas[h]
    graph: dict[object, set] = {}
    for a, b in list(capacity):
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set()).add(a)
        capacity.setdefault((b, a), 0)
    flow = 0
    while True:
        parent = {"s": None}
        queue = ["s"]
        while queue and "t" not in parent:
            node = queue.pop(0)
            for nxt in sorted(graph.get(node, ()), key=repr):
                if nxt not in parent and capacity[(node, nxt)] > 0:
                    parent[nxt] = node
                    queue.append(nxt)
        if "t" not in parent:
            return flow
        node = "t"
        while parent[node] is not None:
            capacity[(parent[node], node)] -= 1
            capacity[(node, parent[node])] += 1
            node = parent[node]
        flow += 1


@QUICK
@given(rows=long_lists(max_rows=60), size=SIZES, programme=PROGRAMMES, seed=st.integers(0, 1000))
def test_property_same_rows_and_seed_give_the_same_sample_in_any_order(rows, size, programme, seed):
    first = select_sample(rows, size=size, programme=programme, seed=seed)
    shuffled = list(rows)
    random.Random(seed).shuffle(shuffled)
    second = select_sample(shuffled, size=size, programme=programme, seed=seed)
    assert [(c.case_id, c.reasons) for c in first.cases] == [(c.case_id, c.reasons) for c in second.cases]
    assert first.checks == second.checks


@st.composite
def roomy_lists(draw):
    """Lists where every rule can be met: each case manager has 3 cases under every heading, there are
    enough case managers to fill the sample within the cap, and few enough for every one to get a place."""
    size = draw(st.sampled_from([14, 20, 34, 47]))
    programme = draw(PROGRAMMES)
    must = 2 * math.ceil(size / 10) + (math.ceil(size / 4) if programme == "fji" else 0)
    managers = draw(
        st.integers(math.ceil(size / CASE_MANAGER_CAP), max(math.ceil(size / CASE_MANAGER_CAP), size - must))
    )
    rows = []
    for m in range(managers):
        for h in Heading:
            for _ in range(3):
                i = len(rows)
                rows.append(
                    make_row(
                        i,
                        heading=h,
                        manager=f"M{m:02d}",
                        rosh=draw(st.sampled_from(LEVELS)),
                        vulnerability=draw(st.sampled_from(LEVELS)),
                        gender=draw(st.sampled_from(GENDERS)),
                        ethnicity=draw(st.sampled_from(ETHNICITIES)),
                        age=draw(st.integers(10, 17)),
                        asset=draw(st.integers(0, 64)),
                        note=draw(st.sampled_from(["", "", "", "Revoked"])),
                    )
                )
    return rows, size, programme, must


@QUICK
@given(case=roomy_lists(), seed=st.integers(0, 5))
def test_property_rules_hold_whenever_the_list_allows_them(case, seed):
    rows, size, programme, must = case
    selection = select_sample(rows, size=size, programme=programme, seed=seed)
    unmet = codes(selection)
    assert not unmet & {"size", "heading_mix", "case_manager_cap", "case_manager_coverage"}
    quotas = heading_quotas(size)
    # A must-include rule is guaranteed when its cases sit with enough different case managers under
    # headings with room for every must-include pick (so earlier picks can never block them all).
    tests = {"high_rosh": lambda r: r.high_rosh, "high_vulnerability": lambda r: r.high_vulnerability}
    if programme == "fji":
        tests["fji_complex"] = is_complex
    for code, test in tests.items():
        reachable = {r.case_manager for r in rows if test(r) and quotas[r.heading] >= must}
        if len(reachable) >= must:
            assert code not in unmet


def test_check_sample_rechecks_after_a_swap():
    rows = [
        make_row(i, heading=h, manager=f"M{i % 8}", rosh="High" if i < 6 else "Low")
        for i, h in enumerate(list(Heading) * 10)
    ]
    selection = select_sample(rows, size=20)
    assert "high_rosh" not in codes(selection)
    kept = [c.row for c in selection.cases if not c.row.high_rosh]
    spare = [r for r in rows if r not in kept and not r.high_rosh]
    swapped = kept + spare[: 20 - len(kept)]
    checks = {c.code: c for c in check_sample(rows, swapped, size=20)}
    assert checks["high_rosh"].met is False
    assert checks["high_rosh"].message == (
        "At least 2 high-RoSH cases: the sample has 0 of the 6 on the list; the "
        "others are in full headings or with case managers at their limit"
    )
