"""Forms of the editorial disagreement pages (reports/views_disputes.py)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils.translation import gettext_lazy as _


class DisputeForm(forms.Form):
    section = forms.ChoiceField(label=_("What is it about?"), required=False)
    matter = forms.CharField(
        label=_("What do you not agree with, and why?"),
        help_text=_("The lead inspector is told at once. Do not write a child’s name."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Say what you do not agree with and why.")},
    )

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", _("The report as a whole")), *[(str(s.pk), s.title) for s in sections]]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("section"), Field.textarea("matter"), Submit("raise", _("Raise the disagreement"))
        )


class DisputeStepForm(forms.Form):
    action = forms.ChoiceField(
        label=_("What happens next?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether it was agreed or goes to the next step")},
    )
    note = forms.CharField(
        label=_("What was agreed, or why it goes on"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Record what was agreed, or why it goes on.")},
    )

    def __init__(self, *args, can_refer: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("settle", _("It is agreed"))]
        if can_refer:
            choices.append(("refer", _("It is not agreed: refer it to the next step")))
        self.fields["action"].choices = choices
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("action", legend_size=Size.MEDIUM), Field.textarea("note"), Submit("step", _("Record it"))
        )
