
import copy
import functools
from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from accounts.forms import HalfWidthMixin
from accounts.models import District, Industry, OwnershipType, Sector
from applications.forms.certification import RoundForm  # noqa: F401  (the certification forms, by topic)
from applications.models import CultivationCampaign, GreenInvestmentArea, IntakeApplication, LibraryStatus
from applications.selectors import campaign_target_overrides
from applications.services import (
    REQUIRED_FOR_SUBMISSION,
    _missing_for_submission,
    _missing_message,
    campaign_dates_locked,
)
from greenfactory.forms import DEFAULT_DATE_MIN, PortalForm, PortalModelForm
from greenfactory.layout import HTML, Column, Fieldset, Layout, Row
from greenfactory.portal import reference_data
from greenfactory.widgets import QuickRenderer, input_grid
from greenfactory.widgets import Select as QuickSelect
from greenfactory.workflow import COMMENT_MAX_LENGTH

# The forms' inputs rendered in Python (applications.widgets): the same markup at a tenth of the cost.
RENDERER = QuickRenderer()

YES_NO = [(True, _("是")), (False, _("否"))]


class _MultipleHiddenInput(forms.MultipleHiddenInput):
    """Django's, each hidden input through the form's renderer (``RENDERER`` writes it in Python) instead of three
    templates an input (multiple_hidden.html, multiwidget.html, hidden.html): the same markup, as ``{% spaceless %}``
    joins it."""

    def render(self, name, value, attrs=None, renderer=None):
        renderer = renderer or RENDERER
        return mark_safe("".join(  # noqa: S308  (each input written by the renderer, escaped)
            renderer.render(widget["template_name"], {"widget": widget})
            for widget in self.get_context(name, value, attrs)["widget"]["subwidgets"]))


def _yes_no(label):
    return forms.TypedChoiceField(label=label, choices=YES_NO, widget=forms.RadioSelect, required=False,
                                  coerce=lambda value: value in (True, "True", "true", "1"), empty_value=None)


