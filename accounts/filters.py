"""The query parameters of the accounts list pages, parsed by forms (a wrong value is ignored, never a 500)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import OrganisationStatus, Role
from accounts.models import AuditAction, District


def _valid_values(form) -> dict:
    """The fields that parsed; a field with a wrong value counts as not given."""
    form.is_valid()
    return {name: value for name, value in getattr(form, "cleaned_data", {}).items() if name not in form.errors}


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(label=_("名称或信用代码"), max_length=50, required=False)
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部状态")), *OrganisationStatus.choices],
                               required=False)
    district = forms.ModelChoiceField(label=_("区县"), queryset=District.objects.all(), required=False,
                                      empty_label=_("全部区县"))

    def __init__(self, *args, city_wide: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not city_wide:
            del self.fields["district"]

    def values(self) -> dict:
        values = _valid_values(self)
        return {"query": values.get("q", "").strip(), "status": values.get("status") or None,
                "district": values.get("district")}


class AuditFilterForm(forms.Form):
    username = forms.CharField(label=_("账号"), max_length=150, required=False)
    action = forms.ChoiceField(label=_("操作"), choices=[("", _("全部操作")), *AuditAction.choices], required=False)

    def values(self) -> dict:
        values = _valid_values(self)
        return {"username": values.get("username", "").strip(), "action": values.get("action", "")}


class AccountFilterForm(forms.Form):
    q = forms.CharField(label=_("账号、姓名或单位"), max_length=50, required=False)
    role = forms.ChoiceField(label=_("角色"), choices=[("", _("全部角色")), *Role.choices], required=False)

    def values(self) -> dict:
        values = _valid_values(self)
        return {"query": values.get("q", "").strip(), "role": values.get("role") or None}
