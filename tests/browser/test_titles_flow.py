"""Titles end to end in a browser (第十二条、第十七条、第十八条): after a decision (written in the set-up, its titles
granted through the service the decision calls, which queues the certificates) the city opens the decision's
certificates, watches a batch's progress bar until it finishes, generates again (nothing new), downloads one
certificate and the archive, opens the verification page the QR code leads to and reads 有效; then revokes a title
from its page after the confirmation, and the verification page reads 已撤销."""

import re

import pytest
from playwright.sync_api import expect

from applications.models import Certificate, Title
from applications.services import certificates as certificate_services
from applications.tasks import certificates_generate
from tests.applications.titles_setup import granted
from tests.factories import PASSWORD, pdf_bytes
from tests.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_city_generates_downloads_verifies_and_revokes(page, people, tmp_path):
    decision, _titles = granted(people, factories=2)  # committed: the certificates were generated after commit
    assert Certificate.objects.count() == 3
    title = Title.objects.get(organisation=people.enterprise.organisation)
    # A rename (第十九条, later) changes what one certificate shows: a new batch issues that one again.
    Title.objects.filter(pk=title.pk).update(name="重庆长寿一号化工（更名）有限公司")
    batch, _created = certificate_services.batch_create(decision=decision, actor=people.city)
    questions = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))

    log_in(page, people.city.username, PASSWORD)
    page.get_by_role("link", name="称号与证书").click()
    page.locator("#decisions").get_by_role("link", name="证书").click()
    expect(page.locator("#batch-label")).to_have_text("排队中")
    expect(page.locator("#generate-certificates")).to_be_disabled()
    # The worker takes the batch while the page polls its status; when it finishes the page shows the result.
    certificates_generate(batch.pk)
    expect(page.locator("#batch-label")).to_have_text("已完成", timeout=20000)
    expect(page.locator("#batch-count")).to_have_text("3/3")
    assert Certificate.objects.filter(title=title).count() == 2
    page.get_by_role("button", name="生成证书").click()
    expect(page.locator(".alert-success")).to_contain_text("证书已生成（3/3）")
    assert any("不会重复生成" in question for question in questions)
    assert Certificate.objects.count() == 4  # nothing changed since: nothing new

    with page.expect_download() as one:
        page.locator("#decision-titles tr", has_text=title.number).locator(".certificate-link").click()
    assert one.value.suggested_filename.endswith(".pdf") and title.number in one.value.suggested_filename
    with page.expect_download() as archive:
        page.locator("#download-all").click()
    assert archive.value.suggested_filename.endswith(".zip")
    with page.expect_download() as document:
        page.locator("#decision-pdf").click()
    assert document.value.suggested_filename.endswith(".pdf")

    # The QR code and the printed line lead to the verification page.
    page.goto(f"/applications/titles/verify/{title.number}/")
    expect(page.locator("#verify-result")).to_contain_text("有效")
    expect(page.locator("#verify-result")).to_contain_text("重庆长寿一号化工（更名）有限公司")

    # The city revokes the title from its page, after the confirmation.
    attachment = tmp_path / "撤销决定.pdf"
    attachment.write_bytes(pdf_bytes())
    page.goto(f"/applications/titles/{title.public_id}/")
    page.locator("#revoke-link").click()
    page.get_by_label(re.compile("被发现提供虚假材料和数据的")).check()
    page.get_by_label("事实与依据").fill("经核查，申报的能耗数据与计量记录不符。")
    page.get_by_label("撤销文号").fill("渝经信节能[2026]40号")
    page.locator("#revocation-form input[type=file]").set_input_files(str(attachment))
    page.locator("#revocation-form").get_by_role("button", name="撤销称号").click()
    expect(page.locator(".alert-success")).to_contain_text("称号已撤销")
    expect(page.locator("#announcement")).to_contain_text("渝经信节能〔2026〕40号")
    assert any("三年内不得重新申报" in question for question in questions)

    page.goto(f"/applications/titles/verify/?number={title.number.lower()}")
    expect(page.locator("#verify-result")).to_contain_text("已撤销")
    expect(page.locator("#verify-result")).to_contain_text("第十七条（四）")
