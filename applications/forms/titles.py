"""Forms of certified titles: the public directory's filters and the city's national recommendation (第十二条)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import District, Industry
from applications.forms import RENDERER, _ListedChoices, _ReferenceFilterField
from applications.models import TitleStatus, UnitKind
from applications.services.titles import NATIONAL_NOTE_MAX
from greenfactory.forms import PortalForm
from greenfactory.layout import Layout
from greenfactory.widgets import Select as QuickSelect


class DirectoryFilterForm(PortalForm):
    """The directory's search and filters; a bad value is ignored (the view reads only what is valid)."""

    default_renderer = RENDERER

    q = forms.CharField(label=_("单位名称或证书编号"), required=False, max_length=100)
    year = forms.IntegerField(label=_("认定年度"), required=False, min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("类别"), required=False, widget=QuickSelect,
                             choices=[("", _("全部类别")), *UnitKind.choices])
    district = _ReferenceFilterField(label=_("区县"), queryset=District.objects.all(), required=False,
                                     empty_label=_("全部区县"), widget=QuickSelect)
    industry = _ReferenceFilterField(label=_("所属行业"), queryset=Industry.objects.all(), required=False,
                                     empty_label=_("全部行业"), widget=QuickSelect)
    status = forms.ChoiceField(label=_("状态"), required=False, widget=QuickSelect,
                               choices=[("", _("全部状态")), *TitleStatus.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("district", "industry"):
            field = self.fields[name]
            field.choices = _ListedChoices(field.queryset, field.empty_label)

    def filters(self) -> dict:
        """The valid filters (an invalid one is dropped, never an error)."""
        self.is_valid()
        return {name: value for name, value in getattr(self, "cleaned_data", {}).items()
                if name not in self.errors and value not in (None, "")}


class NationalMarkForm(PortalForm):
    recommended = forms.BooleanField(label=_("择优推荐申报国家级"), required=False)
    note = forms.CharField(label=_("推荐说明"), required=False, max_length=NATIONAL_NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout("recommended", "note")
        self.helper.add_input(Submit("submit", _("保存推荐")))
