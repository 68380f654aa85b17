"""The proposed lists (拟认定名单, 第十一条) as the city and the departments work on them: the lists, and a list's page
with its units, the departments' answers side by side, the city's forms to send it, publish it and issue the
decision, the objections of its notice with their handling, and the department's own answer form."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications import selectors
from applications.access import is_city_officer, is_review_task_assignee
from applications.choices import OPEN_REVIEW_TASK_STATES
from applications.forms.city_review import DecisionForm, DepartmentAnswerForm, PublishForm, SendForm
from applications.models import DepartmentOpinionFile, ObjectionFile, ProposedListStatus
from applications.services import publicity
from applications.workflows import OBJECTION
from greenfactory.documents import document_response
from greenfactory.forms import form_add_service_errors
from greenfactory.kept_forms import page_body
from greenfactory.workflow import history
from greenfactory.workflow_views import action_view

CITY_ISSUER = "重庆市经济和信息化委员会"


def proposed_lists(request):
    if not (is_city_officer(request.user) or request.user.role == "department"):
        raise PermissionDenied
    body = page_body(request, "proposed-lists", "applications/city_review/_list_index_body.html", lambda: {
        "lists": list(selectors.proposed_lists_for_user(request.user)), "city": is_city_officer(request.user)})
    return render(request, "applications/city_review/list_index.html", {"body_html": body})


def _my_task(tasks, user):
    return next((t for t in tasks if t.assignee_user_id == user.pk), None)


def proposed_list_detail(request, public_id, *, send_form=None, publish_form=None, decision_form=None,
                         answer_form=None, status=200):
    """A list's page. Its body is kept per user, language and day until a posted form or a transition changes it
    (the scope is read first: a list out of scope is 404 before anything kept is shown)."""
    proposed_list = selectors.proposed_list_get_for_user(request.user, public_id)
    bound = (send_form, publish_form, decision_form, answer_form)
    body = page_body(request, f"proposed-list:{proposed_list.pk}", "applications/city_review/_list_detail_body.html",
                     lambda: _list_context(request, proposed_list, *bound),
                     fresh=any(form is not None for form in bound))
    return render(request, "applications/city_review/list_detail.html", {"list": proposed_list, "body_html": body},
                  status=status)


def _list_context(request, proposed_list, send_form, publish_form, decision_form, answer_form) -> dict:
    city = is_city_officer(request.user)
    units = list(publicity.members(proposed_list))
    tasks = publicity.department_tasks(proposed_list)
    if not city:
        # A department reads its own answer, not the others'.
        tasks = [t for t in tasks if t.assignee_user_id == request.user.pk]
    context = {"list": proposed_list, "units": units, "tasks": tasks, "city": city,
               "rows": publicity.opinions_matrix(proposed_list, units, tasks, submitted_only=city),
               "history": history(proposed_list)}
    notice = getattr(proposed_list, "notice", None)
    context["notice"] = notice
    if city:
        if notice is not None:
            context["objections"] = selectors.objections_of(notice)
            for objection in context["objections"]:
                objection.buttons = OBJECTION.buttons(objection, request.user)
            context["notice_open"] = notice.is_open()
        decision = getattr(proposed_list, "decision", None)
        context["decision"] = decision
        if proposed_list.status == ProposedListStatus.OPEN:
            context["send_form"] = send_form or SendForm(departments=publicity.department_users())
        elif proposed_list.status == ProposedListStatus.CONSULTING:
            context["publication_gaps"] = publicity.publication_gaps(proposed_list, tasks)
            context["publish_form"] = publish_form or PublishForm(initial={
                "title": _("%(year)s年度重庆市绿色工厂、绿色园区拟认定名单公示") % {"year": proposed_list.round.year},
                "starts_on": timezone.localdate(),
                "body": _("根据《重庆市绿色园区和绿色工厂认定管理办法》第十一条，经审查、现场核实和专家评审，并征求市级"
                          "相关部门意见，现将拟认定名单予以公示。公示期间，如有异议，请以真实姓名（单位名称）在线提交"
                          "或通过以下渠道反映。")})
        elif proposed_list.status == ProposedListStatus.IN_PUBLICITY:
            context["decision_gaps"] = publicity.decision_gaps(proposed_list)
            context["decision_form"] = decision_form or DecisionForm(initial={
                "title": _("关于公布%(year)s年度重庆市绿色工厂、绿色园区名单的通知")
                % {"year": proposed_list.round.year},
                "issuer": CITY_ISSUER, "issued_on": timezone.localdate(),
                "body": _("各区县经信部门：\n根据《重庆市绿色园区和绿色工厂认定管理办法》，经企业（园区）申报、区县"
                          "推荐、市级审查、征求市级相关部门意见和公示，现将认定结果公布如下。")})
    else:
        mine = _my_task(tasks, request.user)
        context["my_task"] = mine
        if mine is not None and mine.status in OPEN_REVIEW_TASK_STATES \
                and proposed_list.status == ProposedListStatus.CONSULTING:
            opinions = {o.application_id: o for o in mine.department_opinions.all()}
            context["answer_form"] = answer_form or DepartmentAnswerForm(units=units, opinions=opinions)
    return context


def _again(request, public_id, **forms):
    return proposed_list_detail(request, public_id, status=400, **forms)


def _city_list(request, public_id):
    proposed_list = selectors.proposed_list_get_for_user(request.user, public_id)
    if not is_city_officer(request.user):
        raise PermissionDenied
    return proposed_list


def _done(request, proposed_list, message):
    messages.success(request, message)
    return redirect("applications:proposed_list_detail", proposed_list.public_id)


@require_POST
def proposed_list_send(request, public_id):
    proposed_list = _city_list(request, public_id)
    form = SendForm(request.POST, departments=publicity.department_users())
    if form.is_valid():
        try:
            publicity.proposed_list_send(proposed_list=proposed_list, actor=request.user,
                                         departments=form.cleaned_data["departments"],
                                         due_on=form.cleaned_data["due_on"], note=form.cleaned_data["note"],
                                         request=request)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            return _done(request, proposed_list, _("名单已发送各部门征求意见。"))
    return _again(request, public_id, send_form=form)


@require_POST
def department_answer(request, public_id):
    proposed_list = selectors.proposed_list_get_for_user(request.user, public_id)
    task = _my_task(publicity.department_tasks(proposed_list), request.user)
    if task is None or not is_review_task_assignee(request.user, task):
        raise PermissionDenied
    units = list(publicity.members(proposed_list))
    form = DepartmentAnswerForm(request.POST, request.FILES, units=units)
    if form.is_valid():
        submit = "submit_answer" in request.POST
        try:
            publicity.department_opinions_save(task=task, actor=request.user, answers=form.answers(),
                                               files=form.uploaded_files(), submit=submit, request=request)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            return _done(request, proposed_list, _("意见已提交，市经济信息委已可查看。") if submit
                         else _("意见已保存，确认无误后请点击“提交意见”。"))
    return _again(request, public_id, answer_form=form)


@require_POST
def notice_publish(request, public_id):
    proposed_list = _city_list(request, public_id)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            publicity.notice_publish(proposed_list=proposed_list, actor=request.user, request=request,
                                     **{name: form.cleaned_data[name]
                                        for name in ("title", "body", "contact", "starts_on")})
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            return _done(request, proposed_list, _("拟认定名单已在门户网站公示。"))
    return _again(request, public_id, publish_form=form)


@require_POST
def decision_issue(request, public_id):
    proposed_list = _city_list(request, public_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            publicity.decision_issue(proposed_list=proposed_list, actor=request.user, request=request,
                                     **{name: form.cleaned_data[name]
                                        for name in ("title", "document_number", "issuer", "issued_on", "body")})
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            return _done(request, proposed_list, _("认定决定已发布，证书正在生成。"))
    return _again(request, public_id, decision_form=form)


objection_action = action_view("objection")


def objection_file_download(request, public_id, file_id):
    proposed_list = _city_list(request, public_id)
    document = ObjectionFile.objects.filter(objection__notice__proposed_list=proposed_list, pk=file_id).first()
    if document is None:
        raise Http404
    return document_response(request, document, back_url=reverse("applications:proposed_list_detail",
                                                                  args=[public_id]))


def department_file_download(request, public_id, file_id):
    proposed_list = selectors.proposed_list_get_for_user(request.user, public_id)
    document = (DepartmentOpinionFile.objects.filter(opinion__task__proposed_list=proposed_list, pk=file_id)
                .select_related("opinion__task").first())
    if document is None or not (is_city_officer(request.user)
                                or document.opinion.task.assignee_user_id == request.user.pk):
        raise Http404
    return document_response(request, document, back_url=reverse("applications:proposed_list_detail",
                                                                  args=[public_id]))
