"""The indicator system as versioned data: what the fixtures ship (never an invented figure), which version applies,
and a change to a version already used making a new version, through the services and the admin."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent, Industry
from evaluation import services
from evaluation.models import EnergyCarrier, Indicator, IndicatorArea, IndicatorKind, IndicatorSystem

pytestmark = pytest.mark.django_db


def system_2025():
    return IndicatorSystem.objects.get(code="GB/T 36132-2025", variant="", version=1)


def test_both_editions_are_shipped_with_their_areas_and_vetoes():
    s2018 = IndicatorSystem.objects.get(code="GB/T 36132-2018", version=1)
    assert [a.name for a in s2018.areas.all()] == ["基础设施", "管理体系", "能源与资源投入", "产品", "环境排放", "绩效"]
    assert s2018.indicators.filter(kind=IndicatorKind.VETO).count() == 3
    assert s2018.indicators.filter(required=False).exists()  # 可选 (预期性要求) items
    assert [a.name for a in system_2025().areas.all()] == ["能源低碳化", "资源高效化", "生产洁净化", "产品绿色化",
                                                           "用地集约化"]
    assert [a.weight for a in system_2025().areas.all()] == [Decimal(30), Decimal(30), Decimal(16), Decimal(16),
                                                             Decimal(8)]


def test_no_base_or_lead_value_is_invented():
    assert not Indicator.objects.filter(base_value__isnull=False).exists()
    assert not Indicator.objects.filter(lead_value__isnull=False).exists()
    # The 2018 points and weights are not public either.
    assert not IndicatorArea.objects.filter(system__code="GB/T 36132-2018", weight__isnull=False).exists()


def test_the_2018_performance_indicators_are_computed_from_the_yearly_figures():
    figures = set(Indicator.objects.filter(system__code="GB/T 36132-2018", area__code="PRF")
                  .values_list("figure", flat=True))
    assert {"floor_area_ratio", "building_density", "output_per_area", "green_material_rate",
            "energy_per_product", "carbon_per_product", "solid_waste_use_rate", "wastewater_reuse_rate"} <= figures


def test_the_energy_carriers_carry_the_gbt_2589_coefficients():
    assert EnergyCarrier.objects.get(code="raw_coal").tce_per_unit == Decimal("0.7143")
    assert EnergyCarrier.objects.get(code="electricity").tce_per_unit == Decimal("1.2290")
    assert EnergyCarrier.objects.filter(renewable=True).count() >= 2


def test_the_2025_edition_applies_from_the_day_it_took_effect():
    assert services.indicator_system_for(industry_id=None, on=date(2025, 12, 30)).code == "GB/T 36132-2018"
    assert services.indicator_system_for(industry_id=None, on=date(2025, 12, 31)).code == "GB/T 36132-2025"


def test_a_sector_variant_applies_to_its_industries_only():
    chemicals = Industry.objects.get(code="26")
    steel = services.indicator_system_revise(system=system_2025(), actor=None)
    steel.variant, steel.version = "化工行业", 1
    steel.save()
    steel.industries.set([chemicals])
    assert services.indicator_system_for(industry_id=chemicals.pk, on=date(2026, 6, 1)) == steel
    other = Industry.objects.exclude(pk=chemicals.pk).first()
    assert services.indicator_system_for(industry_id=other.pk, on=date(2026, 6, 1)) == system_2025()


def test_editing_a_version_not_yet_used_changes_it_in_place(people):
    indicator = system_2025().indicators.get(code="E1")
    indicator.base_value, indicator.lead_value = Decimal(500), Decimal(200)
    saved, revised = services.indicator_save(indicator=indicator, actor=people.admin)
    assert not revised
    assert saved.pk == indicator.pk
    assert IndicatorSystem.objects.filter(code="GB/T 36132-2025").count() == 1


def test_editing_a_used_version_creates_a_new_version_and_leaves_the_old_one_as_it_was(people):
    system = system_2025()
    services.indicator_system_freeze(system)
    indicator = system.indicators.get(code="E1")
    indicator.base_value, indicator.lead_value = Decimal(500), Decimal(200)
    saved, revised = services.indicator_save(indicator=indicator, actor=people.admin)
    assert revised
    assert saved.system.version == 2 and saved.system.previous == system and not saved.system.frozen
    assert (saved.base_value, saved.lead_value) == (Decimal(500), Decimal(200))
    assert saved.area.system == saved.system and saved.area.code == "E"
    old = Indicator.objects.get(pk=indicator.pk)
    assert old.base_value is None and old.system == system
    assert saved.system.indicators.count() == system.indicators.count()
    assert saved.system.areas.count() == system.areas.count()
    # The newest version in force is the one a new assessment takes.
    assert services.indicator_system_for(industry_id=None, on=date(2026, 6, 1)) == saved.system
    assert AuditEvent.objects.filter(object_id=str(saved.system.public_id), action=AuditAction.CREATED).exists()


def test_a_weight_changed_on_a_used_version_goes_to_a_new_version(people):
    system = system_2025()
    services.indicator_system_freeze(system)
    area = system.areas.get(code="E")
    area.weight = Decimal(35)
    saved, revised = services.indicator_area_save(area=area, actor=people.admin)
    assert revised and saved.weight == Decimal(35) and saved.system.version == 2
    assert IndicatorArea.objects.get(pk=area.pk).weight == Decimal(30)


def test_freezing_keeps_the_time_of_first_use():
    system = system_2025()
    services.indicator_system_freeze(system)
    first = system.frozen_at
    services.indicator_system_freeze(system)
    assert system.frozen_at == first


def test_a_lead_value_worse_than_the_base_value_is_refused():
    from django.core.exceptions import ValidationError

    indicator = system_2025().indicators.get(code="E1")  # lower is better
    indicator.base_value, indicator.lead_value = Decimal(200), Decimal(500)
    with pytest.raises(ValidationError) as error:
        indicator.full_clean()
    assert "引领值应优于基准值" in str(error.value)


# --- The admin ------------------------------------------------------------------------------------------------------


def test_the_admin_saves_a_change_to_a_used_version_in_a_new_version(client, people):
    system = system_2025()
    services.indicator_system_freeze(system)
    indicator = system.indicators.get(code="R1")
    client.force_login(people.admin)
    url = reverse("admin:evaluation_indicator_change", args=[indicator.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update({"points": "10", "required": "on", "area": indicator.area_id, "system": system.pk})
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "修改已保存在新版本" in response.content.decode()
    assert Indicator.objects.get(pk=indicator.pk).points == Decimal(8)
    assert IndicatorSystem.objects.get(code=system.code, version=2).indicators.get(code="R1").points == Decimal(10)


def test_the_admin_shows_missing_values_as_awaiting_entry_and_cannot_delete_a_used_version(client, people):
    system = system_2025()
    client.force_login(people.admin)
    html = client.get(reverse("admin:evaluation_indicatorsystem_change", args=[system.pk])).content.decode()
    assert "待管理员录入" in html
    services.indicator_system_freeze(system)
    assert client.get(reverse("admin:evaluation_indicatorsystem_delete", args=[system.pk])).status_code == 403


def test_the_admin_can_copy_a_version(client, people):
    system = system_2025()
    client.force_login(people.admin)
    client.post(reverse("admin:evaluation_indicatorsystem_changelist"),
                {"action": "revise", "_selected_action": [system.pk]})
    assert IndicatorSystem.objects.filter(code=system.code, version=2, previous=system).exists()


def test_only_administrators_reach_the_indicator_admin(client, people):
    for user in (people.city, people.district, people.enterprise, people.expert):
        client.force_login(user)
        response = client.get(reverse("admin:evaluation_indicatorsystem_changelist"))
        assert response.status_code in (302, 403), user.role
