"""The one action view of a workflow: every button on a case page posts here, named by its declared action.

Order of answers, the same for every workflow: a case outside the user's scope is 404 (``get_for_user``); an action
the user may never take is 403, before anything is said about the case's state; a bad form or a rule the service
refuses shows the case page again with what was typed kept; a case that moved on meanwhile is 409 with a link back
(``TransitionConflict``, answered by ``greenfactory.middleware.TransitionConflictMiddleware``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from greenfactory.forms import form_add_service_errors
from greenfactory.workflow import workflow_for


def _show_again(request, workflow, case, action, form):
    """The refused form again, what was typed kept: on the workflow's own case page when it has one, else on the
    generic page of the action (its question, its form with the messages, the way back)."""
    form.action = action  # so that the case page puts it in the place of the action's empty form
    if workflow.render_case is not None:
        return workflow.show_again(request, case, action=action, form=form)
    return render(request, "workflow/action_refused.html", {
        "case": case, "action": action, "form": form, "back": workflow.detail_url(case), "workflow": workflow,
        "url": request.path}, status=400)


def action_view(workflow_key: str, *, slug: str | None = None):
    """The view for ``workflow_key``'s actions: the URL names the action (``<slug:action>``), or ``slug`` binds one
    (for the URL names that pages and tests already use)."""

    @require_POST
    def view(request, public_id, action=None):
        workflow = workflow_for(workflow_key)
        try:
            declared = workflow.action(slug or action)
        except KeyError:
            raise Http404 from None
        case = workflow.get_for_user(request.user, public_id)
        if not declared.permitted(case, request.user):
            raise PermissionDenied
        form = declared.form(case, request.POST) if declared.form else None
        if form is not None and not form.is_valid():
            return _show_again(request, workflow, case, declared, form)
        data = form.cleaned_data if form is not None else {}
        try:
            result = declared.perform(case, actor=request.user, request=request, data=data)
        except ValidationError as error:
            if form is not None:
                form_add_service_errors(form, error)
                return _show_again(request, workflow, case, declared, form)
            for message in error.messages:
                messages.error(request, message)
            return redirect(workflow.detail_url(case))
        done = result if result is not None else case
        messages.success(request, declared.success_message(done))
        return redirect(declared.next_url(done) if declared.next_url else workflow.detail_url(done))

    view.workflow_key = workflow_key
    return view
