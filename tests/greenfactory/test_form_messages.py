"""Every form of the portal speaks plain Chinese that names the field and its limit, cuts nothing silently, refuses
control characters and characters the printed form cannot show, and bounds its dates (greenfactory/forms.py)."""

import inspect
import re
from datetime import date, datetime

import pytest
import time_machine
from django import forms
from django.core import validators as django_validators
from django.utils import translation

from applications import services
from applications.forms import IntakeForm
from greenfactory.forms import PortalFormMixin, field_label
from tests.helpers import FORM_CLASSES, SHANGHAI, build_form

CODES = ("required", "invalid", "invalid_choice", "invalid_list", "max_length", "min_length", "max_digits",
         "max_decimal_places", "max_whole_digits", "max_value", "min_value", "null_characters_not_allowed", "missing",
         "empty")


class Params(dict):
    """What a message may be formatted with (Django's validators pass these; a form's own messages others)."""

    def __missing__(self, key):
        return 1


PARAMS = Params({"limit_value": 9, "show_value": 12, "value": "x", "max": 9})


def stock_messages() -> set[str]:
    """Django's own messages for fields and validators, in Chinese and in English."""
    texts = set()
    classes = [c for c in vars(forms).values() if inspect.isclass(c) and issubclass(c, forms.Field)]
    validators = [c for c in vars(django_validators).values()
                  if inspect.isclass(c) and hasattr(c, "message")]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for cls in classes:
                for klass in cls.__mro__:
                    for message in getattr(klass, "default_error_messages", {}).values():
                        texts.add(str(message))
            for cls in validators:
                texts.add(str(cls.message))
            for cls in (django_validators.DecimalValidator,):
                for message in cls.messages.values():
                    texts.add(str(message))
    return {text for text in texts if text}


STOCK = stock_messages()


def test_the_portal_has_forms_to_check():
    assert "applications.forms.IntakeForm" in FORM_CLASSES
    assert "accounts.forms.RegistrationForm" in FORM_CLASSES
    assert len(FORM_CLASSES) >= 12


@pytest.mark.parametrize("name", sorted(FORM_CLASSES))
def test_every_form_is_a_portal_form(name):
    assert issubclass(FORM_CLASSES[name], PortalFormMixin), (
        f"{name}: derive it from greenfactory.forms.PortalForm / PortalModelForm (or mix in PortalFormMixin)")


@pytest.mark.parametrize("name", sorted(FORM_CLASSES))
@pytest.mark.parametrize("language", ["zh-hans"])
def test_no_stock_message_english_full_stop_or_ni_in_any_form(name, language, people, application):
    with translation.override(language):
        form = build_form(FORM_CLASSES[name], people, application)
        problems = []
        # The form's own messages (a login, a password change) and each field's.
        own = [("form", code, message) for code, message in getattr(form, "error_messages", {}).items()]
        for field_name, field in form.fields.items():
            own += [(field_name, code, field.error_messages[code]) for code in CODES if code in field.error_messages]
        for field_name, code, raw in own:
            raw = str(raw)
            message = raw % PARAMS if "%(" in raw else raw
            where = f"{field_name}.{code}: {message!r}"
            if raw in STOCK or message in STOCK:
                problems.append(f"stock message {where}")
            if "你" in message:
                problems.append(f"你 {where}")
            # A sentence ending in "." (“确认总共不超过 13 个数字.”), not a dot in a number or a list of symbols.
            if re.search(r"[\u4e00-\u9fffA-Za-z0-9）)]\.(\s|$)", message):
                problems.append(f"English full stop {where}")
            if not message.endswith("。"):
                problems.append(f"no Chinese full stop {where}")
            if not re.search(r"[\u4e00-\u9fff]", message):
                problems.append(f"not Chinese {where}")
        assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", sorted(FORM_CLASSES))
