"""Forms of the improvement plan pages (reports/views_plan.py)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from reports.enums import PlanDecisionKind


class PlanSendForm(forms.Form):
    upload = forms.FileField(
        label=_("Upload the improvement plan"),
        help_text=_("A PDF, Word (.docx), OpenDocument (.odt) or Excel (.xlsx) file, up to 20 MB."),
        error_messages={"required": _("Choose the file of the improvement plan")},
    )
    note = forms.CharField(
        label=_("Note for HMI Probation and the YJB (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_enctype = "multipart/form-data"
        self.helper.layout = Layout(
            Field("upload"), Field.textarea("note"), Submit("action", _("Send the improvement plan"))
        )


class PlanDecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Your decision on this version"),
        choices=PlanDecisionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to approve the plan or return it")},
    )
    comments = forms.CharField(
        label=_("Comments for the YOT"),
        help_text=_("Required when you return the plan: say what should change."),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    name = forms.CharField(label=_("Your name"), max_length=200, required=False)

    def __init__(self, *args, ask_name: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if ask_name:
            self.fields["name"].required = True
            self.fields["name"].error_messages["required"] = _("Enter your name")
        else:
            del self.fields["name"]
        self.helper = FormHelper()
        fields = [Field.radios("kind", legend_size=Size.MEDIUM), Field.textarea("comments")]
        if ask_name:
            fields.append(Field.text("name"))
        self.helper.layout = Layout(*fields, Submit("decide", _("Record the decision")))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == PlanDecisionKind.RETURN and not (cleaned.get("comments") or "").strip():
            self.add_error("comments", _("Say what the YOT should change in the plan."))
        return cleaned
