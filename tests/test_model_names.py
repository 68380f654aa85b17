"""The Django admin shows each model's and field's verbose name as its columns, labels and titles: an administrator
reading Chinese must never meet "recipient" or "email attempts" (a field without a translated verbose name)."""

import re

import pytest
from django.apps import apps
from django.utils import translation

CJK = re.compile(r"[\u4e00-\u9fff]")
PORTAL_APPS = ("accounts", "applications", "greenfactory", "evaluation", "supervision")


def portal_fields():
    for label in PORTAL_APPS:
        for model in apps.get_app_config(label).get_models():
            yield model, None
            for field in model._meta.get_fields():
                if getattr(field, "concrete", False) and not field.auto_created:
                    yield model, field


@pytest.mark.parametrize(("model", "field"), list(portal_fields()),
                         ids=lambda value: getattr(value, "name", None) or getattr(value, "__name__", "model"))
def test_every_model_and_field_of_the_portal_has_a_chinese_name(model, field):
    with translation.override("zh-hans"):
        name = str(field.verbose_name if field is not None else model._meta.verbose_name)
    assert CJK.search(name), f"{model._meta.label}.{getattr(field, 'name', '')}: {name!r}"
