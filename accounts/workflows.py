"""What a district official can do on a registration (企业注册审核) and on a change of name or credit code, declared
once: the case pages' buttons, the action view, the state diagram in docs/workflows.md and the tests read these.
Resubmitting a refused registration is the enterprise's correction form, not a button."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts import selectors, services
from accounts.forms import RefuseForm
from accounts.models import Enterprise, IdentityChange
from greenfactory.workflow import Action, Workflow, register_workflow

REGISTRATION = register_workflow(Workflow(
    key="registration",
    model=Enterprise,
    label=_lazy("企业注册"),
    get_for_user=selectors.registration_get_for_user,
    detail_url=lambda enterprise: reverse("accounts:registration_detail", args=[enterprise.public_id]),
    render_case="accounts.views.registration_case_again",
    action_url_name="accounts:registration_action",
    actions=(
        Action("approve", label=_lazy("通过"), style="success",
               confirm=_lazy("确认通过该企业的注册？通过后企业即可登录平台。"),
               success=lambda enterprise: _("已通过 %(name)s 的注册。") % {"name": enterprise.name},
               next_url=lambda _enterprise: reverse("accounts:registration_queue"),
               perform=lambda case, *, actor, request, data: services.registration_approve(
                   organisation=case, actor=actor, request=request)),
        Action("refuse", label=_lazy("不通过"), style="outline-danger",
               confirm=_lazy("确认不通过该企业的注册？原因将告知企业。"),
               form=lambda case, data: RefuseForm(data),
               success=lambda enterprise: _("已退回 %(name)s 的注册，并告知原因。") % {"name": enterprise.name},
               next_url=lambda _enterprise: reverse("accounts:registration_queue"),
               perform=lambda case, *, actor, request, data: services.registration_refuse(
                   organisation=case, actor=actor, reason=data["reason"], request=request)),
    ),
))

IDENTITY_CHANGE = register_workflow(Workflow(
    key="identity_change",
    model=IdentityChange,
    label=_lazy("企业名称或信用代码变更"),
    get_for_user=selectors.identity_change_get_for_user,
    detail_url=lambda change: reverse("accounts:identity_change_detail", args=[change.public_id]),
    render_case="accounts.views.identity_change_case_again",
    action_url_name="accounts:identity_change_action",
    actions=(
        Action("approve", label=_lazy("通过"), style="success",
               confirm=_lazy("确认通过该变更？通过后企业的登记名称和信用代码立即变更。"),
               success=lambda change: _("已通过 %(name)s 的变更申请。") % {"name": change.old_name},
               next_url=lambda _change: reverse("accounts:identity_change_queue"),
               perform=lambda case, *, actor, request, data: services.identity_change_approve(
                   change=case, actor=actor, request=request)),
        Action("refuse", label=_lazy("不通过"), style="outline-danger",
               confirm=_lazy("确认不通过该变更？原因将告知企业。"),
               form=lambda case, data: RefuseForm(data),
               success=lambda change: _("已退回 %(name)s 的变更申请，并告知原因。") % {"name": change.old_name},
               next_url=lambda _change: reverse("accounts:identity_change_queue"),
               perform=lambda case, *, actor, request, data: services.identity_change_refuse(
                   change=case, actor=actor, reason=data["reason"], request=request)),
    ),
))
