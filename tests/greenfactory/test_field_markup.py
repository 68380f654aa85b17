"""crispy's field wrapper written in Python (greenfactory/field_markup.py) gives the markup crispy's bootstrap5
``field.html`` gives: every portal form, unbound and with errors, through ``{% crispy %}`` and ``|crispy``."""

import re

import pytest
from crispy_forms.utils import render_crispy_form
from django import forms
from django.template import engines
from django.utils.datastructures import MultiValueDict

from greenfactory import field_markup
from tests.helpers import FORM_CLASSES, build_form

CRISPY_FILTER = engines["django"].from_string("{% load crispy_forms_tags %}{{ form|crispy }}")
AS_FIELD = engines["django"].from_string(
    "{% load crispy_forms_tags %}{% for field in form %}{{ field|as_crispy_field }}{% endfor %}")


def _tags(html):
    """The markup without the white space between and inside tags (what a browser shows the same)."""
    return re.sub(r"\s*(<|>)\s*", r"\1", re.sub(r"\s+", " ", html))


def _wrong(form):
    """Input every field refuses or that shows markup: text with markup, a list where one value is expected."""
    data = MultiValueDict()
    for name, field in form.fields.items():
        wrong = ["<b>", "&x\""] if isinstance(field.widget, forms.CheckboxSelectMultiple) else ["<b>x&\"y"]
        data.setlist(form.add_prefix(name), wrong)
    return data


def _form(cls, people, application, data):
    form = build_form(cls, people, application)
    if data is not None:
        form.is_bound, form.data, form._errors = True, data if data != "wrong" else _wrong(form), None
        if "username" in form.fields and "password" in form.fields:
            form.clean = lambda: form.cleaned_data  # the log-in form would authenticate (the field errors suffice)
        form.is_valid()
    return form


def _render(render, cls, people, application, data, enabled, monkeypatch):
    monkeypatch.setattr(field_markup, "ENABLED", enabled)
    form = _form(cls, people, application, data)
    return render(form)


RENDERINGS = {
    "crispy": render_crispy_form,
    "filter": lambda form: CRISPY_FILTER.render({"form": form}),
    "as_crispy_field": lambda form: AS_FIELD.render({"form": form}),
}


@pytest.mark.django_db
@pytest.mark.usefixtures("pinned_clock")
@pytest.mark.parametrize("name", sorted(FORM_CLASSES))
@pytest.mark.parametrize("data", [None, {}, "wrong"])
@pytest.mark.parametrize("how", sorted(RENDERINGS))
def test_every_portal_form_renders_as_crispy_template(name, data, how, people, application, monkeypatch):
    args = (RENDERINGS[how], FORM_CLASSES[name], people, application, data)
    quick = _render(*args, True, monkeypatch)
    slow = _render(*args, False, monkeypatch)
    assert _tags(quick) == _tags(slow)
    assert 'class="mb-3' in quick or "form-check" in quick or "<input" in quick


def test_a_field_it_does_not_cover_goes_to_crispy():
    class Upload(forms.Form):
        scan = forms.FileField(label="扫描件", help_text="<b>PDF</b>")
        when = forms.SplitDateTimeField(label="时间")

    quick = render_crispy_form(Upload())
    assert 'class="form-control"' in quick and 'id="div_id_when"' in quick


@pytest.mark.parametrize("data", [None, {"choice": "x", "many": ["1", "z"], "flag": "on", "text": ""}])
def test_plain_forms_render_as_crispy_template(monkeypatch, data):
    class Plain(forms.Form):
        text = forms.CharField(label="文<字>", help_text="<i>提示</i>", max_length=3)
        choice = forms.ChoiceField(label="选择", choices=[("a", "甲 & 乙"), ("组", [("b", "B"), ("c", "C")])],
                                   widget=forms.RadioSelect, help_text="一个")
        many = forms.MultipleChoiceField(label="多选", choices=[(1, "一"), (2, "二")], required=False,
                                         widget=forms.CheckboxSelectMultiple)
        flag = forms.BooleanField(label="同意", help_text="必须", required=True)
        number = forms.DecimalField(label="数", required=False, widget=forms.NumberInput(attrs={"class": "x"}))
        select = forms.ChoiceField(label="", choices=[("", "—")], required=False)
        hidden = forms.CharField(widget=forms.HiddenInput, required=False)
        mail = forms.EmailField(label="邮箱", required=False, show_hidden_initial=True)

    results = []
    for enabled in (True, False):
        monkeypatch.setattr(field_markup, "ENABLED", enabled)
        results.append([render(Plain(data)) for render in RENDERINGS.values()])
    for quick, slow in zip(*results, strict=True):
        assert _tags(quick) == _tags(slow)


@pytest.mark.parametrize("data", [None, {"a": "", "b": "x"}])
def test_the_portal_layout_renders_as_crispy_layout(data):
    from crispy_forms import layout as crispy
    from crispy_forms.helper import FormHelper

    from greenfactory import layout as portal

    class Laid(forms.Form):
        a = forms.CharField(label="甲", help_text="帮助")
        b = forms.IntegerField(label="乙", required=False)
        c = forms.ChoiceField(label="丙", choices=[("1", "一")], widget=forms.RadioSelect, required=False)
        d = forms.FileField(label="丁", required=False)

    def render(kit):
        form = Laid(data)
        form.helper = FormHelper()
        form.helper.layout = kit.Layout(
            kit.Fieldset("{{ legend_word }}", kit.Row(kit.Column("a", css_class="col-6", css_id="c<1>"),
                                                       kit.Column("b", "a")), css_class="f", data_x="1"),
            kit.Row(kit.Column("c", css_class="wide"), css_id="r"), kit.HTML("<p>{{ form.a.label }}</p>"), "d",
            kit.Fieldset("", "missing"))
        return render_crispy_form(form, context={"legend_word": "<i>标题</i>"})

    quick, slow = render(portal), render(crispy)
    assert _tags(quick) == _tags(slow)
    assert "<legend>&lt;i&gt;标题&lt;/i&gt;</legend>" in quick and 'id="div_id_d"' in quick


