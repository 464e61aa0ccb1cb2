"""Django's messages that its Welsh catalogue lacks come from the project's own catalogue."""

from django.utils import translation
from django.utils.functional import Promise

from inspections.framework_strings import STRINGS


def test_every_listed_framework_message_reads_in_welsh():
    english = []
    for item in STRINGS:
        if isinstance(item, Promise):  # a plural: ngettext_lazy(singular, plural, 1)
            with translation.override("en"):
                source = str(item)
            with translation.override("cy"):
                text = str(item)
        else:
            source = item
            with translation.override("cy"):
                text = translation.gettext(item)
        if text == source:
            english.append(source)
    assert english == []


def test_the_password_and_form_messages_a_user_meets_are_welsh():
    from django import forms
    from django.contrib.auth.password_validation import CommonPasswordValidator, NumericPasswordValidator
    from django.core.exceptions import ValidationError

    with translation.override("cy"):
        for validator, password in ((CommonPasswordValidator(), "password"), (NumericPasswordValidator(), "12345678")):
            try:
                validator.validate(password)
            except ValidationError as error:
                assert "password" not in " ".join(error.messages).lower()
        field = forms.CharField(max_length=3)
        try:
            field.clean("abcdef")
        except ValidationError as error:
            assert "Ensure" not in " ".join(error.messages)


def test_govuk_frontend_components_get_their_words_in_welsh_on_a_welsh_page():
    import json

    from inspections.templatetags.govuk import govuk_frontend_i18n

    with translation.override("en-gb"):
        assert govuk_frontend_i18n() == ""
    with translation.override("cy"):
        html = str(govuk_frontend_i18n())
    assert html.startswith('<script id="govuk-frontend-i18n" type="application/json">')
    config = json.loads(html.split(">", 1)[1].rsplit("</script>", 1)[0])
    assert config["characterCount"]["i18n"]["charactersUnderLimit"]["other"] == "Mae gennych %{count} nod ar ôl"
    assert config["accordion"]["i18n"]["showAllSections"] == "Dangos pob adran"


def test_a_data_label_is_translated_and_an_empty_or_missing_one_shown_as_it_is():
    from inspections.templatetags.govuk import translated

    with translation.override("cy"):
        assert translated("Gender") == "Rhywedd"
        assert translated("") == ""
        assert translated(None) is None
        assert translated("Testshire") == "Testshire"
