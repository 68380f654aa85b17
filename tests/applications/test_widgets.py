"""The quick select renders exactly what Django's select template renders."""

import pytest
from django import forms

from applications.forms import LibraryFilterForm
from applications.widgets import Select as QuickSelect

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
