"""Stored text (notifications, entry-criterion reasons, the admission note) is written in the portal's language
(zh-hans) whoever acts; what the acting user is shown (flash messages, form errors) stays in their language."""

import ast
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.models import Notification
from applications import services
from applications.models import IntakeStatus
from applications.workflows import INTAKE
from tests.helpers import filled, pdf_bytes, submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]


CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORD = re.compile(r"\b(?:the|and|application|submitted|criterion|registered|output|profit|reason)\b", re.I)


@pytest.fixture(autouse=True)
def _language_restored():
    # A request with the English cookie leaves English active in this thread (the locale middleware activates it).
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _chinese(text):
    return bool(CJK.search(text)) and not ENGLISH_WORD.search(text)


def test_the_english_catalogue_translates_what_these_tests_look_at():
    # Otherwise an English actor would leave Chinese text anyway, and the tests below would prove nothing.
    with translation.override("en"):
        assert not _chinese(translation.gettext("入库申请待审核：%(name)s"))
        assert not _chinese(translation.gettext("近三年利润总额均为正。"))
        assert not _chinese(translation.gettext("%(name)s 的入库申请未通过，原因：%(reason)s"))


def test_an_enterprise_on_english_leaves_chinese_notifications_and_criteria_reasons(people, campaign):
    application = filled(campaign, people.enterprise)
    with translation.override("en"):
        services.intake_submit(application=application, actor=people.enterprise)
    [notification] = Notification.objects.filter(recipient=people.district)
    assert notification.title == f"入库申请待审核：{application.company_name}"
    assert _chinese(notification.body), notification.body
    reasons = [criterion.reason for criterion in application.criteria.all()]
    assert len(reasons) == 5
    assert all(_chinese(reason) for reason in reasons), reasons


def test_an_enterprise_on_english_is_still_told_its_own_errors_in_english(people, campaign):
    application = filled(campaign, people.enterprise, output_value=Decimal("3000"))
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.intake_submit(application=application, actor=people.enterprise, acknowledged_criteria=[])
    assert not CJK.search(" ".join(error.value.messages)), error.value.messages


def test_a_district_on_english_admitting_against_a_criterion_stores_a_chinese_note_and_tells_in_chinese(
        client, people, campaign):
    draft = filled(campaign, people.enterprise, output_value=Decimal("3000"))
    application = services.intake_submit(application=draft, actor=people.enterprise)
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.scan_upload(application=application, actor=people.enterprise,
                         uploaded_file=SimpleUploadedFile("scan.pdf", pdf_bytes()))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(people.district)
    response = client.post(reverse("applications:intake_action", args=[application.public_id, "accept"]),
                           {"accept-reason": "The district will support its upgrade."}, follow=True)
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == IntakeStatus.ACCEPTED
    assert application.decision_reason.startswith("不符合入库标准第2项，纳入理由：")
    [notification] = Notification.objects.filter(recipient=people.enterprise)
    assert _chinese(notification.title), notification.title
    # The official's own confirmation is in their language.
    with translation.override("en"):
        done = INTAKE.action("accept").success_message(None)
    assert done in [str(message) for message in response.context["messages"]]
    assert response["Content-Language"] == "en"


@pytest.mark.parametrize("action", ["return", "reject"])
def test_a_district_on_english_returning_or_rejecting_tells_the_enterprise_in_chinese(people, campaign, action):
    application = submitted(campaign, people.enterprise)
    service = {"return": services.intake_return, "reject": services.intake_reject}[action]
    with translation.override("en"):
        service(application=application, actor=people.district, reason="材料不全")
    [notification] = Notification.objects.filter(recipient=people.enterprise)
    assert _chinese(notification.title) and _chinese(notification.body.replace(application.company_name, ""))


def test_a_city_official_on_english_extending_a_campaign_tells_the_enterprises_in_chinese(people, campaign):
    filled(campaign, people.enterprise)
    with translation.override("en"):
        services.campaign_extend(campaign=campaign, actor=people.city, deadline=date(2026, 3, 20))
    [notification] = Notification.objects.filter(recipient=people.enterprise)
    assert _chinese(notification.title.replace(campaign.title, "")) and _chinese(notification.body)


def _inside_portal_language(node, parents):
    for parent in parents:
        if isinstance(parent, ast.With) and any(
                isinstance(item.context_expr, ast.Call) and getattr(item.context_expr.func, "id", "")
                == "portal_language" for item in parent.items):
            return True
        if isinstance(parent, ast.FunctionDef) and any(
                getattr(decorator, "id", "") == "in_portal_language" for decorator in parent.decorator_list):
            return True
    return False


def test_every_notification_a_service_sends_is_built_in_the_portals_language():
    """The class, not the examples: a notification sent from a request is built inside portal_language() (or a
    function decorated with in_portal_language); reminders run in Celery, where no user's language is active."""
    root = Path(settings.BASE_DIR)
    unguarded = []
    for path in root.glob("*/services*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        stack = []

        def visit(node, stack=stack, path=path):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "notification_send" \
                    and not _inside_portal_language(node, stack):
                unguarded.append(f"{path.relative_to(root)}:{node.lineno}")
            stack.append(node)
            for child in ast.iter_child_nodes(node):
                visit(child)
            stack.pop()

        visit(tree)
    assert unguarded == []


def test_the_mail_of_a_notification_sent_during_an_english_request_has_a_chinese_subject(
        people, campaign, mailoutbox, settings, django_capture_on_commit_callbacks):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from greenfactory.celery import app

    app.conf.task_always_eager = True
    try:
        application = filled(campaign, people.enterprise)
        with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
            services.intake_submit(application=application, actor=people.enterprise)
    finally:
        app.conf.task_always_eager = False
    subjects = [mail.subject for mail in mailoutbox]
    assert subjects
    assert all(subject.startswith("[绿色工厂培育与认定平台] 入库申请待审核") for subject in subjects), subjects
