"""The quick select renders exactly what Django's select template renders."""

import re

import pytest
from crispy_forms.layout import Column, Fieldset, Row
from crispy_forms.utils import render_crispy_form
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy as _

from applications.forms import LibraryFilterForm
from greenfactory.widgets import Select as QuickSelect
from tests.helpers import filled

CHOICES = [("", "全部"), ("a", "甲 & <乙>"), (3, "丙"), ("组", [("x", "X"), ("y", "Y\"")]), (None, "无")]


@pytest.mark.parametrize("value", [None, "", "a", 3, "3", "y", ["a"], "missing"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_f", "class": "form-select", "required": True, "disabled": False,
                                          "data-x": '"<>'}])
def test_the_quick_select_renders_the_template_markup(value, attrs):
    expected = forms.Select(choices=CHOICES).render("f", value, attrs=attrs)
    assert QuickSelect(choices=CHOICES).render("f", value, attrs=attrs) == expected


@pytest.mark.django_db
def test_the_library_filter_renders_as_django_would(people):
    form = LibraryFilterForm({"district": str(people.district.district_id), "status": "ready"})
    assert form.is_valid()
    for name in ("district", "industry", "sector", "status"):
        quick = str(form[name])
        form.fields[name].widget.__class__ = forms.Select
        assert quick == str(form[name])
        assert form.fields[name].choices  # the listed choices keep what the model choice field would list


def _tags(html):
    """The markup without the white space between and inside tags (what a browser shows the same)."""
    return re.sub(r"\s*(<|>)\s*", r"\1", re.sub(r"\s+", " ", html))


def _both(form_class, **kwargs):
    """The form crispy renders with the quick renderer and with Django's templates."""
    quick = render_crispy_form(form_class(**kwargs))
    slow = form_class(renderer=DjangoTemplates(), **kwargs)
    return quick, render_crispy_form(slow)


@pytest.mark.django_db
@pytest.mark.parametrize("data", [None, {"title": "<b>&</b>", "default_target": "0", "opens_on": "x", "key_sectors":
                                         ["chemicals"], "target_1": "", "target_2": "2000", "initial-title": "旧"}])
def test_the_campaign_correction_form_renders_as_with_django_templates(people, campaign, data):
    from accounts.models import District
    from applications.forms import CampaignCorrectionForm

    form = CampaignCorrectionForm(data=data, instance=campaign, districts=District.objects.all()[:6])
    quick = render_crispy_form(form)
    # What crispy gave before the targets were written in Python: Row(Column(name, css_class=…)) four a row.
    form.helper.layout[5] = Fieldset(_("各区县入库目标（家）"), *[
        Row(*[Column(n, css_class="col-6 col-md-3") for n in list(form.target_fields)[i:i + 4]]) for i in (0, 4)])
    form.renderer = DjangoTemplates()
    assert _tags(quick) == _tags(render_crispy_form(form))
    assert 'name="initial-target_1"' in quick


@pytest.mark.django_db
@pytest.mark.usefixtures("pinned_clock")
@pytest.mark.parametrize("data", [None, {"address": "重庆<市>\"1\"", "registered_capital": "-3", "profile_text":
                                         "一\n二 <&>", "quality_management_certified": "True", "submit": "1"}])
def test_the_intake_form_renders_as_with_django_templates(people, campaign, data):
    from applications.forms import IntakeForm, ReasonForm

    application = filled(campaign, people.enterprise)
    quick, slow = _both(IntakeForm, data=data, instance=application)
    assert quick == slow
    quick, slow = _both(ReasonForm, data=data and {"reason": "<x>"}, label="原因", max_length=10)
    assert quick == slow


@pytest.mark.django_db
def test_the_campaign_and_library_forms_render_as_with_django_templates(people):
    from applications.forms import CampaignCloseForm, CampaignExtendForm, CampaignForm, LibraryFilterForm

    for form_class, data in ((CampaignForm, {"year": "x"}), (CampaignExtendForm, {"deadline": "2026-13-01"}),
                             (CampaignCloseForm, {"reason": "<b>"}), (LibraryFilterForm, {"year": "1"})):
        for bound in (None, data):
            quick, slow = _both(form_class, data=bound)
            assert quick == slow, form_class


