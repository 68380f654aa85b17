"""Forms check the shape of input; the services decide the rules."""

import unicodedata

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.choices import MessageKind, OrganisationStatus, Role
from accounts.models import (
    District,
    Enterprise,
    Industry,
    Organisation,
    OrganisationKind,
    OwnershipType,
    User,
)
from greenfactory import credit_code
from greenfactory.forms import DEFAULT_DATE_MIN, PortalForm, PortalFormMixin, PortalModelForm
from greenfactory.layout import Column, Fieldset, Layout, Row
from greenfactory.validators import phone_validator


class HalfWidthMixin:
    """Digits typed with a Chinese input method arrive full-width (４０１２２０); they are made half-width before any
    check, so the value stored and printed is the ordinary one."""

    half_width_fields = ("postal_code", "phone", "preparer_phone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            data = self.data.copy()
            for name in self.half_width_fields:
                if name in data:
                    data[name] = unicodedata.normalize("NFKC", data[name]).strip()
            self.data = data


class PortalAuthenticationForm(PortalFormMixin, AuthenticationForm):
    """Login. Pending enterprises wait for their district; demo accounts work only while demo login is on."""
    prepares_fields_itself = True  # at the end of __init__, once its fields are final

    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续多次输错后账号将被暂时锁定。"),
        "inactive": _("该账号已停用，请联系管理员。"),
        "pending": _("您单位的注册申请正在等待%(district)s经信部门审核，审核通过后即可登录。"),
        "demo_disabled": _("演示账号在正式环境中不可登录。"),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
        self.portal_prepare_fields()
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("登录"), css_class="w-100"))

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.is_demo and not settings.DEMO_LOGIN_ENABLED:
            raise ValidationError(self.error_messages["demo_disabled"], code="demo_disabled")
        organisation = user.organisation
        if organisation is not None and organisation.status == OrganisationStatus.PENDING:
            raise ValidationError(
                self.error_messages["pending"],
                code="pending",
                params={"district": organisation.district.name if organisation.district else ""},
            )


class CreditCodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)  # full-width input is longer before normalisation
        kwargs.setdefault("label", _("统一社会信用代码"))
        kwargs.setdefault("help_text", _("18位，可输入全角或小写，系统自动转换。"))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return credit_code.validate(value) if value else value


