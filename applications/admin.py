from django.contrib import admin

from accounts.admin import ReadOnlyAdmin
from applications.models import (
    ApplicationBan,
    CampaignTarget,
    CultivationCampaign,
    EntryCriterionResult,
    IntakeApplication,
    LibraryEntry,
    StampedScan,
)


class CampaignTargetInline(admin.TabularInline):
    model = CampaignTarget
    extra = 0


@admin.register(CultivationCampaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "district", "opens_on", "deadline", "default_target"]
    list_filter = ["year", "district"]
    inlines = [CampaignTargetInline]
    readonly_fields = ["created_by", "created_at"]


class CriterionInline(admin.TabularInline):
    model = EntryCriterionResult
    extra = 0
    can_delete = False
    readonly_fields = ["criterion", "result", "reason", "evaluated_at"]


class ScanInline(admin.TabularInline):
    model = StampedScan
    extra = 0
    can_delete = False
    readonly_fields = ["original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]
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
class ApplicationBanAdmin(admin.ModelAdmin):
    """第十八条. Written by revocations; an administrator may record one from before the portal existed."""

    list_display = ["organisation", "starts_on", "ends_on", "reason", "document_number"]
    search_fields = ["organisation__name", "document_number"]
    autocomplete_fields = ["organisation"]
