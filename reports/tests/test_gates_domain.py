"""The pure report gates of reports.domain.gates: no database."""

import datetime as dt

import pytest

from inspections.domain.timeline import LONDON
from reports.domain.gates import (
    CorrectionVersion,
    SectionText,
    correction_problems,
    factual_accuracy_closes_at,
    placeholders_in,
    publication_problems,
    sending_problems,
)

DEADLINE = dt.datetime(2027, 2, 22, 17, 0, tzinfo=LONDON)
DONE = SectionText("Strengths", "- Assessments were thorough.", "- Roedd yr asesiadau'n drylwyr.")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        pytest.param(
            "Overall 68.2%. [Lead inspector: explain what lies behind this.]",
            ["[Lead inspector: explain what lies behind this.]"],
            id="lead-inspector-prompt",
        ),
        pytest.param(
            "- [Recommendation to improve: “Planning” (33.3% Sufficient)]",
            ["[Recommendation to improve: “Planning” (33.3% Sufficient)]"],
            id="recommendation-prompt",
        ),
        pytest.param("[Lead inspector: …]", ["[Lead inspector: …]"], id="ellipsis"),
        pytest.param("[Arolygydd arweiniol: esboniwch]", ["[Arolygydd arweiniol: esboniwch]"], id="welsh-prompt"),
        pytest.param("The plan [sic] was late.", [], id="an-ordinary-bracket-is-text"),
        pytest.param("Two of 6 cases (33%) were late: see below.", [], id="a-colon-outside-brackets"),
        pytest.param("", [], id="empty"),
    ],
)
def test_placeholders_are_the_prompts_the_draft_leaves(text, found):
    assert placeholders_in(text) == found


@pytest.mark.parametrize(
    ("sections", "unset", "problems"),
    [
        pytest.param([], (), ["Generate the draft before sending it."], id="not-generated"),
        pytest.param([DONE], (), [], id="ready"),
        pytest.param(
            [DONE, SectionText("Commentary", "Overall. [Lead inspector: explain what lies behind this.]")],
            (),
            [
                "“Commentary” still has a prompt in square brackets to replace: "
                "[Lead inspector: explain what lies behind this.]"
            ],
            id="one-prompt-named-by-section",
        ),
        pytest.param(
            [SectionText("Recommendations", "- [Recommendation to improve: A]\n- [Recommendation to improve: B]")],
            (),
            [
                "“Recommendations” still has 2 prompts in square brackets to replace, such as "
                "[Recommendation to improve: A]"
            ],
            id="several-prompts",
        ),
        pytest.param(
            [SectionText("Strengths", "  \n")], (), ["“Strengths” is empty: write its text."], id="empty-section"
        ),
        pytest.param(
            [DONE],
            ("Court Work", "Reducing reoffending"),
            [
                "Set the judgement of every theme and module before sending the report. "
                "Not set yet: Court Work, Reducing reoffending."
            ],
            id="fji-judgements-not-set",
        ),
    ],
)
def test_sending_problems(sections, unset, problems):
    assert sending_problems(sections=sections, unset_judgements=unset) == problems


def test_a_long_prompt_is_quoted_short():
    prompt = "[Lead inspector: " + "x" * 200 + "]"
    (problem,) = sending_problems(sections=[SectionText("Summary", prompt)])
    assert problem.endswith("…]")
    assert len(problem) < 200


