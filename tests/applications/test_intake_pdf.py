"""The printed intake form: A4, the official table's labels with the company's values, a real CJK font, fast."""

import statistics
import time
from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from applications import services
from applications.models import CultivationCampaign
from tests.helpers import SHANGHAI, filled, run_pdf_tool

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(people):
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        campaign = CultivationCampaign.objects.create(
            year=2026, title="2026年绿色工厂培育工作", opens_on=date(2026, 2, 20), deadline=date(2026, 3, 15),
            document_number="长经信发〔2026〕12号", created_by=people.city,
        )
        return filled(campaign, people.enterprise, other_certifications="清洁生产审核（𠀀㐀）",
                      profile_text='<img src="http://169.254.169.254/latest/"> 企业简介😀')


def _pdf(client, application, user):
    client.force_login(user)
    response = client.get(reverse("applications:intake_pdf", args=[application.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    return response.content


def test_the_pdf_has_the_forms_labels_the_companys_values_and_an_embedded_cjk_font(client, people, application,
                                                                                   tmp_path):
    path = tmp_path / "form.pdf"
    path.write_bytes(_pdf(client, application, people.enterprise))
    # Table cells wrap: compare without the line breaks and spaces the layout puts inside long labels.
    text = "".join(run_pdf_tool("pdftotext", path).split())
    for label in ("绿色工厂培育入库申请表", "公司名称", "统一社会信用代码", "单位性质", "2025年产值（万元）",
                  "管理体系通过第三方认证情况", "近三年是否发生质量、安全、环保等较大事故", "单位简介", "承诺",
                  "法人或单位负责人签字", "（公章）"):
        assert label in text, label
    assert application.company_name in text
    assert application.credit_code in text
    assert "8000.00" in text
    assert "𠀀" in text or "㐀" in text  # rare characters are not dropped
    for year in ("2023", "2024", "2025"):
        assert year in text
    # User text stays text: the address is printed, nothing was fetched.
    assert "169.254.169.254" in text
    fonts = run_pdf_tool("pdffonts", path)
    cjk = [line for line in fonts.splitlines() if any(n in line for n in ("Noto", "CJK", "WenQuanYi"))]
    assert cjk, fonts
    assert all(" yes " in line for line in cjk), fonts
    pages = run_pdf_tool("pdfinfo", path)
    assert "595.276 x 841.89" in pages or "A4" in pages


def test_the_pdf_is_scoped_like_the_application(client, people, application):
    for user in (people.enterprise_2, people.district_2, people.expert):
        client.force_login(user)
        assert client.get(reverse("applications:intake_pdf", args=[application.public_id])).status_code == 404
    # A draft is its enterprise's alone (applications.selectors.openable_by); submitted, its district prints it.
    client.force_login(people.district)
    assert client.get(reverse("applications:intake_pdf", args=[application.public_id])).status_code == 404
    assert _pdf(client, application, people.enterprise).startswith(b"%PDF-")
    with time_machine.travel(datetime(2026, 3, 2, 11, 0, tzinfo=SHANGHAI), tick=False):
        services.intake_submit(application=application, actor=people.enterprise)
    assert _pdf(client, application, people.district).startswith(b"%PDF-")


def test_one_form_renders_in_half_a_second_at_the_median(client, people, application):
    client.force_login(people.enterprise)
    url = reverse("applications:intake_pdf", args=[application.public_id])
    client.get(url)  # the first render builds the font configuration
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        timings.append(time.perf_counter() - started)
    median = statistics.median(timings)
    print(f"intake form PDF: median {median:.3f} s over 5 renders")
    assert median <= 0.5


def test_the_pdf_prints_the_registered_identity_not_what_a_draft_once_stored(client, people, application, tmp_path):
    from applications.models import IntakeApplication
    from tests.factories import credit_code_for

    forged_code = credit_code_for("500112", 777)
    IntakeApplication.objects.filter(pk=application.pk).update(company_name="冒名顶替有限公司",
                                                                credit_code=forged_code)
    path = tmp_path / "form.pdf"
    path.write_bytes(_pdf(client, application, people.enterprise))
    text = "".join(run_pdf_tool("pdftotext", path).split())
    registered = people.enterprise.organisation.enterprise
    assert registered.name in text and registered.credit_code in text
    assert "冒名顶替" not in text and forged_code not in text
