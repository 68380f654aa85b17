"""The assignee's page of review tasks: what was asked, on which case, by when; accept, decline (with a reason),
complete. The actions are declared in ``applications.workflows``; the buttons are what it allows the user."""

import hashlib
import uuid

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import prefetch_related_objects
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts.access import rule_required
from applications import selectors
from applications.choices import ReviewTaskKind, ReviewTaskStatus
from applications.models import CertificationApplication, IntakeApplication, LibraryEntry, ProposedList
from applications.workflows import REVIEW_TASK
from greenfactory import display
from greenfactory.case_pages import case_page
from greenfactory.display import escaped
from greenfactory.kept_forms import kept_markup
from greenfactory.portal import kept
from greenfactory.workflow_views import action_view

# The page of each kind of case an assignee may open: an intake application's own, a library entry's cultivation page
# where an app above registered it (greenfactory.case_pages.case_page).
CASE_PAGES = {IntakeApplication: lambda: "applications:intake_detail", LibraryEntry: lambda: case_page("library_entry"),
              CertificationApplication: lambda: case_page("certification_application"),
              ProposedList: lambda: "applications:proposed_list_detail"}


def case_url(case) -> str:
    page = CASE_PAGES.get(type(case))
    name = page() if page else None
    return reverse(name, args=[case.public_id]) if name and case is not None else ""


# A task of the assignee's page (applications/review/task_list.html), written in Python (greenfactory.display): its
# case, assigner, due date and note, and the buttons the workflow allows (TASK_FORM, TASK_REASON, TASK_BUTTON).
TASK_ROW = """  <div class="list-group-item">
    <div class="d-flex justify-content-between align-items-start flex-wrap gap-2">
      <div>
        <h2 class="h5 mb-1">{kind}：{case}</h2>
        <div class="small text-body-secondary">
          {assigner} {assigned_by} · {due} {due_on}
        </div>
        {note}
        {declined}
      </div>
      <span class="badge text-bg-secondary">{status}</span>
    </div>
    {form}
  </div>
"""
TASK_NOTE = '<div class="small">{}{}</div>'
TASK_DECLINED = '<div class="small text-danger">{}{}</div>'
TASK_FORM = """<form method="post" class="mt-2" action=""><input type="hidden" name="csrfmiddlewaretoken" \
value="{csrf}">
      {reason}
      {buttons}
    </form>
    """
TASK_REASON = """<label class="form-label small" for="reason-{id}">{label}</label>
      <textarea class="form-control mb-2" rows="2" name="reason" id="reason-{id}" maxlength="1000"></textarea>
      """
TASK_BUTTON = '<button class="btn btn-sm {style}" type="submit" formaction="{url}"{confirm}>{label}</button>'


_MARKER = uuid.UUID(int=0)


def _action_url(slug):
    """``public_id -> URL`` of a task action, reversed once a page."""
    head, tail = reverse("applications:review_task_action", args=[_MARKER, slug]).split(str(_MARKER))
    return lambda public_id: f"{head}{public_id}{tail}"


def _task_rows_html(request, tasks, cases, csrf):
    """The tasks' markup: labels, words and the action URL pattern made once a page, each value escaped; ``csrf``:
    what goes where the token does."""
    kinds, states = display.choice_labels(ReviewTaskKind), display.choice_labels(ReviewTaskStatus)
    words = {"assigner": _("指派人"), "due": _("完成期限")}
    note, declined, withdrawn = _("任务说明："), _("谢绝原因："), _("撤回原因：")
    reason_label = _("原因或说明（谢绝时必填）")
    action_urls = {slug: _action_url(slug) for slug in ("accept", "complete", "decline")}
    buttons = (("accept", "btn-primary", "", _("接受任务")), ("complete", "btn-success", "", _("完成任务")),
               ("decline", "btn-outline-danger", format_html(' data-confirm="{}"', _(
                   "确认谢绝该任务？谢绝后您将不能再查看该事项，指派人可另行指派。")), _("谢绝任务")))

    def form(task):
        actions = REVIEW_TASK.available_slugs(task, request.user)
        if not actions:
            return ""
        return mark_safe(TASK_FORM.format(  # noqa: S308  (every value escaped)
            csrf=escaped(csrf),
            reason=TASK_REASON.format(id=escaped(task.public_id), label=escaped(reason_label))
            if "decline" in actions or "complete" in actions else "",
            buttons="".join(TASK_BUTTON.format(style=style, url=escaped(action_urls[slug](task.public_id)),
                                               confirm=confirm, label=escaped(label))
                            for slug, style, confirm, label in buttons if slug in actions)))

    def case(task):
        name, url = cases[task.content_type_id, task.object_id]
        return format_html('<a href="{}">{}</a>', url, name) if url else name

    return display.html_rows(TASK_ROW, ({
        **words, "kind": kinds.get(task.kind, task.kind), "case": case(task),
        "assigned_by": task.assigner_full_name or task.assigner_username,  # as User.__str__
        "due_on": f"{task.due_on:%Y-%m-%d}", "status": states.get(task.status, task.status),
        "note": format_html(TASK_NOTE, note, task.note) if task.note else "",
        "declined": format_html(TASK_DECLINED, withdrawn if task.status == ReviewTaskStatus.WITHDRAWN else declined,
                                task.decline_reason) if task.decline_reason else "",
        "form": form(task)} for task in tasks))


def _case_links(user, tasks) -> dict:
    """Each task's case as shown (its __str__: name and year) with its page's URL, by (content type, object id):
    read with one query a kind of case, and kept across requests for this set of cases (a name, a year or a task
    changes only through the portal)."""
    pairs = sorted({(task.content_type_id, task.object_id) for task in tasks})

    def read():
        # Only the columns __str__ and the link read.
        prefetch_related_objects(tasks, GenericPrefetch("case", [
            IntakeApplication.objects.select_related("campaign").only("public_id", "company_name", "campaign__year"),
            LibraryEntry.objects.select_related("campaign", "enterprise").only(
                "public_id", "status", "campaign__year", "enterprise__name"),
            CertificationApplication.objects.select_related("round").only(
                "public_id", "unit_name", "unit_kind", "round__year"),
            ProposedList.objects.select_related("round").only("public_id", "number", "round__year"),
        ]))
        return {(task.content_type_id, task.object_id): (str(task.case), case_url(task.case)) for task in tasks}

    digest = hashlib.sha256(repr(pairs).encode()).hexdigest()[:32]
    return kept(f"review-cases:{user.pk}:{digest}", read) if pairs else {}


@rule_required("applications.view_review_tasks")
def review_task_list(request):
    """The assignee's tasks, their markup kept per user, language and day until a change (a task's transition or a
    posted form). Written: the tasks with their assigners' names, and (unless kept) one query per kind of case."""
    def write(marker):
        tasks = list(selectors.review_task_page_for_user(request.user))
        if not tasks:
            return ""
        return _task_rows_html(request, tasks, _case_links(request.user, tasks), marker)

    return render(request, "applications/review/task_list.html",
                  {"rows_html": kept_markup(request, "review-tasks", write)})


# Every button of the task page posts here: 404 outside scope, 403 for anyone but the assignee, the refused form
# again on the generic page, 409 when the task moved on (greenfactory.workflow_views).
review_task_action = action_view("review_task")
