"""Reminders: scheduled, idempotent, mailed after commit, retried, and visibly failed when mail keeps failing."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts import services
from accounts.choices import OrganisationStatus
from accounts.clocks import registration_review_open
from accounts.models import EmailStatus, Notification
from accounts.reminders import remind_pending_registrations
from accounts.tasks import run_reminders, send_notification_email
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _pending_registered_at(moment):
    # The factory makes the row; the registration service would also start its district's review clock.
    with time_machine.travel(moment, tick=False):
        enterprise = EnterpriseFactory(status=OrganisationStatus.PENDING, name="等待中的企业")
        registration_review_open(enterprise=enterprise)
        return enterprise


def test_a_registration_waiting_three_working_days_reminds_its_district_once(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    # Registered Friday 2025-09-26; 3 working days later counts the make-up Sunday 2025-09-28.
    _pending_registered_at(datetime(2025, 9, 26, 10, 0, tzinfo=SHANGHAI))
    with time_machine.travel(datetime(2025, 9, 29, 9, 0, tzinfo=SHANGHAI), tick=False):
        assert remind_pending_registrations() == 0  # 9-28 (Sun, make-up), 9-29: only 2 working days
    with time_machine.travel(datetime(2025, 9, 30, 9, 0, tzinfo=SHANGHAI), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        assert remind_pending_registrations() == 1
        assert remind_pending_registrations() == 0  # running again sends nothing new
        run_reminders()
    reminders = Notification.objects.filter(recipient=people.district, title__startswith="催办")
    assert reminders.count() == 1
    assert not Notification.objects.filter(recipient=people.district_2).exists()
    assert [m.to for m in mailoutbox] == [[people.district.email]]


def test_national_day_holidays_do_not_count_as_waiting(people):
    _pending_registered_at(datetime(2025, 9, 30, 10, 0, tzinfo=SHANGHAI))
    with time_machine.travel(datetime(2025, 10, 8, 18, 0, tzinfo=SHANGHAI), tick=False):
        assert remind_pending_registrations() == 0  # 10-01…08 are days off
    with time_machine.travel(datetime(2025, 10, 11, 9, 0, tzinfo=SHANGHAI), tick=False):
        assert remind_pending_registrations() == 1  # 10-09, 10-10, 10-11 (make-up Saturday)


def test_the_next_threshold_sends_a_second_reminder(people, settings):
    settings.REGISTRATION_REMINDER_WORKING_DAYS = [3, 5]
    _pending_registered_at(datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI))  # a Monday
    with time_machine.travel(datetime(2026, 3, 5, 9, 0, tzinfo=SHANGHAI), tick=False):
        assert remind_pending_registrations() == 1
    with time_machine.travel(datetime(2026, 3, 9, 9, 0, tzinfo=SHANGHAI), tick=False):
        assert remind_pending_registrations() == 1
        assert remind_pending_registrations() == 0
    assert Notification.objects.filter(recipient=people.district).count() == 2


def test_mail_is_sent_only_after_the_transaction_commits(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notification_send(recipients=[people.city], title="测试消息")
    assert len(mail.outbox) == 0
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


def test_a_failing_mail_server_is_retried_then_marked_failed(people, settings, monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(1)
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr("accounts.tasks.send_mail", refuse)
    notification = Notification.objects.create(recipient=people.city, title="不会送达",
                                               email_status=EmailStatus.PENDING)
    # Eagerly, a retry runs at once inside apply(): one call makes every attempt the worker would make.
    from greenfactory.celery import app

    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    try:
        send_notification_email.apply(args=[notification.pk])
    finally:
        app.conf.task_eager_propagates = previous
    notification = Notification.objects.get(title="不会送达")
    assert notification.email_status == EmailStatus.FAILED
    assert len(attempts) == 4
    assert "SMTP down" in notification.email_error


def test_a_sent_mail_is_not_sent_again_when_the_task_runs_twice(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_send(recipients=[people.city], title="只发一次")
    notification = Notification.objects.get(title="只发一次")
    assert notification.email_status == EmailStatus.SENT
    assert send_notification_email.apply(args=[notification.pk]).get() == "skipped"
    assert len(mail.outbox) == 1


def test_the_inbox_shows_only_ones_own_messages_and_marks_them_read(client, people):
    services.notification_send(recipients=[people.city], title="给市里的消息", url=reverse("home"))
    services.notification_send(recipients=[people.district], title="给区里的消息")
    client.force_login(people.city)
    html = client.get(reverse("accounts:inbox")).content.decode()
    assert "给市里的消息" in html
    assert "给区里的消息" not in html
    own = Notification.objects.get(title="给市里的消息")
    other = Notification.objects.get(title="给区里的消息")
    assert client.get(reverse("accounts:notification_open", args=[other.pk])).status_code == 404
    response = client.get(reverse("accounts:notification_open", args=[own.pk]))
    assert response["Location"] == reverse("home")
    own.refresh_from_db()
    assert own.read_at is not None


def test_the_run_reminders_command_sends_what_is_due_once(people, settings):
    from django.core.management import call_command

    settings.DEMO_LOGIN_ENABLED = True
    call_command("seed_demo")
    call_command("run_reminders")
    call_command("run_reminders")
    from accounts.models import User

    official = User.objects.get(username="demo-district")
    chases = Notification.objects.filter(recipient=official, title__startswith="催办")
    assert chases.count() == 1
