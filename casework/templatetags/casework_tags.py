"""Small filters for the assessor's pages: the bank's guidance as GOV.UK paragraphs and lists."""

from __future__ import annotations

import functools
import html

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy, gettext_noop
from django.utils.translation import gettext as _

register = template.Library()


def escape(value) -> str:
    """HTML-escape like Django's ``escape`` (same five characters), without its lazy-string wrapper,
    which costs more than the escaping on a page of forty forms."""
    return html.escape(str(value), quote=True)


@functools.lru_cache(maxsize=2048)
def _bank_text_html(text: str) -> str:
    # The bank writes one paragraph per line and bullets as "- " lines (casework/bank/SCHEMA.md).
    parts: list[str] = []
    bullets: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("- "):
            bullets.append(f"<li>{escape(line[2:].strip())}</li>")
            continue
        if bullets:
            parts.append('<ul class="govuk-list govuk-list--bullet">' + "".join(bullets) + "</ul>")
            bullets = []
        if line:
            parts.append(f'<p class="govuk-body">{escape(line)}</p>')
    if bullets:
        parts.append('<ul class="govuk-list govuk-list--bullet">' + "".join(bullets) + "</ul>")
    return "".join(parts)


@register.filter
def bank_text(text: str | None) -> SafeString:
    """Guidance text as HTML; cached, since the same guidance is shown on every case."""
    return mark_safe(_bank_text_html(text or ""))  # noqa: S308 - every piece is escaped above


