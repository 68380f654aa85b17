"""A company name with CR/LF or other control characters cannot break or inject into the officials' e-mail."""

import pytest
from django.core import mail

from accounts import services
from accounts.choices import OrganisationStatus
from accounts.models import EmailStatus, Notification
from greenfactory.text import single_line
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_a_name_with_crlf_and_a_bcc_header_sends_one_clean_mail(people, mailoutbox, django_capture_on_commit_callbacks):
    enterprise = EnterpriseFactory(district=people.enterprise.organisation.district,
                                   status=OrganisationStatus.PENDING, name="重庆恶意\r\nBcc: x@y 公司")
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_send(recipients=[people.district], title=f"新企业注册待审核：{enterprise.name}",
                                   body=f"{enterprise.name} 在平台注册，请审核。")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert "\r" not in message.subject and "\n" not in message.subject
    assert message.subject.endswith("新企业注册待审核：重庆恶意 Bcc: x@y 公司")
    assert message.to == [people.district.email]
    assert message.bcc == []
    headers = message.message().as_string().split("\n\n", 1)[0]
    assert "\nBcc:" not in headers
    assert Notification.objects.get().email_status == EmailStatus.SENT


def test_a_registration_whose_name_holds_control_characters_reaches_the_district_by_mail(
        people, mailoutbox, django_capture_on_commit_callbacks):
    from tests.factories import EnterpriseFactory as Factory

    data = Factory.build(district=people.enterprise.organisation.district)
    enterprise_data = {f: getattr(data, f) for f in ("name", "credit_code", "district", "industry", "ownership_type",
                                                      "address", "postal_code", "founded_on", "registered_capital",
                                                      "main_products")}
    enterprise_data["name"] = "重庆\x1b换行\n\t公司\u2028"
    with django_capture_on_commit_callbacks(execute=True):
        services.enterprise_register(enterprise_data=enterprise_data, user_data={
            "username": "newcomer", "full_name": "新人", "email": "new@example.com", "phone": "13800000000"},
            password="Xq7!long-enough-Pass")  # noqa: S106
    assert [m.to for m in mailoutbox] == [[people.district.email]]
    assert mailoutbox[0].subject.endswith("新企业注册待审核：重庆 换行 公司")


def test_mail_that_already_failed_for_a_bad_header_is_sent_on_the_next_try(people, mailoutbox):
    from accounts.tasks import send_notification_email

    # A row stored before the fix, with a raw line break in its title.
    notification = Notification.objects.create(recipient=people.city, title="旧标题\r\nBcc: x@y",
                                               email_status=EmailStatus.PENDING)
    assert send_notification_email.apply(args=[notification.pk]).get() == "sent"
    assert mail.outbox[0].subject.endswith("旧标题 Bcc: x@y")


@pytest.mark.parametrize(("raw", "clean"), [
    ("a\r\nb", "a b"), ("a\x00b", "a b"), ("a\tb\x0b\x0c", "a b"), ("a\u2028b\u2029c\u0085", "a b c"),
    ("  很  长  ", "很 长"), ("𠀀😀", "𠀀😀"),
])
def test_single_line_keeps_text_and_drops_control_characters(raw, clean):
    assert single_line(raw) == clean