# --- The whole form (greenfactory/form_markup.py) ---------------------------------------------------------------------


def _whole(form, monkeypatch, quick, helper=None, context=None):
    from greenfactory import form_markup

    monkeypatch.setattr(form_markup, "supported", form_markup.supported if quick else lambda context, form: False)
    return render_crispy_form(form, helper=helper, context=context)


@pytest.mark.django_db
@pytest.mark.usefixtures("pinned_clock")
@pytest.mark.parametrize("name", sorted(FORM_CLASSES))
@pytest.mark.parametrize("data", [None, "wrong"])
def test_every_portal_form_is_the_whole_crispy_form_to_the_character(name, data, people, application, monkeypatch):
    form = _form(FORM_CLASSES[name], people, application, data)
    if data is not None:
        form.add_error(None, "整个表单<错误> & 说明")
    context = {"csrf_token": "token<&>"}
    quick = _whole(form, monkeypatch, True, context=context)
    assert quick == _whole(form, monkeypatch, False, context=context)
    assert quick.startswith("\n\n") and quick.endswith("\n")


@pytest.mark.parametrize("options", [
    {},
    {"form_tag": False, "disable_csrf": True},
    {"form_method": "GET", "form_class": "form-horizontal x", "label_class": "col-2", "field_class": "col-10"},
    {"attrs": {"data-confirm": "确认<提交>？"}, "form_error_title": "错误 & 提示", "form_show_errors": False},
    {"include_media": False, "form_id": "f<1>", "form_action": "/a?b=1&c=2"},
])
@pytest.mark.parametrize("token", [None, "NOTPROVIDED", "abc"])
def test_a_form_with_buttons_and_errors_is_the_whole_crispy_form_to_the_character(options, token, monkeypatch):
    from crispy_forms.helper import FormHelper
    from crispy_forms.layout import Button, Hidden, Reset, Submit

    from greenfactory.layout import Layout

    class Plain(forms.Form):
        text = forms.CharField(label="文<字>", help_text="<i>提示</i>", max_length=3)
        upload = forms.FileField(label="文件", required=False)

        def clean(self):
            raise forms.ValidationError(["第一<条>", "第二 & 条"])

    helper = FormHelper()
    for option, value in options.items():
        setattr(helper, option, value)
    helper.layout = Layout("text", "upload")
    helper.add_input(Submit("submit", "保存 <草稿>", css_class="extra"))
    helper.add_input(Button("two words", "按钮", css_id="b&1", data_x="<y>"))
    helper.add_input(Hidden("hidden name", "值\"1\""))
    helper.add_input(Reset("reset", "重置"))
    context = {} if token is None else {"csrf_token": token}
    for data in (None, {"text": "<abcd>"}):
        form = Plain(data)
        form.is_valid()
        quick = _whole(form, monkeypatch, True, helper=helper, context=context)
        assert quick == _whole(form, monkeypatch, False, helper=helper, context=context)
    assert "&lt;草稿&gt;" in quick
    assert ("第二 &amp; 条" in quick) == options.get("form_show_errors", True)


def test_a_form_without_a_layout_goes_to_crispys_whole_form():
    class Plain(forms.Form):
        text = forms.CharField(label="文字")

    assert 'id="div_id_text"' in render_crispy_form(Plain())


PORTAL_CRISPY = engines["django"].from_string("{% load portal_fields %}{% portal_crispy form %}")
CRISPY_TAG = engines["django"].from_string("{% load crispy_forms_tags %}{% crispy form %}")


@pytest.mark.django_db
@pytest.mark.usefixtures("pinned_clock")
@pytest.mark.parametrize("name", sorted(FORM_CLASSES))
@pytest.mark.parametrize("data", [None, "wrong"])
@pytest.mark.parametrize("enabled", [True, False])
def test_the_portal_crispy_tag_is_crispys_to_the_character(name, data, enabled, people, application, monkeypatch):
    monkeypatch.setattr(field_markup, "ENABLED", enabled)
    context = {"csrf_token": "token<&>", "legend_word": "<i>词</i>"}
    forms_ = [_form(FORM_CLASSES[name], people, application, data) for _ in range(2)]
    assert PORTAL_CRISPY.render({**context, "form": forms_[0]}) == CRISPY_TAG.render({**context, "form": forms_[1]})


@pytest.mark.parametrize("form_tag", [True, False])
def test_the_portal_crispy_tag_writes_buttons_and_a_missing_form_as_crispy(form_tag):
    from crispy_forms.helper import FormHelper
    from crispy_forms.layout import Submit

    from greenfactory.layout import HTML, Layout

    class Plain(forms.Form):
        text = forms.CharField(label="文<字>", help_text="<i>提示</i>")

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.helper = FormHelper()
            self.helper.form_tag = form_tag
            self.helper.attrs = {"data-confirm": "确认<提交>？"}
            self.helper.layout = Layout("text", HTML("<p>{{ legend_word }}</p>"))
            self.helper.add_input(Submit("submit", "保存"))

    context = {"csrf_token": "abc", "legend_word": "<i>词</i>"}
    assert PORTAL_CRISPY.render({**context, "form": Plain({"text": ""})}) == CRISPY_TAG.render(
        {**context, "form": Plain({"text": ""})})
    assert PORTAL_CRISPY.render({}) == CRISPY_TAG.render({}) == ""