AFTER = DEADLINE + dt.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("now", "open_comments", "sections", "wales", "problems"),
    [
        pytest.param(AFTER, [], [DONE], False, [], id="ready"),
        pytest.param(
            DEADLINE,
            [],
            [DONE],
            False,
            [
                "The YOT has until 5pm on Monday 22 February 2027 to check the draft for factual accuracy: "
                "the report can be published after that."
            ],
            id="at-the-deadline-not-yet",
        ),
        pytest.param(
            AFTER,
            ["Commentary", "Commentary", "Strengths"],
            [DONE],
            False,
            [
                "Resolve every comment from the YOT before publishing. Still waiting: 2 on “Commentary”, 1 on “Strengths”."
            ],
            id="open-comments-counted-by-section",
        ),
        pytest.param(
            AFTER,
            [],
            [DONE, SectionText("Commentary", "Done.")],
            True,
            ["Enter the Welsh version of every section before publishing: Commentary."],
            id="wales-without-a-welsh-section",
        ),
        pytest.param(
            AFTER,
            [],
            [SectionText("Commentary", "Done.", "Wedi'i wneud. [Arolygydd arweiniol: esboniwch]")],
            True,
            [
                "The Welsh version of “Commentary” still has a prompt in square brackets to replace: "
                "[Arolygydd arweiniol: esboniwch]"
            ],
            id="wales-with-a-prompt-in-the-welsh",
        ),
        pytest.param(AFTER, [], [SectionText("Commentary", "Done.")], False, [], id="england-needs-no-welsh"),
    ],
)
def test_publication_problems(now, open_comments, sections, wales, problems):
    assert (
        publication_problems(
            comments_close_at=DEADLINE, now=now, open_comments=open_comments, sections=sections, wales=wales
        )
        == problems
    )


COMMENT_AT = dt.datetime(2027, 2, 19, 10, 0, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("version", "problems"),
    [
        pytest.param(
            CorrectionVersion(3, "Commentary", True, COMMENT_AT + dt.timedelta(hours=1)), [], id="later-same-section"
        ),
        pytest.param(
            None,
            [
                "Choose the version of “Commentary” that makes this correction. If you have not saved the corrected "
                "text of “Commentary” yet, do that first."
            ],
            id="none-chosen",
        ),
        pytest.param(
            CorrectionVersion(2, "Strengths", False, COMMENT_AT + dt.timedelta(hours=1)),
            ["Version 2 is a version of “Strengths”: choose a version of “Commentary”."],
            id="another-section",
        ),
        pytest.param(
            CorrectionVersion(1, "Commentary", True, COMMENT_AT - dt.timedelta(days=1)),
            [
                "Version 1 of “Commentary” was saved before the comment was made, so it cannot be the correction. "
                "Save the corrected text of “Commentary”, then choose that version."
            ],
            id="saved-before-the-comment",
        ),
    ],
)
def test_a_corrected_comment_points_to_a_later_version_of_its_section(version, problems):
    assert correction_problems(section_title="Commentary", comment_at=COMMENT_AT, version=version) == problems


@pytest.mark.parametrize(
    ("planned", "sent_at", "closes"),
    [
        pytest.param(DEADLINE, None, DEADLINE, id="not-sent-yet-the-planned-deadline"),
        pytest.param(
            DEADLINE, dt.datetime(2027, 2, 17, 16, 0, tzinfo=LONDON), DEADLINE, id="sent-on-time-the-planned-deadline"
        ),
        pytest.param(
            DEADLINE,
            dt.datetime(2027, 2, 12, 9, 0, tzinfo=LONDON),
            DEADLINE,
            id="sent-early-still-the-planned-deadline",
        ),
        pytest.param(
            DEADLINE,
            dt.datetime(2027, 2, 18, 10, 0, tzinfo=LONDON),
            dt.datetime(2027, 2, 23, 17, 0, tzinfo=LONDON),
            id="sent-a-day-late-three-working-days-from-sending",
        ),
        pytest.param(
            dt.datetime(2027, 3, 22, 17, 0, tzinfo=LONDON),
            dt.datetime(2027, 3, 25, 11, 0, tzinfo=LONDON),
            dt.datetime(2027, 4, 1, 17, 0, tzinfo=LONDON),
            id="sent-late-before-easter-the-bank-holidays-do-not-count",
        ),
    ],
)
def test_sending_the_draft_starts_the_yots_three_working_days(planned, sent_at, closes):
    assert factual_accuracy_closes_at(planned=planned, sent_at=sent_at, country="england") == closes
