"""What a person can do on an intake case (入库申请), declared once: the case page's buttons, the action view, the
state diagram in docs/workflows.md and the tests read these."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications import access, selectors, services
from applications.forms import ReasonForm
from applications.models import EntryCriterion, IntakeApplication, Objection, ReviewTask
from applications.services import publicity
from applications.services import review as review_tasks
from greenfactory.text import join_list
from greenfactory.workflow import COMMENT_MAX_LENGTH, Action, Workflow, register_workflow


def _detail(application) -> str:
    return reverse("applications:intake_detail", args=[application.public_id])


def _queue(_application) -> str:
    return reverse("applications:intake_queue")


def acknowledged_criteria(request) -> set[str]:
    """The failing criteria the form showed beside its submit button (a hidden field), numbers 1–5 only."""
    posted = request.POST.get("criteria_acknowledged", "")
    return {value for value in posted.split(",") if value in EntryCriterion.values}


# The reason boxes of the case page: (form prefix, label). The reason to admit against failing criteria is limited
# so that, with the prefix naming them, the stored comment fits (services.accept_reason_limit).
REASON_FORMS = ((None, _("原因")), ("accept", _("纳入理由")), ("reinstate", _("恢复原因")))


def reason_form(application, data=None, *, prefix=None) -> ReasonForm:
    label = dict(REASON_FORMS)[prefix]
    limit = (services.accept_reason_limit(services.criteria_not_met(application)) if prefix == "accept"
             else COMMENT_MAX_LENGTH)
    return ReasonForm(data, prefix=prefix, label=label, max_length=limit)


def _before_deadline(application, _user) -> bool:
    # 四（三）: a withdrawn application can be reinstated only while the campaign still takes submissions.
    return timezone.now() <= application.campaign.closes_at()


def _never_submitted_draft(application, user) -> bool:
    # Deleting is offered for a draft nobody else has seen; a case the district has seen is withdrawn instead.
    return (application.status == "draft" and not application.has_been_submitted
            and access.can_edit_intake(user, application))


def _accept_question(application) -> str:
    not_met = services.criteria_not_met(application)
    if not_met:
        return _("该申请入库标准第%(numbers)s项不符合或需人工判断。确认以所填理由将其纳入绿色工厂培育库？") % {
            "numbers": join_list(c.criterion for c in not_met)}
    return _("该申请符合全部入库标准。确认将该企业纳入绿色工厂培育库？")


INTAKE = register_workflow(Workflow(
    key="intake",
    model=IntakeApplication,
    label=_("入库申请"),
    get_for_user=selectors.intake_get_for_user,
    detail_url=_detail,
    render_case="applications.views.intake_case_again",
    action_url_name="applications:intake_action",
    actions=(
        Action("submit", label=_("提交申请"), success=_("入库申请已提交。"),
               perform=lambda case, *, actor, request, data: services.intake_submit(
                   application=case, actor=actor, request=request,
                   acknowledged_criteria=acknowledged_criteria(request))),
        Action("withdraw", label=_("撤回申请"), style="outline-danger",
               confirm=lambda case: _("确认撤回入库申请？撤回后区县经信部门将不再审核；您单位不能自行恢复或重新提交，"
                                      "只有区县经信部门可以在截止日期（%(deadline)s）前恢复。")
               % {"deadline": f"{case.campaign.deadline:%Y-%m-%d}"},
               success=_("入库申请已撤回。区县经信部门不再审核该申请；如需恢复，请在截止日期前联系区县经信部门。"),
               perform=lambda case, *, actor, request, data: services.intake_withdraw(
                   application=case, actor=actor, request=request)),
        Action("delete", transition=False, permission=lambda case, user: access.can_edit_intake(user, case),
               when=_never_submitted_draft,
               label=_("删除草稿"), style="outline-danger",
               confirm=_("确认删除该草稿？已填写的内容将被删除，不能恢复。截止日期前您仍可重新填报。"),
               success=_("草稿已删除。如需申请，可在“年度培育工作”中重新填报。"),
               next_url=lambda _case: reverse("applications:my_applications"),
               perform=lambda case, *, actor, request, data: services.intake_delete(
                   application=case, actor=actor, request=request)),
        Action("reopen", label=_("修改后重新提交"), success=_("申请已退回草稿，可修改后重新提交。"),
               next_url=lambda case: reverse("applications:intake_edit", args=[case.public_id]),
               perform=lambda case, *, actor, request, data: services.intake_reopen(
                   application=case, actor=actor, request=request)),
        Action("accept", label=_("纳入培育库"), style="success", success=_("已纳入培育库。"), next_url=_queue,
               confirm=lambda case: _accept_question(case),
               form=lambda case, data: reason_form(case, data, prefix="accept"),
               perform=lambda case, *, actor, request, data: services.intake_accept(
                   application=case, actor=actor, comment=data["reason"], request=request)),
        Action("return_for_changes", slug="return", label=_("退回修改"), style="outline-warning",
               success=_("已退回企业修改。"), next_url=_queue, confirm=_("确认退回企业修改？"),
               form=lambda case, data: reason_form(case, data),
               perform=lambda case, *, actor, request, data: services.intake_return(
                   application=case, actor=actor, reason=data["reason"], request=request)),
        Action("reject", label=_("不予入库"), style="outline-danger", success=_("已作出不予入库的决定。"),
               next_url=_queue, confirm=_("确认不予入库？此决定不可撤销。"),
               form=lambda case, data: reason_form(case, data),
               perform=lambda case, *, actor, request, data: services.intake_reject(
                   application=case, actor=actor, reason=data["reason"], request=request)),
        Action("reinstate", when=_before_deadline, label=_("恢复申请"), style="warning",
               success=_("申请已恢复为草稿，已通知企业在截止日期前重新提交。"),
               confirm=_("确认恢复该申请？申请将回到草稿，由企业在截止日期前重新提交。"),
               form=lambda case, data: reason_form(case, data, prefix="reinstate"),
               perform=lambda case, *, actor, request, data: services.intake_reinstate(
                   application=case, actor=actor, reason=data["reason"], request=request)),
    ),
))


# --- Review tasks (评审任务): the assignee accepts, completes or declines ------------------------------------------


def _task_page(_task) -> str:
    return reverse("applications:review_task_list")


def _completed_here(task, _user) -> bool:
    """Whether the task is completed from the task list: not a task on a kind of case whose own work completes it
    (a library entry's assessment is completed by submitting the scores)."""
    return not review_tasks.completed_by_its_case(task)


def task_reason_form(data, *, label) -> ReasonForm:
    return ReasonForm(data, label=label)


REVIEW_TASK = register_workflow(Workflow(
    key="review_task",
    model=ReviewTask,
    label=_("评审任务"),
    get_for_user=selectors.review_task_get_for_user,
    detail_url=_task_page,
    action_url_name="applications:review_task_action",
    actions=(
        Action("accept", label=_("接受任务"), success=_("已接受任务。"),
               perform=lambda task, *, actor, request, data: review_tasks.review_task_accept(
                   task=task, actor=actor, request=request)),
        Action("complete", label=_("完成任务"), style="success", success=_("任务已完成，指派人已收到通知。"),
               when=_completed_here,
               form=lambda task, data: task_reason_form(data, label=_("完成说明")),
               perform=lambda task, *, actor, request, data: review_tasks.review_task_complete(
                   task=task, actor=actor, comment=data["reason"], request=request)),
        Action("decline", label=_("谢绝任务"), style="outline-danger", success=_("已谢绝任务，指派人已收到通知。"),
               confirm=_("确认谢绝该任务？谢绝后您将不能再查看该事项，指派人可另行指派。"),
               form=lambda task, data: task_reason_form(data, label=_("谢绝原因")),
               perform=lambda task, *, actor, request, data: review_tasks.review_task_decline(
                   task=task, actor=actor, reason=data["reason"], request=request)),
    ),
))


# --- Objections to a public notice (公示异议, 第十一条): the city investigates, upholds or dismisses -----------------


def _objection_page(objection) -> str:
    return reverse("applications:proposed_list_detail", args=[objection.notice.proposed_list.public_id]) \
        + f"#objection-{objection.public_id}"


OBJECTION = register_workflow(Workflow(
    key="objection",
    model=Objection,
    label=_("公示异议"),
    get_for_user=selectors.objection_get_for_user,
    detail_url=_objection_page,
    action_url_name="applications:objection_action",
    actions=(
        Action("investigate", label=_("调查核实"), style="outline-primary", success=_("已标记为调查核实中。"),
               form=lambda case, data: ReasonForm(data, label=_("核实安排"), prefix=f"investigate-{case.pk}"),
               perform=lambda case, *, actor, request, data: publicity.objection_investigate(
                   objection=case, actor=actor, comment=data["reason"], request=request)),
        Action("uphold", label=_("异议成立"), style="outline-danger",
               success=_("已认定异议成立，该单位不予认定，已通知申报单位和异议人。"),
               confirm=lambda case: _("确认异议成立？%(unit)s将不予认定，此决定不可撤销。") % {
                   "unit": case.application.unit_name},
               form=lambda case, data: ReasonForm(data, label=_("处理意见"), prefix=f"uphold-{case.pk}"),
               perform=lambda case, *, actor, request, data: publicity.objection_uphold(
                   objection=case, actor=actor, reason=data["reason"], request=request)),
        Action("dismiss", label=_("异议不成立"), style="outline-success", success=_("已认定异议不成立，已通知异议人。"),
               confirm=_("确认异议不成立？处理意见将告知异议人。"),
               form=lambda case, data: ReasonForm(data, label=_("处理意见"), prefix=f"dismiss-{case.pk}"),
               perform=lambda case, *, actor, request, data: publicity.objection_dismiss(
                   objection=case, actor=actor, reason=data["reason"], request=request)),
    ),
))
