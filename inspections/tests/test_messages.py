"""Domain messages are translated when shown, in the reader's language, also after being stored."""

import json

from django.utils import translation

from inspections.domain.messages import Msg, _, from_json, join, ngettext
from scheduling.domain.model import day_name


def test_a_message_is_translated_when_shown_not_when_made():
    with translation.override("en"):
        message = _("%(day)s is a bank holiday", day=day_name(0))
    with translation.override("cy"):
        welsh_day = str(day_name(0))
    assert welsh_day != "Monday"
    with translation.override("cy"):
        assert welsh_day in str(message)
    with translation.override("en"):
        assert str(message) == "Monday is a bank holiday"


def test_a_stored_message_comes_back_and_plain_strings_stay():
    message = ngettext("%(count)s case", "%(count)s cases", 3, count=3)
    restored = from_json(json.loads(json.dumps(message.as_json())))
    assert isinstance(restored, Msg)
    assert restored == message
    with translation.override("en"):
        assert str(restored) == "3 cases"
    assert from_json("an older plain message") == "an older plain message"


def test_a_parameter_called_count_is_a_value_like_any_other():
    with translation.override("en"):
        assert str(_("%(count)s interviews", count=4)) == "4 interviews"


def test_join_lists_in_the_readers_language():
    with translation.override("en"):
        assert str(join(["A"])) == "A"
        assert str(join(["A", "B"])) == "A and B"
        assert str(join(["A", "B", "C"])) == "A, B and C"


def test_messages_behave_like_their_text():
    with translation.override("en"):
        message = _("%(ref)s has no slot", ref="C1")
        assert "no slot" in message
        assert message == "C1 has no slot"
        assert message.startswith("C1")
        assert "Note: " + message == "Note: C1 has no slot"


def test_a_sample_reason_made_in_english_is_read_in_welsh_after_being_stored():
    from casework.longlist.selection import Heading, heading_label

    with translation.override("en"):
        reason = _("%(heading)s heading place (%(n)d in the sample)", heading=heading_label(Heading.COMMUNITY), n=9)
        stored = json.loads(json.dumps(reason.as_json()))
        assert str(from_json(stored)) == "Community heading place (9 in the sample)"
    with translation.override("cy"):
        welsh = str(from_json(stored))
    assert "9" in welsh and "heading place" not in welsh


def test_a_schedule_problem_reads_in_welsh():
    from scheduling.domain.diagnose import (
        Problem,  # noqa: F401 - the module the message comes from
        _cases_phrase,
    )

    with translation.override("cy"):
        assert str(_cases_phrase(["HMIP-01", "HMIP-02"])) == "Achosion HMIP-01 a HMIP-02"
