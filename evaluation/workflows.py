"""What a person can do on the cultivation pages, declared once (greenfactory.workflow): confirming an assessment,
carrying out a measure of the plan, and the district's readiness decision on a library entry (a transition of
applications' ``LibraryEntry``, fired by its service: the call flows down)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applications import services as applications_services
from applications.forms import ReasonForm
from applications.models import LibraryEntry
from evaluation import selectors, services
from evaluation.models import OPEN_MEASURE_STATES, Assessment, ImprovementMeasure
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
