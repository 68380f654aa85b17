"""The city's review on the certification case page (第十一条): the review's tasks with their opinions, the experts'
mean and spread, what the review still lacks, the city's form to ask for a task and the assignee's opinion form, and
the forms posted from them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.choices import Role
from applications import selectors as applications_selectors
from applications import services as applications_services
from applications.access import can_city_review
from applications.choices import OPEN_REVIEW_TASK_STATES
from applications.forms.city_review import OpinionForm, TaskAssignForm
from applications.models import CertificationStatus as Status
from applications.models import ReviewTask, TaskOpinionFile
from applications.services.review import review_task_assign
from greenfactory.documents import document_response
from greenfactory.forms import form_add_service_errors

# The states from which the city's review has something to show.
SHOWN_FROM = (Status.CITY_REVIEW, Status.PROPOSED, Status.IN_PUBLICITY, Status.CERTIFIED, Status.NOT_CERTIFIED,
              Status.SUBMITTED, Status.RECOMMENDED)


def _my_open_task(tasks, user):
    return next((t for t in tasks if t.assignee_user_id == user.pk and t.status in OPEN_REVIEW_TASK_STATES), None)


def city_review_context(user, application, *, assign_form=None, opinion_form=None) -> dict:
    """What the city's review section shows this user: the city all tasks, their opinions and the experts' figures;
    an assignee its own tasks and, while one is open, its opinion form; anyone else nothing of it."""
    city = can_city_review(user, application)
    # Only the city and the people it asks (its staff, experts) have anything here: the others cost no query.
    if application.status not in SHOWN_FROM or not (city or user.role in (Role.EXPERT, Role.CITY)):
        return {}
    tasks = applications_services.city_review_tasks(application)
    if not city:
        tasks = [t for t in tasks if t.assignee_user_id == user.pk]
    if not tasks and not city:
        return {}
    context = {"city_review": True, "city_tasks": tasks, "city_officer": city}
    if city:
        context["expert_scores"] = applications_services.expert_scores(tasks)
        if application.status == Status.CITY_REVIEW:
            context["review_gaps"] = applications_services.review_gaps(application, tasks)
            context["assign_form"] = assign_form or TaskAssignForm()
    mine = _my_open_task(tasks, user)
    if mine is not None and application.status == Status.CITY_REVIEW:
        context["my_task"] = mine
        context["opinion_form"] = opinion_form or OpinionForm(kind=mine.kind)
    return context


def _case(request, public_id):
    return applications_selectors.certification_get_for_user(request.user, public_id)


def _again(request, public_id, **forms):
    from evaluation.views.certification import certification

    return certification(request, public_id, status=400, **forms)


@require_POST
def city_task_assign(request, public_id):
    application = _case(request, public_id)
    form = TaskAssignForm(request.POST)
    if form.is_valid():
        try:
            review_task_assign(case=application, actor=request.user, kind=form.cleaned_data["kind"],
                               assignee=form.cleaned_data["assignee"], due_on=form.cleaned_data["due_on"],
                               note=form.cleaned_data["note"], request=request)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("任务已指派，承办人已收到通知。"))
            return redirect(reverse("evaluation:certification", args=[public_id]) + "#city-review")
    return _again(request, public_id, assign_form=form)


@require_POST
def task_opinion(request, public_id, task_id):
    application = _case(request, public_id)
    task = ReviewTask.objects.filter(certification_application=application, public_id=task_id,
                                     assignee_user=request.user).first()
    if task is None:
        raise Http404
    form = OpinionForm(request.POST, request.FILES, kind=task.kind)
    if form.is_valid():
        try:
            applications_services.task_opinion_write(
                task=task, actor=request.user, conclusion=form.cleaned_data["conclusion"],
                findings=form.cleaned_data["findings"], visited_on=form.cleaned_data.get("visited_on"),
                score=form.cleaned_data.get("score"), files=form.cleaned_data["files"], request=request)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("意见已提交，任务已完成。"))
            return redirect(reverse("evaluation:certification", args=[public_id]) + "#city-review")
    return _again(request, public_id, opinion_form=form)


def opinion_file_download(request, public_id, file_id):
    application = _case(request, public_id)
    document = TaskOpinionFile.objects.filter(opinion__task__certification_application=application,
                                              pk=file_id).select_related("opinion__task").first()
    if document is None or not (can_city_review(request.user, application)
                                or document.opinion.task.assignee_user_id == request.user.pk):
        raise Http404
    return document_response(request, document, back_url=reverse("evaluation:certification", args=[public_id]))