def test_messages_name_the_field_and_limits(name, people, application):
    with translation.override("zh-hans"):
        form = build_form(FORM_CLASSES[name], people, application)
        for field_name, field in form.fields.items():
            if isinstance(field.widget, forms.HiddenInput):
                continue
            label = str(form.short_labels.get(field_name) or field.label)
            for code in ("required", "max_length", "max_digits", "max_decimal_places", "invalid"):
                if code in field.error_messages and field.error_messages[code] == field._portal_messages.get(code):
                    text = str(field.error_messages[code])
                    assert label.replace("%", "％") in text, (field_name, code, text)
            max_length = getattr(field, "max_length", None)
            if max_length and "max_length" in field.error_messages and not isinstance(field, forms.FileField):
                assert f"最多{max_length}个字" in str(field.error_messages["max_length"])


def test_no_text_input_carries_a_maxlength_that_would_cut_pasted_text(people, application):
    with translation.override("zh-hans"):
        for name, cls in FORM_CLASSES.items():
            html = str(build_form(cls, people, application).as_div())
            assert "maxlength=" not in html, name
        html = str(IntakeForm(instance=application)["profile_text"])
        assert 'data-maxchars="500"' in html
        assert "已输入 {used} / {limit} 个字" in html


def bound_intake(application, **data):
    base = {"address": "重庆市长寿区", "main_products": "聚乙烯醇", "save": "1"}
    return IntakeForm({**base, **data}, instance=application)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"output_value": "1234567890123"}, "output_value",
         "“2025年产值（万元）”不能超过99999999999.99万元，请核对数值和单位。"),
        ({"registered_capital": "1.234"}, "registered_capital", "“注册资本（万元）”最多保留2位小数。"),
        ({"registered_capital": "一千"}, "registered_capital", "“注册资本（万元）”请填写数字。"),
        ({"profile_text": "简" * 612}, "profile_text", "“单位简介”最多500个字，现有612个字，请删减后再保存。"),
        ({"main_products": "品" * 501}, "main_products", "“主要产品”最多500个字，现有501个字，请删减后再保存。"),
        ({"founded_on": "0001-01-01"}, "founded_on", "“成立日期”应在1900-01-01至今天（2026-03-02）之间。"),
        ({"founded_on": "2026-03-03"}, "founded_on", "“成立日期”应在1900-01-01至今天（2026-03-02）之间。"),
        ({"founded_on": "2026-02-30"}, "founded_on", "“成立日期”不是有效的日期，请按“2024-01-31”的格式填写。"),
        ({"commitment_date": "2020-01-01"}, "commitment_date", "“承诺日期”应在2025-01-01至今天（2026-03-02）之间。"),
        ({"ownership_type": "nonsense"}, "ownership_type", "“单位性质”的选项无效，请重新选择。"),
        ({"address": "重庆市\x00长寿区"}, "address", "“通讯地址”含有不可见的控制字符U+0000，请删除后重新填写。"),
        ({"address": "重庆市\r\n长寿区"}, "address", "“通讯地址”不能换行，请写在一行内。"),
        ({"preparer_name": "张\x1b明"}, "preparer_name", "“填报人”含有不可见的控制字符U+001B，请删除后重新填写。"),
        ({"profile_text": "第一段\r\n第二段\x07"}, "profile_text",
         "“单位简介”含有不可见的控制字符U+0007，请删除后重新填写。"),
        ({"main_products": "聚乙烯醇\u202eabc"}, "main_products",
         "“主要产品”含有不可见的控制字符U+202E，请删除后重新填写。"),
        ({"main_products": "聚乙烯醇😀"}, "main_products",
         "“主要产品”中的表情符号“😀”（U+1F600）无法打印在申请表上，请删除。"),
        ({"address": "重庆市\U0010fffd"}, "address",
         "“通讯地址”中的字符U+10FFFD无法打印在申请表上，请改用常用字或删除。"),
    ],
)
def test_bad_intake_input_gets_a_message_naming_the_field_and_its_limit(application, data, field, message):
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI), tick=False), \
            translation.override("zh-hans"):
        form = bound_intake(application, **data)
        assert not form.is_valid()
        assert form.errors[field] == [message]


def test_tabs_and_line_breaks_stay_in_multiline_text_and_rare_hanzi_are_accepted(application):
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        text = "第一段\r\n\t第二段"
        form = bound_intake(application, profile_text=text, address="重庆市长寿区𠀀街1号", main_products="堃牌®涂料")
        assert form.is_valid(), form.errors
        assert form.cleaned_data["profile_text"] == "第一段\n\t第二段"
        assert form.cleaned_data["address"] == "重庆市长寿区𠀀街1号"


