"""The administrator's people and YOT pages, the invitation page, the lead inspector's team
invitation and the GOV.UK password reset (issue 9 §1)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST
from django_otp import user_has_device

from inspections.accounts import services
from inspections.accounts.forms import (
    EmailLanguageForm,
    GovukSetPasswordForm,
    LocalisedPasswordResetForm,
    PersonForm,
    TeamInviteForm,
    YotForm,
    add_service_errors,
)
from inspections.enums import Language, StaffRole
from inspections.identity_log import identity_views_of_person
from inspections.models import Invitation, User, YouthOffendingTeam
from inspections.selectors import get_inspection_for

PAGE_SIZE = 25


def _administrator(request) -> None:
    if not request.user.has_perm("inspections.manage_people"):
        raise PermissionDenied


def _page(request, found):
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return page, page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)


# --- People ------------------------------------------------------------------------------


def _open_invitations() -> Prefetch:
    return Prefetch("invitations", queryset=Invitation.objects.filter(used_at__isnull=True, withdrawn_at__isnull=True))


def account_state(person: User, now) -> tuple[str, str]:
    """What the person can do now, as a tag's text and colour. Uses prefetched open invitations."""
    if not person.is_active:
        return _("Deactivated"), "govuk-tag--grey"
    if person.has_usable_password():
        return _("Active"), "govuk-tag--green"
    invitation = next(iter(person.invitations.all()), None)
    if invitation is not None and invitation.expires_at > now:
        return _("Invited"), "govuk-tag--blue"
    return _("Invitation expired"), "govuk-tag--orange"


def _people_filters(query) -> dict:
    return {
        "q": query.get("q", "").strip()[:100],
        "role": query.get("role", "") if query.get("role", "") in StaffRole.values else "",
        "yot": query.get("yot", ""),
        "active": query.get("active", "") if query.get("active", "") in ("yes", "no") else "",
    }


def people_list(request):
    _administrator(request)
    filters = _people_filters(request.GET)
    people = User.objects.select_related("yot").order_by("last_name", "first_name", "username")
    for word in filters["q"].split():
        people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word))
    if filters["role"]:
        people = people.filter(role=filters["role"])
    if filters["yot"]:
        people = people.filter(yot__code=filters["yot"])
    if filters["active"]:
        people = people.filter(is_active=filters["active"] == "yes")
    page, page_range = _page(request, people.prefetch_related(_open_invitations()))
    now = timezone.now()
    context = {
        "rows": [(person, *account_state(person, now)) for person in page],
        "page": page,
        "page_range": page_range,
        "filters": filters,
        "filtered": any(filters.values()),
        "roles": StaffRole.choices,
        "yots": YouthOffendingTeam.objects.values_list("code", "name"),
    }
    return render(request, "accounts/people.html", context)


def person_add(request):
    _administrator(request)
    form = PersonForm(request.POST or None, submit=_("Add person and send invitation"))
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s added. An invitation is on its way to %(email)s.")
                % {
                    "name": person,
                    "email": person.email,
                },
            )
            return redirect("accounts:person", pk=person.pk)
    return render(request, "accounts/form.html", {"form": form, "title": _("Add a person"), "back": "people"})


def person_edit(request, pk):
    _administrator(request)
    person = get_object_or_404(User, pk=pk)
    form = PersonForm(request.POST or None, initial=PersonForm.initial_for(person), submit=_("Save changes"))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes to %(name)s saved.") % {"name": person})
            return redirect("accounts:person", pk=person.pk)
    person = User.objects.prefetch_related(_open_invitations()).get(pk=pk)
    state, state_tag = account_state(person, timezone.now())
    invitation = next(iter(person.invitations.all()), None)
    # Not "tag": crispy's field templates read a variable of that name.
    context = {
        "form": form,
        "person": person,
        "invitation": invitation,
        "state": state,
        "state_tag": state_tag,
        # Issue 11 §5: an administrator resets a lost phone's app and recovery codes.
        "two_factor_set_up": user_has_device(person),
        # Issue 11 §6: the children's details this person was shown, most recent first.
        "identity_views": identity_views_of_person(person)[:50],
    }
    return render(request, "accounts/person.html", context)


@require_POST
def person_invite(request, pk):
    _administrator(request)
    person = get_object_or_404(User, pk=pk)
    try:
        services.invitation_send(user=person, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("A new invitation is on its way to %(email)s.") % {"email": person.email})
    return redirect("accounts:person", pk=pk)


