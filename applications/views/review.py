"""The assignee's page of review tasks: what was asked, on which case, by when; accept, decline (with a reason),
complete. The actions are declared in ``applications.workflows``; the buttons are what it allows the user."""

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.shortcuts import render
from django.urls import reverse

from accounts.access import rule_required
from applications import selectors
from applications.choices import ReviewTaskKind, ReviewTaskStatus
from applications.models import IntakeApplication, LibraryEntry
from applications.workflows import REVIEW_TASK
from greenfactory import display
from greenfactory.workflow_views import action_view

# The page of each kind of case an assignee may open (a library entry has none of its own yet).
CASE_PAGES = {IntakeApplication: "applications:intake_detail"}


def case_url(case) -> str:
    name = CASE_PAGES.get(type(case))
    return reverse(name, args=[case.public_id]) if name and case is not None else ""


@rule_required("applications.view_review_tasks")
def review_task_list(request):
    """Queries: the tasks with their content types and people, and one per kind of case (with its campaign)."""
    # Each case is shown by its name and year (its __str__) and linked by its public id: only those columns.
    tasks = list(selectors.review_task_list_for_user(request.user).prefetch_related(GenericPrefetch("case", [
        IntakeApplication.objects.select_related("campaign").only("public_id", "company_name", "campaign__year"),
        LibraryEntry.objects.select_related("campaign", "enterprise").only(
            "public_id", "campaign__year", "enterprise__name"),
    ])))
    # Each task's labels and date made here, once a page (get_FOO_display hashes every lazy label each call).
    kinds, states = display.choice_labels(ReviewTaskKind), display.choice_labels(ReviewTaskStatus)
    rows = [{"task": task, "case_url": case_url(task.case), "kind": kinds.get(task.kind, task.kind),
             "status": states.get(task.status, task.status), "due_on": f"{task.due_on:%Y-%m-%d}",
             "actions": REVIEW_TASK.available_slugs(task, request.user)} for task in tasks]
    return render(request, "applications/review/task_list.html", {"rows": rows})


# Every button of the task page posts here: 404 outside scope, 403 for anyone but the assignee, the refused form
# again on the generic page, 409 when the task moved on (greenfactory.workflow_views).
review_task_action = action_view("review_task")
