"""Report content from a known set of answers, with the real question bank."""

import pytest

from casework.domain.bank import load_bank
from casework.domain.routing import Facts
from casework.domain.scores import Tally, score
from reports.domain.chartdata import CaseProfile, age_band, chart_specs
from reports.domain.drafting import fji_sections, sqs_sections
from reports.domain.findings import Reason, classify, findings, top_insufficient_reasons
from reports.domain.stars import judgement_areas, propose_stars
from reports.domain.text import Block, blocks
from reports.tests.factories import GOALS, KNOWN_111, KNOWN_211, KNOWN_213, KNOWN_1131, S

BANK = load_bank("2015-01")


def known_rows(country="England", programme="sqs", modules=()):
    facts = Facts(programme, country, frozenset(modules))
    rows = []
    for n in range(6):
        answers = {
            "1.1.1": KNOWN_111[n],
            "2.1.1": KNOWN_211[n],
            "1.10.1": [S, S, S, "Insufficient", "Insufficient", S][n],
        }
        if KNOWN_1131[n]:
            answers["1.13.1"] = KNOWN_1131[n]
        if n in KNOWN_213:
            answers["2.1.3"] = KNOWN_213[n]
        if n == 5:
            answers["1.1.3"] = ["Assessment not timely"]
        rows.append((n, facts, answers))
    return rows


@pytest.fixture(scope="module")
def scores():
    return score(BANK, known_rows())


def test_known_answers_give_the_exact_percentages(scores):
    assert scores.overall == Tally(15, 7)
    assert scores.overall.percentage == 68.2
    assert scores.by_theme["reoffending"].percentage == 58.3
    assert scores.by_theme["public"].percentage == 66.7
    assert scores.by_question["1.1.1"].percentage == 83.3
    assert scores.by_question["2.1.1"].percentage == 33.3


def test_known_answers_give_the_strengths_and_areas_for_improvement(scores):
    found = findings(BANK, scores)
    assert [(f.level, f.key, f.percentage) for f in found.strengths] == [("question", "1.1.1", 83.3)]
    assert [(f.level, f.key, f.percentage) for f in found.improvements] == [
        ("theme", "reoffending", 58.3),
        ("question", "2.1.1", 33.3),
    ]
    assert found.improvements[1].reasons == (Reason("Plan not timely", 3), Reason(GOALS, 2))
    # The theme sums its judgements' reasons: 1.1.1's single "Assessment not timely" is under the minimum of 2.
    assert found.improvements[0].reasons == (Reason("Plan not timely", 3), Reason(GOALS, 2))


@pytest.mark.parametrize(
    ("tally", "expected"),
    [
        (Tally(3, 1), "strength"),  # 75.0% exactly
        (Tally(74, 26), None),
        (Tally(3, 2), None),  # 60.0%: not below the line
        (Tally(59, 41), "improvement"),
        (Tally(4, 0), None),  # 100% but fewer than 5 judgements
        (Tally(0, 5), "improvement"),
    ],
    ids=["75-is-a-strength", "74-neither", "60-neither", "59-improvement", "too-few", "none-sufficient"],
)
def test_classify_uses_the_documented_lines(tally, expected):
    if tally.total < 5:
        assert classify(tally) is None
    else:
        assert classify(tally) == expected


@pytest.mark.parametrize(
    ("tally", "stars"),
    [
        (Tally(80, 20), 4),
        (Tally(79, 21), 3),
        (Tally(65, 35), 3),
        (Tally(64, 36), 2),
        (Tally(50, 50), 2),
        (Tally(49, 51), 1),
        (Tally(2, 2), None),
    ],
    ids=["80-four", "79-three", "65-three", "64-two", "50-two", "49-one", "too-few-none"],
)
def test_stars_are_proposed_from_percentage_sufficient(tally, stars):
    assert propose_stars(tally) == stars


def test_top_reasons_rank_by_count_and_leave_out_other(scores):
    assert [(r.question_id, r.text, r.count) for r in top_insufficient_reasons(scores, limit=3)] == [
        ("2.1.1", "Plan not timely", 3),
        ("2.1.1", GOALS, 2),
        ("1.1.1", "Assessment not timely", 1),
    ]


