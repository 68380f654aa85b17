"""What a person can do on the cultivation and certification pages, declared once (greenfactory.workflow): confirming
an assessment, carrying out a measure of the plan, the district's readiness decision on a library entry, the steps of
a certification application (transitions of applications' models, fired by their services: the call flows down), and
the city's keeping of the evaluator register."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applications import selectors as applications_selectors
from applications import services as applications_services
from applications.forms import ReasonForm
from applications.models import CertificationApplication, LibraryEntry
from evaluation import selectors, services
from evaluation.forms.certification import AnswerDaysForm
from evaluation.models import OPEN_MEASURE_STATES, Assessment, EvaluatorOrganisation, ImprovementMeasure
from greenfactory.workflow import Action, Workflow, register_workflow


def _reason(label, data, prefix=None):
    """A reason box; ``prefix`` where a page shows two (their ids differ)."""
    return ReasonForm(data, label=label, prefix=prefix)


def _open_measures(entry) -> int:
    return ImprovementMeasure.objects.filter(entry=entry, status__in=OPEN_MEASURE_STATES,
                                             assessment__status="confirmed").count()


ASSESSMENT = register_workflow(Workflow(
    key="assessment",
    model=Assessment,
    label=_("绿色生产水平评估"),
    get_for_user=selectors.assessment_get_for_user,
    detail_url=lambda assessment: reverse("evaluation:assessment_detail", args=[assessment.public_id]),
    action_url_name="evaluation:assessment_action",
    render_case="evaluation.views.cultivation.assessment_again",
    actions=(
        Action("confirm", label=_("确认评估结果"), style="success", success=_("评估结果已确认，已通知企业。"),
               confirm=_("确认评估结果？确认后专家评分不能再修改，提升方案交企业实施，所用指标体系版本将被锁定。"),
               form=lambda case, data: _reason(_("确认意见"), data),
               perform=lambda case, *, actor, request, data: services.assessment_confirm(
                   assessment=case, actor=actor, comment=data["reason"], request=request)),
    ),
))


MEASURE = register_workflow(Workflow(
    key="measure",
    model=ImprovementMeasure,
    label=_("绿色化改造项目"),
    get_for_user=selectors.measure_get_for_user,
    detail_url=lambda measure: reverse("evaluation:measure_detail", args=[measure.public_id]),
    action_url_name="evaluation:measure_action",
    render_case="evaluation.views.cultivation.measure_again",
    actions=(
        Action("start", label=_("开始实施"), success=_("已标记为实施中。"),
               perform=lambda case, *, actor, request, data: services.measure_start(
                   measure=case, actor=actor, request=request)),
        Action("finish", label=_("标记完成"), style="success", success=_("项目已完成，期限提醒已停止。"),
               confirm=_("确认该项目已完成？完成后不能再填报进展。"),
               form=lambda case, data: _reason(_("完成情况说明"), data, "finish"),
               perform=lambda case, *, actor, request, data: services.measure_finish(
                   measure=case, actor=actor, comment=data["reason"], request=request)),
        Action("drop", label=_("取消项目"), style="outline-danger", success=_("项目已取消。"),
               confirm=_("确认取消该项目？取消后不能恢复。"),
               form=lambda case, data: _reason(_("取消原因"), data, "drop"),
               perform=lambda case, *, actor, request, data: services.measure_drop(
                   measure=case, actor=actor, reason=data["reason"], request=request)),
    ),
))


LIBRARY_ENTRY = register_workflow(Workflow(
    key="library_entry",
    model=LibraryEntry,
    label=_("培育库企业"),
    get_for_user=selectors.entry_get_for_user,
    detail_url=lambda entry: reverse("evaluation:cultivation", args=[entry.public_id]),
    action_url_name="evaluation:entry_action",
    render_case="evaluation.views.cultivation.cultivation_again",
    actions=(
        Action("mark_ready", label=_("标记为成熟（可申报认定）"), style="success",
               success=_("已标记为成熟，已通知企业。"),
               confirm=lambda entry: _("确认将该企业标记为成熟？最近评估得分 %(score)s，"
                                       "尚有 %(open)d 个改造项目未完成。标记后企业可申报绿色工厂认定。") % {
                   "score": entry.assessed_score if entry.assessed_score is not None else "—",
                   "open": _open_measures(entry)},
               form=lambda case, data: _reason(_("意见"), data, "ready"),
               perform=lambda case, *, actor, request, data: applications_services.library_entry_mark_ready(
                   entry=case, actor=actor, reason=data["reason"], open_measures=_open_measures(case),
                   request=request)),
        Action("mark_not_ready", slug="not-ready", label=_("暂不成熟"), style="outline-warning",
               success=_("已记录暂不成熟的意见，已通知企业。"), confirm=_("确认记录该企业暂不成熟？"),
               form=lambda case, data: _reason(_("暂不成熟的原因"), data, "not-ready"),
               perform=lambda case, *, actor, request, data: applications_services.library_entry_mark_not_ready(
                   entry=case, actor=actor, reason=data["reason"], request=request)),
    ),
))


# --- Certification (认定申报): the applicant's and the district's steps on the case page -----------------------------


def _request_more(case, *, actor, request, data):
    # The service returns the review round it sent; the page to go back to is the case's.
    applications_services.certification_request_more(application=case, actor=actor,
                                                     working_days=data["working_days"], request=request)
    return case


def _days(case, data):
    return AnswerDaysForm(data, prefix="more")


CERTIFICATION = register_workflow(Workflow(
    key="certification",
    model=CertificationApplication,
    label=_("认定申报"),
    get_for_user=applications_selectors.certification_get_for_user,
    detail_url=applications_services.certification_url,
    action_url_name="evaluation:certification_action",
    render_case="evaluation.views.certification.certification_again",
    actions=(
        Action("submit", label=_("提交区县审核"), success=_("申报已提交，区县经信部门将进行审核。"),
               confirm=_("确认提交区县经信部门审核？提交后基本条件和自评价不能再修改。"),
               perform=lambda case, *, actor, request, data: applications_services.certification_submit(
                   application=case, actor=actor, request=request)),
        Action("answer", label=_("提交补充材料"), style="success",
               success=_("补充材料已提交，区县经信部门将继续审核。"),
               confirm=_("确认提交补充材料？提交后不能再修改本轮补充内容。"),
               perform=lambda case, *, actor, request, data: applications_services.certification_answer(
                   application=case, actor=actor, request=request)),
        Action("commission_withdrawn", slug="withdraw-commission", label=_("撤回评价委托"), style="outline-warning",
               when=lambda case, user: applications_services.commission_withdrawable(case),
               success=_("已撤回评价委托，可另行选择评价机构。"),
               confirm=_("确认撤回对该评价机构的委托？机构将不能再查看本申报。"),
               form=lambda case, data: _reason(_("撤回原因"), data, "withdraw-commission"),
               perform=lambda case, *, actor, request, data: applications_services.certification_commission_withdraw(
                   application=case, actor=actor, reason=data["reason"], request=request)),
        Action("restart", label=_("整改后重新评价"), style="outline-primary",
               success=_("申报已回到自评价阶段，请整改后重新自评价并委托评价。"),
               confirm=_("确认整改后重新评价？本次评价报告将保留在记录中。"),
               form=lambda case, data: _reason(_("整改情况"), data, "restart"),
               perform=lambda case, *, actor, request, data: applications_services.certification_restart(
                   application=case, actor=actor, reason=data["reason"], request=request)),
        Action("withdraw", label=_("撤回申报"), style="outline-danger", success=_("申报已撤回。"),
               confirm=_("确认撤回本年度认定申报？撤回后区县不再审核，如需申报须重新填写。"),
               perform=lambda case, *, actor, request, data: applications_services.certification_withdraw(
                   application=case, actor=actor, request=request)),
        Action("request_more", slug="request-more", label=_("要求补充材料"), style="warning",
               success=_("已将标记为“需补充”的事项发给申报单位。"),
               confirm=_("确认将审核清单中标记为“需补充”的事项发给申报单位补充？"), form=_days,
               perform=_request_more),
        Action("recommend", label=_("推荐至市经济信息委"), style="success", success=_("已推荐至市经济信息委。"),
               confirm=_("确认推荐至市经济信息委？推荐后不能撤回。"),
               form=lambda case, data: _reason(_("推荐意见"), data, "recommend"),
               perform=lambda case, *, actor, request, data: applications_services.certification_recommend(
                   application=case, actor=actor, comment=data["reason"], request=request)),
        Action("return_for_changes", slug="return", label=_("退回修改"), style="outline-warning",
               success=_("已退回申报单位修改。"), confirm=_("确认退回申报单位修改？"),
               form=lambda case, data: _reason(_("退回原因"), data, "return"),
               perform=lambda case, *, actor, request, data: applications_services.certification_return(
                   application=case, actor=actor, reason=data["reason"], request=request)),
        Action("reject", label=_("不予推荐"), style="outline-danger", success=_("已作出不予推荐的决定。"),
               confirm=_("确认不予推荐？此决定不可撤销。"),
               form=lambda case, data: _reason(_("不予推荐的原因"), data, "reject"),
               perform=lambda case, *, actor, request, data: applications_services.certification_reject(
                   application=case, actor=actor, reason=data["reason"], request=request)),
        # 第十一条: the city's review.
        Action("start_city_review", slug="start-city-review", label=_("开始市级审查"), style="primary",
               success=_("已开始市级审查，请指派材料审查、现场核实和专家评审任务。"),
               perform=lambda case, *, actor, request, data: applications_services.city_review_start(
                   application=case, actor=actor, request=request)),
        Action("propose", label=_("列入拟认定名单"), style="success", success=_("已列入本年度编制中的拟认定名单。"),
               confirm=_("确认将该单位列入拟认定名单？名单将征求市级相关部门意见后公示。"),
               form=lambda case, data: _reason(_("审查意见"), data, "propose"),
               perform=lambda case, *, actor, request, data: applications_services.certification_propose(
                   application=case, actor=actor, comment=data["reason"], request=request)),
        Action("unpropose", label=_("移出拟认定名单"), style="outline-warning", success=_("已移出拟认定名单。"),
               confirm=_("确认将该单位移出拟认定名单？申报回到市级审查。"),
               form=lambda case, data: _reason(_("移出原因"), data, "unpropose"),
               perform=lambda case, *, actor, request, data: applications_services.certification_unpropose(
                   application=case, actor=actor, reason=data["reason"], request=request)),
        Action("city_return", slug="city-return", label=_("退回区县"), style="outline-warning",
               success=_("已退回区县经信部门。"),
               confirm=_("确认退回区县经信部门？未完成的审查任务将被撤回。"),
               form=lambda case, data: _reason(_("退回原因"), data, "city-return"),
               perform=lambda case, *, actor, request, data: applications_services.certification_city_return(
                   application=case, actor=actor, reason=data["reason"], request=request)),
        Action("city_reject", slug="city-reject", label=_("不予认定"), style="outline-danger",
               success=_("已作出不予认定的决定。"), confirm=_("确认不予认定？此决定不可撤销。"),
               form=lambda case, data: _reason(_("不予认定的原因"), data, "city-reject"),
               perform=lambda case, *, actor, request, data: applications_services.certification_city_reject(
                   application=case, actor=actor, reason=data["reason"], request=request)),
    ),
))


REGISTER = register_workflow(Workflow(
    key="evaluator_register",
    model=EvaluatorOrganisation,
    label=_("第三方评价机构"),
    get_for_user=selectors.register_get_for_user,
    detail_url=lambda entry: reverse("evaluation:register_detail", args=[entry.public_id]),
    action_url_name="evaluation:register_action",
    actions=tuple(
        Action(name, label=label, style=style, success=success, confirm=confirm,
               form=lambda case, data, label=reason_label, name=name: _reason(label, data, name),
               perform=lambda case, *, actor, request, data, name=name: services.register_change(
                   register=case, actor=actor, name=name, reason=data["reason"], request=request))
        for name, label, style, success, confirm, reason_label in (
            ("recommend", _("列入推荐名单"), "success", _("已列入推荐名单。"),
             _("确认将该机构列入市级绿色制造第三方服务机构推荐名单（第二十一条）？"), _("推荐理由")),
            ("unrecommend", _("移出推荐名单"), "outline-warning", _("已移出推荐名单。"),
             _("确认将该机构移出推荐名单？"), _("原因")),
            ("disqualify", _("取消评价资格"), "outline-danger", _("已取消该机构的评价资格。"),
             _("确认取消该机构在本市开展绿色制造评价的资格（第二十二条）？取消后申报单位不能再委托该机构。"),
             _("取消原因")),
            ("reinstate", _("恢复评价资格"), "outline-primary", _("已恢复该机构的评价资格。"),
             _("确认恢复该机构的评价资格？"), _("恢复原因")))),
))
