"""Dates and times the GOV.UK way: 'midday', '4pm', '9:30am'; 'Thursday 28 January 2027'."""

import datetime as dt

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def govuk_time(value: dt.time | None) -> str:
    if value is None:
        return ""
    if value == dt.time(12, 0):
        return _("midday")
    if value == dt.time(0, 0):
        return _("midnight")
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def _forms(one: str, other: str) -> dict[str, str]:
    """GOV.UK Frontend's plural forms (Intl.PluralRules categories; Welsh uses all six)."""
    return {"zero": other, "one": one, "two": other, "few": other, "many": other, "other": other}


@register.simple_tag
def govuk_frontend_i18n():
    """The words GOV.UK Frontend's scripts write on the page, in Welsh on a Welsh page.

    On an English page nothing is needed (the components' own English is used). The JSON is read by
    static/js/app.js and given to initAll; it is data, not script, so the Content-Security-Policy holds.
    """
    from django.utils.html import json_script
    from django.utils.translation import get_language

    if (get_language() or "").split("-")[0] != "cy":
        return ""
    config = {
        "characterCount": {
            "i18n": {
                "charactersUnderLimit": _forms(
                    _("You have %{count} character remaining"), _("You have %{count} characters remaining")
                ),
                "charactersAtLimit": _("You have 0 characters remaining"),
                "charactersOverLimit": _forms(
                    _("You have %{count} character too many"), _("You have %{count} characters too many")
                ),
                "wordsUnderLimit": _forms(
                    _("You have %{count} word remaining"), _("You have %{count} words remaining")
                ),
                "wordsAtLimit": _("You have 0 words remaining"),
                "wordsOverLimit": _forms(_("You have %{count} word too many"), _("You have %{count} words too many")),
                "textareaDescription": _forms(
                    _("You can enter up to %{count} character"), _("You can enter up to %{count} characters")
                ),
            }
        },
        "accordion": {
            "i18n": {
                "showAllSections": _("Show all sections"),
                "hideAllSections": _("Hide all sections"),
                "showSection": _("Show"),
                "hideSection": _("Hide"),
                "showSectionAriaLabel": _("Show this section"),
                "hideSectionAriaLabel": _("Hide this section"),
            }
        },
        "passwordInput": {
            "i18n": {
                "showPassword": _("Show"),
                "hidePassword": _("Hide"),
                "showPasswordAriaLabel": _("Show password"),
                "hidePasswordAriaLabel": _("Hide password"),
                "passwordShownAnnouncement": _("Your password is visible"),
                "passwordHiddenAnnouncement": _("Your password is hidden"),
            }
        },
        "fileUpload": {
            "i18n": {
                "chooseFile": _("Choose file"),
                "dropInstruction": _("or drop file"),
                "noFileChosen": _("No file chosen"),
                "multipleFilesChosen": _forms(_("%{count} file chosen"), _("%{count} files chosen")),
                "enteredDropZone": _("Entered drop zone"),
                "leftDropZone": _("Left drop zone"),
            }
        },
    }
    return json_script(config, "govuk-frontend-i18n")


@register.filter
def stored_message(text: str):
    """A message stored in a text column (``to_text_field``), in the page's language."""
    from inspections.domain.messages import from_text_field

    return from_text_field(text or "")


@register.filter
def translated(value):
    """A data label (a theme, a mix dimension or value) in the page's language; anything that is not
    a non-empty string is shown as it is (``{% translate %}`` of "" would print the catalogue header)."""
    return _(value) if isinstance(value, str) and value else value
