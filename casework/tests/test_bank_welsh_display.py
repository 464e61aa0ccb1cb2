"""The bank's Welsh reaches a Welsh page; the stored answer stays the English option."""

from types import MappingProxyType

from django.utils import translation

from casework.domain.bank import load_bank
from casework.templatetags.casework_tags import VIEW_TITLES, bank_label, option_label, question_text, shown_options
from reports.domain.labels import MODULE_LABELS, THEME_LABELS


def _with_welsh(question):
    import dataclasses

    welsh = {"text": "Cwestiwn yn Gymraeg", "options": [f"Opsiwn {n}" for n in range(len(question.options))]}
    return dataclasses.replace(question, cy=MappingProxyType(welsh))


def test_a_welsh_page_shows_the_bank_welsh_and_an_english_page_the_english():
    bank = load_bank("2026-12")
    question = _with_welsh(next(q for q in bank.questions if q.kind == "judgement"))
    with translation.override("cy"):
        assert question_text(question) == "Cwestiwn yn Gymraeg"
        assert shown_options(question)[0] == "Opsiwn 0"
        assert option_label(question.options[1], question) == "Opsiwn 1"
    with translation.override("en"):
        assert question_text(question) == question.text
        assert option_label(question.options[1], question) == question.options[1]


def test_a_question_without_welsh_falls_back_to_english():
    bank = load_bank("2026-12")
    question = next(q for q in bank.questions if q.kind == "judgement")
    import dataclasses

    question = dataclasses.replace(question, cy=MappingProxyType({}))
    with translation.override("cy"):
        assert question_text(question) == question.text


def test_every_view_title_theme_and_module_of_each_bank_is_listed_for_translation():
    for version in ("2015-01", "2026-12"):
        bank = load_bank(version)
        assert {v.title for v in bank.views} <= set(VIEW_TITLES)
        assert {t.label for t in bank.themes} <= set(THEME_LABELS)
        assert {m.label for m in bank.modules} <= set(MODULE_LABELS)


def test_view_titles_read_in_welsh():
    with translation.override("cy"):
        assert bank_label("Planning") != "Planning"


def test_stored_answers_read_in_the_pages_language():
    from casework.templatetags.casework_tags import answer_label

    bank = load_bank("2026-12")
    judgement = bank.question("1.1.1")
    multiple = next(q for q in bank.questions if q.multiple and q.options and q.cy.get("options"))
    with translation.override("cy"):
        assert answer_label("Sufficient", judgement) == "Digonol"
        chosen = list(multiple.options[:2])
        assert answer_label(chosen, multiple) == ", ".join(multiple.cy["options"][:2])
        assert answer_label("typed by the assessor", judgement) == "typed by the assessor"
        assert answer_label(None, judgement) == "—"
    with translation.override("en"):
        assert answer_label("Sufficient", judgement) == "Sufficient"
