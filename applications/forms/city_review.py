"""Forms of the city's review and of the way from the proposed list to the decision (第十一条): asking for a review
task, writing its opinion, sending the list to the departments, a department's answer, publishing the notice,
filing an objection, handling it, and issuing the decision."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from applications.choices import PERSONAL_TASK_KINDS, ReviewTaskKind
from applications.models import CITY_REVIEW_KINDS, Conclusion
from greenfactory.forms import PortalForm
from greenfactory.layout import Column, Layout, Row
from greenfactory.validators import phone_validator
from greenfactory.workflow import COMMENT_MAX_LENGTH

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FILES_LABEL = _("附件（PDF、JPG 或 PNG，每个不超过 20 MB，可多选）")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (photos of a visit, evidence): a list, empty when none was chosen."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _helper(*fields, submit=None, confirm=None, form_tag=False) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = form_tag
    helper.disable_csrf = not form_tag
    helper.layout = Layout(*fields)
    if submit:
        helper.add_input(Submit("submit", submit))
    if confirm:
        helper.attrs = {"data-confirm": confirm}
    return helper


class TaskAssignForm(PortalForm):
    """The city asks one of its staff (materials review, on-site verification) or an expert (expert review)."""

    kind = forms.ChoiceField(label=_("任务类别"), choices=[(k.value, k.label) for k in CITY_REVIEW_KINDS])
    assignee = forms.ModelChoiceField(label=_("承办人"), queryset=User.objects.none(), empty_label=_("请选择"))
    due_on = forms.DateField(label=_("完成期限"), widget=DATE)
    note = forms.CharField(label=_("任务说明"), required=False, max_length=COMMENT_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        roles = set().union(*(PERSONAL_TASK_KINDS[kind] for kind in CITY_REVIEW_KINDS))
        self.fields["assignee"].queryset = (User.objects.filter(role__in=roles, is_active=True,
                                                                organisation__status="active")
                                            .select_related("organisation").order_by("role", "username"))
        self.fields["assignee"].label_from_instance = lambda user: (
            f"{user.get_full_name() or user.username}（{user.get_role_display()}，{user.organisation.name}）")
        self.portal_prepare_fields()
        self.helper = _helper(Row(Column("kind"), Column("assignee"), Column("due_on")), "note")


class OpinionForm(PortalForm):
    """The assignee's opinion: what its kind needs is asked (the visit's date, the expert's score)."""

    conclusion = forms.ChoiceField(label=_("结论"), choices=[("", _("请选择"))] + list(Conclusion.choices))
    findings = forms.CharField(label=_("意见"), max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}))
    visited_on = forms.DateField(label=_("核实日期"), widget=DATE, required=False)
    score = forms.DecimalField(label=_("评分"), max_digits=5, decimal_places=1, min_value=0, max_value=100,
                               required=False, help_text=_("0至100分，可保留一位小数。"))
    files = MultipleFileField(label=FILES_LABEL)

    def __init__(self, *args, kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kind != ReviewTaskKind.ON_SITE:
            del self.fields["visited_on"]
        else:
            self.fields["visited_on"].required = True
            self.fields["files"].label = _("现场照片等附件（PDF、JPG 或 PNG，可多选）")
        if kind != ReviewTaskKind.EXPERT_REVIEW:
            del self.fields["score"]
        else:
            self.fields["score"].required = True
        self.portal_prepare_fields()
        self.helper = _helper(*[name for name in ("conclusion", "visited_on", "score", "findings", "files")
                                if name in self.fields])


class SendForm(PortalForm):
    departments = forms.ModelMultipleChoiceField(label=_("征求意见的部门"), queryset=User.objects.none(),
                                                 widget=forms.CheckboxSelectMultiple)
    due_on = forms.DateField(label=_("反馈期限"), widget=DATE)
    note = forms.CharField(label=_("说明"), required=False, max_length=COMMENT_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = departments if departments is not None else User.objects.none()
        self.fields["departments"].label_from_instance = lambda user: (
            f"{user.organisation.name}：{user.get_full_name() or user.username}")
        if not self.is_bound:
            self.initial.setdefault("due_on", timezone.localdate() + timezone.timedelta(days=7))
        self.portal_prepare_fields()
        self.helper = _helper("departments", Row(Column("due_on"), Column("note")))


class PublishForm(PortalForm):
    title = forms.CharField(label=_("公示标题"), max_length=100)
    starts_on = forms.DateField(label=_("公示开始日期（工作日）"), widget=DATE,
                                help_text=_("公示期为5个工作日，按国家法定节假日和调休安排计算。"))
    contact = forms.CharField(label=_("异议受理渠道"), max_length=200,
                              help_text=_("市经济信息委受理异议的部门、电话或地址（公开显示，请勿填写个人信息）。"))
    body = forms.CharField(label=_("公示说明"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.portal_prepare_fields()
        self.helper = _helper(Row(Column("title"), Column("starts_on")), "contact", "body")


class DecisionForm(PortalForm):
    title = forms.CharField(label=_("文件标题"), max_length=100)
    document_number = forms.CharField(label=_("文号"), max_length=50, help_text=_("如：渝经信节能〔2026〕12号"))
    issuer = forms.CharField(label=_("发文机关"), max_length=100)
    issued_on = forms.DateField(label=_("发文日期"), widget=DATE)
    body = forms.CharField(label=_("正文"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.portal_prepare_fields()
        self.helper = _helper(Row(Column("document_number"), Column("issued_on")), Row(Column("title"),
                                                                                       Column("issuer")), "body")


ANSWER_CHOICES = [("", _("请选择")), ("none", _("无异议")), ("objection", _("有异议"))]


class DepartmentAnswerForm(PortalForm):
    """A department's answer: for each unit of the list, 无异议 or 有异议 with reasons, and files."""

    def __init__(self, *args, units=(), opinions=None, **kwargs):
        super().__init__(*args, **kwargs)
        opinions = opinions or {}
        self.units = list(units)
        for unit in self.units:
            opinion = opinions.get(unit.pk)
            self.fields[f"answer_{unit.pk}"] = forms.ChoiceField(
                label=unit.unit_name, choices=ANSWER_CHOICES, required=False,
                initial=("objection" if opinion.objection else "none") if opinion else "")
            self.fields[f"reasons_{unit.pk}"] = forms.CharField(
                label=_("意见或理由"), required=False, max_length=COMMENT_MAX_LENGTH,
                initial=opinion.reasons if opinion else "", widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[f"files_{unit.pk}"] = MultipleFileField(label=_("附件"))
        self.portal_prepare_fields()
        self.helper = _helper(*[Row(Column(f"answer_{u.pk}"), Column(f"reasons_{u.pk}"), Column(f"files_{u.pk}"))
                                for u in self.units])

    def answers(self) -> dict:
        values = {"none": False, "objection": True}
        return {unit.pk: (values.get(self.cleaned_data.get(f"answer_{unit.pk}") or ""),
                          self.cleaned_data.get(f"reasons_{unit.pk}") or "") for unit in self.units}

    def uploaded_files(self) -> dict:
        return {unit.pk: self.cleaned_data.get(f"files_{unit.pk}") or [] for unit in self.units}


class ObjectionForm(PortalForm):
    """异议 as the public files it: the unit, a real name, a contact (never shown), the content, evidence files."""

    application = forms.ChoiceField(label=_("异议对象"))
    name = forms.CharField(label=_("异议人真实姓名（或单位名称）"), max_length=100)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False, validators=[phone_validator])
    email = forms.EmailField(label=_("电子邮箱（处理结果将发送至此邮箱）"), max_length=120, required=False)
    content = forms.CharField(label=_("异议内容"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6}))
    files = MultipleFileField(label=_("证明材料（PDF、JPG 或 PNG，最多3个，每个不超过 10 MB）"))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [("", _("请选择"))] + [(str(u.public_id), u.unit_name) for u in units]
        self.portal_prepare_fields()
        self.helper = _helper("application", Row(Column("name"), Column("phone"), Column("email")), "content", "files")
