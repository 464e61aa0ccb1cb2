from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from inspections.models import AuditEvent, Contact, Inspection, StatusChange, TeamMembership, User, YouthOffendingTeam


@admin.register(User)
class PersonAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Inspection role", {"fields": ("role", "yot", "inspectorate", "phone")}))
    list_display = ("username", "first_name", "last_name", "role", "yot", "is_active")
    list_filter = ("role", "is_active")


@admin.register(YouthOffendingTeam)
class YouthOffendingTeamAdmin(admin.ModelAdmin):
    list_display = ("name", "country", "local_authorities")
    list_filter = ("country",)
    search_fields = ("name", "local_authorities")


class TeamInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    fk_name = "inspection"


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    """Read-mostly: status moves go through the service so they are audited."""

    list_display = ("reference", "programme", "yot", "fieldwork_start", "status")
    list_filter = ("programme", "status")
    readonly_fields = ("reference", "status", "version", "announced_at", "announced_by", "announcement_email_sent_at")
    inlines = [TeamInline, ContactInline]


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ("inspection", "from_status", "to_status", "changed_by", "changed_at")
    readonly_fields = [f.name for f in StatusChange._meta.fields]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("inspection", "action", "actor", "at")
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
