from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext_lazy as _

from inspections.forms import GovukDateField
from reports.domain.gates import NOTE_MAX_CHARACTERS, SECTION_MAX_CHARACTERS
from reports.enums import CommentStatus
from reports.models import SectionVersion


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


class SectionForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}))
    text_cy = forms.CharField(label=_("Welsh version"), required=False, widget=forms.Textarea(attrs={"rows": 14}))

    def __init__(self, *args, wales: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = _("Enter the text of this section")
        self.fields["text"].help_text = _(
            "Start a line with a hyphen and a space (“- ”) to make a bullet point. "
            "Leave a blank line between paragraphs."
        )
        # The GOV.UK character count: the limit is checked again, with its message, when saving.
        fields = [Field.textarea("text", rows=14, max_characters=SECTION_MAX_CHARACTERS, threshold=80)]
        if wales:
            self.fields["text_cy"].help_text = _(
                "Entered at the translation step, after the factual accuracy check. Required before publication."
            )
            fields.append(Field.textarea("text_cy", rows=14, max_characters=SECTION_MAX_CHARACTERS, threshold=80))
        else:
            del self.fields["text_cy"]
        self.helper = _helper(*fields, submit=_("Save a new version"))


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment on this section"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = _("Enter your comment")
        self.fields["text"].help_text = _("Say what is factually inaccurate and what it should say.")


class ResolveForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Do you accept this comment?"),
        choices=[
            (CommentStatus.ACCEPTED, _("Yes: the report is corrected")),
            (CommentStatus.REJECTED, _("No: the report stands")),
        ],
        widget=forms.RadioSelect,
    )
    corrected_in = forms.ModelChoiceField(
        label=_("Which version of the section makes the correction?"),
        queryset=SectionVersion.objects.none(),
        required=False,
        empty_label=_("Choose a version"),
    )
    note = forms.CharField(label=_("Note for the YOT manager"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, versions, section_title: str, **kwargs):
        """``versions``: the versions of the comment's section saved after the comment."""
        super().__init__(*args, **kwargs)
        self.fields["status"].error_messages["required"] = _("Choose whether you accept the comment")
        self.fields["note"].error_messages["required"] = _("Enter a note for the YOT manager about what you did")
        # A hint is also what crispy-forms-gds's character count needs to render (it reads the hint's id).
        self.fields["note"].help_text = _("Say what you changed in the report, or why it stands.")
        self.fields["corrected_in"].queryset = versions.order_by("-number")
        self.fields["corrected_in"].label_from_instance = _version_label
        self.fields["corrected_in"].error_messages["invalid_choice"] = _(
            "Choose a version of “%(section)s” saved after the comment"
        ) % {"section": section_title}
        self.fields["corrected_in"].help_text = _(
            "If you accept the comment, choose the version of “%(section)s” you saved with the correction. "
            "Only versions saved after the comment are listed."
        ) % {"section": section_title}
        self.helper = _helper(
            Field.radios("status", legend_size=Size.MEDIUM, inline=True),
            Field.select("corrected_in"),
            Field.textarea("note", rows=4, max_characters=NOTE_MAX_CHARACTERS, threshold=80),
            submit=_("Save"),
        )


def _version_label(version: SectionVersion) -> str:
    when = date_format(timezone.localtime(version.created_at), "j F Y, H:i")
    if version.author is None:
        return _("Version %(n)d, generated %(when)s") % {"n": version.number, "when": when}
    return _("Version %(n)d, saved by %(who)s, %(when)s") % {"n": version.number, "who": version.author, "when": when}


class JudgementForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Judgement"),
        coerce=int,
        choices=[
            (4, _("4 stars: very good")),
            (3, _("3 stars: good")),
            (2, _("2 stars: requires improvement")),
            (1, _("1 star: poor")),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stars"].error_messages["required"] = _("Choose the judgement")


class GoodPracticeForm(forms.Form):
    note = forms.CharField(
        label=_("What is the good practice?"),
        help_text=_(
            "Aggregate reports name this YOT with this description. Leave it empty and save to stop naming the YOT."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("note"), submit=_("Save"))


class AggregateForm(forms.Form):
    period_start = GovukDateField(
        label=_("From"), label_name=_("start of the period"), help_text=_("For example, 1 4 2027")
    )
    period_end = GovukDateField(label=_("To"), label_name=_("end of the period"), help_text=_("For example, 31 3 2028"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("period_start"), Field("period_end"), submit=_("Generate the aggregate report"))

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and start > end:
            raise ValidationError({"period_end": _("The end of the period must be on or after its start")})
        return data
