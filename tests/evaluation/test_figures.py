"""Yearly figures (年度绿色绩效数据): per-unit indicators computed from raw figures, implausible entries refused with a
clear message, the enterprise's pages, the district's and the city's view, 404 outside one's scope, the evidence."""

from decimal import Decimal as D  # noqa: N817  (the tables of figures read better)

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from evaluation.figures import computed_values, far_from_last_year
from evaluation.models import EnergyCarrier, FiguresEvidence, YearlyFigures
from evaluation.services import figures_save
from tests.factories import pdf_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]

RAW = {"output_value": D(20000), "product_name": "涂料", "product_unit": "t", "product_output": D(4000),
       "qualified_output": D(3960), "co2": D(6000), "water_withdrawal": D(50000), "water_reused": D(150000),
       "wastewater_generated": D(30000), "wastewater_reused": D(12000), "raw_material": D(5000),
       "green_material": D(1000), "solid_waste_generated": D(800), "solid_waste_used": D(720),
       "solid_waste_stored_used": D(100), "so2": D(2), "nox": D(3), "cod": D(4), "ammonia_nitrogen": D("0.5"),
       "particulates": D("0.5"), "waste_gas": D(8000), "site_area": D(40000), "floor_area": D(48000),
       "footprint": D(20000)}


def carriers(**quantities):
    by_code = {c.code: c.pk for c in EnergyCarrier.objects.all()}
    return {by_code[code]: D(q) for code, q in quantities.items()}


def save(user, year=2025, energy=None, **changes):
    return figures_save(unit=user.organisation, year=year, data={**RAW, **changes},
                        energy=energy if energy is not None else carriers(electricity="1000", natural_gas="100",
                                                                          green_electricity="229"),
                        actor=user)


# --- Computation ----------------------------------------------------------------------------------------------------


def test_every_per_unit_indicator_is_computed_from_the_raw_figures(people):
    figures = save(people.enterprise)
    values = figures.computed()
    # 1000 万kWh × 1.229 + 100 万m³ × 12.143 + 229 万kWh × 1.229 = 1229 + 1214.3 + 281.441 = 2724.741 tce
    assert values["energy_total"] == D("2724.741")
    assert values["energy_per_product"] == D("2724.741") / 4000
    assert values["energy_per_output"] == D("2724.741") * 1000 / 20000
    assert values["renewable_share"] == D("281.441") * 100 / D("2724.741")
    assert values["water_reuse_rate"] == D(75)                   # 150000 / (150000 + 50000)
    assert values["wastewater_reuse_rate"] == D(40)
    assert values["solid_waste_use_rate"] == D(80)               # 720 / (800 + 100)
    assert values["green_material_rate"] == D(20)
    assert values["floor_area_ratio"] == D("1.2")
    assert values["building_density"] == D(50)
    assert values["output_per_area"] == D("0.5")
    assert values["carbon_per_output"] == D(300)                 # 6000 t × 1000 / 20000 万元
    assert values["pollutants_per_product"] == D(10) / 4000
    assert values["qualified_rate"] == D(99)


def test_an_indicator_whose_figures_are_missing_or_zero_is_not_computed():
    values = computed_values({"energy_total": D(10), "product_output": D(0), "output_value": None})
    assert values["energy_per_product"] is None
    assert values["energy_per_output"] is None
    assert values["water_reuse_rate"] is None


def test_the_coefficient_is_kept_with_the_line_so_a_later_correction_does_not_change_the_year(people):
    figures = save(people.enterprise, energy=carriers(raw_coal="1000"))
    EnergyCarrier.objects.filter(code="raw_coal").update(tce_per_unit=D("0.8"))
    assert figures.computed()["energy_total"] == D("714.3")


# --- Plausibility ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"wastewater_reused": D(40000)}, "wastewater_reused", "回用率不能超过100%"),
    ({"solid_waste_used": D(1000)}, "solid_waste_used", "综合利用率不能超过100%"),
    ({"green_material": D(6000)}, "green_material", "使用率不能超过100%"),
    ({"footprint": D(50000)}, "footprint", "建筑密度不能超过100%"),
    ({"qualified_output": D(5000)}, "qualified_output", "合格品产量不能大于产品产量"),
    ({"so2": D(-1)}, "so2", "不能为负数"),
])
def test_an_impossible_entry_is_refused_with_a_message_naming_it(people, changes, field, words):
    with pytest.raises(ValidationError) as error:
        save(people.enterprise, **changes)
    assert words in " ".join(error.value.message_dict[field])
    assert not YearlyFigures.objects.exists()