@register.filter
def answer_text(value) -> str:
    """An answer as the assessor reads it: labels joined, "—" when there is none."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):  # a question asked once per factor
        return "; ".join(f"{factor}: {answer}" for factor, answer in value.items()) or "—"
    return str(value)


@register.filter
def answer_label(value, question) -> str:
    """An answer as ``answer_text`` writes it, each option in the page's language (a Welsh page shows
    the bank's Welsh of the stored English option; free text is shown as typed)."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, (list, tuple)):
        return ", ".join(option_label(str(item), question) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{factor}: {option_label(str(answer), question)}" for factor, answer in value.items()) or "—"
    return option_label(str(value), question)


@register.filter
def question_slug(question_id: str) -> str:
    """An HTML id fragment for a question: "1.1.1" -> "1-1-1" (ids never contain "-")."""
    return question_id.replace(".", "-")


# The question forms are the hot path of the busiest page (40-odd questions, hundreds of options):
# the option lists and the guidance are built here rather than by template loops, which are an
# order of magnitude slower. The markup is the GOV.UK radios, checkboxes and details components.


@functools.lru_cache(maxsize=4096)
def _escaped(options: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(str(escape(option)) for option in options)


# The bank's Welsh (each question's ``cy``) is shown when the page is Welsh; what is stored is always
# the English option, so an answer given in one language reads the same in the other.
def _welsh_page() -> bool:
    return (get_language() or "").split("-")[0] == "cy"


def shown(question, field: str) -> str:
    """``text``, ``quality_indicators`` or ``guidance`` of a question in the page's language."""
    if _welsh_page():
        welsh = question.cy.get(field)
        if welsh:
            return welsh
    return getattr(question, field)


def shown_options(question) -> tuple[str, ...]:
    """The option labels in the page's language, in the order of the English ones."""
    if _welsh_page():
        welsh = question.cy.get("options")
        if welsh:
            return tuple(welsh)
    return question.options


@register.filter
def question_text(question) -> str:
    return shown(question, "text")


@register.filter
def option_label(option: str, question) -> str:
    """An option's label in the page's language (the value stays the English option)."""
    if option in question.options:
        return shown_options(question)[question.options.index(option)]
    return option


@register.simple_tag
def question_choices(item) -> SafeString:
    """The radios (single choice) or checkboxes (multiple) of a question item, its answer checked."""
    question, slug = item["q"], item["slug"]
    if item.get("factor_rows"):
        return _factor_choices(item)
    block, kind = ("checkboxes", "checkbox") if question.multiple else ("radios", "radio")
    inline = " govuk-radios--inline" if not question.multiple and len(question.options) <= 3 else ""
    parts = [f'<div class="govuk-{block} govuk-{block}--small{inline}" data-module="govuk-{block}">']
    answers = item["options"]
    values = _escaped(question.options)
    for number, (label, (_option, checked)) in enumerate(
        zip(_escaped(shown_options(question)), answers, strict=True), start=1
    ):
        input_id = f"q-{slug}" if number == 1 else f"q-{slug}-{number}"
        parts.append(
            f'<div class="govuk-{block}__item"><input class="govuk-{block}__input" id="{input_id}" name="value"'
            f' type="{kind}" value="{values[number - 1]}"{" checked" if checked else ""}>'
            f'<label class="govuk-label govuk-{block}__label" for="{input_id}">{label}</label></div>'
        )
    parts.append("</div>")
    return mark_safe("".join(parts))  # noqa: S308 - labels escaped, slug is [A-Za-z0-9-]


def _factor_choices(item) -> SafeString:
    """A question asked once per factor: a small fieldset of radios for each factor (GOV.UK radios)."""
    question, slug = item["q"], item["slug"]
    labels = _escaped(shown_options(question))
    values = _escaped(question.options)
    inline = " govuk-radios--inline" if len(question.options) <= 3 else ""
    parts = []
    for number, factor, answers in item["factor_rows"]:
        parts.append(
            '<fieldset class="govuk-fieldset govuk-!-margin-bottom-3">'
            f'<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{escape(factor)}</legend>'
            f'<div class="govuk-radios govuk-radios--small{inline}" data-module="govuk-radios">'
        )
        for index, (label, (_option, checked)) in enumerate(zip(labels, answers, strict=True), start=1):
            first = (number, index) == (item["factor_rows"][0][0], 1)  # the error summary links to q-<slug>
            input_id = f"q-{slug}" if first else f"q-{slug}-{number}-{index}"
            parts.append(
                f'<div class="govuk-radios__item"><input class="govuk-radios__input" id="{input_id}"'
                f' name="value-{number}" type="radio" value="{values[index - 1]}"{" checked" if checked else ""}>'
                f'<label class="govuk-label govuk-radios__label" for="{input_id}">{label}</label></div>'
            )
        parts.append("</div></fieldset>")
    return mark_safe("".join(parts))  # noqa: S308 - labels and factors escaped, slug is [A-Za-z0-9-]


@functools.lru_cache(maxsize=4096)
def _guidance_html(question_id: str, indicators: str, guidance: str, language: str) -> str:
    summary = escape(_("Guidance for %(id)s") % {"id": question_id})
    body = ""
    if indicators:
        heading = escape(_("Quality indicators"))
        body += f'<h3 class="govuk-heading-s">{heading}</h3>{_bank_text_html(indicators)}'
    if guidance:
        heading = escape(_("Extended guidance"))
        body += f'<h3 class="govuk-heading-s">{heading}</h3>{_bank_text_html(guidance)}'
    return (
        '<details class="govuk-details govuk-!-margin-bottom-3"><summary class="govuk-details__summary">'
        f'<span class="govuk-details__summary-text">{summary}</span></summary>'
        f'<div class="govuk-details__text">{body}</div></details>'
    )


@register.simple_tag
def question_guidance(question) -> SafeString:
    """The question's quality indicators and extended guidance, one click away (GOV.UK details)."""
    return mark_safe(  # noqa: S308 - built from escaped parts
        _guidance_html(
            question.id, shown(question, "quality_indicators"), shown(question, "guidance"), get_language() or ""
        )
    )


def _attr(value) -> str:
    return str(escape(value))


@functools.lru_cache(maxsize=8)
def _labels(language: str) -> dict[str, str]:
    """The fixed words of a question form, translated once per language (they are on every form)."""
    return {
        "error": str(escape(_("Error:"))),
        "save": str(escape(_("Save"))),
        "save_instead": str(escape(_("Save my answer instead"))),
        "saved": str(escape(_("Saved"))),
        "prefilled": str(escape(_("Taken from the long-list"))),
        "prefilled_hint": str(escape(_("Check it against the case record, then save it or change it."))),
        "theirs": str(escape(_("Their answer:"))),
        "yours": str(escape(_("Your answer, still in the form below:"))),
        "choose": str(escape(_("Choose “Save my answer instead” to replace theirs, or"))),
        "keep": str(escape(_("keep their answer"))),
    }


STATUS_TAGS = {
    "completed": ("", gettext_lazy("Completed")),
    "has_problems": ("govuk-tag govuk-tag--red", gettext_lazy("Has problems")),
    "in_progress": ("govuk-tag govuk-tag--light-blue", gettext_lazy("In progress")),
    "no_questions": ("", gettext_lazy("No questions for this case")),
    "not_started": ("govuk-tag govuk-tag--blue", gettext_lazy("Not started")),
}


@register.simple_tag
def status_tag(status: str) -> SafeString:
    """A view's task-list status: plain text when done or not applicable, a coloured tag otherwise."""
    css, label = STATUS_TAGS.get(status, STATUS_TAGS["not_started"])
    if not css:
        return mark_safe(str(escape(label)))  # noqa: S308 - escaped
    return mark_safe(f'<strong class="{css}">{escape(label)}</strong>')  # noqa: S308 - escaped


@register.simple_tag(takes_context=True)
def question_form(context, item) -> SafeString:
    """One question as its own small form (GOV.UK form group), saving on change through htmx and
    with a Save button without JavaScript. Built in Python: see the note above ``_escaped``."""
    question, slug = item["q"], item["slug"]
    can_edit = context.get("can_edit")
    words = _labels(get_language() or "")
    problem = bool(item["error"] or item["conflict"])
    action = _attr(item["action"])
    out = [
        f'<form id="question-{slug}"'
        f' class="govuk-form-group govuk-!-padding-top-4{" govuk-form-group--error" if problem else ""}"'
        f' method="post" action="{action}" novalidate data-question="{_attr(question.id)}" data-kind="{question.kind}"'
        f' data-input="{question.input}" data-answered="{"true" if item["answered"] else "false"}"'
    ]
    if can_edit:
        trigger = "submit" if item["conflict"] else "change, submit"
        out.append(
            f' hx-post="{action}" hx-target="#status-{slug}" hx-swap="innerHTML" hx-sync="this:queue last"'
            f' hx-trigger="{trigger}"'
        )
    out.append(
        f'><input type="hidden" name="csrfmiddlewaretoken" value="{_attr(context.get("csrf_token", ""))}">'
        f'<input type="hidden" id="rev-{slug}" name="expected_revision" value="{int(item["revision"])}">'
    )
    if problem:
        out.append('<input type="hidden" name="had_problem" value="1">')
    described = f' aria-describedby="{item["describedby"]}"' if item["describedby"] else ""
    disabled = "" if can_edit else " disabled"
    caption = (
        '<span class="govuk-caption-s govuk-!-display-block govuk-!-font-weight-regular govuk-!-margin-bottom-1">'
        f"{escape(item['caption'])}</span> {escape(shown(question, 'text'))}"
    )
    if question.input == "choice":
        out.append(
            f'<fieldset class="govuk-fieldset"{described}{disabled}>'
            '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">'
            f'<h2 class="govuk-fieldset__heading">{caption}</h2></legend>'
        )
    else:
        out.append(
            '<h2 class="govuk-label-wrapper">'
            f'<label class="govuk-label govuk-label--s" for="q-{slug}">{caption}</label></h2>'
        )
    if item["hint"]:
        out.append(f'<div class="govuk-hint" id="q-{slug}-hint">{escape(item["hint"])}</div>')
    if can_edit:
        out.append(f'<div id="status-{slug}">{saved_tag(item)}{prefilled_tag(item)}</div>')
    out.append(
        _guidance_html(
            question.id, shown(question, "quality_indicators"), shown(question, "guidance"), get_language() or ""
        )
    )
    error_prefix = f'<span class="govuk-visually-hidden">{words["error"]}</span> '
    if item["error"]:
        out.append(f'<p class="govuk-error-message" id="q-{slug}-error">{error_prefix}{escape(item["error"])}</p>')
    if item["conflict"]:
        conflict = item["conflict"]
        at = timezone.localtime(conflict["at"]).strftime("%H:%M") if conflict["at"] else ""
        message = _(
            "%(by)s saved a different answer to %(id)s at %(at)s, after you opened this page."
            " Your answer is not saved yet."
        ) % {"by": conflict["by"], "id": question.id, "at": at}
        out.append(
            f'<div class="govuk-error-message" id="q-{slug}-error">{error_prefix}{escape(message)}</div>'
            '<div class="govuk-inset-text govuk-!-margin-top-2">'
            f'<p class="govuk-body">{words["theirs"]} <strong>{escape(conflict["theirs"])}</strong></p>'
            f'<p class="govuk-body">{words["yours"]} <strong>{escape(conflict["yours"])}</strong></p>'
            f'<p class="govuk-body">{words["choose"]}'
            f' <a class="govuk-link" href="{_attr(item["view_url"])}#question-{slug}">{words["keep"]}</a>.</p></div>'
        )
    if question.input == "choice":
        out.append(question_choices(item) + "</fieldset>")
    elif question.input == "number":
        error_class = " govuk-input--error" if item["error"] else ""
        out.append(
            f'<input class="govuk-input govuk-input--width-5{error_class}" id="q-{slug}" name="value" type="text"'
            f' inputmode="decimal" spellcheck="false" value="{_attr(item["text"])}"{described}{disabled}>'
        )
    else:
        error_class = " govuk-textarea--error" if item["error"] else ""
        out.append(
            f'<textarea class="govuk-textarea{error_class}" id="q-{slug}" name="value" rows="4"{described}{disabled}>'
            f"{escape(item['text'])}</textarea>"
        )
    if can_edit:
        label = words["save_instead"] if item["conflict"] else words["save"]
        out.append(
            '<div class="govuk-button-group govuk-!-margin-top-3 govuk-!-margin-bottom-0">'
            '<button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"'
            ' data-module="govuk-button">'
            f'{label}<span class="govuk-visually-hidden"> {escape(question.id)}</span></button></div>'
        )
    out.append("</form>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


@register.simple_tag
def saved_tag(item) -> SafeString:
    """The visible "Saved" state of a question just saved."""
    if item.get("state") != "saved":
        return mark_safe("")
    return mark_safe(  # noqa: S308 - escaped
        f'<p class="govuk-body govuk-!-margin-bottom-2"><strong class="govuk-tag govuk-tag--green"'
        f' data-saved="{_attr(item["q"].id)}">{_labels(get_language() or "")["saved"]}</strong></p>'
    )


def prefilled_tag(item) -> str:
    """The mark on a question showing the long-list's answer, not saved yet (services/prefill.py).

    It sits in the question's status, so saving the question (htmx swaps the status) removes it."""
    if not item.get("prefilled"):
        return ""
    words = _labels(get_language() or "")
    return (
        '<p class="govuk-body govuk-!-margin-bottom-2"><strong class="govuk-tag govuk-tag--yellow"'
        f' data-prefilled="{_attr(item["q"].id)}">{words["prefilled"]}</strong>'
        f' <span class="govuk-body-s">{words["prefilled_hint"]}</span></p>'
    )


@register.simple_tag
def shown_answer(question, value, factors_of=None) -> str:
    """An answer in the page's language: each option through the bank's Welsh (``option_label``),
    written answers as written, "—" when there is none. Escaped by the template."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, dict):  # a question asked once per factor
        label = (lambda factor: option_label(factor, factors_of)) if factors_of is not None else str
        return "; ".join(f"{label(factor)}: {option_label(answer, question)}" for factor, answer in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(option_label(str(item), question) for item in value)
    if question.input == "choice":
        return option_label(str(value), question)
    return str(value)


@register.simple_tag(takes_context=True)
def question_forms(context, items) -> SafeString:
    """Every question form of a view, in order (one tag rather than an include per question)."""
    return mark_safe("".join(question_form(context, item) for item in items))  # noqa: S308 - see question_form


# The bank's view titles, for makemessages; shown through ``bank_label``. The theme and module labels
# are listed in reports/domain/labels.py. A test checks every title of the bank is listed.
VIEW_TITLES = (
    gettext_noop("Details"),
    gettext_noop("Assessment"),
    gettext_noop("Planning"),
    gettext_noop("Delivery of interventions"),
    gettext_noop("Initial outcomes"),
    gettext_noop("Management and leadership"),
)


@register.filter
def bank_label(value: str) -> str:
    """A view title, theme or module label of the bank in the page's language."""
    return _(value) if value else value
