"""The form of one service user's view (reports/views_voices.py)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from inspections.forms import GovukDateField
from reports.enums import ServiceUserAnswer, ServiceUserKind, ServiceUserMethod


class ServiceUserViewForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Who gave their view?"), choices=ServiceUserKind.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose who gave their view")},
    )  # fmt: skip
    method = forms.ChoiceField(
        label=_("How?"), choices=ServiceUserMethod.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose interview or questionnaire")},
    )  # fmt: skip
    case = forms.ChoiceField(label=_("Which case of the sample is it about?"), required=False)
    held_on = GovukDateField(label=_("Date"), label_name=_("date"), help_text=_("For example, 9 3 2027"))
    understood = forms.ChoiceField(
        label=_("Did they understand what the YOT was doing and why?"), choices=ServiceUserAnswer.choices,
        widget=forms.RadioSelect, error_messages={"required": _("Choose an answer to “Did they understand”")},
    )  # fmt: skip
    listened = forms.ChoiceField(
        label=_("Did they feel the YOT listened to them?"), choices=ServiceUserAnswer.choices,
        widget=forms.RadioSelect, error_messages={"required": _("Choose an answer to “Did they feel listened to”")},
    )  # fmt: skip
    helped = forms.ChoiceField(
        label=_("Did they say the work has helped?"), choices=ServiceUserAnswer.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose an answer to “Has the work helped”")},
    )  # fmt: skip
    helped_most = forms.CharField(
        label=_("What helped most, in their words (optional)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    could_be_better = forms.CharField(
        label=_("What could be better, in their words (optional)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    may_quote = forms.BooleanField(
        label=_("They agreed to be quoted, without their name, in the report"), required=False
    )

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [
            ("", _("None: a questionnaire not tied to a case")),
            *[(str(c.pk), c.label) for c in cases],
        ]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.SMALL, inline=True),
            Field.radios("method", legend_size=Size.SMALL, inline=True),
            Field.select("case"),
            Field("held_on"),
            Field.radios("understood", legend_size=Size.SMALL, inline=True),
            Field.radios("listened", legend_size=Size.SMALL, inline=True),
            Field.radios("helped", legend_size=Size.SMALL, inline=True),
            Field.textarea("helped_most"),
            Field.textarea("could_be_better"),
            Field.checkbox("may_quote"),
            Submit("save", _("Save this view")),
        )
