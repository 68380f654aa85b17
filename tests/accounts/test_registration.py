"""Enterprise self-registration and its review by the district (企业注册审核)."""


import pytest
from django.core import mail
from django.urls import reverse
from django_fsm_log.models import StateLog

from accounts import services
from accounts.choices import OrganisationStatus
from accounts.models import AuditAction, AuditEvent, Enterprise, Notification, User
from tests.factories import EnterpriseFactory, credit_code_for, district
from tests.helpers import confirmation_link, registration_data

pytestmark = pytest.mark.django_db


def register(client, **overrides):
    """Fill in the form, then follow the link mailed to the address and confirm, as a registrant does."""
    data = registration_data(**overrides)
    response = client.post(reverse("accounts:register"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.post(confirmation_link(data["email"]))


def test_registration_creates_a_pending_enterprise_and_its_first_user(client, people):
    response = client.post(reverse("accounts:register"), registration_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:register_sent")
    # Nothing exists and the district hears nothing until the address is confirmed.
    assert not Enterprise.objects.filter(name="重庆新注册材料有限公司").exists()
    assert not Notification.objects.exists()
    link = confirmation_link("wangwu@example.com")
    page = client.get(link)
    assert "重庆新注册材料有限公司" in page.content.decode()
    assert not Enterprise.objects.filter(name="重庆新注册材料有限公司").exists()  # a mail scanner's GET does nothing
    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:register_done")
    enterprise = Enterprise.objects.get(name="重庆新注册材料有限公司")
    assert enterprise.status == OrganisationStatus.PENDING
    user = User.objects.get(username="xinzhuce")
    assert user.organisation_id == enterprise.pk
    assert user.check_password("Strong-Pass-2026")
    assert user.password.startswith("argon2")
    # The district's official is told, the other district's is not.
    assert Notification.objects.filter(recipient=people.district, title__contains=enterprise.name).exists()
    assert not Notification.objects.filter(recipient=people.district_2).exists()
    assert AuditEvent.objects.filter(action=AuditAction.REGISTER, object_repr=enterprise.name).count() == 1


def test_full_width_lower_case_credit_code_is_stored_normalised(client, people):
    code = credit_code_for("500115", 5151)
    typed = "".join(chr(ord(c) + 0xFEE0) for c in code.lower())
    register(client, credit_code=typed)
    assert Enterprise.objects.get(name="重庆新注册材料有限公司").credit_code == code


@pytest.mark.parametrize(
    ("taken", "explained"),
    [("credit_code", "该统一社会信用代码已在平台注册"), ("username", "已被使用，请换一个用户名"),
     ("email", "本邮箱已有账号"), (None, "如是您本人操作")],
)
def test_the_page_does_not_tell_whether_a_code_name_or_address_is_taken_the_mail_does(client, people, taken,
                                                                                        explained):
    """Issue 6, item 17: the same answer whether or not the code, user name or address exists."""
    existing = people.enterprise
    overrides = {
        "credit_code": {"credit_code": existing.organisation.credit_code},
        "username": {"username": existing.username.upper()},
        "email": {"email": existing.email.upper()},
        None: {},
    }[taken]
    response = client.post(reverse("accounts:register"), registration_data(**overrides))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:register_sent")
    page = client.get(response["Location"]).content.decode()
    assert "请查收邮件" in page and "已注册" not in page and "已被使用" not in page
    address = overrides.get("email", "wangwu@example.com")
    (message,) = mail.outbox
    assert message.to == [address]
    assert explained in message.body
    assert ("/accounts/register/confirm/" in message.body) == (taken is None)
    assert not User.objects.filter(username="xinzhuce").exists()
    assert Enterprise.objects.filter(credit_code=existing.organisation.credit_code).count() == 1
    assert not Notification.objects.exists()
    event = AuditEvent.objects.get(action=AuditAction.REGISTER_REQUESTED)
    assert event.detail["conflicts"] == ([taken] if taken else [])


def test_a_conflict_found_after_confirming_is_told_to_the_verified_owner(client, people):
    data = registration_data()
    client.post(reverse("accounts:register"), data)
    link = confirmation_link(data["email"])
    # Meanwhile another registration took the code.
    register(client, email="other@example.com", username="someone-else")
    response = client.post(link)
    assert response.status_code == 400
    assert "该统一社会信用代码已注册" in response.content.decode()
    assert not User.objects.filter(username="xinzhuce").exists()


def test_a_confirmation_link_works_once_and_a_forged_one_not_at(client, people):
    data = registration_data()
    client.post(reverse("accounts:register"), data)
    link = confirmation_link(data["email"])
    assert client.post(link).status_code == 302
    assert client.post(link).status_code == 409
    assert User.objects.filter(username="xinzhuce").count() == 1
    assert client.get(link[:-3] + "xx/").status_code == 400


def test_an_expired_confirmation_link_creates_nothing(client, people):
    import time_machine
    from django.utils import timezone

    data = registration_data()
    client.post(reverse("accounts:register"), data)
    link = confirmation_link(data["email"])
    with time_machine.travel(timezone.now() + timezone.timedelta(hours=49)):
        response = client.post(link)
    assert response.status_code == 400
    assert "无效或已过期" in response.content.decode()
    assert not User.objects.filter(username="xinzhuce").exists()


def test_registrations_are_limited_per_ip_with_a_chinese_429(client, people, settings):
    settings.REGISTRATION_RATE = "3/h"
    for n in range(3):
        response = client.post(reverse("accounts:register"),
                               registration_data(email=f"r{n}@example.com", username=f"reg-{n}"))
        assert response.status_code == 302
    response = client.post(reverse("accounts:register"), registration_data(email="r9@example.com"))
    assert response.status_code == 429
    assert "注册的次数过多" in response.content.decode()
    assert len(mail.outbox) == 3
    # Another IP is not held back.
    other = client.post(reverse("accounts:register"), registration_data(email="r8@example.com"),
                        REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("credit_code", "91350100M000100Y44", "校验位"),
        ("postal_code", "40122", "邮编应为6位数字"),
        ("phone", "12345", "联系电话"),
        ("founded_on", "2999-01-01", "“成立日期”应在1900-01-01至今天"),
        ("founded_on", "0001-01-01", "“成立日期”应在1900-01-01至今天"),
        ("name", "重庆😀材料有限公司", "“公司名称”中的表情符号“😀”（U+1F600）无法打印在申请表上，请删除。"),
        # NUL itself never reaches a form: the whole portal answers it with 400 (greenfactory.middleware).
        ("address", "重庆市\x07长寿区", "“通讯地址”含有不可见的控制字符U+0007"),
        ("registered_capital", "-1", "金额不能为负数"),
        ("registered_capital", "10.123", "两位小数"),
        ("password2", "Other-Pass-2026", "两次输入的密码不一致"),
        ("password1", "short", "密码"),
        ("district", "", "请选择“登记注册所在区县”。"),
        ("ownership_type", "", "请选择“单位性质”。"),
    ],
)
def test_bad_registration_input_is_refused_in_chinese(client, people, field, value, message):
    data = registration_data(**{field: value})
    if field == "password1":
        data["password2"] = value
    response = client.post(reverse("accounts:register"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Enterprise.objects.filter(name="重庆新注册材料有限公司").exists()


def test_a_pending_enterprise_cannot_log_in_and_is_told_why(client, people):
    register(client)
    response = client.post(reverse("accounts:login"), {"username": "xinzhuce", "password": "Strong-Pass-2026"})
    assert response.status_code == 200
    assert "正在等待长寿区经信部门审核" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_district_approves_and_the_enterprise_can_then_log_in(client, people, django_capture_on_commit_callbacks):
    register(client)
    enterprise = Enterprise.objects.get(name="重庆新注册材料有限公司")
    client.force_login(people.district)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:registration_approve", args=[enterprise.public_id]))
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.status == OrganisationStatus.ACTIVE
    log = StateLog.objects.for_(enterprise).get()
    assert (log.by, log.source_state, log.state) == (people.district, "pending", "active")
    assert any("注册已通过审核" in m.subject for m in mail.outbox)
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": "xinzhuce", "password": "Strong-Pass-2026"})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == User.objects.get(username="xinzhuce").pk


def test_refusing_needs_a_reason_which_the_enterprise_then_reads(client, people):
    register(client)
    enterprise = Enterprise.objects.get(name="重庆新注册材料有限公司")
    client.force_login(people.district)
    url = reverse("accounts:registration_refuse", args=[enterprise.public_id])
    assert client.post(url, {"reason": ""}).status_code == 400
    enterprise.refresh_from_db()
    assert enterprise.status == OrganisationStatus.PENDING

    client.post(url, {"reason": "营业执照地址与通讯地址不一致"})
    enterprise.refresh_from_db()
    assert enterprise.status == OrganisationStatus.REFUSED
    assert enterprise.refusal_reason == "营业执照地址与通讯地址不一致"
    assert StateLog.objects.for_(enterprise).get().description == "营业执照地址与通讯地址不一致"

    client.logout()
    client.post(reverse("accounts:login"), {"username": "xinzhuce", "password": "Strong-Pass-2026"})
    # A refused enterprise may log in only to read the reason and correct its profile.
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:registration_status")
    page = client.get(reverse("accounts:registration_status")).content.decode()
    assert "营业执照地址与通讯地址不一致" in page


def test_a_refused_enterprise_corrects_and_resubmits(client, people):
    enterprise = EnterpriseFactory(status=OrganisationStatus.REFUSED)
    from tests.factories import UserFactory

    user = UserFactory(organisation=enterprise)
    client.force_login(user)
    data = registration_data(address="重庆市长寿区更正后的地址8号")
    response = client.post(reverse("accounts:registration_status"), data)
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.status == OrganisationStatus.PENDING
    assert enterprise.address == "重庆市长寿区更正后的地址8号"


def test_another_districts_official_gets_404_and_changes_nothing(client, people):
    pending = EnterpriseFactory(status=OrganisationStatus.PENDING)  # 长寿区
    client.force_login(people.district_2)
    for name in ("accounts:registration_detail", "accounts:registration_approve", "accounts:registration_refuse"):
        method = client.get if name.endswith("detail") else client.post
        assert method(reverse(name, args=[pending.public_id]), {"reason": "x"}).status_code == 404
    pending.refresh_from_db()
    assert pending.status == OrganisationStatus.PENDING
    assert not StateLog.objects.for_(pending).exists()


def test_the_district_queue_lists_only_its_own_districts_pending_enterprises(client, people):
    own = EnterpriseFactory(status=OrganisationStatus.PENDING, name="本区待审企业")
    other = EnterpriseFactory(status=OrganisationStatus.PENDING, name="外区待审企业", district=district("渝北区"))
    client.force_login(people.district)
    page = client.get(reverse("accounts:registration_queue")).content.decode()
    assert own.name in page
    assert other.name not in page
    client.force_login(people.district_2)
    page = client.get(reverse("accounts:registration_queue")).content.decode()
    assert other.name in page
    assert own.name not in page


@pytest.mark.parametrize("role", ["enterprise", "enterprise_2", "park", "city", "expert", "evaluator", "department",
                                  "admin"])
def test_no_other_role_may_decide_a_registration(client, people, role):
    pending = EnterpriseFactory(status=OrganisationStatus.PENDING)
    client.force_login(getattr(people, role))
    response = client.post(reverse("accounts:registration_approve", args=[pending.public_id]))
    # Those who can see the record are refused (403); those who cannot get 404.
    assert response.status_code in (403, 404)
    if role in ("city", "admin"):
        assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == OrganisationStatus.PENDING


def test_a_second_decision_on_a_decided_registration_answers_409_in_chinese(client, people):
    pending = EnterpriseFactory(status=OrganisationStatus.PENDING)
    services.registration_approve(organisation=pending, actor=people.district)
    client.force_login(people.district)
    response = client.post(reverse("accounts:registration_refuse", args=[pending.public_id]), {"reason": "迟到"})
    assert response.status_code == 409
    assert "已由他人处理" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == OrganisationStatus.ACTIVE
    assert StateLog.objects.for_(pending).count() == 1


def test_credit_code_of_another_division_is_a_warning_not_a_block(client, people):
    foreign = EnterpriseFactory(status=OrganisationStatus.PENDING, credit_code=credit_code_for("110105", 77),
                                name="外省代码企业")
    other = EnterpriseFactory(status=OrganisationStatus.PENDING, credit_code=credit_code_for("500112", 78),
                              name="渝北代码企业")
    client.force_login(people.district)
    page = client.get(reverse("accounts:registration_queue")).content.decode()
    assert "110105 不属于重庆市" in page
    assert "500112（渝北区）与所选区县长寿区（500115）不一致" in page
    # Still approvable.
    services.registration_approve(organisation=foreign, actor=people.district)
    services.registration_approve(organisation=other, actor=people.district)


def test_full_width_digits_in_postal_code_and_phone_are_normalised(client, people):
    register(client, postal_code="４０１２２１", phone="１３８１２３４５６７８")
    enterprise = Enterprise.objects.get(name="重庆新注册材料有限公司")
    assert enterprise.postal_code == "401221"
    assert User.objects.get(username="xinzhuce").phone == "13812345678"


def test_an_e_mail_address_taken_after_confirming_is_refused_with_a_clear_message(client, people):
    data = registration_data()
    client.post(reverse("accounts:register"), data)
    link = confirmation_link(data["email"])
    register(client, email="WANGWU@example.com", username="first-one",
             credit_code=credit_code_for("500115", 777777))
    response = client.post(link)
    assert "该电子邮箱已被其他账号使用" in response.content.decode()
    assert not User.objects.filter(username="xinzhuce").exists()


def test_expired_registration_links_are_forgotten_by_the_sweep(client, people):
    from django.utils import timezone

    from accounts.models import PendingRegistration

    client.post(reverse("accounts:register"), registration_data())
    register(client, email="kept@example.com", username="kept-one", credit_code=credit_code_for("500115", 1357))
    assert PendingRegistration.objects.get(email="kept@example.com").password_hash == ""
    assert services.pending_registrations_purge() == 0
    later = timezone.now() + timezone.timedelta(hours=49)
    assert services.pending_registrations_purge(now=later) == 2
    assert services.pending_registrations_purge(now=later) == 0
    assert User.objects.filter(username="kept-one").exists()
