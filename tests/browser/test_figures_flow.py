"""An enterprise enters a year's figures from the navigation, is stopped by an impossible entry with the message at
the field, corrects it, reads the computed indicators, uploads evidence; its district opens the year from the
company's page."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import PASSWORD, pdf_bytes
from tests.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_enterprise_enters_its_figures_and_its_district_reads_them(page, people, tmp_path):
    year = timezone.localdate().year - 1
    log_in(page, people.enterprise.username, PASSWORD)
    page.get_by_role("link", name="年度绩效数据").click()
    expect(page.get_by_role("heading", name="年度绿色绩效数据")).to_be_visible()
    row = page.locator("#figures-years tr", has_text=f"{year}年度")
    expect(row).to_contain_text("未填报")
    row.get_by_role("link", name="填报").click()

    page.get_by_label("工业总产值（万元）").fill("20000")
    page.get_by_label("产品产量（产品计量单位）").fill("4000")
    page.get_by_label("电力（电网购电，当量值）（万kWh）").fill("1000")
    page.get_by_label("取水量（m³）").fill("50000")
    page.get_by_label("重复利用水量（m³）").fill("150000")
    page.get_by_label("废水产生量（t）").fill("30000")
    page.get_by_label("废水处理回用量（t）").fill("40000")  # more than was generated
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#figures-form")).to_contain_text("回用率不能超过100%")
    expect(page.get_by_label("工业总产值（万元）")).to_have_value("20000")  # nothing typed is lost

    page.get_by_label("废水处理回用量（t）").fill("12000")
    page.get_by_role("button", name="保存").click()
    expect(page).to_have_url(re.compile(r"/evaluation/figures/[0-9a-f-]{36}/$"))
    expect(page.locator("[data-indicator=water_reuse_rate]")).to_contain_text("75.0000")
    expect(page.locator("[data-indicator=wastewater_reuse_rate]")).to_contain_text("40.0000")
    # 1000 万kWh × 1.229 tce ÷ 4000 t
    expect(page.locator("[data-indicator=energy_per_product]")).to_contain_text("0.3073")

    evidence = tmp_path / "能源利用状况报告.pdf"
    evidence.write_bytes(pdf_bytes())
    page.get_by_label("数据类别").select_option(label="能源消费与碳排放")
    page.get_by_label(re.compile("证明材料（PDF")).set_input_files(str(evidence))
    page.get_by_role("button", name="上传").click()
    expect(page.locator("#figures-evidence")).to_contain_text("能源利用状况报告.pdf")

    page.get_by_role("button", name="退出").click()
    log_in(page, people.district.username, PASSWORD)
    page.goto(f"/accounts/enterprises/{people.enterprise.organisation.public_id}/")
    page.locator("#company-figures").get_by_role("link", name=f"{year}年度").click()
    expect(page.locator("[data-indicator=water_reuse_rate]")).to_contain_text("75.0000")
    expect(page.get_by_role("link", name="修改数据")).to_have_count(0)
    expect(page.locator("#figures-evidence")).to_contain_text("能源利用状况报告.pdf")