def test_a_per_unit_figure_far_from_last_years_asks_for_an_explanation(people):
    save(people.enterprise, year=2024)
    with pytest.raises(ValidationError) as error:
        # Every per-product figure four times larger than last year's.
        save(people.enterprise, year=2025, product_output=D(1000), qualified_output=D(990))
    assert "单位产品综合能耗" in error.value.message_dict["checked_note"][0]
    figures = figures_save(unit=people.enterprise.organisation, year=2025,
                           data={**RAW, "product_output": D(1000), "qualified_output": D(990)},
                           energy=carriers(electricity="1000"), actor=people.enterprise,
                           checked_note="2025年产品结构调整，改为计件统计")
    assert figures.checked_note == "2025年产品结构调整，改为计件统计"


def test_far_from_last_year_looks_both_ways():
    assert far_from_last_year({"energy_per_product": D(1)}, {"energy_per_product": D(3)}) == ["energy_per_product"]
    assert far_from_last_year({"energy_per_product": D(3)}, {"energy_per_product": D(1)}) == ["energy_per_product"]
    assert far_from_last_year({"energy_per_product": D(2)}, {"energy_per_product": D(1)}) == []


def test_saving_again_updates_the_one_record_of_the_year_and_audits_what_changed(people):
    first = save(people.enterprise)
    second = save(people.enterprise, co2=D(5000), energy=carriers(electricity="900"))
    assert first.pk == second.pk
    assert YearlyFigures.objects.count() == 1
    event = AuditEvent.objects.filter(action=AuditAction.CHANGED, object_id=str(second.public_id)).get()
    assert event.detail["changes"]["co2"]["to"] == "5000"
    assert event.detail["changes"]["energy"]["to"] == {"electricity": "900"}
    assert AuditEvent.objects.filter(action=AuditAction.CREATED, object_id=str(first.public_id)).exists()


# --- Pages ----------------------------------------------------------------------------------------------------------


def form_data(**changes):
    data = {name: str(value) for name, value in RAW.items()}
    data["energy_electricity"] = "1000"
    data.update(changes)
    return data


def test_the_enterprise_enters_a_year_from_its_list_and_sees_the_computed_indicators(client, people):
    client.force_login(people.enterprise)
    listing = client.get(reverse("evaluation:figures_list")).content.decode()
    assert "2025年度" in listing and "未填报" in listing
    response = client.post(reverse("evaluation:figures_edit", args=[2025]), form_data())
    figures = YearlyFigures.objects.get(unit=people.enterprise.organisation, year=2025)
    assert response.status_code == 302 and response.url == reverse("evaluation:figures_detail",
                                                                    args=[figures.public_id])
    html = client.get(response.url).content.decode()
    assert "工业用水重复利用率" in html and "75.0000" in html
    assert "已填报" in client.get(reverse("evaluation:figures_list")).content.decode()