class EnterpriseProfileForm(HalfWidthMixin, PortalModelForm):
    prepares_fields_itself = True  # at the end of __init__, once its fields are final
    credit_code = CreditCodeField()
    # The name, address and products are printed on the intake form and the certificates.
    printed_fields = ("name", "address", "main_products", "full_name")
    date_bounds = {"founded_on": (DEFAULT_DATE_MIN, timezone.localdate)}

    class Meta:
        model = Enterprise
        fields = [
            "name", "credit_code", "district", "industry", "ownership_type", "address", "postal_code",
            "founded_on", "registered_capital", "main_products",
        ]
        labels = {"name": _("公司名称"), "district": _("登记注册所在区县")}
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "registered_capital": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
        }
        help_texts = {
            "registered_capital": _("单位：万元，最多两位小数。"),
            "district": _("由该区县经信部门审核注册，并负责后续培育和推荐。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.all()
        self.fields["industry"].queryset = Industry.objects.all()
        self.fields["industry"].label_from_instance = lambda i: f"{i.code} {i.name}（{i.get_sector_display()}）"
        self.fields["district"].empty_label = _("请选择区县")
        self.fields["district"].required = True
        self.fields["ownership_type"].choices = [("", _("请选择单位性质"))] + list(OwnershipType.choices)
        self.fields["industry"].empty_label = _("请选择所属行业（国民经济行业分类）")
        self.portal_prepare_fields()

    def validate_unique(self):
        # The service reports a duplicate credit code with a message that tells the user what to do.
        pass


class AccountFieldsMixin(HalfWidthMixin, PortalForm):
    # A person's name goes on the forms they prepare or sign.
    printed_fields = ("full_name",)

    # Whether an address is taken is a rule of the services (a new account: a message on the field; a registration:
    # a mail to the address's owner, never the page).
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("联系电话"), max_length=20, validators=[phone_validator])
    email = forms.EmailField(label=_("电子邮箱"), help_text=_("用于接收审核结果和找回密码。"))
    username = forms.RegexField(
        label=_("用户名"), max_length=30, min_length=4, regex=r"^[A-Za-z0-9_.\-]+$",
        help_text=_("4–30位字母、数字或 _ . -，用于登录。"),
        error_messages={"invalid": _("用户名只能包含字母、数字和 _ . -。")},
    )


class RegistrationForm(EnterpriseProfileForm):
    """Company and first user together (企业自行注册)."""

    full_name = AccountFieldsMixin.base_fields["full_name"]
    phone = AccountFieldsMixin.base_fields["phone"]
    email = AccountFieldsMixin.base_fields["email"]
    username = AccountFieldsMixin.base_fields["username"]
    password1 = forms.CharField(label=_("密码"), strip=False, widget=forms.PasswordInput(render_value=False),
                                help_text=password_validation.password_validators_help_text_html())
    password2 = forms.CharField(label=_("确认密码"), strip=False, widget=forms.PasswordInput(render_value=False))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(_("企业信息"), "name", "credit_code", Row(Column("district"), Column("industry")),
                     Row(Column("ownership_type"), Column("founded_on")), "address",
                     Row(Column("postal_code"), Column("registered_capital")), "main_products"),
            Fieldset(_("账号信息（注册人）"), Row(Column("full_name"), Column("phone")), "email", "username",
                     Row(Column("password1"), Column("password2"))),
        )
        self.helper.add_input(Submit("submit", _("提交注册")))

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif p1:
            probe = User(username=cleaned.get("username", ""), full_name=cleaned.get("full_name", ""),
                         email=cleaned.get("email", ""))
            try:
                password_validation.validate_password(p1, probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def enterprise_data(self):
        return {f: self.cleaned_data[f] for f in EnterpriseProfileForm.Meta.fields}

    def user_data(self):
        return {f: self.cleaned_data[f] for f in ("full_name", "phone", "email", "username")}


class ResubmitForm(EnterpriseProfileForm):
    class Meta(EnterpriseProfileForm.Meta):
        fields = [f for f in EnterpriseProfileForm.Meta.fields if f != "credit_code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("credit_code", None)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("修改并重新提交审核")))


class RefuseForm(PortalForm):
    reason = forms.CharField(label=_("未通过原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000,
                             help_text=_("将告知企业，请写明需要更正的内容。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # inside the page's form, which has its token


ACCOUNT_ROLE_CHOICES = [(r.value, r.label) for r in Role if r != Role.ENTERPRISE]


class AccountCreateForm(AccountFieldsMixin):
    """Accounts for officials, experts, evaluators, department liaisons and parks (by the city or an admin)."""

    role = forms.ChoiceField(label=_("角色"), choices=ACCOUNT_ROLE_CHOICES)
    district = forms.ModelChoiceField(label=_("区县（区县经信部门账号）"), queryset=District.objects.all(),
                                      required=False, empty_label=_("—"))
    organisation = forms.ModelChoiceField(
        label=_("所属单位（已有单位）"), required=False, empty_label=_("—"),
        queryset=Organisation.objects.filter(
            kind__in=[OrganisationKind.PARK, OrganisationKind.EVALUATOR, OrganisationKind.DEPARTMENT,
                      OrganisationKind.EXPERT]
        ).order_by("kind", "name"),
        help_text=_("园区、第三方评价机构、市级部门或专家所在单位；也可在下方填写新单位名称。"),
    )
    organisation_name = forms.CharField(label=_("新单位名称"), max_length=200, required=False)
    # A unit's name is printed on the reports and lists it appears in.
    printed_fields = ("full_name", "organisation_name")

    field_order = ["role", "district", "organisation", "organisation_name", "full_name", "phone", "email",
                   "username"]
    # Which unit a role needs (a district, a park, a named unit) is the service's rule
    # (accounts.services.officials.organisation_for_new_account), reported on the field.

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        if actor is not None and actor.role != Role.ADMIN:
            self.fields["role"].choices = [c for c in ACCOUNT_ROLE_CHOICES if c[0] != Role.ADMIN]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("创建账号")))


class ToggleActiveForm(PortalForm):
    """The state the official wants, so a stale or repeated click cannot flip an account the other way."""

    active = forms.ChoiceField(label=_("账号状态"), choices=[("1", pgettext_lazy("account status", "启用")),
                                                             ("0", pgettext_lazy("account status", "停用"))])


class IdentityChangeForm(PortalForm):
    """A request to change the registered 公司名称 or 统一社会信用代码, decided by the district."""

    # Once approved, the new name is the applicant's name on every printed form to be signed and stamped.
    printed_fields = ("new_name",)

    new_name = forms.CharField(label=_("新公司名称"), max_length=200)
    new_credit_code = CreditCodeField(label=_("新统一社会信用代码"))
    reason = forms.CharField(label=_("变更原因"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("如：工商变更登记（请写明变更日期），区县经信部门据此审核。"))

    def __init__(self, *args, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        if enterprise is not None and not self.is_bound:
            self.initial.update({"new_name": enterprise.name, "new_credit_code": enterprise.credit_code})
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("提交变更申请")))


class ColleagueForm(AccountFieldsMixin):
    """A colleague's account in the user's own unit."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("添加账号")))


class PortalPasswordChangeForm(PortalFormMixin, PasswordChangeForm):
    """The new password must differ from the old one: an initial password was seen by whoever created the account."""

    error_messages = {
        "password_incorrect": _("原密码不正确，请重新输入。"),
        "password_mismatch": _("两次输入的新密码不一致。"),
    }

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("new_password1")
        if password and not self.has_error("new_password2") and self.user.check_password(password):
            self.add_error("new_password2", ValidationError(_("新密码不能与原密码相同。"), code="password_unchanged"))
        return cleaned


class PortalPasswordResetForm(PortalFormMixin, PasswordResetForm):
    # The portal's word for the field everywhere else (Django's form says 电子邮件).
    email = forms.EmailField(label=_("电子邮箱"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class PortalSetPasswordForm(PortalFormMixin, SetPasswordForm):
    error_messages = {"password_mismatch": _("两次输入的新密码不一致。")}


class EmailPreferencesForm(PortalForm):
    """One box per kind of message (``MessageKind``): also by e-mail. The inbox always receives every message."""

    def __init__(self, *args, initial_choices=None, **kwargs):
        super().__init__(*args, initial=initial_choices or {}, **kwargs)


# One optional box per kind, declared on the class so that the portal's form checks see them like any other field.
for _kind, _label in MessageKind.choices:
    EmailPreferencesForm.base_fields[_kind] = EmailPreferencesForm.declared_fields[_kind] = forms.BooleanField(
        label=_label, required=False, initial=True)
del _kind, _label
