"""Keeping the indicator system: which version applies, freezing a version once used, and revising a frozen version
into a new one (an assessment keeps the figures it was scored against)."""

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from accounts.audit import audit_record
from accounts.models import AuditAction
from accounts.services.admin import admin_save
from evaluation.models import Indicator, IndicatorArea, IndicatorSystem, Subject

_COPIED_SYSTEM_FIELDS = ("code", "title", "subject", "variant", "scoring", "in_force_from", "active", "source_note")
_COPIED_AREA_FIELDS = ("code", "name", "weight", "position")
_COPIED_INDICATOR_FIELDS = ("code", "group", "name", "kind", "required", "points", "unit", "direction",
                            "base_value", "lead_value", "figure", "requirement", "position")


def indicator_system_for(*, industry_id, on, subject=Subject.FACTORY):
    """The version that applies to a unit of ``industry_id`` on ``on``: the newest active sector variant in force
    that lists the industry, else the newest active 通则 in force (the highest version of the latest edition); for a
    park (``subject``), the newest park system in force. None when no version is in force."""
    candidates = IndicatorSystem.objects.in_force(on).filter(subject=subject)
    variant = candidates.filter(~Q(variant=""), industries__id=industry_id).order_by(
        "-in_force_from", "-version").first() if industry_id else None
    return variant or candidates.filter(variant="").order_by("-in_force_from", "-version").first()


def indicator_system_freeze(system: IndicatorSystem) -> None:
    """Mark a version used: from now on a change makes a new version. Idempotent; the first use's time is kept."""
    IndicatorSystem.objects.filter(pk=system.pk, frozen_at__isnull=True).update(frozen_at=timezone.now())
    system.refresh_from_db(fields=["frozen_at"])


def indicator_system_revise(*, system: IndicatorSystem, actor, request=None) -> IndicatorSystem:
    """A new version of ``system``: the same header, areas and indicators, numbered one higher than the highest
    version of that code and variant, not frozen, pointing back at ``system``. The old version stays as it is
    (assessments that used it keep their figures); a new assessment takes the newest version in force."""
    with transaction.atomic():
        locked = IndicatorSystem.objects.select_for_update().get(pk=system.pk)
        number = IndicatorSystem.objects.filter(code=locked.code, variant=locked.variant).aggregate(
            top=Max("version"))["top"] + 1
        new = IndicatorSystem.objects.create(version=number, previous=locked,
                                             **{name: getattr(locked, name) for name in _COPIED_SYSTEM_FIELDS})
        new.industries.set(locked.industries.all())
        areas = {}
        for area in locked.areas.all():
            areas[area.pk] = IndicatorArea.objects.create(
                system=new, **{name: getattr(area, name) for name in _COPIED_AREA_FIELDS})
        Indicator.objects.bulk_create([
            Indicator(system=new, area=areas.get(indicator.area_id),
                      **{name: getattr(indicator, name) for name in _COPIED_INDICATOR_FIELDS})
            for indicator in locked.indicators.all()])
        audit_record(action=AuditAction.CREATED, actor=actor, obj=new, request=request,
                     detail={"revision_of": str(locked.public_id), "version": number})
    return new


def _save_revising(obj, *, fields, rows, actor, request, after=None):
    """Save an added or changed row of a version (``rows``: the name of the version's related rows). On a frozen
    version the change goes to a new version (its counterpart of the same code, or a new row there) and the frozen
    one is untouched. Returns the saved row and whether a new version was made; audited field by field."""
    with transaction.atomic():
        system = IndicatorSystem.objects.get(pk=obj.system_id)
        if not system.frozen:
            return admin_save(actor=actor, obj=obj, created=obj.pk is None, request=request), False
        new = indicator_system_revise(system=system, actor=actor, request=request)
        original = type(obj).objects.get(pk=obj.pk) if obj.pk else None
        target = getattr(new, rows).get(code=original.code) if original else type(obj)(system=new)
        for name in fields:
            setattr(target, name, getattr(obj, name))
        if after is not None:
            after(target, new)
        admin_save(actor=actor, obj=target, created=original is None, request=request)
    return target, True


def indicator_save(*, indicator: Indicator, actor, request=None) -> tuple[Indicator, bool]:
    """Save an added or changed indicator; on a frozen version, in a new version (``_save_revising``)."""
    def counterpart_area(target, new):
        target.area = new.areas.get(code=indicator.area.code) if indicator.area_id else None
        target.full_clean()

    return _save_revising(indicator, fields=_COPIED_INDICATOR_FIELDS, rows="indicators", actor=actor,
                          request=request, after=counterpart_area)


def indicator_area_save(*, area: IndicatorArea, actor, request=None) -> tuple[IndicatorArea, bool]:
    """Save an added or changed first-level area (its weight); on a frozen version, in a new version."""
    return _save_revising(area, fields=_COPIED_AREA_FIELDS, rows="areas", actor=actor, request=request)
