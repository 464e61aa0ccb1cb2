"""The reviewer's forms (issue 12 §5): agree with a view's judgements at once, or change one."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms_assessment import ReviewForm


class ChangeJudgementForm(ReviewForm):
    """One judgement's review, with the answer revision the reviewer was shown."""

    expected_revision = forms.IntegerField(min_value=0, required=False)
    reason = forms.CharField(
        required=False,
        max_length=1000,
        error_messages={"max_length": _("The reason must be 1,000 characters or fewer")},
    )


class AgreeViewForm(forms.Form):
    """The judgements shown in one view, each as "<question id>:<answer revision>"."""

    seen = forms.CharField(required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self._pairs = data.getlist("seen") if data is not None else []

    def clean(self):
        cleaned = super().clean()
        seen = {}
        for pair in self._pairs:
            question_id, _sep, revision = pair.rpartition(":")
            if not question_id or not revision.isdigit():
                raise forms.ValidationError(_("This page was out of date. Reload it and try again."))
            seen[question_id] = int(revision)
        cleaned["seen"] = seen
        return cleaned