@pytest.mark.django_db
@pytest.mark.parametrize("data", [None, {"year": "1", "district": "abc", "sector": "x", "status": "ready"},
                                  {"year": "2026", "industry": "1"}])
def test_the_library_filter_fields_are_crispy_markup(people, data):
    from django.template import engines

    from applications.forms import LibraryFilterForm
    from greenfactory.widgets import filter_fields

    crispy = engines["django"].from_string(
        '{% load crispy_forms_tags %}{% for field in form %}<div class="col-md-2">{{ field|as_crispy_field }}</div>'
        "{% endfor %}")
    for district_choice in (True, False):
        form = LibraryFilterForm(data, district_choice=district_choice)
        form.is_valid()
        assert _tags(str(filter_fields(form))) == _tags(crispy.render({"form": form}))


@pytest.mark.django_db
@pytest.mark.usefixtures("pinned_clock")
def test_intake_forms_copied_from_the_kept_fields_are_each_their_own(people, campaign):
    import copy

    from django.utils import translation

    from applications.forms import _PREPARED_INTAKE_FIELDS, IntakeForm

    application = filled(campaign, people.enterprise)
    _PREPARED_INTAKE_FIELDS.clear()
    first = IntakeForm(instance=application)
    second = IntakeForm({"address": "一\x07二", "postal_code": "４０１２２０"},
                        instance=type(application).objects.get(pk=application.pk))  # it changes its instance
    assert _PREPARED_INTAKE_FIELDS and first.fields["address"] is not second.fields["address"]
    # The guard, the half-width digits and the messages are the second form's own.
    assert not second.is_valid() and "控制字符" in second.errors["address"][0]
    assert second.cleaned_data["postal_code"] == "401220"
    assert first["output_value"].label == f"{campaign.output_year}年产值（万元）"
    assert str(first) == str(IntakeForm(instance=application))
    later = copy.copy(application)
    later.campaign = copy.copy(campaign)
    later.campaign.year += 1
    assert IntakeForm(instance=later)["output_value"].label == f"{campaign.output_year + 1}年产值（万元）"
    with translation.override("en"):
        english = IntakeForm(instance=application)
        assert str(english["output_value"].label) != first["output_value"].label
        assert str(english) == str(IntakeForm(instance=application))
    assert str(first) == str(IntakeForm(instance=application))


@pytest.mark.django_db
@pytest.mark.usefixtures("pinned_clock")
def test_correction_forms_copied_from_the_kept_fields_are_each_their_own(people, campaign):
    from accounts.models import District
    from applications.forms import _PREPARED_CORRECTION_FIELDS, CampaignCorrectionForm
    from applications.models import CampaignTarget

    districts = list(District.objects.order_by("position")[:3])
    CampaignTarget.objects.create(campaign=campaign, district=districts[1], target=7)
    _PREPARED_CORRECTION_FIELDS.clear()
    first = CampaignCorrectionForm(instance=campaign, districts=districts)
    second = CampaignCorrectionForm({"title": "x\x07", f"target_{districts[0].pk}": "0"},
                                    instance=type(campaign).objects.get(pk=campaign.pk), districts=districts)
    assert _PREPARED_CORRECTION_FIELDS and first.fields["title"] is not second.fields["title"]
    assert not second.is_valid()
    assert "控制字符" in second.errors["title"][0]
    assert second.errors[f"target_{districts[0].pk}"] == [f"{districts[0].name}的入库目标至少为1家。"]
    assert second.fields[f"target_{districts[1].pk}"].initial == 7
    assert render_crispy_form(first) == render_crispy_form(CampaignCorrectionForm(instance=campaign,
                                                                                   districts=districts))
    assert first.fields["opens_on"].disabled  # the campaign has opened (pinned clock): its dates are locked
    campaign.opens_on = campaign.opens_on.replace(year=campaign.opens_on.year + 1)
    assert not CampaignCorrectionForm(instance=campaign, districts=districts).fields["opens_on"].disabled
