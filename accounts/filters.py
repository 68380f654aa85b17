"""The query parameters of the accounts list pages, parsed by forms (a wrong value is ignored, never a 500)."""

from django import forms
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.choices import OrganisationStatus, Role
from accounts.models import AuditAction, District
from greenfactory.display import choice_labels, escaped
from greenfactory.forms import PortalForm
from greenfactory.portal import reference_data

# An option of a filter's select, as the templates wrote it.
OPTION = '<option value="{value}"{selected}>{label}</option>'


class FilterFormMixin:
    """The page renders its filter fields itself (a crispy field renders a template per widget and per option):
    ``typed`` is what the user typed in each field, ``options_html`` each choice field's options with the chosen one
    marked, ``error`` each field's first error (a wrong value, ignored by the list, but said next to the field)."""

    @cached_property
    def typed(self) -> dict:
        return {name: self.data.get(name, "") for name in self.fields}

    @cached_property
    def error(self) -> dict:
        return {name: errors[0] for name, errors in self.errors.items()}

    @cached_property
    def options_html(self) -> dict:
        """Each select's ``<option>`` markup (OPTION) with the chosen one marked: the audit log's 25 actions and the
        city's 41 districts are one template variable each. The options are fixed choices or reference data, so
        each one's markup, chosen and not, is kept with the reference data (``reference_data``) per language; a
        page joins them."""
        language = get_language()
        return {name: self._options_markup(name, language) for name, field in self.fields.items()
                if isinstance(field, forms.ChoiceField)}

    def _options_markup(self, name, language):
        def write():
            return [(value, *(OPTION.format(value=escaped(value), label=escaped(label), selected=selected)
                              for selected in ("", " selected")))
                    for value, label in self.option_labels(name).items()]

        options = reference_data(f"filter-options:{type(self).__qualname__}:{name}:{language}", write)
        chosen = str(self.data.get(name, ""))
        return mark_safe("".join(  # noqa: S308  (every value escaped)
            marked if value == chosen else plain for value, plain, marked in options))

    def option_labels(self, name) -> dict:
        field = self.fields[name]
        return {str(value): str(label) for value, label in field.choices}


def _valid_values(form) -> dict:
    """The fields that parsed; a field with a wrong value counts as not given."""
    form.is_valid()
    return {name: value for name, value in getattr(form, "cleaned_data", {}).items() if name not in form.errors}


class EnterpriseFilterForm(FilterFormMixin, PortalForm):
    q = forms.CharField(label=_("名称或信用代码"), max_length=50, required=False)
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部状态")), *OrganisationStatus.choices],
                               required=False)
    district = forms.ModelChoiceField(label=_("区县"), queryset=District.objects.all(), required=False,
                                      empty_label=_("全部区县"))

    def __init__(self, *args, city_wide: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not city_wide:
            del self.fields["district"]

    def option_labels(self, name) -> dict:
        if name == "district":
            # The districts as the portal keeps reference data (``kept``: an administrator's change moves them),
            # under the key the intake form's choices use.
            field = self.fields[name]
            rows = reference_data("choices:accounts.district", lambda: [(d.pk, str(d)) for d in District.objects.all()])
            return {"": str(field.empty_label), **{str(pk): label for pk, label in rows}}
        return super().option_labels(name)

    def values(self) -> dict:
        values = _valid_values(self)
        return {"query": values.get("q", "").strip(), "status": values.get("status") or None,
                "district": values.get("district")}


class AuditFilterForm(FilterFormMixin, PortalForm):
    username = forms.CharField(label=_("账号"), max_length=150, required=False)
    action = forms.ChoiceField(label=_("操作"), choices=[("", _("全部操作")), *AuditAction.choices], required=False)

    def option_labels(self, name) -> dict:
        return {"": str(_("全部操作")), **choice_labels(AuditAction)} if name == "action" else super().option_labels(
            name)

    def values(self) -> dict:
        values = _valid_values(self)
        return {"username": values.get("username", "").strip(), "action": values.get("action", "")}


class AccountFilterForm(PortalForm):
    q = forms.CharField(label=_("账号、姓名或单位"), max_length=50, required=False)
    role = forms.ChoiceField(label=_("角色"), choices=[("", _("全部角色")), *Role.choices], required=False)

    def values(self) -> dict:
        values = _valid_values(self)
        return {"query": values.get("q", "").strip(), "role": values.get("role") or None}
