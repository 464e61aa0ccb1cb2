"""The slot templates' block labels reach the schedule in the reader's language."""

import re
from pathlib import Path

import yaml
from django.utils import translation

from scheduling.labels import LABELS, block_label

TEMPLATES = Path(__file__).resolve().parents[1] / "data" / "slot_templates.yaml"


def _labels(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("label", "unpaired_label") and isinstance(value, str):
                yield value
            else:
                yield from _labels(value)
    elif isinstance(node, list):
        for item in node:
            yield from _labels(item)


def test_every_label_of_the_templates_is_listed_for_translation():
    used = set(_labels(yaml.safe_load(TEMPLATES.read_text(encoding="utf-8"))))
    assert used, "the templates have labels"
    missing = {label for label in used if not re.fullmatch(r"CASE \d+", label)} - set(LABELS)
    assert not missing, f"add these to scheduling/labels.py: {sorted(missing)}"


def test_labels_read_in_welsh_keep_their_case_number():
    with translation.override("cy"):
        lunch = block_label("LUNCH")
        case = block_label("CASE 3")
    assert lunch != "LUNCH"
    assert "3" in case and case != "CASE 3"
    with translation.override("en"):
        assert block_label("CASE 3") == "CASE 3"
        assert block_label("LUNCH") == "LUNCH"


def test_a_label_naming_the_paired_member_keeps_the_name_and_translates_the_words():
    with translation.override("cy"):
        assert block_label("DEBRIEF MEETING with Sam Okafor") == "CYFARFOD ÔL-DRAFOD gyda Sam Okafor"
        assert block_label("MEETING with Sam Okafor") == "CYFARFOD gyda Sam Okafor"
        assert block_label("OBSERVE Priya Shah (CASE 1)").endswith("Priya Shah (ACHOS 1)")
    with translation.override("en"):
        assert block_label("DATA QUALITY CHECK with Priya Shah") == "DATA QUALITY CHECK with Priya Shah"


def test_every_role_word_is_marked_for_translation():
    from scheduling.domain.model import ROLE_LABELS
    from scheduling.labels import ROLE_WORDS

    assert set(ROLE_LABELS.values()) == set(ROLE_WORDS)
