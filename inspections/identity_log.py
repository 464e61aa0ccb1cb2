"""Who saw what (issue 11 §6): every page or file that shows children's names or dates of birth
records who was shown it, when, and where. The lead inspector reads the inspection's record, the
administrator a person's."""

from __future__ import annotations

from django.db.models import QuerySet

from inspections.domain.messages import Msg, to_text_field
from inspections.models import IdentityView, Inspection, User


def identity_view_record(*, inspection: Inspection, user: User, what: Msg | str, path: str) -> IdentityView:
    # Stored as a message where one is given, so each reader sees it in their own language.
    return IdentityView.objects.create(inspection=inspection, user=user, what=to_text_field(what, 200), path=path[:500])


def identity_views_of_inspection(inspection: Inspection) -> QuerySet[IdentityView]:
    return IdentityView.objects.filter(inspection=inspection).select_related("user")


def identity_views_of_person(person: User) -> QuerySet[IdentityView]:
    return IdentityView.objects.filter(user=person).select_related("inspection__yot")