class CampaignForm(PortalModelForm):
    default_renderer = RENDERER

    key_sectors = forms.MultipleChoiceField(label=_("重点行业"), choices=Sector.choices, required=False,
                                            widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = CultivationCampaign
        fields = ["year", "title", "district", "document_number", "opens_on", "deadline", "key_sectors",
                  "default_target"]
        widgets = {"opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.all()
        self.fields["district"].empty_label = _("全市各区县")
        if actor is not None and actor.role == "district":
            self.fields.pop("district")
        self.helper = FormHelper()
        # Publishing cannot be undone in the portal: ask first.
        self.helper.attrs = {"data-confirm": _("确认发布该年度培育工作？发布后企业即可填报。")}
        self.helper.add_input(Submit("submit", _("发布")))

    def clean(self):
        cleaned = super().clean()
        opens_on, deadline = cleaned.get("opens_on"), cleaned.get("deadline")
        if opens_on and deadline and deadline < opens_on:
            self.add_error("deadline", _("截止日期不能早于开始日期。"))
        return cleaned


# Forms' fields as customised and prepared, by what they depend on (IntakeForm, CampaignCorrectionForm).
_PREPARED_INTAKE_FIELDS: dict = {}
_PREPARED_CORRECTION_FIELDS: dict = {}


def _unguarded_copy(fields):
    """A form's fields without the guards ``portal_prepare_fields`` bound to that form (each form adds its own)."""
    fields = copy.deepcopy(fields)
    for field in fields.values():
        field.__dict__.pop("clean", None)
        field._portal_guarded = False
    return fields


class CampaignCorrectionForm(PortalModelForm):
    """Correct a published campaign: its wording, dates, key sectors and each district's target. Every field carries
    the value the official saw, so only what they changed is applied (two officials correcting different things at
    once both keep their change)."""
    prepares_fields_itself = True  # at the end of __init__, once its fields are final

    default_renderer = RENDERER

    key_sectors = forms.MultipleChoiceField(label=_("重点行业"), choices=Sector.choices, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    key_sectors.hidden_widget = _MultipleHiddenInput  # what the official was shown (hidden_initials_of_choices)

    class Meta:
        model = CultivationCampaign
        fields = ["title", "document_number", "opens_on", "deadline", "key_sectors", "default_target"]
        widgets = CampaignForm.Meta.widgets
        labels = {"default_target": _("默认入库目标（家）")}
        help_texts = {"default_target": _("下方未单独修改的区县按默认目标计算。")}

    def __init__(self, *args, districts=(), **kwargs):
        districts, instance = list(districts), kwargs.get("instance")
        locked = bool(instance is not None and instance.pk and campaign_dates_locked(instance))
        # The fields, the 41 districts' included, depend only on the language, the districts and whether the dates
        # are locked: the first form of each kind keeps a copy (without its guards, which belong to each form),
        # from which every later one is copied as Django copies a form's fields.
        key = (get_language(), tuple((district.pk, district.name) for district in districts), locked)
        prepared = _PREPARED_CORRECTION_FIELDS.get(key)
        if prepared is not None:
            self.base_fields, self.short_labels = prepared
        super().__init__(*args, **kwargs)
        self.target_fields = {f"target_{district.pk}": district for district in districts}
        if prepared is None:
            self._add_target_fields(districts)
        # Each target as this campaign has it.
        overrides = campaign_target_overrides(self.instance) if self.instance.pk else {}
        for name, district in self.target_fields.items():
            self.fields[name].initial = overrides.get(district.pk, self.instance.default_target)
        # Every field prepared once, the district targets with them: they get the portal's messages too (never
        # Django's "输入整数。").
        self.portal_prepare_fields()
        if prepared is None:
            for field in self.fields.values():
                field.show_hidden_initial = True
            self._lock_dates_once_open()
            if len(_PREPARED_CORRECTION_FIELDS) >= 64:
                _PREPARED_CORRECTION_FIELDS.clear()
            _PREPARED_CORRECTION_FIELDS[key] = (_unguarded_copy(self.fields), self.short_labels)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "title", "document_number", Row(Column("opens_on"), Column("deadline")), "key_sectors", "default_target",
            Fieldset(_("各区县入库目标（家）"), HTML("{{ form.target_grid }}")),
            HTML("{{ form.hidden_initials_of_choices }}"),
        )
        self.helper.add_input(Submit("submit", _("保存修改")))

    def _add_target_fields(self, districts):
        # The 41 districts' fields: each message translated once for all of them (a lazy one would be translated
        # again by each %).
        too_few, too_many, missing, short = (gettext("%(district)s的入库目标至少为1家。"),
                                             gettext("%(district)s的入库目标不能超过1000家。"),
                                             gettext("请填写%(district)s的入库目标。"), gettext("%(district)s入库目标"))
        short_labels = dict(self.short_labels)
        for district in districts:
            name, named = f"target_{district.pk}", {"district": district.name}
            self.fields[name] = forms.IntegerField(
                label=district.name, min_value=1, max_value=1000,
                error_messages={"min_value": too_few % named, "max_value": too_many % named,
                                "required": missing % named})
            short_labels[name] = short % named
        self.short_labels = short_labels

    def clean(self):
        cleaned = super().clean()
        opens_on, deadline = cleaned.get("opens_on"), cleaned.get("deadline")
        if opens_on and deadline and deadline < opens_on:
            self.add_error("deadline", _("截止日期不能早于开始日期。"))
        return cleaned

    def _lock_dates_once_open(self):
        """The same rule as the service (``campaign_dates_locked``): once open, the dates are not inputs here."""

        if self.instance.pk and campaign_dates_locked(self.instance):
            self.fields["opens_on"].disabled = True
            self.fields["opens_on"].help_text = _("已开始申报，开始日期不能再修改。")
            self.fields["deadline"].disabled = True
            self.fields["deadline"].help_text = _("已开始申报：推迟请使用“延长截止日期”，提前请使用“提前结束”，"
                                                  "企业都会收到通知。")

    @property
    def target_grid(self):
        """The districts' targets, four a row (crispy's markup, written in Python: ``widgets.input_grid``)."""
        return input_grid(self[name] for name in self.target_fields)

    @property
    def hidden_initials_of_choices(self):
        """crispy renders the hidden initial value (what the official was shown) beside every input but a list of
        check boxes or radio buttons: those are added here, or the key sectors would always read as changed, and as
        changed by someone else meanwhile."""
        return format_html_join("", "{}", ((bound.as_hidden(only_initial=True),) for bound in self
                                           if isinstance(bound.field.widget, forms.CheckboxSelectMultiple
                                                         | forms.RadioSelect)))

    def seen(self) -> dict:
        """What the official saw when the form was opened (its hidden initial values), for the fields they changed;
        None for a value that did not come back readable (the service then finds it stale)."""
        return {name: self._seen(name) for name in self.changed_data if name in self.Meta.fields}

    def seen_targets(self) -> dict:
        return {self.target_fields[name]: self._seen(name) for name in self.changed_data if name in self.target_fields}

    def _seen(self, name):
        bound = self[name]
        raw = bound.field.hidden_widget().value_from_datadict(self.data, self.files, bound.html_initial_name)
        try:
            return bound.field.to_python(raw)
        except ValidationError:
            return None

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data if name in self.Meta.fields}

    def target_changes(self) -> dict:
        return {self.target_fields[name]: self.cleaned_data[name] for name in self.changed_data
                if name in self.target_fields}


class CampaignExtendForm(PortalForm):
    default_renderer = RENDERER

    deadline = forms.DateField(label=_("新的截止日期"), widget=forms.DateInput(attrs={"type": "date"},
                                                                           format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # inside the page's form, which has its token
        self.helper.layout = Layout("deadline")  # its field written in Python (greenfactory.layout)


class CampaignCloseForm(PortalForm):
    default_renderer = RENDERER

    reason = forms.CharField(label=_("提前结束原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # inside the page's form, which has its token
        self.helper.layout = Layout("reason")  # its field written in Python (greenfactory.layout)


class _ListedChoices(BaseChoiceIterator):
    """A model choice field's options read with one plain query, when first shown (a select asks for them more than
    once while rendering), where a model choice field reads its queryset through a server-side cursor each time.
    Every row of reference data (the districts, the industries) is kept across requests, in this process too
    (``greenfactory.portal.kept`` with ``local``): only an administrator changes it, and any change an official or
    administrator makes moves the generation the shell reads on every page."""

    def __init__(self, queryset, empty_label):
        self.queryset, self.empty_label, self.items = queryset, empty_label, None

    def __iter__(self):
        if self.items is None:
            queryset = self.queryset.all()
            rows = (reference_data(f"choices:{queryset.model._meta.label_lower}",
                                   lambda: [(i.pk, str(i)) for i in queryset])
                    if not queryset.query.where else [(item.pk, str(item)) for item in queryset])
            self.items = [("", self.empty_label), *rows]
        return iter(self.items)


@functools.lru_cache(maxsize=16)
def _intake_helper(language) -> FormHelper:
    """The intake form's helper and layout in ``language`` (the legends and notes translated now)."""
    # crispy's HTML() is a template: user data goes in as template variables (escaped), never as its source.
    identity = format_html(
        '<div class="row g-3 mb-3 portal-identity">'
        '<div class="col-md-8"><div class="form-label">{}</div><div class="form-control-plaintext fw-semibold" '
        'id="identity_name">{{{{ form.instance.enterprise.name }}}}</div></div>'
        '<div class="col-md-4"><div class="form-label">{}</div><div class="form-control-plaintext" '
        'id="identity_credit_code"><code>{{{{ form.instance.enterprise.credit_code }}}}</code></div></div>'
        '<div class="col-12 form-text mt-0">{} <a href="{}">{}</a></div></div>',
        _("公司名称"), _("统一社会信用代码"),
        _("公司名称和统一社会信用代码取自经区县审核的注册信息，不能在此修改；如有变更，请在单位信息中提出，"
          "经区县经信部门审核后生效。"),
        reverse("accounts:profile"), _("查看单位信息"),
    )
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template's form has its token
    helper.layout = Layout(
        HTML(format_html('<p class="small text-body-secondary portal-required-note">{}</p>',
                         _("带 * 的为提交时必填项；草稿可以先保存，提交时再补全。"))),
        Fieldset(_("基本情况"), HTML(identity), Row(Column("industry"), Column("ownership_type")), "address",
                 Row(Column("postal_code"), Column("founded_on"), Column("registered_capital")),
                 "main_products"),
        Fieldset(_("经营情况"), "output_value",
                 Row(Column("total_profit_1"), Column("total_profit_2"), Column("total_profit_3"))),
        Fieldset(_("管理体系通过第三方认证情况"),
                 Row(Column("quality_management_certified"), Column("environmental_management_certified")),
                 Row(Column("occupational_health_safety_certified"), Column("energy_management_certified")),
                 "other_certifications"),
        Fieldset(_("入库条件"), "major_accident", "independent_legal_person",
                 Row(Column("green_investment_amount"), Column("green_investment_areas"))),
        Fieldset(_("填报信息"), Row(Column("preparer_name"), Column("preparer_phone")), "profile_text"),
        Fieldset(_("承诺"), "commitment_accepted",
                 Row(Column("commitment_signatory"), Column("commitment_date")),
                 HTML(format_html('<p class="small text-muted">{}</p>',
                      _("提交后请下载申请表PDF，打印后由法人或单位负责人签字并加盖公章，再上传盖章扫描件。")))),
    )
    return helper


class IntakeForm(HalfWidthMixin, PortalModelForm):
    """绿色工厂培育入库申请表, in the order of the official form.

    公司名称 and 统一社会信用代码 are not inputs: they are shown from the enterprise's verified registration (a change
    goes through the profile, with the district's approval). Every field may stay empty in a draft; those the
    submission needs (``services.REQUIRED_FOR_SUBMISSION``) are marked with an asterisk.
    """
    prepares_fields_itself = True  # at the end of __init__, once its fields are final

    default_renderer = RENDERER

    quality_management_certified = _yes_no(_("质量管理体系"))
    environmental_management_certified = _yes_no(_("环境管理体系"))
    occupational_health_safety_certified = _yes_no(_("职业健康安全管理体系"))
    energy_management_certified = _yes_no(_("能源管理体系"))
    major_accident = _yes_no(_("近三年是否发生质量、安全、环保等较大事故"))
    independent_legal_person = _yes_no(_("是否具有独立法人资格"))
    green_investment_areas = forms.MultipleChoiceField(
        label=_("改造投资方向"), choices=GreenInvestmentArea.choices, required=False,
        widget=forms.CheckboxSelectMultiple)
    commitment_accepted = forms.BooleanField(
        label=_("我单位郑重承诺：本次绿色工厂培育入库所提交的相关数据和信息均真实、有效，愿接受并积极配合主管部门的"
                "监督抽查和核验。如有违反，愿承担由此产生的相应责任。"), required=False)

    short_labels = {"commitment_accepted": _("承诺"), "profile_text": _("单位简介")}
    # Everything on this form is printed on the PDF that is signed and stamped.
    printed_fields = "__all__"
    submission_required = frozenset(REQUIRED_FOR_SUBMISSION) | {"commitment_accepted"}

    class Meta:
        model = IntakeApplication
        fields = [
            "industry", "address", "ownership_type", "postal_code", "founded_on",
            "registered_capital", "main_products", "output_value", "total_profit_1", "total_profit_2",
            "total_profit_3", "quality_management_certified", "environmental_management_certified",
            "occupational_health_safety_certified", "energy_management_certified", "other_certifications",
            "major_accident", "preparer_name", "preparer_phone", "profile_text", "independent_legal_person",
            "green_investment_amount", "green_investment_areas", "commitment_accepted", "commitment_signatory",
            "commitment_date",
        ]
        widgets = {
            "industry": QuickSelect, "ownership_type": QuickSelect,
            "founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "commitment_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "profile_text": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        campaign = instance.campaign if instance is not None else None
        # The fields, customised and prepared below, depend only on the language and the campaign's years: the
        # first form of each kind keeps a copy (without its guards, which belong to each form), from which every
        # later one is copied as Django copies a form's fields (a third of the form's construction saved).
        key = campaign and (get_language(), campaign.output_year, tuple(campaign.profit_years), campaign.opens_on.year)
        prepared = _PREPARED_INTAKE_FIELDS.get(key) if key else None
        if prepared is not None:
            self.base_fields = prepared
        super().__init__(*args, **kwargs)
        campaign = self.instance.campaign
        # 成立日期: not before 1900, not in the future. 承诺日期: signed for this campaign, so not before the year
        # before it opened, and not in the future.
        self.date_bounds = {
            "founded_on": (DEFAULT_DATE_MIN, timezone.localdate),
            "commitment_date": (date(campaign.opens_on.year - 1, 1, 1), timezone.localdate),
        }
        if prepared is None:
            self._customise_fields(campaign)
        # Read when first shown, in each form.
        self.fields["industry"].choices = _ListedChoices(Industry.objects.all(), self.fields["industry"].empty_label)
        self.portal_prepare_fields()
        if prepared is None and key:
            if len(_PREPARED_INTAKE_FIELDS) >= 64:
                _PREPARED_INTAKE_FIELDS.clear()
            _PREPARED_INTAKE_FIELDS[key] = _unguarded_copy(self.fields)
        # The layout is the same for every draft: built once per language (its 37 objects cost a third of the
        # form), shared by every form, never changed.
        self.helper = _intake_helper(get_language())

    def _customise_fields(self, campaign):
        # The same prompt as the ownership type's, and the registration form's words (never Django's "---------").
        self.fields["industry"].empty_label = _("请选择所属行业（国民经济行业分类）")
        # Translated now: these fields are kept per language.
        self.fields["ownership_type"].choices = [("", str(_("请选择单位性质")))] + [
            (value, str(label)) for value, label in OwnershipType.choices]
        self.fields["output_value"].label = _("%(year)d年产值（万元）") % {"year": campaign.output_year}
        for number, year in enumerate(campaign.profit_years, start=1):
            self.fields[f"total_profit_{number}"].label = _("%(year)d年利润总额（万元）") % {"year": year}
        for name in ("registered_capital", "output_value", "total_profit_1", "total_profit_2", "total_profit_3",
                     "green_investment_amount"):
            self.fields[name].widget.attrs.update({"step": "0.01"})
        for name in ("registered_capital", "output_value", "green_investment_amount"):
            self.fields[name].widget.attrs["min"] = "0"
        # The draft may be saved half-filled; completeness is checked on submission.
        for field in self.fields.values():
            field.required = False
        # The radio buttons' and check boxes' labels translated once (these fields are kept per language).
        for name in ("quality_management_certified", "environmental_management_certified",
                     "occupational_health_safety_certified", "energy_management_certified", "major_accident",
                     "independent_legal_person", "green_investment_areas"):
            self.fields[name].choices = [(value, str(label)) for value, label in self.fields[name].choices]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("commitment_accepted") and not cleaned.get("commitment_signatory"):
            self.add_error("commitment_signatory", _("接受承诺时请填写法人或单位负责人姓名。"))
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # A submission refused for a wrong value also lists what is still missing, so that one round of corrections
        # is enough (when every value is right, the service saves the draft and says what is missing itself).
        if "submit" in self.data and self.errors:
            for name, label in _missing_for_submission(self.instance):
                if name in self.fields and name not in self.errors:
                    self.add_error(name, _missing_message(name, label))


class ReasonForm(PortalForm):
    """A decision's reason. ``label`` and ``max_length`` are set here, before the portal's messages are written
    from them, so that a message names the field as shown and its limit (the reason to admit against a failing
    criterion leaves room for the prefix stored before it: ``services.accept_reason_limit``)."""

    default_renderer = RENDERER

    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=COMMENT_MAX_LENGTH,
                             required=False)

    def __init__(self, *args, label=None, max_length=COMMENT_MAX_LENGTH, **kwargs):
        super().__init__(*args, **kwargs)
        if label is not None or max_length != COMMENT_MAX_LENGTH:
            self.fields["reason"] = forms.CharField(
                label=label or self.fields["reason"].label, widget=forms.Textarea(attrs={"rows": 3}),
                max_length=max_length, required=False)
            self.portal_prepare_fields()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # inside the page's form, which has its token
        self.helper.layout = Layout("reason")  # its field written in Python (greenfactory.layout)


class ScanForm(PortalForm):
    scan = forms.FileField(label=_("盖章扫描件（PDF、JPG 或 PNG，不超过 20 MB）"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # inside the page's form, which has its token
        self.helper.layout = Layout("scan")  # its field written in Python where greenfactory.layout covers it


class _ReferenceFilterField(forms.ModelChoiceField):
    """A list filter on reference data (a district, an industry): the value checked against the options the select
    lists (``_ListedChoices``, kept), not read from the database, and given as the record with its key only — what a
    list's filter needs (``filter(district=...)``), never its other columns."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        model = self.queryset.model
        try:
            key = model._meta.pk.to_python(value)
        except ValidationError:
            key = None
        if key is None or not any(str(pk) == str(key) for pk, _label in self.choices if pk != ""):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": value})
        return model(pk=key)


class LibraryFilterForm(PortalForm):
    default_renderer = RENDERER

    year = forms.IntegerField(label=_("培育年度"), required=False, min_value=2000, max_value=2100)
    district = _ReferenceFilterField(label=_("区县"), queryset=District.objects.all(), required=False,
                                     empty_label=_("全部区县"), widget=QuickSelect)
    sector = forms.ChoiceField(label=_("重点行业"), choices=[("", _("全部重点行业"))] + list(Sector.choices),
                               required=False, widget=QuickSelect)
    industry = _ReferenceFilterField(label=_("所属行业"), queryset=Industry.objects.all(), required=False,
                                     empty_label=_("全部行业"), widget=QuickSelect)
    status = forms.ChoiceField(label=_("培育状态"), required=False, widget=QuickSelect)
    score = forms.ChoiceField(label=_("最近评估得分"), required=False, widget=QuickSelect, choices=[
        ("", _("全部得分")), ("80up", _("80分及以上")), ("60to80", _("60～80分")), ("below60", _("60分以下")),
        ("none", _("尚未评估"))])

    def __init__(self, *args, district_choice=True, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("全部状态"))] + list(LibraryStatus.choices)
        if not district_choice:
            self.fields.pop("district")
        for name in ("district", "industry"):
            if name in self.fields:
                field = self.fields[name]
                field.choices = _ListedChoices(field.queryset, field.empty_label)
