"""Forms of evaluation: the yearly figures and their evidence; the cultivation assessment and its plan."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, OrganisationKind, Role, User
from evaluation.models import (
    SECTION_FIELDS,
    EnergyCarrier,
    FiguresSection,
    ImprovementMeasure,
    Indicator,
    MeasureCategory,
    MeasureStatus,
    TrainingEvent,
    YearlyFigures,
)
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


# --- Cultivation: assigning experts, scoring, the plan -------------------------------------------------------------


class AssignExpertForm(PortalForm):
    """The city or the district assigns an expert to assess a library entry, with a due date."""

    expert = forms.ModelChoiceField(label=_("评估专家"), queryset=None, empty_label=_("请选择专家"))
    due_on = forms.DateField(label=_("完成期限"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("任务说明"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, experts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts if experts is not None else User.objects.filter(
            role=Role.EXPERT, is_active=True).select_related("organisation")
        self.fields["expert"].label_from_instance = lambda user: (
            f"{user.get_full_name() or user.username}（{user.organisation.name}）")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Row(Column("expert"), Column("due_on")), "note")


class ScoringForm(PortalForm):
    """An expert's scores: the visit date, the opinion and, per indicator, a verdict (vetoes), points (qualitative
    items) or the value computed from the figures (quantitative items, shown, not typed); each may be marked not
    applicable and carries a comment. The items are written by the template as a table (``item_rows``)."""

    visited_on = forms.DateField(label=_("现场评估日期"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    opinion = forms.CharField(label=_("评估意见"), required=False, max_length=3000,
                              widget=forms.Textarea(attrs={"rows": 4}))

    VERDICTS = [("", _("未评")), ("pass", _("符合")), ("fail", _("不符合"))]
    prepares_fields_itself = True

    def __init__(self, *args, indicators=(), recorded=None, values=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators, recorded, values = list(indicators), recorded or {}, values or {}
        for indicator in self.indicators:
            item = recorded.get(indicator.pk)
            key = indicator.pk
            self.fields[f"na_{key}"] = forms.BooleanField(
                label=_("不适用"), required=False, initial=item is not None and not item.applicable,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
            if indicator.kind == "veto":
                initial = "" if item is None or item.passed is None else ("pass" if item.passed else "fail")
                self.fields[f"passed_{key}"] = forms.ChoiceField(
                    label=indicator.name, choices=self.VERDICTS, required=False, initial=initial,
                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
            elif indicator.kind == "qualitative":
                self.fields[f"points_{key}"] = forms.DecimalField(
                    label=indicator.name, required=False, min_value=0, max_value=indicator.points,
                    max_digits=6, decimal_places=2, initial=item.points if item else None,
                    disabled=indicator.points is None,
                    widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "0.01"}))
            elif not indicator.figure:
                # A quantitative item no figure computes (a park's, some of GB/T 36132-2025's): its value is typed.
                self.fields[f"value_{key}"] = forms.DecimalField(
                    label=indicator.name, required=False, max_digits=16, decimal_places=6,
                    initial=item.value.normalize() if item and item.value is not None else None,
                    widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "any"}))
            self.fields[f"comment_{key}"] = forms.CharField(
                label=_("评分说明"), required=False, max_length=1000, initial=item.comment if item else "",
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))
        self.values = values
        self.portal_prepare_fields()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Row(Column("visited_on")), "opinion")

    def item_rows(self):
        for indicator in self.indicators:
            key = indicator.pk
            yield {"indicator": indicator, "na": self[f"na_{key}"], "comment": self[f"comment_{key}"],
                   "passed": self[f"passed_{key}"] if f"passed_{key}" in self.fields else None,
                   "points": self[f"points_{key}"] if f"points_{key}" in self.fields else None,
                   "value": self.values.get(indicator.figure) if indicator.figure else None,
                   "typed": self[f"value_{key}"] if f"value_{key}" in self.fields else None,
                   # The field's own errors (a number out of range, too long) and the service's for the item.
                   "error": [message for name in (f"passed_{key}", f"points_{key}", f"value_{key}", f"na_{key}",
                                                  f"comment_{key}", f"item_{key}")
                             for message in self.errors.get(name, ())]}

    def items(self) -> dict:
        """The posted items for ``scoring_save``: indicator pk → {applicable, passed, points, comment}."""
        data = {}
        for indicator in self.indicators:
            key = indicator.pk
            verdict = self.cleaned_data.get(f"passed_{key}")
            data[key] = {"applicable": not self.cleaned_data.get(f"na_{key}"),
                         "passed": {"pass": True, "fail": False}.get(verdict),
                         "points": self.cleaned_data.get(f"points_{key}"),
                         "value": self.cleaned_data.get(f"value_{key}"),
                         "comment": self.cleaned_data.get(f"comment_{key}", "")}
        return data


class MeasureForm(PortalModelForm):
    """One measure of the improvement plan as the experts draft it."""

    class Meta:
        model = ImprovementMeasure
        fields = ["category", "title", "indicator", "expected_effect", "investment", "owner", "due_on"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, system=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = (system.indicators.exclude(kind="veto") if system
                                             else Indicator.objects.none())
        self.fields["indicator"].empty_label = _("（不对应具体指标）")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Row(Column("category"), Column("title")), Row(Column("indicator"),
                                    Column("expected_effect")), Row(Column("investment"), Column("owner"),
                                                                    Column("due_on")))


class ProgressForm(PortalForm):
    progress = forms.CharField(label=_("进展情况"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout("progress")


class DocumentForm(PortalForm):
    file = forms.FileField(label=_("文件（PDF、JPG 或 PNG，不超过 20 MB）"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout("file")


class PlanFilterForm(PortalForm):
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部状态")), ("overdue", _("已逾期"))] + list(MeasureStatus.choices))
    category = forms.ChoiceField(label=_("改造类别"), required=False,
                                 choices=[("", _("全部类别"))] + list(MeasureCategory.choices))


class TrainingEventForm(PortalModelForm):
    class Meta:
        model = TrainingEvent
        fields = ["title", "kind", "starts_at", "place", "capacity", "description"]
        widgets = {"starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                   "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Row(Column("title"), Column("kind")), Row(Column("starts_at"), Column("place"),
                                                                              Column("capacity")), "description")


class SignUpForm(PortalForm):
    attendees = forms.CharField(label=_("参加人员"), max_length=200, help_text=_("姓名、职务，多人用顿号分隔。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout("attendees")


class AssistanceForm(PortalForm):
    organisation = forms.ModelChoiceField(label=_("帮扶机构"), queryset=None, empty_label=_("请选择机构"))
    scope = forms.CharField(label=_("帮扶内容"), max_length=300)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations if organisations is not None else (
            Organisation.objects.filter(kind=OrganisationKind.EVALUATOR, status="active"))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Row(Column("organisation"), Column("scope")))


class VisitForm(PortalForm):
    visited_on = forms.DateField(label=_("帮扶日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    content = forms.CharField(label=_("帮扶情况"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Row(Column("visited_on")), "content")
