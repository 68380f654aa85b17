from django.contrib import admin

from accounts.admin import AuditedAdmin, ReadOnlyAdmin, ReadOnlyInline
from applications.models import (
    ApplicationBan,
    CampaignTarget,
    CultivationCampaign,
    EntryCriterionResult,
    IntakeApplication,
    LibraryEntry,
    ReviewTask,
    StampedScan,
)


class CampaignTargetInline(ReadOnlyInline, admin.TabularInline):
    model = CampaignTarget
    readonly_fields = ["district", "target"]


@admin.register(CultivationCampaign)
class CampaignAdmin(ReadOnlyAdmin):
    """Campaigns are published, corrected, extended and closed in the portal (``applications.services``: the
    managing official's scope, the dates against today, the closing reason, the enterprises told, all audited); the
    admin shows them."""

    list_display = ["title", "year", "district", "opens_on", "deadline", "default_target", "closed_at"]
    list_filter = ["year", "district"]
    inlines = [CampaignTargetInline]


class CriterionInline(ReadOnlyInline, admin.TabularInline):
    model = EntryCriterionResult
    readonly_fields = ["criterion", "result", "reason", "evaluated_at"]


class ScanInline(ReadOnlyInline, admin.TabularInline):
    model = StampedScan
    readonly_fields = ["version", "original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]
    exclude = ["file"]


@admin.register(IntakeApplication)
class IntakeApplicationAdmin(ReadOnlyAdmin):
    """Applications change only through their workflow; the admin shows them."""

    list_display = ["company_name", "campaign", "district", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "district", "campaign__year"]
    search_fields = ["company_name", "credit_code"]
    inlines = [CriterionInline, ScanInline]


@admin.register(LibraryEntry)
class LibraryEntryAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "campaign", "district", "sector", "status", "entered_at"]
    list_filter = ["status", "sector", "district", "campaign__year"]


@admin.register(ApplicationBan)
class ApplicationBanAdmin(AuditedAdmin):
    """第十八条. Written by revocations; an administrator may record one from before the portal existed, and
    correct it, each change audited field by field. A ban is never deleted here: lifting one early would silently
    reopen applications the measures close for three years."""

    list_display = ["organisation", "starts_on", "ends_on", "reason", "document_number"]
    search_fields = ["organisation__name", "document_number"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["created_at"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewTask)
class ReviewTaskAdmin(ReadOnlyAdmin):
    """Tasks are assigned, accepted, declined and completed through ``applications.review_tasks`` (the assigner's
    scope, the assignee's role, the history); the admin shows them."""

    list_display = ["kind", "assignee_user", "assignee_organisation", "district", "due_on", "status", "assigned_at"]
    list_filter = ["kind", "status", "district"]
