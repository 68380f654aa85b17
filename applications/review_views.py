"""The assignee's page of review tasks: what was asked, on which case, by when; accept, decline (with a reason),
complete. Each action calls one service of ``applications.review_tasks``; the buttons are the transitions the state
machine allows the user."""

from django.contrib import messages
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.access import rule_required
from applications import review_tasks, selectors
from applications.forms import ReasonForm
from applications.models import IntakeApplication, LibraryEntry

# The page of each kind of case an assignee may open (a library entry has none of its own yet).
CASE_PAGES = {IntakeApplication: "applications:intake_detail"}

ACTIONS = {
    "accept": (lambda task, user, reason, request: review_tasks.review_task_accept(
        task=task, actor=user, request=request), _("已接受任务。")),
    "decline": (lambda task, user, reason, request: review_tasks.review_task_decline(
        task=task, actor=user, reason=reason, request=request), _("已谢绝任务，指派人已收到通知。")),
    "complete": (lambda task, user, reason, request: review_tasks.review_task_complete(
        task=task, actor=user, comment=reason, request=request), _("任务已完成，指派人已收到通知。")),
}


def case_url(case) -> str:
    name = CASE_PAGES.get(type(case))
    return reverse(name, args=[case.public_id]) if name and case is not None else ""


@rule_required("applications.view_review_tasks")
def review_task_list(request):
    """Queries: the tasks with their content types and people, and one per kind of case (with its campaign)."""
    tasks = list(selectors.review_task_list_for_user(request.user).prefetch_related(GenericPrefetch("case", [
        IntakeApplication.objects.select_related("campaign"),
        LibraryEntry.objects.select_related("campaign", "enterprise"),
    ])))
    rows = [{"task": task, "case_url": case_url(task.case),
             "actions": {t.name for t in task.get_available_user_status_transitions(request.user)}}
            for task in tasks]
    return render(request, "applications/review/task_list.html",
                  {"rows": rows, "reason_form": ReasonForm(label=_("原因或说明"))})


@require_POST
@rule_required("applications.view_review_tasks")
def review_task_action(request, public_id, action):
    if action not in ACTIONS:
        raise Http404
    task = selectors.review_task_get_for_user(request.user, public_id)
    form = ReasonForm(request.POST, label=_("原因或说明"))
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    service, done = ACTIONS[action]
    try:
        service(task, request.user, reason, request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("applications:review_task_list")
