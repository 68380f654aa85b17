"""Forms of evaluation: the yearly figures and their evidence."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from evaluation.models import SECTION_FIELDS, EnergyCarrier, FiguresSection, YearlyFigures
from greenfactory.forms import PortalForm, PortalModelForm
from greenfactory.layout import HTML, Column, Fieldset, Layout, Row

# How far back figures may be entered: the years an assessment, a certification (three years) or an annual report
# reads.
YEARS_BACK = 10


def figure_years(today=None) -> list[int]:
    """The years a unit may enter figures for, newest first: the current year (figures so far) and ten before it."""
    year = (today or timezone.localdate()).year
    return list(range(year, year - YEARS_BACK - 1, -1))


def energy_field_name(carrier) -> str:
    return f"energy_{carrier.code}"


class FiguresForm(PortalModelForm):
    """年度绿色绩效数据: the raw figures by section, one line per energy carrier (实物量), and the note that explains a
    change far from last year's. Per-unit indicators are not inputs: they are computed and shown on the record."""

    prepares_fields_itself = True
    short_labels = {"checked_note": _("数据变化说明")}

    class Meta:
        model = YearlyFigures
        fields = [name for names in SECTION_FIELDS.values() for name in names] + ["checked_note"]
        widgets = {"checked_note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, carriers=None, energy=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.carriers = list(carriers if carriers is not None else EnergyCarrier.objects.all())
        energy = energy or {}
        for carrier in self.carriers:
            self.fields[energy_field_name(carrier)] = forms.DecimalField(
                label=f"{carrier.name}（{carrier.unit}）", required=False, min_value=0, max_digits=18,
                decimal_places=4, initial=energy.get(carrier.pk),
                help_text=_("折标准煤系数 %(k)s tce/%(unit)s") % {"k": carrier.tce_per_unit.normalize(),
                                                                  "unit": carrier.unit})
        for name, field in self.fields.items():
            if isinstance(field, forms.DecimalField) and not name.startswith("energy_"):
                unit = YearlyFigures._meta.get_field(name).help_text
                field.label = f"{field.label}（{unit}）"
                field.help_text = ""
        self.fields["checked_note"].help_text = _("某项单位产品（产值）指标与上一年度相比变化超过三倍时须填写。")
        self.portal_prepare_fields()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # inside the page's form, which has its token
        sections = []
        for section, names in SECTION_FIELDS.items():
            items = list(names)
            if section == FiguresSection.ENERGY:
                items = [energy_field_name(c) for c in self.carriers] + items
            sections.append(Fieldset(FiguresSection(section).label, *_rows(items)))
        self.helper.layout = Layout(
            HTML(format_html('<p class="small text-body-secondary">{}</p>', _(
                "请填写本年度的实物量和原始数据，没有的项目留空。单位产品能耗、用水重复利用率等指标由平台按公式计算，"
                "不需填写。"))),
            *sections, Fieldset(_("说明"), "checked_note"))

    def data_values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self._meta.fields if name != "checked_note"}

    def energy_values(self) -> dict:
        return {c.pk: self.cleaned_data.get(energy_field_name(c)) for c in self.carriers}


def _rows(names, per_row=3):
    return [Row(*[Column(name) for name in names[i:i + per_row]]) for i in range(0, len(names), per_row)]


class FiguresEvidenceForm(PortalForm):
    section = forms.ChoiceField(label=_("数据类别"), choices=FiguresSection.choices)
    file = forms.FileField(label=_("证明材料（PDF、JPG 或 PNG，不超过 20 MB）"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Row(Column("section"), Column("file")))
