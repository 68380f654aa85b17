"""The health endpoint, and a real broker round trip (filesystem broker with nothing configured, Redis on CI)."""

import pytest
from django.urls import reverse

from greenfactory.celery import app

pytestmark = pytest.mark.django_db


def test_health_reports_database_broker_and_storage(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name for name, result in body["checks"].items() if result["ok"]} == {"database", "broker", "storage"}


def test_health_answers_503_and_names_the_broker_when_it_is_down(client, monkeypatch):
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get(reverse("health"))
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_the_broker_is_redis_when_configured_and_the_filesystem_otherwise(settings):
    import os

    if os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL"):
        assert app.conf.broker_url.startswith("redis://")
    else:
        assert app.conf.broker_url == "filesystem://"
        folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]
        assert os.path.isdir(folder)


@pytest.fixture
def private_broker(tmp_path, monkeypatch):
    """The filesystem broker in a folder of this test's own: the shared one (var/celery) may hold messages of a
    development worker or of another run, which this test's worker would take, or which would take this test's
    message. Redis, when configured, is the run's own database already."""
    if app.conf.broker_url != "filesystem://":
        yield app.conf.broker_url
        return
    folders = {name: tmp_path / "celery" / name for name in ("queue", "processed", "control")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    options = {**app.conf.broker_transport_options,
               "data_folder_in": str(folders["queue"]), "data_folder_out": str(folders["queue"]),
               # kombu reads "processed_folder" (settings.py says data_folder_processed, which kombu ignores).
               "processed_folder": str(folders["processed"]), "control_folder": str(folders["control"]),
               "store_processed": True}
    monkeypatch.setitem(app.conf, "broker_transport_options", options)
    # Connections already pooled were opened on the shared folder: this test gets pools of its own.
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    yield folders["queue"]
    if app._pool is not None:
        app._pool.force_close_all()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_takes_a_mail_from_the_broker_and_sends_it(people, mailoutbox, private_broker):
    from celery.contrib.testing.worker import start_worker

    from accounts.models import EmailStatus, Notification
    from accounts.tasks import send_notification_email

    app.conf.task_always_eager = False
    notification = Notification.objects.create(recipient=people.city, title="经由消息队列",
                                               email_status=EmailStatus.PENDING)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = send_notification_email.apply_async(args=[notification.pk], ignore_result=True)
        assert result.id
        import time

        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            notification.refresh_from_db()
            if notification.email_status == EmailStatus.SENT:
                break
            time.sleep(0.2)
    assert notification.email_status == EmailStatus.SENT
    assert [m.subject for m in mailoutbox][-1].endswith("经由消息队列")
    if app.conf.broker_url == "filesystem://":
        # The message went through this test's own folder (kept there once processed).
        assert any((private_broker.parent / "processed").iterdir())
