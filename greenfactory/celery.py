"""The Celery app. Without a configured broker it uses kombu's filesystem transport under var/celery."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenfactory.settings")

app = Celery("greenfactory")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

