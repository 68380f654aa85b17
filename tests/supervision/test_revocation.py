"""Revocation (第十七条) and its announcement and ban (第十八条): only the city revokes, for one of the seven causes in
the article's words, with the facts, a document number written with 〔〕 and an attachment; the title becomes 已撤销
and the unit may not apply again — intake or certification — until the same calendar day three years later (its
last banned day refused, its first free day allowed); the announcement is public, as a page and as an official
document, with nothing personal."""

import datetime
import io
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import AuditEvent
from applications import services as applications_services
from applications.models import ApplicationBan, IntakeStatus, Title
from greenfactory.workdays import SHANGHAI
from greenfactory.workflow import TransitionConflict
from supervision.models import Revocation, RevocationAttachment, RevocationCause
from supervision.services import revocation_create
from tests.applications.certification_setup import make_round, ready_entry
from tests.applications.titles_setup import CONTACT_NAMES, CONTACT_PHONES, granted
from tests.factories import pdf_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]

ARTICLE_17 = ["未按规定参加复审或动态管理的", "复审结果不合格的", "被依法终止的", "被发现提供虚假材料和数据的",
              "发生较大及以上安全、环境、质量等事故的", "被列入失信黑名单的", "发生其他重大违法违纪行为的"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _title(people):
    granted(people, factories=2)
    return Title.objects.get(organisation=people.enterprise.organisation)


def revoke(people, title, **changes):
    values = {"cause": "4", "facts": "经核查，该企业申报材料中的能耗数据与实际不符。",
              "document_number": "渝经信节能[2026]21号"}
    return revocation_create(title=title, actor=people.city, **{**values, **changes})


def test_the_seven_causes_are_the_articles_words():
    assert [label for _value, label in RevocationCause.choices] == ARTICLE_17


def test_the_city_revokes_and_the_unit_is_banned_for_three_years(people):
    title = _title(people)
    revocation = revoke(people, title, attachment=SimpleUploadedFile("撤销决定.pdf", pdf_bytes()))
    title.refresh_from_db()
    assert title.status == "revoked" and title.revoked_on == datetime.date(2026, 3, 2)
    assert revocation.document_number == "渝经信节能〔2026〕21号" and revocation.revoked_on == title.revoked_on
    assert revocation.cause_text == "第十七条（四）被发现提供虚假材料和数据的"
    ban = ApplicationBan.objects.get(organisation=people.enterprise.organisation)
    assert (ban.starts_on, ban.ends_on) == (datetime.date(2026, 3, 2), datetime.date(2029, 3, 2))
    assert ban.reason == revocation.cause_text and ban.document_number == revocation.document_number
    assert RevocationAttachment.objects.get(revocation=revocation).version == 1
    assert AuditEvent.objects.filter(action="transition", object_type="applications.Title",
                                     detail__to="revoked").exists()
    assert AuditEvent.objects.filter(action="created", object_type="supervision.Revocation").exists()


def test_a_title_is_revoked_once_and_a_number_used_once(people):
    title = _title(people)
    revoke(people, title)
    with pytest.raises(TransitionConflict):
        revoke(people, Title.objects.get(pk=title.pk), document_number="渝经信节能〔2026〕22号")
    other = Title.objects.get(organisation=people.enterprise_2.organisation)
    with pytest.raises(ValidationError) as error:
        revoke(people, other, document_number="渝经信节能（2026）21号")  # the same number in other brackets
    assert "document_number" in error.value.message_dict
    assert Revocation.objects.count() == 1 and ApplicationBan.objects.count() == 1


def test_a_revocation_needs_a_cause_of_the_article_and_facts(people):
    title = _title(people)
    with pytest.raises(ValidationError) as error:
        revoke(people, title, cause="8", facts=" \u200b ", document_number="")
    assert set(error.value.message_dict) == {"cause", "facts", "document_number"}
    assert Title.objects.get(pk=title.pk).status == "active"


@pytest.mark.parametrize("role", ["district", "enterprise", "park", "expert", "evaluator", "department", "admin"])
def test_only_the_city_revokes(client, people, role):
    title = _title(people)
    user = getattr(people, role)
    with pytest.raises(PermissionDenied):
        revocation_create(title=title, actor=user, cause="4", facts="事实", document_number="渝经信节能〔2026〕21号")
    client.force_login(user)
    url = reverse("supervision:revocation_create", args=[title.public_id])
    assert client.get(url).status_code == 403
    posted = {"cause": "4", "facts": "事实", "document_number": "渝经信节能〔2026〕21号"}
    assert client.post(url, posted).status_code == 403
    assert Title.objects.get(pk=title.pk).status == "active" and not ApplicationBan.objects.exists()


def test_anonymous_visitors_cannot_open_the_revocation_form(client, people):
    title = _title(people)
    response = client.get(reverse("supervision:revocation_create", args=[title.public_id]))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_city_revokes_from_the_titles_page_after_a_confirmation(client, people):
    title = _title(people)
    client.force_login(people.city)
    page = client.get(reverse("applications:title_detail", args=[title.public_id])).content.decode()
    form_url = reverse("supervision:revocation_create", args=[title.public_id])
    assert form_url in page
    form = client.get(form_url).content.decode()
    assert "data-confirm" in form and "三年内不得重新申报" in form
    assert "（五）发生较大及以上安全、环境、质量等事故的" in form
    bad = client.post(form_url, {"cause": "5", "facts": "", "document_number": "渝经信节能〔2026〕21号"})
    assert bad.status_code == 400 and Title.objects.get(pk=title.pk).status == "active"
    response = client.post(form_url, {"cause": "5", "facts": "2026年2月发生较大安全事故。",
                                      "document_number": "渝经信节能 [2026] 21号",
                                      "attachment": SimpleUploadedFile("决定.pdf", pdf_bytes())}, follow=True)
    body = response.content.decode()
    assert "称号已撤销" in body and "渝经信节能〔2026〕21号" in body and "第十七条（五）" in body
    revocation = Revocation.objects.get()
    assert client.get(reverse("supervision:attachment_download", args=[revocation.public_id, 1])).status_code == 200
    # Revoked: the form sends to the announcement; the title's page says how it ended.
    assert client.get(form_url)["Location"] == reverse("supervision:revocation_of_title", args=[title.public_id])
    detail = client.get(reverse("applications:title_detail", args=[title.public_id])).content.decode()
    assert "已撤销" in detail and "2029-03-02" in detail
    client.logout()
    assert client.get(reverse("supervision:attachment_download", args=[revocation.public_id, 1])).status_code == 302


def test_the_announcement_is_public_as_a_page_and_an_official_document(client, people):
    title = _title(people)
    revocation = revoke(people, title)
    listing = client.get(reverse("supervision:announcement_list")).content.decode()
    assert title.name in listing and "渝经信节能〔2026〕21号" in listing
    client.force_login(people.city)
    assert client.get(reverse("supervision:revocation_of_title", args=[title.public_id]))["Location"] == reverse(
        "supervision:announcement_detail", args=[revocation.public_id])
    assert client.get(reverse("supervision:revocation_of_title",
                              args=[Title.objects.exclude(pk=title.pk).first().public_id])).status_code == 404
    client.logout()
    page = client.get(reverse("supervision:announcement_detail", args=[revocation.public_id])).content.decode()
    assert "关于撤销" in page and "2026年3月2日" in page and "重庆市经济和信息化委员会" in page
    assert "三年内不得重新申报" in page and "附件" not in page.split("announcement-pdf")[1].split("</article>")[0]
    pdf = client.get(reverse("supervision:announcement_pdf", args=[revocation.public_id]))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).replace("\n", "")
    assert "渝经信节能〔2026〕21号" in text and "2026年3月2日" in text and "第十七条（四）" in text
    directory = client.get(reverse("applications:title_directory") + "?status=revoked").content.decode()
    assert title.name in directory and "2029-03-02" in directory and "第十七条（四）" in directory


