from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from inspections.domain.gates import clock
from inspections.enums import Country, Programme, Status
from inspections.notifications import yot_managers_of
from inspections.selectors import get_inspection_for
from inspections.services import StaleStatus
from reports import services
from reports.domain.gates import COMMENT_MAX_CHARACTERS
from reports.enums import CommentStatus, DisputeStatus, JobKind, JobStatus, ReportStage
from reports.forms import AggregateForm, CommentForm, GoodPracticeForm, JudgementForm, ResolveForm, SectionForm
from reports.models import FactualComment, GoodPractice, Report, ReportJob, ReportSection
from reports.rules import FILE_PERMISSION, GENERATE_PERMISSION
from reports.selectors import get_file, get_job, latest_jobs


def _messages_from(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _report(inspection) -> Report | None:
    return Report.objects.filter(inspection=inspection).first()


def reports(request, reference):
    inspection = get_inspection_for(request.user, reference, "reports.view_reports")
    user = request.user
    report = _report(inspection)
    jobs = latest_jobs(inspection)
    kinds = [k for k in services.KINDS_FOR[inspection.programme]]
    rows = [
        {
            "kind": kind,
            "label": JobKind(kind).label,
            "job": jobs.get(kind),
            "can_see": user.has_perm(FILE_PERMISSION[kind], inspection),
            "can_generate": user.has_perm(GENERATE_PERMISSION[kind], inspection)
            and not (report and report.is_frozen and kind != JobKind.CHART_PACK),
        }
        for kind in kinds
    ]
    context = {
        "inspection": inspection,
        "report": report,
        "rows": rows,
        "can_see_draft": user.has_perm("reports.view_draft", inspection),
        "can_send": user.has_perm("reports.send_report", inspection)
        and report
        and report.stage == ReportStage.DRAFTING,
        "can_publish": user.has_perm("reports.publish_report", inspection)
        and report
        and report.stage == ReportStage.FACTUAL_ACCURACY,
        "at_draft_report": inspection.status == Status.DRAFT_REPORT,
        "draft_due": inspection.timeline.get("draft_report_due"),
        "comments_close_at": services.comments_close_at(report) if report else None,
        "open_comments": FactualComment.objects.filter(section__report=report, status=CommentStatus.OPEN).count()
        if report
        else 0,
        "can_mark_good_practice": inspection.programme == Programme.SQS
        and user.has_perm("reports.mark_good_practice", inspection),
        "good_practice": GoodPractice.objects.filter(inspection=inspection).first(),
    }
    return render(request, "reports/reports.html", context)


@require_POST
def generate(request, reference, kind):
    if kind not in GENERATE_PERMISSION:
        raise Http404("No such report")
    inspection = get_inspection_for(request.user, reference, GENERATE_PERMISSION[kind])
    try:
        services.job_create(kind=kind, by=request.user, inspection=inspection)
    except ValidationError as exc:
        _messages_from(request, exc)
    else:
        messages.success(request, _("%(kind)s: generation started.") % {"kind": JobKind(kind).label})
    return redirect("reports:reports", reference=reference)


def _job_for(request, reference, job_id):
    inspection = get_inspection_for(request.user, reference, "reports.view_reports")
    job = get_job(inspection, job_id)
    if not request.user.has_perm(FILE_PERMISSION[job.kind], inspection):
        raise PermissionDenied
    return inspection, job


def job(request, reference, job_id):
    """The job's progress: an htmx partial while polling, or a page that a reload refreshes."""
    inspection, job = _job_for(request, reference, job_id)
    context = {
        "inspection": inspection,
        "job": job,
        "can_retry": request.user.has_perm(GENERATE_PERMISSION[job.kind], inspection),
    }
    if request.htmx:
        return render(request, "reports/_job.html", context)
    return render(request, "reports/job.html", context)


@require_POST
def retry(request, reference, job_id):
    inspection, job = _job_for(request, reference, job_id)
    if not request.user.has_perm(GENERATE_PERMISSION[job.kind], inspection):
        raise PermissionDenied
    try:
        services.job_retry(job=job, by=request.user)
    except ValidationError as exc:
        _messages_from(request, exc)
    else:
        messages.success(request, _("Trying again."))
    return redirect("reports:reports", reference=reference)


def download(request, reference, job_id, file_id):
    _inspection, job = _job_for(request, reference, job_id)
    if job.status != JobStatus.DONE:
        raise Http404("Not ready")
    record = get_file(job, file_id)
    return FileResponse(
        record.file.open("rb"), as_attachment=True, filename=record.filename, content_type=record.content_type
    )


def draft(request, reference):
    """The draft read on screen: the LI edits from here, the YOT manager comments section by section."""
    inspection = get_inspection_for(request.user, reference, "reports.view_draft")
    report = _report(inspection)
    if report is None:
        raise Http404("No draft yet")
    sections = list(report.sections.prefetch_related("versions", "comments__author", "comments__corrected_in"))
    context = {
        "inspection": inspection,
        "report": report,
        "sections": sections,
        "judgements": {j.key: j for j in report.judgements.all()},
        "can_edit": request.user.has_perm("reports.edit_report", inspection) and not report.is_frozen,
        "can_comment": request.user.has_perm("reports.comment_report", inspection) and services.comments_open(report),
        "can_dispute": request.user.has_perm("reports.view_disputes", inspection),
        "open_disputes": report.disputes.filter(status=DisputeStatus.OPEN).count(),
        "comments_closed": report.stage == ReportStage.FACTUAL_ACCURACY and not services.comments_open(report),
        "comments_close_at": services.comments_close_at(report),
        "can_resolve": request.user.has_perm("reports.resolve_comment", inspection) and not report.is_frozen,
        "comment_form": CommentForm(),
        "comment_drafts": {
            int(key.removeprefix("comment_draft_")): request.session.pop(key)
            for key in [k for k in request.session.keys() if k.startswith("comment_draft_")]  # noqa: SIM118 (a session is not iterable)
        },
        "comment_max": COMMENT_MAX_CHARACTERS,
        "judgement_form": JudgementForm(),
    }
    return render(request, "reports/draft.html", context)


def _section(request, reference, section_id, perm):
    inspection = get_inspection_for(request.user, reference, perm)
    section = get_object_or_404(
        ReportSection.objects.select_related("report"), pk=section_id, report__inspection=inspection
    )
    return inspection, section


def section_edit(request, reference, section_id):
    inspection, section = _section(request, reference, section_id, "reports.edit_report")
    current = section.current
    wales = inspection.country == Country.WALES
    initial = {"text": current.text if current else "", "text_cy": current.text_cy if current else ""}
    form = SectionForm(request.POST or None, initial=initial, wales=wales)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.section_save(section=section, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Saved as version %(n)d.") % {"n": version.number} if version else _("No change to save.")
            )
            return redirect(f"{_url('reports:draft', reference)}#section-{section.pk}")
    versions = section.versions.select_related("author").order_by("-number")
    return render(
        request,
        "reports/section.html",
        {"inspection": inspection, "section": section, "form": form, "versions": versions, "wales": wales},
    )


def _url(name, reference):
    from django.urls import reverse

    return reverse(name, args=[reference])


@require_POST
def comment_add(request, reference, section_id):
    _inspection, section = _section(request, reference, section_id, "reports.comment_report")
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter your comment."))
    else:
        try:
            services.comment_add(section=section, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            _messages_from(request, exc)
            # The draft page gives back what was typed, to shorten rather than retype.
            request.session[f"comment_draft_{section.pk}"] = form.cleaned_data["text"]
        else:
            messages.success(request, _("Comment added on “%(section)s”.") % {"section": section.title})
    return redirect(f"{_url('reports:draft', reference)}#section-{section.pk}")


def comment_resolve(request, reference, comment_id):
    inspection = get_inspection_for(request.user, reference, "reports.resolve_comment")
    comment = get_object_or_404(
        FactualComment.objects.select_related("section__report", "author"),
        pk=comment_id,
        section__report__inspection=inspection,
    )
    versions = services.correction_choices(comment)
    form = ResolveForm(request.POST or None, versions=versions, section_title=comment.section.title)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_resolve(comment=comment, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Comment resolved."))
            return redirect(f"{_url('reports:draft', reference)}#section-{comment.section_id}")
    context = {"inspection": inspection, "comment": comment, "form": form, "has_versions": versions.exists()}
    return render(request, "reports/resolve.html", context)


@require_POST
def judgement_set(request, reference, judgement_id):
    inspection = get_inspection_for(request.user, reference, "reports.edit_report")
    report = _report(inspection)
    judgement = get_object_or_404(report.judgements if report else Report.objects.none(), pk=judgement_id)
    form = JudgementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the judgement."))
    else:
        try:
            services.judgement_set(judgement=judgement, by=request.user, stars=form.cleaned_data["stars"])
        except ValidationError as exc:
            _messages_from(request, exc)
        else:
            messages.success(request, _("Judgement saved: %(label)s.") % {"label": judgement.label})
    return redirect("reports:draft", reference=reference)


def _reports_url(inspection) -> str:
    return _url("reports:reports", inspection.reference)


def _already_done(request, inspection, done: services.ReportAlreadyDone):
    """The page a second click gets: what already happened, and that nothing changed."""
    context = {"inspection": inspection, "message": str(done), "back": _reports_url(inspection)}
    return render(request, "reports/already_done.html", context)


def send(request, reference):
    """GET: the confirmation page (what will happen, or what stops it). POST confirmed=yes: send."""
    inspection = get_inspection_for(request.user, reference, "reports.send_report")
    report = _report(inspection)
    if report is None:
        messages.error(request, _("Generate the draft before sending it."))
        return redirect("reports:reports", reference=reference)
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        try:
            services.report_send(report=report, by=request.user)
        except services.ReportAlreadyDone as done:
            return _already_done(request, inspection, done)
        except StaleStatus:
            messages.info(request, _("Someone else moved this inspection on first; nothing was sent twice."))
        except ValidationError as exc:  # the confirmation page again, now saying what stops it
            context = {**confirm_send_context(inspection, report), "problems": exc.messages}
            return render(request, "confirm.html", context)
        else:
            messages.success(request, _("Draft sent to the YOT manager for the factual accuracy check."))
        return redirect("reports:reports", reference=reference)
    if request.method == "POST":  # the form without its confirmation: ask again
        return redirect("reports:send", reference=reference)
    if report.stage != ReportStage.DRAFTING:
        return _already_done(request, inspection, services.already_sent(report))
    return render(request, "confirm.html", confirm_send_context(inspection, report))


def publish(request, reference):
    """GET: the confirmation page. POST confirmed=yes: publish; a second click changes nothing."""
    inspection = get_inspection_for(request.user, reference, "reports.publish_report")
    report = _report(inspection)
    if report is None:
        messages.error(request, _("Generate the draft first."))
        return redirect("reports:reports", reference=reference)
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        try:
            services.report_publish(report=report, by=request.user)
        except services.ReportAlreadyDone as done:
            return _already_done(request, inspection, done)
        except StaleStatus:
            messages.info(request, _("Someone else published this report first; nothing changed."))
        except ValidationError as exc:  # the confirmation page again, now saying what stops it
            context = {**confirm_publish_context(inspection, report), "problems": exc.messages}
            return render(request, "confirm.html", context)
        else:
            messages.success(request, _("Report published. The published version is frozen."))
        return redirect("reports:reports", reference=reference)
    if request.method == "POST":
        return redirect("reports:publish", reference=reference)
    if report.stage == ReportStage.PUBLISHED:
        return _already_done(request, inspection, services.already_published(report))
    return render(request, "confirm.html", confirm_publish_context(inspection, report))


def _names(people) -> list[str]:
    return [f"{person} ({person.email})" for person in people]


def _open(report) -> str:
    """Open disagreements between the inspectors do not stop sending or publishing (seed 001 §12: they
    "should not unnecessarily delay" the report), but the lead inspector is reminded of them."""
    n = report.disputes.filter(status=DisputeStatus.OPEN).count()
    if not n:
        return ""
    return ngettext(
        "%(n)d disagreement between the inspectors is still open.",
        "%(n)d disagreements between the inspectors are still open.",
        n,
    ) % {"n": n}


def confirm_send_context(inspection, report) -> dict:
    deadline = services.comments_close_at(report, if_sent_at=timezone.now())
    managers = yot_managers_of(inspection)
    return {
        "title": _("Send the draft to the YOT manager"),
        "caption": f"{inspection.reference} · {inspection.yot.name}",
        "paragraphs": [
            _(
                "The YOT manager can then read the draft and comment on each section until %(when)s "
                "(three working days). The inspection moves to “Factual accuracy check” and a PDF of the "
                "draft marked for the check is generated."
            )
            % {"when": clock(deadline)},
            _("These people are emailed a link to the draft and the deadline:")
            if managers
            else _("No YOT manager of %(yot)s has an account yet, so no one is emailed.") % {"yot": inspection.yot},
        ],
        "items": _names(managers),
        "warning": " ".join(
            [_("Once sent, the draft cannot be taken back. You can still correct it during the check."), _open(report)]
        ).strip(),
        "problems": services.report_send_problems(report),
        "action_url": _url("reports:send", inspection.reference),
        "button": _("Send the draft"),
        "cancel_url": _reports_url(inspection),
    }


def confirm_publish_context(inspection, report) -> dict:
    managers, contacts = services.publication_recipients(inspection)
    return {
        "title": _("Publish the report"),
        "caption": f"{inspection.reference} · {inspection.yot.name}",
        "paragraphs": [
            _("Once published, the report cannot change: its PDF is generated and stored."),
            _("These people are emailed to say it is published:"),
        ],
        "items": _names(managers) + [f"{c.name} ({c.email})" for c in contacts],
        "warning": " ".join([_("Publishing cannot be undone."), _open(report)]).strip(),
        "danger": True,
        "problems": services.report_publish_problems(report),
        "action_url": _url("reports:publish", inspection.reference),
        "button": _("Publish the report"),
        "cancel_url": _reports_url(inspection),
    }


def good_practice(request, reference):
    inspection = get_inspection_for(request.user, reference, "reports.mark_good_practice")
    mark = GoodPractice.objects.filter(inspection=inspection).first()
    form = GoodPracticeForm(request.POST or None, initial={"note": mark.note if mark else ""})
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["note"].strip():
                services.good_practice_mark(inspection=inspection, by=request.user, note=form.cleaned_data["note"])
                messages.success(request, _("Aggregate reports will name this YOT as an example of good practice."))
            else:
                services.good_practice_unmark(inspection=inspection, by=request.user)
                messages.success(request, _("Aggregate reports will not name this YOT."))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("reports:reports", reference=reference)
    return render(request, "reports/good_practice.html", {"inspection": inspection, "form": form})


# --- Aggregate reports (not under an inspection: reports/urls_aggregate.py) -------------------------


def aggregate(request):
    if not request.user.has_perm("reports.view_aggregate"):
        raise Http404("No such page")
    can_generate = request.user.has_perm("reports.generate_aggregate")
    form = AggregateForm(request.POST or None) if can_generate else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.job_create(kind=JobKind.AGGREGATE, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Aggregate report generation started."))
                return redirect("reports_aggregate:aggregate")
    jobs = ReportJob.objects.filter(kind=JobKind.AGGREGATE).prefetch_related("files").order_by("-created_at")[:10]
    return render(request, "reports/aggregate.html", {"form": form, "jobs": jobs, "today": timezone.localdate()})


def aggregate_job(request, job_id):
    if not request.user.has_perm("reports.view_aggregate"):
        raise Http404("No such page")
    job = get_job(None, job_id)
    context = {"job": job, "inspection": None, "can_retry": request.user.has_perm("reports.generate_aggregate")}
    if request.htmx:
        return render(request, "reports/_job.html", context)
    return render(request, "reports/job.html", context)


def aggregate_download(request, job_id, file_id):
    if not request.user.has_perm("reports.view_aggregate"):
        raise Http404("No such page")
    job = get_job(None, job_id)
    if job.status != JobStatus.DONE:
        raise Http404("Not ready")
    record = get_file(job, file_id)
    return FileResponse(
        record.file.open("rb"), as_attachment=True, filename=record.filename, content_type=record.content_type
    )


@require_POST
def aggregate_retry(request, job_id):
    if not request.user.has_perm("reports.generate_aggregate"):
        raise Http404("No such page")
    job = get_job(None, job_id)
    try:
        services.job_retry(job=job, by=request.user)
    except ValidationError as exc:
        _messages_from(request, exc)
    return redirect("reports_aggregate:aggregate")
