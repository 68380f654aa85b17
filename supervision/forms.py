"""Forms of the supervision app: the city's revocation of a title (第十七条)."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from greenfactory.forms import PortalForm
from greenfactory.layout import Layout
from supervision.models import CAUSE_NUMBERS, RevocationCause


class RevocationForm(PortalForm):
    cause = forms.ChoiceField(label=_("撤销情形（《认定管理办法》第十七条）"), widget=forms.RadioSelect)
    facts = forms.CharField(label=_("事实与依据"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}),
                            help_text=_("将在撤销公告中公开发布，请勿填写个人姓名、电话等个人信息。"))
    document_number = forms.CharField(label=_("撤销文号"), max_length=50,
                                      help_text=_("如：渝经信节能〔2026〕21号"))
    attachment = forms.FileField(label=_("附件（撤销决定或证明材料，PDF、JPG 或 PNG，可不上传）"), required=False)

    def __init__(self, *args, title=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cause"].choices = [(value, f"（{CAUSE_NUMBERS[value]}）{label}")
                                        for value, label in RevocationCause.choices]
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page writes the form tag with its confirmation
        self.helper.disable_csrf = True
        self.helper.layout = Layout("cause", "facts", "document_number", "attachment")
        self.confirm = _("确认撤销“%(name)s”的%(title)s称号？撤销后将发文公告，该单位三年内不得重新申报，"
                         "此操作不可撤回。") % {
            "name": title.name if title else "", "title": title.title_name if title else ""}