def test_the_form_shows_an_impossible_entry_next_to_its_field_and_keeps_what_was_typed(client, people):
    client.force_login(people.enterprise)
    response = client.post(reverse("evaluation:figures_edit", args=[2025]),
                           form_data(wastewater_reused="40000", output_value="12345"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "回用率不能超过100%" in html
    assert 'value="12345"' in html
    assert not YearlyFigures.objects.exists()


def test_a_negative_figure_is_refused_by_the_form(client, people):
    client.force_login(people.enterprise)
    response = client.post(reverse("evaluation:figures_edit", args=[2025]), form_data(so2="-3"))
    assert response.status_code == 400
    assert "二氧化硫" in response.content.decode()


def test_a_year_outside_the_window_is_not_found(client, people):
    client.force_login(people.enterprise)
    assert client.get(reverse("evaluation:figures_edit", args=[2030])).status_code == 404
    assert client.get(reverse("evaluation:figures_edit", args=[2010])).status_code == 404


@pytest.mark.parametrize("role", ["district", "city", "admin"])
def test_officials_in_scope_read_the_record_but_cannot_edit(client, people, role):
    figures = save(people.enterprise)
    client.force_login(getattr(people, role))
    response = client.get(reverse("evaluation:figures_detail", args=[figures.public_id]))
    assert response.status_code == 200
    assert reverse("evaluation:figures_edit", args=[2025]) not in response.content.decode()
    assert client.get(reverse("evaluation:figures_edit", args=[2025])).status_code == 403
    assert client.post(reverse("evaluation:evidence_upload", args=[figures.public_id]),
                       {"section": "energy"}).status_code == 403


@pytest.mark.parametrize("role", ["enterprise_2", "district_2", "expert", "evaluator", "department", "park"])
def test_everyone_else_gets_not_found_for_the_record(client, people, role):
    figures = save(people.enterprise)
    client.force_login(getattr(people, role))
    assert client.get(reverse("evaluation:figures_detail", args=[figures.public_id])).status_code in (403, 404)
    if role in ("enterprise_2", "district_2"):
        assert client.get(reverse("evaluation:figures_detail", args=[figures.public_id])).status_code == 404


@pytest.mark.parametrize("role", ["district", "city", "expert", "evaluator", "department"])
def test_only_an_enterprise_or_a_park_enters_figures(client, people, role):
    client.force_login(getattr(people, role))
    assert client.get(reverse("evaluation:figures_list")).status_code == 403
    assert client.post(reverse("evaluation:figures_edit", args=[2025]), form_data()).status_code == 403


def test_a_park_enters_its_own_figures_for_its_certification(client, people):
    # 第六条（七）: a park's certification reads three years of the park's figures.
    client.force_login(people.park)
    assert client.get(reverse("evaluation:figures_list")).status_code == 200
    figures = save(people.park)
    assert figures.unit_id == people.park.organisation_id and figures.computed()["energy_productivity"] is not None


def test_the_enterprise_uploads_evidence_and_its_district_downloads_it(client, people):
    figures = save(people.enterprise)
    client.force_login(people.enterprise)
    response = client.post(reverse("evaluation:evidence_upload", args=[figures.public_id]),
                           {"section": "energy", "file": SimpleUploadedFile("能源利用状况报告.pdf", pdf_bytes())})
    assert response.status_code == 302
    evidence = FiguresEvidence.objects.get()
    assert evidence.section == "energy" and evidence.sha256
    client.force_login(people.district)
    download = client.get(reverse("evaluation:evidence_download", args=[figures.public_id, evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes()
    client.force_login(people.district_2)
    assert client.get(reverse("evaluation:evidence_download",
                              args=[figures.public_id, evidence.pk])).status_code == 404


def test_a_file_that_is_not_a_document_is_refused(client, people):
    figures = save(people.enterprise)
    client.force_login(people.enterprise)
    response = client.post(reverse("evaluation:evidence_upload", args=[figures.public_id]),
                           {"section": "energy", "file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00not a pdf")})
    assert response.status_code == 400
    assert not FiguresEvidence.objects.exists()


def test_the_company_page_lists_the_years_for_its_district_and_the_city(client, people):
    figures = save(people.enterprise)
    for user in (people.district, people.city):
        client.force_login(user)
        html = client.get(reverse("accounts:enterprise_detail",
                                  args=[people.enterprise.organisation.public_id])).content.decode()
        assert reverse("evaluation:figures_detail", args=[figures.public_id]) in html


def test_the_navigation_offers_the_figures_to_an_enterprise_only(client, people):
    url = reverse("evaluation:figures_list")
    client.force_login(people.enterprise)
    assert url in client.get("/").content.decode()
    client.force_login(people.district)
    assert url not in client.get("/").content.decode()


def test_the_years_list_costs_the_same_queries_with_one_year_entered_or_ten(client, people,
                                                                           django_assert_num_queries):
    client.force_login(people.enterprise)
    save(people.enterprise, year=2025)
    client.get(reverse("evaluation:figures_list"))

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("evaluation:figures_list")).status_code == 200
        return len(queries)

    one = count()
    for year in range(2016, 2025):
        YearlyFigures.objects.create(unit=people.enterprise.organisation, year=year, updated_by=people.enterprise)
    assert count() == one


def test_kept_pages_show_a_change_at_once(client, people, settings):
    settings.PORTAL_SHELL_CACHE_SECONDS = 300
    figures = save(people.enterprise)
    client.force_login(people.enterprise)
    detail = reverse("evaluation:figures_detail", args=[figures.public_id])
    edit = reverse("evaluation:figures_edit", args=[2025])
    assert "75.0000" in client.get(detail).content.decode()
    assert 'value="20000' in client.get(edit).content.decode()
    client.post(edit, form_data(water_reused="50000", output_value="30000"))
    assert "50.0000" in client.get(detail).content.decode()
    assert 'value="30000' in client.get(edit).content.decode()
    client.post(reverse("evaluation:evidence_upload", args=[figures.public_id]),
                {"section": "water", "file": SimpleUploadedFile("用水台账.pdf", pdf_bytes())})
    assert "用水台账.pdf" in client.get(detail).content.decode()
