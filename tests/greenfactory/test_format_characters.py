"""Invisible format characters (Unicode category Cf: the byte-order mark, the soft hyphen, zero-width characters) are
refused in every single-line field of every form and in every printed field, and emoji in the identity-change form's
new company name (issue 6 follow-up, greenfactory/forms.py)."""

from datetime import datetime

import pytest
import time_machine
from django import forms
from django.utils import translation

from accounts.forms import IdentityChangeForm, RegistrationForm
from applications.forms import IntakeForm
from greenfactory.forms import field_label
from tests.helpers import FORM_CLASSES, SHANGHAI, build_form

pytestmark = pytest.mark.django_db

FORMAT_CHARACTERS = {"\ufeff": "U+FEFF", "\u00ad": "U+00AD", "\u200b": "U+200B", "\u2060": "U+2060"}


def _bound(cls, people, application, data):
    args = {"IntakeForm": ((data,), {"instance": application}),
            "PortalPasswordChangeForm": ((people.enterprise, data), {}),
            "PortalSetPasswordForm": ((people.enterprise, data), {}),
            "PortalAuthenticationForm": ((None, data), {})}
    positional, keywords = args.get(cls.__name__, ((data,), {}))
    return cls(*positional, **keywords)


@pytest.mark.parametrize("char", sorted(FORMAT_CHARACTERS))
@pytest.mark.parametrize("name", sorted(FORM_CLASSES))
def test_a_format_character_in_any_single_line_field_of_any_form_is_refused(name, char, people, application):
    cls = FORM_CLASSES[name]
    with translation.override("zh-hans"):
        unbound = build_form(cls, people, application)
        data = {bound.html_name: f"ab{char}c" for bound in unbound}
        form = _bound(cls, people, application, data)
        form.is_valid()
        for bound in form:
            if isinstance(bound.field.widget, (forms.PasswordInput, forms.Textarea)):
                continue
            raw = bound.field.widget.value_from_datadict(form.data, form.files, bound.html_name)
            if char not in str(raw):
                continue  # a checkbox reads any value as ticked
            errors = form.errors.get(bound.name, [])
            assert any(FORMAT_CHARACTERS[char] in error and field_label(form, bound.name) in error
                       for error in errors), (bound.name, errors)


def test_a_format_character_in_printed_multiline_text_is_refused_but_kept_in_an_unprinted_reason(people,
                                                                                                  application):
    from accounts.forms import RefuseForm

    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        form = IntakeForm({"address": "重庆市长寿区", "main_products": "聚乙烯醇", "save": "1",
                           "profile_text": "第一段\u00ad第二段"}, instance=application)
        assert not form.is_valid()
        assert "U+00AD" in form.errors["profile_text"][0]
    reason = RefuseForm({"reason": "见附件\ufeff第二页"})
    assert reason.is_valid(), reason.errors


@pytest.mark.parametrize(("field", "value", "code"), [
    ("name", "\ufeff重庆长江绿源化工有限公司", "U+FEFF"),
    ("address", "重庆市长寿区\u00ad化北路1号", "U+00AD"),
])
def test_registration_refuses_a_bom_or_soft_hyphen_in_the_printed_identity(field, value, code):
    form = RegistrationForm({field: value})
    assert not form.is_valid()
    assert code in form.errors[field][0]


def test_the_intake_form_refuses_a_soft_hyphen_in_other_certifications(application):
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        form = IntakeForm({"address": "重庆市长寿区", "main_products": "聚乙烯醇", "save": "1",
                           "other_certifications": "ISO\u00ad 50001"}, instance=application)
        assert not form.is_valid()
        assert "U+00AD" in form.errors["other_certifications"][0]


@pytest.mark.parametrize(("value", "message"), [
    ("新公司😀有限公司", "“新公司名称”中的表情符号“😀”（U+1F600）无法打印在申请表上，请删除。"),
    ("新公司\U0010fffd有限公司", "“新公司名称”中的字符U+10FFFD无法打印在申请表上，请改用常用字或删除。"),
])
def test_the_identity_change_refuses_a_new_name_that_cannot_be_printed(value, message):
    with translation.override("zh-hans"):
        form = IdentityChangeForm({"new_name": value, "new_credit_code": "91500115MA5U7G2K1M", "reason": "更名"})
        assert not form.is_valid()
        assert form.errors["new_name"] == [message]


def test_the_identity_change_accepts_a_rare_hanzi_that_prints(people):
    form = IdentityChangeForm({"new_name": "重庆𠀀化工有限公司", "new_credit_code": "91500115MA5U7G2K1M",
                               "reason": "更名"})
    assert form.is_valid(), form.errors
