"""What the schedule's confirmation pages say (templates/confirm.html): sending a version to the YOT
(or, FJI, to the lead inspector) and making it final, both outward and not undone (issue 9 §5).

Each ``*_context(inspection, preview, expected, problems)`` takes the service's preview of the
action (None when something stops it, then ``problems`` says what) and the version number the
page showed.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inspections.templatetags.govuk import govuk_time
from scheduling import selectors as S


def _milestone(inspection, key):
    try:
        return inspection.timeline.get(key)
    except KeyError:
        return None


def _people(users) -> str:
    return ", ".join(f"{u} ({u.email})" for u in users if u.email)


def _change_lines(changes) -> list[str]:
    return [
        _("%(ref)s: from %(from)s to %(to)s") % {"ref": c["case"], "from": c["from"], "to": c["to"]}
        for c in S.read_changes(changes)
    ]


def _confirm_base(inspection, expected, problems, *, url_name) -> dict:
    return {
        "inspection": inspection,
        "caption": f"{inspection.reference} · {inspection.yot.name}",
        "problems": list(problems),
        "action_url": reverse(url_name, args=[inspection.reference]),
        "hidden": {"expected": expected} if expected is not None else {},
        "cancel_url": reverse("scheduling:schedule", args=[inspection.reference]),
    }


def send_context(inspection, preview, expected, problems) -> dict:
    fji = inspection.programme == "fji"
    number = preview.version.number if preview else expected
    context = _confirm_base(inspection, expected, problems, url_name="scheduling:send")
    if fji:
        context["title"] = (
            _("Send version %(n)d of the schedule to the lead inspector for approval?") % {"n": number}
            if number
            else _("Send the schedule to the lead inspector for approval")
        )
        context["button"] = _("Send it for approval")
    else:
        context["title"] = (
            _("Send version %(n)d of the schedule to the YOT?") % {"n": number}
            if number
            else _("Send the schedule to the YOT")
        )
        context["button"] = _("Send it to the YOT")
    if preview is None:
        return context
    paragraphs = []
    if preview.recipients:
        paragraphs.append(
            (
                _("The lead inspector and the support services officer are emailed a link to it: %(people)s.")
                if fji
                else _("The YOT manager sees it on the schedule page and is emailed a link to it: %(people)s.")
            )
            % {"people": _people(preview.recipients)}
        )
    else:
        paragraphs.append(_("No one with an account can be emailed about it: tell them yourself."))
    paragraphs.append(
        _(
            "Once sent, version %(n)d does not change: any later change starts a new version, and what "
            "changed is listed when that one is sent."
        )
        % {"n": number}
    )
    if not fji:
        due = _milestone(inspection, "sample_due")
        if due is not None:
            paragraphs.append(
                _("It is due with the YOT by %(time)s on %(date)s.")
                % {"time": govuk_time(due.time), "date": date_format(due.date, "l j F")}
            )
    if preview.changes:
        paragraphs.append(_("What changed since the last version they saw:"))
    context.update(paragraphs=paragraphs, items=_change_lines(preview.changes))
    if preview.warnings:
        context["warning"] = ngettext(
            "%(n)d warning remains on the schedule: see the checks on the schedule page.",
            "%(n)d warnings remain on the schedule: see the checks on the schedule page.",
            preview.warnings,
        ) % {"n": preview.warnings}
    return context


def finalise_context(inspection, preview, expected, problems) -> dict:
    fji = inspection.programme == "fji"
    number = preview.version.number if preview else expected
    context = _confirm_base(inspection, expected, problems, url_name="scheduling:finalise")
    if fji:
        context["title"] = (
            _("Approve version %(n)d of the schedule?") % {"n": number} if number else _("Approve the schedule")
        )
        context["button"] = _("Approve it")
    else:
        context["title"] = (
            _("Make version %(n)d of the schedule final?") % {"n": number} if number else _("Make the schedule final")
        )
        context["button"] = _("Make version %(n)d final") % {"n": number} if number else _("Make it final")
    context["danger"] = True
    if preview is None:
        return context
    paragraphs = [
        _(
            "Each case is allocated to the team member whose slot it is in, and each of them is emailed "
            "the list of their cases."
        ),
    ]
    if preview.recipients:
        paragraphs.append(
            _("The YOT manager is emailed that the schedule is final: %(people)s.")
            % {"people": _people(preview.recipients)}
        )
    if preview.moves_status:
        paragraphs.append(_("The inspection moves on to “Schedule final”."))
    if preview.changes:
        paragraphs.append(_("What changed since the last version the YOT saw:"))
    context.update(
        paragraphs=paragraphs,
        items=_change_lines(preview.changes),
        warning=_(
            "A final version cannot be changed: a later change starts a new version, which has to be made final again."
        ),
    )
    return context
