"""Forms of certification (第九条、第十条): the applicant's conditions and contact, its evidence, choosing an
evaluator, the self-evaluation and the evaluator's report sheets, the district's checklist and the applicant's
answers, the evaluator register."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import VETO_CONDITIONS
from evaluation.forms import DocumentForm, ScoringForm
from evaluation.models import EvaluatorOrganisation
from greenfactory.forms import PortalForm, PortalModelForm
from greenfactory.layout import Column, Layout, Row

DATE_WIDGET = {"type": "date"}
YES_NO = [("", _("请选择")), ("yes", _("符合")), ("no", _("不符合"))]


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper


class ConditionsForm(PortalForm):
    """The contact, the summary and, per basic condition, whether it is met and how (a table: ``condition_rows``)."""

    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    summary = forms.CharField(label=_("创建工作情况"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("绿色工厂（园区）创建的主要做法和成效，1000字以内。"))
    prepares_fields_itself = True

    def __init__(self, *args, answers=(), labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.answers, self.labels = list(answers), labels or {}
        for answer in self.answers:
            self.fields[f"met_{answer.item}"] = forms.ChoiceField(
                label=self.labels.get(answer.item, answer.item), choices=YES_NO, required=False,
                initial="" if answer.met is None else ("yes" if answer.met else "no"),
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
            self.fields[f"statement_{answer.item}"] = forms.CharField(
                label=_("情况说明"), max_length=1000, required=False, initial=answer.statement,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}))
        self.portal_prepare_fields()
        self.helper = _helper(Row(Column("contact_name"), Column("contact_phone")), "summary")

    def condition_rows(self):
        for answer in self.answers:
            yield {"answer": answer, "label": self.labels.get(answer.item, ""), "met": self[f"met_{answer.item}"],
                   "veto": answer.item in VETO_CONDITIONS,
                   "statement": self[f"statement_{answer.item}"],
                   "error": [m for name in (f"met_{answer.item}", f"statement_{answer.item}")
                             for m in self.errors.get(name, ())]}

    def answers_data(self) -> dict:
        return {answer.item: {"met": {"yes": True, "no": False}.get(self.cleaned_data.get(f"met_{answer.item}")),
                              "statement": self.cleaned_data.get(f"statement_{answer.item}", "")}
                for answer in self.answers}


class ItemDocumentForm(DocumentForm):
    """A file for one line of a list (a condition, an indicator, a review item): ``choices`` are the lines."""

    def __init__(self, *args, choices=(), label=None, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"] = forms.ChoiceField(label=label or _("对应事项"), required=required,
                                                choices=[("", _("请选择"))] + list(choices))
        self.portal_prepare_fields()
        self.helper = _helper(Row(Column("item"), Column("file")))


class CommissionForm(PortalForm):
    """The applicant chooses an organisation of the register (recommended ones first) and a due date."""

    register = forms.ModelChoiceField(label=_("第三方评价机构"), queryset=EvaluatorOrganisation.objects.none(),
                                      empty_label=_("请选择评价机构"))
    due_on = forms.DateField(label=_("要求完成日期"), widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"))
    note = forms.CharField(label=_("委托说明"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, registers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["register"].queryset = (registers if registers is not None
                                            else EvaluatorOrganisation.objects.choosable())
        self.fields["register"].label_from_instance = lambda entry: (
            f"{entry.organisation.name}{'（推荐机构）' if entry.status == 'recommended' else ''}")
        self.portal_prepare_fields()
        self.helper = _helper(Row(Column("register"), Column("due_on")), "note")


class SelfEvaluationForm(ScoringForm):
    """The applicant's own scores: the expert's sheet without the visit and the opinion."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("visited_on", "opinion"):
            self.fields.pop(name)
        self.helper = _helper()