def person_deactivate(request, pk):
    """GET: the confirmation page. POST confirmed=yes: deactivate and end their sessions."""
    _administrator(request)
    person = get_object_or_404(User, pk=pk)
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        try:
            services.person_deactivate(person=person, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(name)s is deactivated and signed out.") % {"name": person})
        return redirect("accounts:person", pk=pk)
    context = {
        "title": _("Deactivate %(name)s?") % {"name": person},
        "paragraphs": [
            _(
                "%(name)s will be signed out at once and will not be able to sign in. "
                "Any invitation they have not used stops working."
            )
            % {"name": person},
            _("Their work on inspections stays as it is. You can reactivate them later."),
        ],
        "problems": services.person_deactivate_problems(person=person, by=request.user),
        "action_url": reverse("accounts:person_deactivate", args=[pk]),
        "button": _("Deactivate"),
        "danger": True,
        "cancel_url": reverse("accounts:person", args=[pk]),
    }
    return render(request, "confirm.html", context)


def person_reactivate(request, pk):
    """GET: the confirmation page. POST confirmed=yes: reactivate and send a fresh invitation."""
    _administrator(request)
    person = get_object_or_404(User, pk=pk)
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        if services.person_reactivate(person=person, by=request.user) is None:
            messages.info(request, _("%(name)s was already active: nothing changed.") % {"name": person})
        else:
            messages.success(
                request,
                _("%(name)s is reactivated. An invitation is on its way to %(email)s.")
                % {
                    "name": person,
                    "email": person.email,
                },
            )
        return redirect("accounts:person", pk=pk)
    context = {
        "title": _("Reactivate %(name)s?") % {"name": person},
        "paragraphs": [
            _("%(name)s will get an email at %(email)s with a link to set a password and sign in again.")
            % {"name": person, "email": person.email}
        ],
        "action_url": reverse("accounts:person_reactivate", args=[pk]),
        "button": _("Reactivate and send invitation"),
        "cancel_url": reverse("accounts:person", args=[pk]),
    }
    return render(request, "confirm.html", context)


def your_language(request):
    """The signed-in person's own choice of the language of their emails: only ever their own."""
    # Not ``request.POST or None``: a form sent with no radio chosen has an empty POST, and must say so.
    data = request.POST if request.method == "POST" else None
    form = EmailLanguageForm(data, initial={"language": request.user.language or None})
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_language_set(person=request.user, language=form.cleaned_data["language"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Saved: your emails will be in %(language)s.") % {"language": Language(person.language).label},
            )
            return redirect("accounts:your_account")
    return render(
        request, "accounts/form.html", {"form": form, "title": _("Language of your emails"), "back": "account"}
    )


# --- Youth offending teams ------------------------------------------------------------------


def yot_list(request):
    _administrator(request)
    q = request.GET.get("q", "").strip()[:100]
    yots = YouthOffendingTeam.objects.all()
    if q:
        yots = yots.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(local_authorities__icontains=q))
    page, page_range = _page(request, yots)
    return render(request, "accounts/yots.html", {"page": page, "page_range": page_range, "q": q})


def yot_edit(request, pk=None):
    _administrator(request)
    yot = get_object_or_404(YouthOffendingTeam, pk=pk) if pk else None
    initial = {f: getattr(yot, f) for f in ("code", "name", "country", "local_authorities")} if yot else None
    form = YotForm(request.POST or None, initial=initial, submit=_("Save changes") if yot else _("Add YOT"))
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.yot_save(by=request.user, yot=yot, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": saved})
            return redirect("accounts:yots")
    title = _("Change %(name)s") % {"name": yot} if yot else _("Add a youth offending team")
    return render(request, "accounts/form.html", {"form": form, "title": title, "back": "yots"})


# --- Invitations ------------------------------------------------------------------------------


PROBLEM_TITLES = {
    "unknown": _lazy("This link does not work"),
    services.EXPIRED: _lazy("This invitation has expired"),
    services.USED: _lazy("This invitation has already been used"),
    services.WITHDRAWN: _lazy("This invitation has been replaced"),
    services.DEACTIVATED: _lazy("Your account has been deactivated"),
    "someone_else": _lazy("This invitation is for someone else"),
}


def _problem(request, reason: str, status: int, **extra):
    context = {"reason": reason, "title": PROBLEM_TITLES[reason], **extra}
    return render(request, "accounts/invitation_problem.html", context, status=status)


def accept_invitation(request, token):
    """The link in an invitation: create a password, then go straight in."""
    invitation = services.invitation_find(token)
    if invitation is None:
        return _problem(request, "unknown", 404)
    problem = services.invitation_problem(invitation)
    if problem:
        return _problem(request, problem, 410)
    if request.user.is_authenticated and request.user.pk != invitation.user_id:
        # Refused rather than signing them out on a GET: a link must not change who is signed in.
        return _problem(request, "someone_else", 403, next=request.path)
    form = GovukSetPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.invitation_accept(invitation=invitation, password=form.cleaned_data["new_password1"])
        except services.InvitationUnusable as exc:
            return _problem(request, exc.reason, 410)
        login(request, person, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Your password is set and you are signed in."))
        return redirect("/")
    return render(request, "accounts/accept_invitation.html", {"form": form, "invitation": invitation})


def team_invite(request, reference):
    inspection = get_inspection_for(request.user, reference, "inspections.change_inspection")
    form = TeamInviteForm(request.POST or None, inspection=inspection)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.team_member_invite(inspection=inspection, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc, rename={"user": _field_for_person_errors(form, inspection)})
        else:
            messages.success(
                request,
                _("%(name)s added to the team as %(role)s.")
                % {
                    "name": membership.user,
                    "role": membership.get_role_display(),
                },
            )
            return redirect("inspections:detail", reference=reference)
    context = {"form": form, "inspection": inspection, "title": _("Invite someone new to the team")}
    return render(request, "inspections/form.html", context)


def _field_for_person_errors(form, inspection) -> str:
    """The team checks name the person; on this form that is their YOT when it is the one inspected."""
    return "yot" if form.cleaned_data.get("yot") == inspection.yot else "email"


# --- Password reset ----------------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    form_class = LocalisedPasswordResetForm
    template_name = "registration/password_reset_form.html"
    subject_template_name = "emails/password_reset_subject.txt"
    email_template_name = "emails/password_reset.txt"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's token does not change when a person is deactivated: refuse their old links here."""

    form_class = GovukSetPasswordForm
    success_url = reverse_lazy("password_reset_complete")

    def dispatch(self, *args, **kwargs):
        person = self.get_user(kwargs["uidb64"])
        if person is not None and not person.is_active:
            return _problem(self.request, services.DEACTIVATED, 410)
        return super().dispatch(*args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "submit": _("Change password")}