def test_a_line_break_counts_as_one_character_as_the_counter_counts(application):
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        form = bound_intake(application, profile_text="字" * 498 + "\r\n" + "字")
        assert form.is_valid(), form.errors


def test_identity_is_not_an_input_of_the_intake_form(application):
    form = IntakeForm(instance=application)
    assert "company_name" not in form.fields
    assert "credit_code" not in form.fields


def test_fields_required_at_submission_are_marked_but_a_draft_may_leave_them_empty(application):
    form = IntakeForm(instance=application)
    for name in services.REQUIRED_FOR_SUBMISSION:
        if name in form.fields:
            assert "portal-required" in form[name].css_classes(), name
            assert form.fields[name].required is False
    assert "portal-required" not in form["other_certifications"].css_classes()
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        assert IntakeForm({"save": "1"}, instance=application).is_valid()


def test_the_error_summary_follows_the_form_order(application):
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        form = bound_intake(application, commitment_date="1999-01-01", founded_on="0001-01-01",
                            main_products="😀", major_accident="maybe")
        assert not form.is_valid()
        assert [row["name"] for row in form.error_summary] == [
            "founded_on", "main_products", "major_accident", "commitment_date"]
        rows = {row["name"]: row["id"] for row in form.error_summary}
        assert rows["founded_on"] == "id_founded_on"
        assert rows["major_accident"] == "div_id_major_accident"  # a group of radio buttons: its wrapper


def test_a_null_byte_in_a_choice_or_number_field_is_refused_as_a_control_character(people):
    from applications.forms import LibraryFilterForm

    form = LibraryFilterForm({"year": "20\x0026", "industry": "\x00"})
    assert not form.is_valid()
    assert "U+0000" in form.errors["year"][0]
    assert "U+0000" in form.errors["industry"][0]


@pytest.mark.parametrize("name", sorted(FORM_CLASSES))
def test_a_null_byte_in_any_field_of_any_form_is_refused_with_the_field_named(name, people, application):
    cls = FORM_CLASSES[name]
    with translation.override("zh-hans"):
        unbound = build_form(cls, people, application)
        data = {bound.html_name: "ab\x00c" for bound in unbound}
        args = {"IntakeForm": ((data,), {"instance": application}),
                "PortalPasswordChangeForm": ((people.enterprise, data), {}),
                "PortalSetPasswordForm": ((people.enterprise, data), {}),
                "PortalAuthenticationForm": ((None, data), {})}
        positional, keywords = args.get(cls.__name__, ((data,), {}))
        form = cls(*positional, **keywords)
        form.is_valid()
        for bound in form:
            if isinstance(bound.field.widget, forms.PasswordInput):
                continue
            raw = bound.field.widget.value_from_datadict(form.data, form.files, bound.html_name)
            if "\x00" not in str(raw):
                continue  # a checkbox reads any value as ticked
            errors = form.errors.get(bound.name, [])
            assert any("U+0000" in error and field_label(form, bound.name) in error for error in errors), (
                bound.name, errors)


@pytest.mark.parametrize(("password", "code"), [("zhangsan-2026", "similar"), ("password123", "common"),
                                                ("1234567890123", "numeric"), ("short", "length")])
def test_password_rules_speak_plain_chinese_with_nin(password, code, people):
    from django.contrib.auth import password_validation

    user = people.enterprise
    user.username, user.email = "zhangsan", "zhangsan@example.com"
    with translation.override("zh-hans"):
        texts = list(password_validation.password_validators_help_texts())
        try:
            password_validation.validate_password(password, user)
        except django_validators.ValidationError as error:
            texts += error.messages
        else:
            pytest.fail(f"{password} was accepted")
        for text in texts:
            assert "你" not in text and text.endswith("。") and not re.search(r"[A-Za-z]\.$", text), text


def test_the_models_refuse_a_founding_date_of_year_one_however_it_arrives(application):
    from django.core.exceptions import ValidationError

    application.founded_on = date(1, 1, 1)
    with pytest.raises(ValidationError) as error:
        application.full_clean(exclude=["status"])
    assert error.value.message_dict["founded_on"] == ["日期不能早于1900-01-01。"]