class ReportForm(ScoringForm):
    """The evaluator's on-site evaluation: dates, evaluators, the conclusion, the opinion and the items."""

    visited_from = forms.DateField(label=_("现场评价开始日期"), required=False,
                                   widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"))
    visited_to = forms.DateField(label=_("现场评价结束日期"), required=False,
                                 widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"))
    evaluators = forms.CharField(label=_("评价人员"), max_length=300, required=False,
                                 help_text=_("参加现场评价的人员姓名，以顿号分隔。"))
    passed = forms.ChoiceField(label=_("评价结论"), choices=YES_NO, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("visited_on")
        self.fields["opinion"].label = _("评价意见")
        self.helper = _helper(Row(Column("visited_from"), Column("visited_to")), Row(Column("evaluators"),
                                                                                   Column("passed")), "opinion")

    @property
    def conclusion(self):
        return {"yes": True, "no": False}.get(self.cleaned_data.get("passed"))


class ChecklistForm(PortalForm):
    """The district's checklist: per line a verdict (符合 / 需补充) and a comment (``check_rows``)."""

    VERDICTS = [("", _("未审核")), ("ok", _("符合")), ("more", _("需补充"))]
    prepares_fields_itself = True

    def __init__(self, *args, checks=(), items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.checks, items = list(checks), items or {}
        for key, label in self.checks:
            item = items.get(key)
            self.fields[f"verdict_{key}"] = forms.ChoiceField(
                label=label, choices=self.VERDICTS, required=False, initial=item.verdict if item else "",
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
            self.fields[f"comment_{key}"] = forms.CharField(
                label=_("说明"), max_length=1000, required=False, initial=item.comment if item else "",
                widget=forms.Textarea(attrs={"class": "form-control form-control-sm", "rows": 1}))
        self.portal_prepare_fields()
        self.helper = _helper()

    # The last pass's lines (key → ReviewItem), shown beside each line: the page sets them.
    last_items: dict = {}

    def check_rows(self):
        for key, label in self.checks:
            yield {"key": key, "label": label, "verdict": self[f"verdict_{key}"], "comment": self[f"comment_{key}"],
                   "last": self.last_items.get(key),
                   "error": [m for name in (f"verdict_{key}", f"comment_{key}") for m in self.errors.get(name, ())]}

    def items(self) -> dict:
        return {key: {"verdict": self.cleaned_data.get(f"verdict_{key}", ""),
                      "comment": self.cleaned_data.get(f"comment_{key}", "")} for key, _label in self.checks}


class AnswerDaysForm(PortalForm):
    """How long the applicant has to answer a review round, in working days on the official calendar."""

    working_days = forms.IntegerField(label=_("补充材料期限（工作日）"), min_value=1, max_value=30, initial=5)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("working_days")


class AnswersForm(PortalForm):
    """The applicant's answer to each item a review round sent back."""

    prepares_fields_itself = True

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.review_items = list(items)
        for item in self.review_items:
            self.fields[f"answer_{item.key}"] = forms.CharField(
                label=_("补充说明"), max_length=1000, required=False, initial=item.answer,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}))
        self.portal_prepare_fields()
        self.helper = _helper()

    def answers(self) -> dict:
        return {item.key: self.cleaned_data.get(f"answer_{item.key}", "") for item in self.review_items}


class RegisterForm(PortalModelForm):
    """An organisation of the evaluator register, as the city keeps it."""

    name = forms.CharField(label=_("机构名称"), max_length=200)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)

    class Meta:
        model = EvaluatorOrganisation
        fields = ["legal_representative", "contact_name", "contact_phone", "contact_email", "address",
                  "qualifications", "staff_count"]
        widgets = {"qualifications": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["name"].initial = self.instance.organisation.name
            self.fields["credit_code"].initial = self.instance.organisation.credit_code
        self.helper = _helper(Row(Column("name"), Column("credit_code")),
                              Row(Column("legal_representative"), Column("staff_count")),
                              Row(Column("contact_name"), Column("contact_phone"), Column("contact_email")),
                              "address", "qualifications")
