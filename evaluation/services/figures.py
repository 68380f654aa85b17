"""Entering a unit's yearly raw figures: the plausibility rules and the one write path."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit_record
from accounts.models import AuditAction
from accounts.services.admin import admin_changes
from evaluation.figures import COMPUTED_BY_KEY, computed_values, far_from_last_year
from evaluation.models import EnergyCarrier, FiguresEvidence, YearlyEnergyUse, YearlyFigures
from greenfactory.uploads import save_upload

# A part cannot exceed its whole: (part, whole or wholes summed, message).
_PARTS = (
    ("qualified_output", ("product_output",),
     gettext_lazy("合格品产量不能大于产品产量。")),
    ("wastewater_reused", ("wastewater_generated",),
     gettext_lazy("废水处理回用量不能大于废水产生量（回用率不能超过100%）。")),
    ("solid_waste_used", ("solid_waste_generated", "solid_waste_stored_used"),
     gettext_lazy("一般工业固体废物综合利用量不能大于产生量与综合利用往年贮存量之和（综合利用率不能超过100%）。")),
    ("green_material", ("raw_material",),
     gettext_lazy("绿色物料使用量不能大于主要原材料消耗量（使用率不能超过100%）。")),
    ("footprint", ("site_area",),
     gettext_lazy("建筑物、构筑物及露天堆场占地面积不能大于用地面积（建筑密度不能超过100%）。")),
)


def figures_problems(values: dict) -> dict[str, list[str]]:
    """The entries that cannot be right, by field: a negative figure, a part larger than its whole."""
    problems: dict[str, list[str]] = {}
    for name, value in values.items():
        if isinstance(value, Decimal) and value < 0:
            problems.setdefault(name, []).append(_("数值不能为负数。"))
    for part, wholes, message in _PARTS:
        amount = values.get(part)
        totals = [values.get(w) for w in wholes]
        if amount is None or any(t is None for t in totals):
            continue
        if amount > sum(totals, Decimal(0)):
            problems.setdefault(part, []).append(message)
    return problems


def figures_save(*, unit, year: int, data: dict, energy: dict, actor, checked_note: str = "", request=None):
    """Create or update ``unit``'s figures for ``year``: ``data`` the raw fields, ``energy`` carrier pk → quantity
    (a carrier left out or None has no line). The coefficient of each carrier is copied onto its line.

    Raises ValidationError (by field) for an impossible entry, and, when a per-unit indicator is at least three times
    larger or smaller than last year's, unless ``checked_note`` explains the change (``far_from_last_year``).
    Audited: created, or changed with each field from → to."""
    with transaction.atomic():
        figures = YearlyFigures.objects.select_for_update().filter(unit=unit, year=year).first()
        created = figures is None
        before = None if created else YearlyFigures.objects.get(pk=figures.pk)
        if created:
            figures = YearlyFigures(unit=unit, year=year, updated_by=actor)
        for name, value in data.items():
            setattr(figures, name, value)
        carriers = EnergyCarrier.objects.in_bulk([pk for pk, q in energy.items() if q is not None])
        lines = [YearlyEnergyUse(carrier=carriers[pk], quantity=quantity, tce_per_unit=carriers[pk].tce_per_unit)
                 for pk, quantity in energy.items() if quantity is not None and pk in carriers]
        values = figures.raw_values(lines)
        problems = figures_problems(values)
        if problems:
            raise ValidationError(problems)
        computed = computed_values(values)
        for key, value in computed.items():
            if COMPUTED_BY_KEY[key].rate and value is not None and value > 100:
                raise ValidationError(_("%(name)s 超过100%%，请检查数据。") % {"name": COMPUTED_BY_KEY[key].label})
        previous = YearlyFigures.objects.filter(unit=unit, year=year - 1).first()
        far = far_from_last_year(computed, previous.computed()) if previous else []
        if far and not checked_note.strip():
            names = "、".join(str(COMPUTED_BY_KEY[key].label) for key in far)
            raise ValidationError({"checked_note": _(
                "%(names)s 与上一年度相比变化超过三倍，请核对数据；数据无误的，请在“数据变化说明”中说明原因。")
                % {"names": names}}, code="far_from_last_year")
        figures.checked_note = checked_note.strip() if far else ""
        figures.updated_by = actor
        figures.updated_at = timezone.now()
        figures.save()
        old_energy = {} if created else {use.carrier.code: str(use.quantity)
                                         for use in figures.energy_uses.select_related("carrier")}
        figures.energy_uses.all().delete()
        for line in lines:
            line.figures = figures
        YearlyEnergyUse.objects.bulk_create(lines)
        changes = admin_changes(before, figures)
        new_energy = {line.carrier.code: str(line.quantity) for line in lines}
        if old_energy != new_energy:
            changes["energy"] = {"from": old_energy, "to": new_energy}
        if created or changes:
            audit_record(action=AuditAction.CREATED if created else AuditAction.CHANGED, actor=actor, obj=figures,
                         request=request, detail={"changes": changes})
    return figures


# Evidence kept per record: enough for every section's documents and their corrections, not a file store.
MAX_EVIDENCE = 40


def figures_evidence_upload(*, figures, section: str, uploaded_file, actor, request=None):
    """Store one supporting document of ``figures`` through the one document write path (checked by content,
    hashed, versioned, audited). Raises ValidationError past MAX_EVIDENCE documents or for a refused file."""
    if FiguresEvidence.objects.filter(figures=figures).count() >= MAX_EVIDENCE:
        raise ValidationError(_("每个年度最多上传%(n)d份证明材料。") % {"n": MAX_EVIDENCE}, code="too_many_documents")
    return save_upload(uploaded_file, FiguresEvidence(figures=figures, section=section), actor=actor,
                       request=request)