def test_the_announcement_shows_nothing_personal(client, people):
    revocation = revoke(people, _title(people))
    private = [*CONTACT_NAMES, *CONTACT_PHONES, people.city.get_full_name(), people.city.username,
               people.city.email, people.enterprise.email]
    for url in (reverse("supervision:announcement_list"),
                reverse("supervision:announcement_detail", args=[revocation.public_id])):
        content = client.get(url).content.decode()
        assert not any(value in content for value in private), url
        # A mobile number (not digits inside the request id's hex) or an e-mail address.
        assert not re.search(r"(?<![0-9a-fA-F])1[3-9]\d{9}(?![0-9a-fA-F])", content)
        assert not re.search(r"[\w.+-]+@[\w-]+\.\w+", content)


# --- 第十八条: the ban at its last day and its first free day ----------------------------------------------------


def _revoked_on_2023_03_15(people):
    """A title revoked on 15 March 2023: banned until 14 March 2026 inclusive, free from 15 March 2026."""
    with time_machine.travel(datetime.datetime(2023, 3, 15, 10, tzinfo=SHANGHAI), tick=False):
        certification_round = make_round(people)
        granted(people, factories=1, park=False, certification_round=certification_round)
        revoke(people, Title.objects.get(organisation=people.enterprise.organisation),
               document_number="渝经信节能〔2023〕5号")
    ban = ApplicationBan.objects.get()
    assert (ban.starts_on, ban.ends_on) == (datetime.date(2023, 3, 15), datetime.date(2026, 3, 15))


LAST_BANNED = datetime.datetime(2026, 3, 14, 23, 59, 59, tzinfo=SHANGHAI)
FIRST_FREE = datetime.datetime(2026, 3, 15, 0, 0, 1, tzinfo=SHANGHAI)


def test_intake_is_refused_on_the_last_day_of_the_ban_and_allowed_on_the_first_free_day(people, campaign):
    _revoked_on_2023_03_15(people)
    with time_machine.travel(LAST_BANNED, tick=False), pytest.raises(ValidationError) as error:
        applications_services.intake_start(campaign=campaign, actor=people.enterprise)
    assert "第十八条" in error.value.messages[0] and "2026-03-15" in error.value.messages[0]
    with time_machine.travel(FIRST_FREE, tick=False):
        application = applications_services.intake_start(campaign=campaign, actor=people.enterprise)
    assert application.status == IntakeStatus.DRAFT


def test_certification_is_refused_on_the_last_day_of_the_ban_and_allowed_on_the_first_free_day(people):
    _revoked_on_2023_03_15(people)
    ready_entry(people)
    certification_round = make_round(people)
    with time_machine.travel(LAST_BANNED, tick=False), pytest.raises(ValidationError) as error:
        applications_services.certification_start(certification_round=certification_round, actor=people.enterprise)
    assert error.value.code == "banned"
    with time_machine.travel(FIRST_FREE, tick=False):
        application = applications_services.certification_start(certification_round=certification_round,
                                                                actor=people.enterprise)
    assert application.status == "draft"


def test_the_ban_is_enforced_through_the_intake_page_too(client, people, campaign):
    _revoked_on_2023_03_15(people)
    with time_machine.travel(LAST_BANNED, tick=False):
        client.force_login(people.enterprise)
        response = client.post(reverse("applications:intake_start", args=[campaign.public_id]), follow=True)
    assert "第十八条" in response.content.decode()
    assert not people.enterprise.organisation.enterprise.intake_applications.exists()
