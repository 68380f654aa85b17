"""Forms of certification, part 1, that belong to this app: the city's annual round."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import CertificationRound
from greenfactory.forms import PortalModelForm
from greenfactory.layout import Column, Layout, Row

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoundForm(PortalModelForm):
    """年度认定工作 as the city publishes it: the year (fixed once published), its two deadlines, the cap per
    evaluator, the notice the public site shows."""

    class Meta:
        model = CertificationRound
        fields = ["year", "title", "document_number", "opens_on", "application_deadline", "recommendation_deadline",
                  "evaluator_cap", "notice"]
        widgets = {"opens_on": DATE, "application_deadline": DATE, "recommendation_deadline": DATE,
                   "notice": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["year"].disabled = True
        # One message for any number below one (the model's field would say 0 for a negative number).
        self.fields["evaluator_cap"].min_value = 1
        self.fields["evaluator_cap"].validators = [v for v in self.fields["evaluator_cap"].validators
                                                   if getattr(v, "limit_value", 1) != 0]
        self.helper = FormHelper()
        self.helper.layout = Layout(Row(Column("year"), Column("document_number")), "title",
                                    Row(Column("opens_on"), Column("application_deadline"),
                                        Column("recommendation_deadline")), "evaluator_cap", "notice")
        # Publishing is announced to every district at once: ask first.
        self.helper.attrs = {"data-confirm": _("确认发布（保存）该年度认定工作？各区县经信部门将收到通知。")}
        self.helper.add_input(Submit("submit", _("保存并发布") if not editing else _("保存修改")))

    def clean(self):
        cleaned = super().clean()
        opens_on, deadline = cleaned.get("opens_on"), cleaned.get("application_deadline")
        recommend = cleaned.get("recommendation_deadline")
        if opens_on and deadline and deadline < opens_on:
            self.add_error("application_deadline", _("申报截止日期不能早于开始日期。"))
        if deadline and recommend and recommend < deadline:
            self.add_error("recommendation_deadline", _("区县推荐截止日期不能早于申报截止日期。"))
        return cleaned
