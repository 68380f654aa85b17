"""Certification, part 2, end to end in a browser (第十一条、第十二条): the city takes a recommended application into
its review and asks its staff and an expert; each writes the opinion (a photo of the visit, the expert's score); the
city, with the experts' mean in front of it, puts the unit on the proposed list and sends the list to a department,
which answers 无异议; the city publishes the notice; someone files an objection on the public site and the city
dismisses it; after the five working days the city issues the decision, downloads the unit's certificate and opens
the verification page its QR code leads to."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import CertificationApplication, PublicNotice, Title
from applications.services import publicity
from greenfactory.workdays import WorkingCalendar
from tests.applications.certification_setup import make_round, ready_entry
from tests.applications.city_review_setup import city_staff, recommended
from tests.factories import PASSWORD, pdf_bytes
from tests.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _opinion(page, *, conclusion="met", findings, visited_on=None, score=None, photo=None):
    form = page.locator("#opinion-form")
    form.get_by_label("结论").select_option(conclusion)
    if visited_on:
        form.get_by_label("核实日期").fill(visited_on)
    if score:
        form.get_by_label("评分").fill(score)
    form.get_by_label("意见").fill(findings)
    if photo:
        form.locator("input[type=file]").set_input_files(str(photo))
    form.get_by_role("button", name="提交意见").click()
    expect(page.locator(".alert-success")).to_contain_text("意见已提交")


def test_from_the_city_review_to_the_certificate_and_its_verification(page, people, tmp_path):
    ready_entry(people)
    application = recommended(people, make_round(people))
    staff = city_staff(people)
    name = application.unit_name
    questions = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    photo = tmp_path / "现场照片.pdf"
    photo.write_bytes(pdf_bytes())
    today = timezone.localdate().isoformat()
    due = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()

    # The city finds the case in its to-do, starts its review and asks for the three kinds of task.
    log_in(page, people.city.username, PASSWORD)
    page.get_by_role("link", name=re.compile(f"开始市级审查：{name}")).first.click()
    page.locator("#action-start-city-review").get_by_role("button", name="开始市级审查").click()
    expect(page.locator("#application-status")).to_have_text("市级审查中")
    for kind, assignee in (("materials_review", staff), ("on_site", staff), ("expert_review", people.expert)):
        form = page.locator("#city-task-form")
        form.get_by_label("任务类别").select_option(kind)
        form.get_by_label("承办人").select_option(str(assignee.pk))
        form.get_by_label("完成期限").fill(due)
        form.get_by_role("button", name="指派").click()
        expect(page.locator(".alert-success")).to_contain_text("任务已指派")
    expect(page.locator("#city-tasks tbody tr")).to_have_count(3)
    page.get_by_role("button", name="退出").click()

    # The city's staff member writes the materials review, then the on-site verification with a photo.
    log_in(page, staff.username, PASSWORD)
    page.get_by_role("link", name=re.compile(f"材料审查：{name}")).first.click()
    _opinion(page, findings="申报材料齐全，与第三方评价报告一致")
    _opinion(page, findings="现场设施与申报一致", visited_on=today, photo=photo)
    page.get_by_role("button", name="退出").click()

    # The expert opens the task from its list and scores; a score over 100 comes back with the opinion kept.
    log_in(page, people.expert.username, PASSWORD)
    page.get_by_role("link", name="评审任务").first.click()
    page.get_by_role("link", name=re.compile(name)).first.click()
    form = page.locator("#opinion-form")
    form.get_by_label("结论").select_option("met")
    form.get_by_label("评分").fill("120")
    form.get_by_label("意见").fill("能效指标处于行业先进水平")
    form.get_by_role("button", name="提交意见").click()
    expect(page.locator("#opinion-form")).to_contain_text("能效指标处于行业先进水平")
    page.locator("#opinion-form").get_by_label("评分").fill("88.5")
    page.locator("#opinion-form").get_by_role("button", name="提交意见").click()
    expect(page.locator(".alert-success")).to_contain_text("意见已提交")
    page.get_by_role("button", name="退出").click()

    # The city sees the mean, proposes, and sends the list to the department.
    log_in(page, people.city.username, PASSWORD)
    page.goto(f"/evaluation/certification/{application.public_id}/")
    expect(page.locator("#expert-scores")).to_contain_text("88.5")
    page.locator("#action-propose").get_by_label("审查意见").fill("材料、现场和专家意见均为符合")
    page.locator("#action-propose").get_by_role("button", name="列入拟认定名单").click()
    expect(page.locator("#application-status")).to_have_text("已列入拟认定名单")
    page.locator("#proposed-list-link").click()
    page.locator("#send-form").get_by_label(re.compile("重庆市应急管理局")).check()
    page.locator("#send-form").get_by_role("button", name="发送征求意见").click()
    expect(page.locator("#list-status")).to_have_text("征求部门意见中")
    list_url = page.url
    page.get_by_role("button", name="退出").click()

    # The department answers for the unit.
    log_in(page, people.department.username, PASSWORD)
    page.get_by_role("link", name="拟认定名单", exact=True).click()
    page.locator("#proposed-lists").get_by_role("link").first.click()
    page.locator("#answer-form select").first.select_option("none")
    page.locator("#answer-form").get_by_role("button", name="提交意见").click()
    expect(page.locator(".alert-success")).to_contain_text("意见已提交")
    page.get_by_role("button", name="退出").click()

    # The city publishes the notice for five working days.
    log_in(page, people.city.username, PASSWORD)
    page.goto(list_url)
    publish = page.locator("#publish-form")
    publish.get_by_label("异议受理渠道").fill("市经济信息委节能处（023-63899999）")
    starts = timezone.localdate()
    calendar = WorkingCalendar()
    while not calendar.is_working_day(starts):
        starts += datetime.timedelta(days=1)
    publish.get_by_label("公示开始日期（工作日）").fill(starts.isoformat())
    publish.get_by_role("button", name="发布公示").click()
    expect(page.locator("#list-status")).to_have_text("公示中")
    notice = PublicNotice.objects.get()
    assert notice.ends_on == publicity.notice_end(starts)
    page.get_by_role("button", name="退出").click()

    # Someone reads the notice on the public site and objects (the notice is open from its first day).
    PublicNotice.objects.filter(pk=notice.pk).update(starts_on=timezone.localdate())
    page.goto("/applications/publicity/")
    page.get_by_role("link", name=re.compile(notice.title)).click()
    expect(page.locator("#notice-units")).to_contain_text(name)
    form = page.locator("#objection-form")
    form.get_by_label("异议对象").select_option(label=name)
    form.get_by_label("异议人真实姓名（或单位名称）").fill("王五")
    form.get_by_label("联系电话").fill("13700001111")
    form.get_by_label("异议内容").fill("听说该企业去年有环保处罚")
    form.get_by_role("button", name="提交异议").click()
    expect(page.locator(".alert-success")).to_contain_text("您的异议已提交")
    expect(page.locator("body")).not_to_contain_text("13700001111")

    # The city dismisses it with its reasons.
    log_in(page, people.city.username, PASSWORD)
    page.goto(list_url)
    expect(page.locator("#objections")).to_contain_text("听说该企业去年有环保处罚")
    page.locator("#objections textarea[name$='-reason']").last.fill("经核实，处罚发生于2021年，不在三年内")
    page.locator("#objections").get_by_role("button", name="异议不成立").click()
    expect(page.locator(".alert-success")).to_contain_text("异议不成立")

    # The five working days have passed: the city issues the decision.
    ended = timezone.localdate() - datetime.timedelta(days=1)
    PublicNotice.objects.filter(pk=notice.pk).update(starts_on=ended - datetime.timedelta(days=6), ends_on=ended)
    page.goto(list_url)
    decision = page.locator("#decision-form")
    decision.get_by_label("文号").fill("渝经信节能[2026]12号")
    decision.get_by_role("button", name="发文认定").click()
    expect(page.locator(".alert-success")).to_contain_text("认定决定已发布")
    assert CertificationApplication.objects.get(pk=application.pk).status == "certified"
    title = Title.objects.get(application=application)
    page.locator("#decision-link").click()
    expect(page.locator("#decision-number")).to_have_text("渝经信节能〔2026〕12号")
    expect(page.locator("#decision-units")).to_contain_text(name)

    # Its certificate, and the verification page its QR code leads to.
    page.goto(f"/applications/titles/{title.public_id}/")
    with page.expect_download() as certificate:
        page.locator(f"a[href^='/applications/titles/{title.public_id}/certificate/']").first.click()
    assert certificate.value.suggested_filename.endswith(".pdf")
    page.goto(f"/applications/titles/verify/{title.number}/")
    expect(page.locator("#verify-result")).to_contain_text("有效")
    expect(page.locator("#verify-result")).to_contain_text(name)
    assert any("公示" in question for question in questions)
