"""Cultivation end to end in a browser: the city assigns an expert to a library entry; the expert opens the task,
scores on site and drafts the plan from the gaps; the district confirms; the enterprise downloads the report and
updates a measure with evidence; the district marks the entry ready (成熟)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evaluation.demo import demo_indicator_system
from evaluation.models import EnergyCarrier
from evaluation.services import figures_save
from tests.evaluation.test_figures import RAW
from tests.factories import PASSWORD, LibraryEntryFactory, pdf_bytes
from tests.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_assign_score_confirm_report_measure_and_ready(page, people, tmp_path):
    entry = LibraryEntryFactory(application__enterprise=people.enterprise.organisation)
    demo_indicator_system([entry.industry])
    figures_save(unit=entry.enterprise, year=timezone.localdate().year - 1, data=RAW,
                 energy={EnergyCarrier.objects.get(code="electricity").pk: 1000}, actor=people.enterprise)
    questions = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    name = entry.enterprise.name

    # The city assigns an expert from the library.
    log_in(page, people.city.username, PASSWORD)
    page.get_by_role("link", name="培育库", exact=True).click()
    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", name="绿色培育")).to_be_visible()
    page.get_by_label("评估专家").select_option(value=str(people.expert.pk))
    page.get_by_label("完成期限").fill(f"{timezone.localdate().year}-12-31")
    page.get_by_role("button", name="指派", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已指派评估专家")
    page.get_by_role("button", name="退出").click()

    # The expert finds the task, scores on site, submits and drafts the plan.
    log_in(page, people.expert.username, PASSWORD)
    page.get_by_role("link", name="评审任务").first.click()
    page.get_by_role("link", name=re.compile(name)).click()
    page.locator("#assessments").get_by_role("link", name="查看").click()
    page.get_by_role("link", name="现场评分").click()
    page.get_by_label("现场评估日期").fill(timezone.localdate().isoformat())
    for row in page.locator("#score-items tbody tr").all():
        select = row.locator("select")
        if select.count():
            select.select_option("pass")
    page.locator("[data-indicator=E2] input[name^=points_]").fill("15")
    page.locator("[data-indicator=R2] input[name^=points_]").fill("20")
    page.locator("[data-indicator=M1] input[name^=points_]").fill("10")
    page.locator("[data-indicator=M2] input[name^=points_]").fill("99")    # beyond the item's 10 points
    page.get_by_role("button", name="提交评分").click()
    expect(page.locator("#scoring-form")).to_contain_text("10")
    expect(page.locator("[data-indicator=E2] input[name^=points_]")).to_have_value("15")  # nothing typed is lost
    page.locator("[data-indicator=M2] input[name^=points_]").fill("6")
    page.get_by_role("button", name="提交评分").click()
    expect(page.locator(".alert-success")).to_contain_text("评分已提交")
    page.get_by_role("button", name="根据差距分析生成").click()
    expect(page.locator("#measures")).to_contain_text("降低单位产品综合能耗")
    page.get_by_role("button", name="退出").click()

    # The district confirms from its to-do list.
    log_in(page, people.district.username, PASSWORD)
    expect(page.locator("main")).to_contain_text("确认评估结果")  # its turn: a deadline on its home
    page.get_by_role("link", name=name).first.click()
    expect(page.locator("#result")).to_contain_text("尚未确认")
    page.get_by_role("button", name="确认评估结果").click()
    expect(page.locator("#assessment-status")).to_have_text("已确认")
    assert any("确认评估结果" in q for q in questions)
    page.get_by_role("button", name="退出").click()

    # The enterprise downloads its report and carries out a measure with evidence.
    log_in(page, people.enterprise.username, PASSWORD)
    page.get_by_role("link", name="绿色培育", exact=True).click()
    with page.expect_download() as download:
        page.get_by_role("link", name="评估报告（PDF）").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.locator("#plan-summary").get_by_role("link", name="降低单位产品综合能耗").click()
    page.get_by_role("button", name="开始实施").click()
    expect(page.locator("#measure-status")).to_have_text("实施中")
    page.get_by_label("进展情况").fill("余热回收装置已安装调试")
    page.get_by_role("button", name="报告进展").click()
    expect(page.locator("#measure-progress")).to_contain_text("余热回收装置已安装调试")
    evidence = tmp_path / "调试报告.pdf"
    evidence.write_bytes(pdf_bytes())
    page.get_by_label(re.compile("文件（PDF")).set_input_files(str(evidence))
    page.get_by_role("button", name="上传").click()
    expect(page.locator("#measure-evidence")).to_contain_text("调试报告.pdf")
    page.get_by_role("button", name="退出").click()

    # The district marks the entry ready.
    log_in(page, people.district.username, PASSWORD)
    page.goto(f"/evaluation/cultivation/{entry.public_id}/")
    page.locator("#action-mark_ready").get_by_label("意见").fill("评估达标，具备申报条件")
    page.get_by_role("button", name="标记为成熟（可申报认定）").click()
    expect(page.locator("#entry-status")).to_have_text("成熟（可申报）")
    assert any("标记为成熟" in q for q in questions)
