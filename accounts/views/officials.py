"""The enterprise directory and a company's page, the accounts the city and administrators open and manage, and an
enterprise's or park's own colleagues."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from accounts import selectors
from accounts.access import allowed, rule_required
from accounts.choices import OrganisationStatus, Role
from accounts.filters import AccountFilterForm, EnterpriseFilterForm
from accounts.forms import AccountCreateForm, ColleagueForm, ToggleActiveForm
from accounts.scope import sees_everything
from accounts.services import officials as services
from accounts.services import passwords
from accounts.views.common import PAGE_SIZE
from greenfactory.display import choice_labels, escaped, html_rows, kept_rows, select_options
from greenfactory.forms import form_add_service_errors
from greenfactory.paging import KeptTotal, page_of
from greenfactory.portal import kept, organisation_panels_for
from greenfactory.workflow import TransitionConflict

# A row of the enterprise directory (accounts/enterprise_list.html), written in Python (greenfactory.display).
ENTERPRISE_ROW = ('    <tr><td><a href="{url}">{name}</a></td><td><code>{credit_code}</code></td><td>{district}</td>'
                  '<td>{industry}</td><td>{sector}</td><td class="text-nowrap">{status}</td></tr>\n')


@rule_required("accounts.view_enterprise_directory")
def enterprise_list(request):
    # Queries: the count (kept), the page of rows (with industry and district), and for the city the district list.
    total = KeptTotal(request, "enterprises")
    form = EnterpriseFilterForm(request.GET, city_wide=sees_everything(request.user))
    page = page_of(request, selectors.enterprise_list_for_user(request.user, **form.values(), kept_counts=total),
                   PAGE_SIZE)
    return render(request, "accounts/enterprise_list.html",
                  {"page": page, "rows_html": kept_rows("enterprises", list(page.object_list),
                                                        lambda rows: html_rows(ENTERPRISE_ROW,
                                                                               selectors.enterprise_rows(rows))),
                   "filter_form": form})


def _company_accounts(enterprise) -> list[dict]:
    """The company's accounts as the five values its page shows, kept across requests (they change only through the
    portal's forms, which move the generations ``kept`` compares); the company itself, and so the scope, is read on
    every view."""
    return kept(f"company-accounts:{enterprise.pk}", lambda: list(selectors.organisation_members(enterprise).values(
        "full_name", "username", "is_active", "phone", "email")))


@rule_required("accounts.view_enterprise_directory")
def enterprise_detail(request, public_id):
    """A company's page: its registration facts, its accounts, and what the later workflows hold about it (panels
    the other apps register: its intake applications and library status)."""
    enterprise = selectors.enterprise_get_for_user(request.user, public_id)
    return render(request, "accounts/enterprise_detail.html", {
        "enterprise": enterprise,
        "users": _company_accounts(enterprise),
        "warnings": selectors.credit_code_warnings(enterprise),
        "panels": organisation_panels_for(request.user, enterprise),
        "can_review": enterprise.status == OrganisationStatus.PENDING
        and allowed("accounts.review_registration", request.user, enterprise),
    })


# A row of the account list (accounts/account_list.html), written in Python (greenfactory.display); ``actions`` is
# ACCOUNT_ACTIONS for the accounts the official may manage.
ACCOUNT_ROW = ('    <tr><td>{username}</td><td>{full_name}</td><td>{role}</td>\n      <td>{organisation}</td>'
               '<td>{phone}</td>\n      <td>{state}</td>\n      <td>{last_login}</td>\n'
               '      <td class="text-nowrap">{actions}</td></tr>\n')
ACCOUNT_ACTIONS = (
    '\n        <form class="d-inline" method="post" action="{toggle_url}"\n'
    '              data-confirm="{confirm_toggle}">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}"><input type="hidden" name="active" value="{to}">'
    '\n          <button class="btn btn-sm {toggle_style}" type="submit">{toggle_label}</button>\n        </form>'
    '\n        <form class="d-inline" method="post" action="{reset_url}"\n              data-confirm="{confirm_reset}">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">\n          <button class="btn btn-sm '
    'btn-outline-secondary" type="submit">{reset_label}</button>\n        </form>\n      ')


def _markup_with(markup, values, *, per_row):
    """``markup`` with ``values`` written in (escaped), the fields named in ``per_row`` left for each row."""
    filled = {key: escaped(value).replace("{", "{{").replace("}", "}}") for key, value in values.items()}
    return markup.format_map({**filled, **{name: f"{{{name}}}" for name in per_row}})


def account_rows_html(request, rows):
    """The account list's rows; the buttons are written once for the page, for an active and a disabled account
    (words and questions translated and escaped once), and each row adds only its two links."""
    enabled, disabled = _("启用"), _("停用")  # the buttons' actions
    # The status column: the same Chinese words, states in English.
    state_enabled, state_disabled = pgettext("account status", "启用"), pgettext("account status", "停用")
    words = {"csrf": get_token(request), "reset_label": _("重置密码"),
             "confirm_reset": _("确认重置该用户的密码？将生成新的初始密码，原密码立即失效。")}
    buttons = {
        True: _markup_with(ACCOUNT_ACTIONS, {**words, "confirm_toggle": _("确认停用该账号？停用后该用户立即无法登录。"),
                                             "to": "0", "toggle_style": "btn-outline-danger", "toggle_label": disabled},
                           per_row=("toggle_url", "reset_url")),
        False: _markup_with(ACCOUNT_ACTIONS, {**words, "confirm_toggle": _("确认重新启用该账号？"), "to": "1",
                                              "toggle_style": "btn-outline-success", "toggle_label": enabled},
                            per_row=("toggle_url", "reset_url")),
    }
    cells = []
    for row in rows:
        active = row["active"]
        actions = mark_safe(buttons[active].format(  # noqa: S308  (every value escaped)
            toggle_url=escaped(row["toggle_url"]), reset_url=escaped(row["reset_url"]))) if row["can_manage"] else ""
        cells.append({"username": row["username"], "full_name": row["full_name"], "role": row["role"],
                      "organisation": row["organisation"] or "—", "phone": row["phone"],
                      "state": state_enabled if active else state_disabled, "last_login": row["last_login"] or "—",
                      "actions": actions})
    return html_rows(ACCOUNT_ROW, cells)


@rule_required("accounts.manage_accounts")
def account_list(request):
    # Queries: the count (kept), the page of rows with their organisation's name.
    total = KeptTotal(request, "accounts")
    values = AccountFilterForm(request.GET).values()
    page = page_of(request, selectors.user_list_for_user(request.user, **values), PAGE_SIZE, total=total)
    rows = selectors.account_rows(request.user, page)
    return render(request, "accounts/account_list.html",
                  {"page": page, "rows": rows, "rows_html": account_rows_html(request, rows),
                   "role_options": select_options(choice_labels(Role), values["role"]), "q": values["query"]})


@rule_required("accounts.manage_accounts")
def account_create(request):
    form = AccountCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = services.account_create(
                actor=request.user, role=data["role"], username=data["username"], full_name=data["full_name"],
                email=data["email"], phone=data["phone"], district=data.get("district"),
                organisation=data.get("organisation"), organisation_name=data.get("organisation_name", ""),
                request=request,
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            return render(request, "accounts/account_created.html", {"new_user": user, "password": password})
    return render(request, "accounts/account_create.html", {"form": form})


@rule_required("accounts.manage_colleagues")
def colleagues(request):
    return render(request, "accounts/colleagues.html", {"members": selectors.colleague_list_for_user(request.user)})


@rule_required("accounts.manage_colleagues")
def colleague_create(request):
    form = ColleagueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = services.colleague_create(
                actor=request.user, username=data["username"], full_name=data["full_name"], email=data["email"],
                phone=data["phone"], request=request,
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            return render(request, "accounts/account_created.html",
                          {"new_user": user, "password": password, "back": "accounts:colleagues"})
    return render(request, "accounts/colleague_form.html", {"form": form})


def _toggle_active(request, public_id, back):
    """Posts carry the wanted state (``active``); an account already in it answers 409, never the opposite."""
    account = selectors.user_get_for_user(request.user, public_id)
    services.account_check_manageable(actor=request.user, account=account)  # 403 before any state message
    form = ToggleActiveForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/toggle_conflict.html",
                      {"message": _("请求缺少要设置的账号状态，请返回列表重新操作。"), "back": back}, status=400)
    active = form.cleaned_data["active"] == "1"
    try:
        services.colleague_set_active(actor=request.user, colleague=account, active=active, request=request)
    except TransitionConflict as conflict:
        return render(request, "accounts/toggle_conflict.html", {"message": conflict.message, "back": back},
                      status=409)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        template = _("已启用 %(name)s 的账号。") if active else _("已停用 %(name)s 的账号。")
        messages.success(request, template % {"name": account.full_name})
    return redirect(back)


@require_POST
@rule_required("accounts.manage_colleagues")
def colleague_toggle(request, public_id):
    return _toggle_active(request, public_id, "accounts:colleagues")


@require_POST
@rule_required("accounts.manage_accounts")
def account_toggle(request, public_id):
    return _toggle_active(request, public_id, "accounts:account_list")


@require_POST
@rule_required("accounts.manage_accounts")
def account_reset_password(request, public_id):
    account = selectors.user_get_for_user(request.user, public_id)
    password = passwords.account_reset_password(actor=request.user, user=account, request=request)
    return render(request, "accounts/account_created.html",
                  {"new_user": account, "password": password, "reset": True})