def test_sqs_sections_state_the_findings(scores):
    sections = {s.key: s for s in sqs_sections(BANK, scores)}
    assert list(sections) == ["strengths", "improvements", "commentary"]
    assert "83.3% Sufficient (5 of 6 judgements)" in sections["strengths"].text
    assert "(question 1.1.1)" in sections["strengths"].text
    improvements = sections["improvements"].text.splitlines()
    assert improvements[0] == (
        "- Reducing the likelihood of reoffending: 58.3% Sufficient (7 of 12 judgements) across the theme. "
        f"Most frequent reasons: Plan not timely (3); {GOALS} (2)."
    )
    assert "33.3% Sufficient (2 of 6 judgements)" in improvements[1]
    assert sections["commentary"].text.startswith(
        "We inspected 6 cases. Overall, 68.2% Sufficient (15 of 22 judgements)."
    )


def test_fji_sections_have_a_judgement_per_theme_and_module():
    fji_scores = score(BANK, known_rows(programme="fji", modules=("court_work",)))
    keys = [s.key for s in fji_sections(BANK, fji_scores, ["court_work"])]
    assert keys == [
        "summary",
        "theme-reoffending",
        "theme-public",
        "theme-child",
        "theme-sentence",
        "module-court_work",
        "recommendations",
        "poster",
        "press",  # seed 001 §12: a press notice is produced
    ]
    areas = {a.key: a for a in judgement_areas(BANK, fji_scores, ["court_work"])}
    assert areas["theme-reoffending"].proposed == 2  # 58.3%
    assert areas["theme-public"].proposed == 3  # 66.7%
    assert areas["theme-child"].proposed is None  # 4 judgements
    assert areas["module-court_work"].proposed is None  # no judgements answered


def test_narratives_are_prompts_not_report_text():
    from reports.domain.drafting import Narrative

    narrative = Narrative("HMIP-01", "2.20", "Planning", "Bethany needed a clearer plan.")
    scores_ = score(BANK, known_rows())
    commentary = sqs_sections(BANK, scores_, [narrative])[2]
    assert "Bethany" not in commentary.text
    assert commentary.prompts == ("HMIP-01, Planning (2.20): Bethany needed a clearer plan.",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One.\nTwo.", [Block("p", ("One. Two.",))]),
        ("Intro\n- a\n- b\n\nEnd", [Block("p", ("Intro",)), Block("ul", ("a", "b")), Block("p", ("End",))]),
        ("- a\n  more\n* b", [Block("ul", ("a more", "b"))]),
        ("<b>x</b>", [Block("p", ("<b>x</b>",))]),
        ("", []),
    ],
    ids=["paragraph", "list-between-paragraphs", "continued-item", "markup-kept-as-text", "empty"],
)
def test_blocks(text, expected):
    assert blocks(text) == expected


@pytest.mark.parametrize(
    ("age", "band"),
    [(None, "Not known"), (10, "10-13"), (13, "10-13"), (14, "14-15"), (17, "16-17"), (18, "other")],
)
def test_age_band(age, band):
    assert age_band(age) == band


def test_chart_specs_cover_the_sample_and_the_scores(scores):
    profiles = [
        CaseProfile("Community", "Male", 15),
        CaseProfile("Community", "Female", 16),
        CaseProfile("1st tier", None, None),
    ]
    specs = {s.key: s for s in chart_specs(BANK, scores, profiles)}
    assert list(specs) == [
        "sample_heading",
        "sample_gender",
        "sample_age",
        "theme",
        "criterion",
        "question_1",
        "reasons",
    ]
    assert specs["sample_gender"].rows == (("Male", 1), ("Female", 1), ("Not known", 1))
    assert specs["sample_age"].rows == (("14-15", 1), ("16-17", 1), ("Not known", 1))
    assert specs["theme"].rows == (
        ("Reducing the likelihood of reoffending", 7, 5, 12, 58.3),
        ("Protecting the public", 4, 2, 6, 66.7),
        ("Protecting the child or young person", 4, 0, 4, 100.0),
    )
    assert specs["question_1"].labels == ("1.1.1", "1.10.1", "1.13.1", "2.1.1")
    assert specs["reasons"].rows[0] == ("2.1.1", "Plan not timely", 3)
    assert specs["theme"].alt.startswith(
        "Bar chart. Work judged Sufficient, by theme. Reducing the likelihood of reoffending: 58.3%;"
    )
