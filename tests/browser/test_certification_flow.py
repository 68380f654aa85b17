"""Certification, part 1, end to end in a browser: the enterprise (ready in the library) starts its application from
the round, answers the basic conditions with evidence, self-evaluates and commissions an evaluator from the register;
the evaluator accepts, evaluates on site, uploads the signed report and issues it (符合); the enterprise submits; the
district reviews, sends an item back in a review round; the enterprise answers with a file; the district sees the
answer, completes the checklist and recommends to the city, then exports its recommended list."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.applications.certification_setup import make_round, ready_entry, register
from tests.evaluation.test_figures import save as save_figures
from tests.factories import PASSWORD, pdf_bytes
from tests.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_apply_commission_evaluate_review_round_and_recommend(page, people, tmp_path):
    ready_entry(people)
    certification_round = make_round(people)
    save_figures(people.enterprise, year=certification_round.year - 1)
    entry = register(people)
    questions = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    name = people.enterprise.organisation.name
    pdf = tmp_path / "营业执照及完税证明.pdf"
    pdf.write_bytes(pdf_bytes())

    # The enterprise starts from the round and answers the conditions; a bad phone number keeps what was typed.
    log_in(page, people.enterprise.username, PASSWORD)
    page.get_by_role("link", name="认定申报", exact=True).click()
    page.get_by_role("link", name="查看并申报").click()
    page.get_by_role("button", name="申报绿色工厂").click()
    expect(page.locator("#application-status")).to_have_text("草稿（自评价）")
    page.get_by_label("联系人").fill("王联系")
    page.get_by_label("联系电话").fill("电话")
    for item in "12345678":
        page.locator(f"#conditions-form tr[data-item='{item}'] select").select_option("yes")
        page.locator(f"#conditions-form tr[data-item='{item}'] textarea").fill(f"第{item}项符合，见证明材料")
    page.get_by_role("button", name="保存基本条件").click()
    expect(page.locator("#conditions-form")).to_contain_text("第8项符合，见证明材料")  # nothing typed is lost
    page.get_by_label("联系电话").fill("13800138000")
    page.get_by_role("button", name="保存基本条件").click()
    expect(page.locator(".alert-success")).to_contain_text("基本条件已保存")
    page.locator("#condition-evidence-form select").select_option("1")
    page.locator("#condition-evidence-form input[type=file]").set_input_files(str(pdf))
    page.get_by_role("button", name="上传证明材料").click()
    expect(page.locator("#conditions-form tr[data-item='1']")).to_contain_text("营业执照及完税证明.pdf")

    # Self-evaluation, then the commission of an evaluator from the register.
    page.get_by_role("button", name="开始自评价").click()
    for row in page.locator("#score-items tbody tr").all():
        if row.locator("select").count():
            row.locator("select").select_option("pass")
        points = row.locator("input[name^=points_]")
        if points.count():
            points.fill("8")
    page.get_by_role("button", name="完成自评价").click()
    expect(page.locator(".alert-success")).to_contain_text("自评价已完成")
    expect(page.locator("#self-score")).not_to_have_text("—")
    page.get_by_label("第三方评价机构").select_option(value=str(entry.pk))
    page.get_by_label("要求完成日期").fill((timezone.localdate() + datetime.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="委托评价").click()
    expect(page.locator("#application-status")).to_have_text("第三方评价中")
    page.get_by_role("button", name="退出").click()

    # The evaluator finds the commission on its home, accepts, evaluates and issues the signed report.
    log_in(page, people.evaluator.username, PASSWORD)
    page.locator("#home-commissions").get_by_role("link", name=name).click()
    page.get_by_role("button", name="接受委托并开始现场评价").click()
    today = timezone.localdate().isoformat()
    page.get_by_label("现场评价开始日期").fill(today)
    page.get_by_label("现场评价结束日期").fill(today)
    page.get_by_label("评价人员").fill("赵一、钱二")
    page.get_by_label("评价结论").select_option("yes")
    for row in page.locator("#score-items tbody tr").all():
        if row.locator("select").count():
            row.locator("select").select_option("pass")
        points = row.locator("input[name^=points_]")
        if points.count():
            points.fill("9")
    page.get_by_role("button", name="出具评价报告").click()
    expect(page.locator("#report-form")).to_contain_text("请先上传签字盖章的评价报告")
    expect(page.get_by_label("评价人员")).to_have_value("赵一、钱二")
    report = tmp_path / "绿色工厂评价报告.pdf"
    report.write_bytes(pdf_bytes())
    page.get_by_label("文件类别").select_option("signed")
    page.locator("#report-form input[type=file]").set_input_files(str(report))
    page.get_by_role("button", name="上传（同时保存评价内容）").click()
    expect(page.locator("#report-documents")).to_contain_text("绿色工厂评价报告.pdf")
    page.get_by_role("button", name="出具评价报告").click()
    expect(page.locator("#application-status")).to_have_text("已出具评价报告")
    page.get_by_role("button", name="退出").click()

    # The enterprise submits to its district.
    log_in(page, people.enterprise.username, PASSWORD)
    page.goto("/applications/certification/")
    page.locator("#my-certifications").get_by_role("link", name="查看").click()
    expect(page.locator("#report-conclusion")).to_have_text("符合")
    page.get_by_role("button", name="提交区县审核").click()
    expect(page.locator("#application-status")).to_have_text("区县审核中")
    page.get_by_role("button", name="退出").click()

    # The district sends one item back in a review round.
    log_in(page, people.district.username, PASSWORD)
    page.get_by_role("link", name="认定审核").click()
    page.locator("#certification-queue").get_by_role("link", name=name).click()
    for row in page.locator("#checklist-form tbody tr").all():
        row.locator("select").select_option("ok")
    page.locator("#checklist-form tr[data-key='evidence'] select").select_option("more")
    page.locator("#checklist-form tr[data-key='evidence'] textarea").fill("请补充能源管理体系认证证书")
    page.get_by_role("button", name="保存审核意见").click()
    expect(page.locator(".alert-success")).to_contain_text("审核意见已保存")
    page.locator("#action-request-more").get_by_label("补充材料期限（工作日）").fill("5")
    page.get_by_role("button", name="要求补充材料").click()
    expect(page.locator("#application-status")).to_have_text("补充材料中")
    page.get_by_role("button", name="退出").click()

    # The enterprise answers with a file.
    log_in(page, people.enterprise.username, PASSWORD)
    expect(page.locator("main")).to_contain_text("区县要求补充认定申报材料")
    page.goto("/applications/certification/")
    page.locator("#my-certifications").get_by_role("link", name="查看").click()
    expect(page.locator("#answers")).to_contain_text("请补充能源管理体系认证证书")
    page.locator("#answers-form textarea").fill("已上传能源管理体系认证证书")
    certificate = tmp_path / "能源管理体系认证证书.pdf"
    certificate.write_bytes(pdf_bytes())
    page.locator("#answers-form select").select_option("evidence")
    page.locator("#answers-form input[type=file]").set_input_files(str(certificate))
    page.get_by_role("button", name="保存补充材料").click()
    expect(page.locator("#answers")).to_contain_text("能源管理体系认证证书.pdf")
    page.get_by_role("button", name="提交补充材料").click()
    expect(page.locator("#application-status")).to_have_text("区县审核中")
    page.get_by_role("button", name="退出").click()

    # The district sees what changed, completes the checklist and recommends; then exports its list.
    log_in(page, people.district.username, PASSWORD)
    page.get_by_role("link", name="认定审核").click()
    page.locator("#certification-queue").get_by_role("link", name=name).click()
    expect(page.locator("#checklist-form tr[data-key='evidence']")).to_contain_text("已上传能源管理体系认证证书")
    page.locator("#checklist-form tr[data-key='evidence'] select").select_option("ok")
    page.get_by_role("button", name="保存审核意见").click()
    page.locator("#action-recommend").get_by_label("推荐意见").fill("经评估确认，同意推荐")
    page.get_by_role("button", name="推荐至市经济信息委").click()
    expect(page.locator("#application-status")).to_have_text("已推荐至市经济信息委")
    assert any("推荐至市经济信息委" in q for q in questions)
    page.goto(f"/applications/rounds/{certification_round.public_id}/")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("导出推荐名单")).click()
    assert download.value.suggested_filename.endswith(".xlsx")
