"""Support pages: training and exchange events (the list with the organiser's form, an event with sign-up and
attendance) and technical assistance (an organisation's assignments; the visit form)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.choices import Role
from accounts.scope import signed_in
from evaluation import services
from evaluation.forms import SignUpForm, TrainingEventForm, VisitForm  # noqa: F401
from evaluation.models import TechnicalAssistance, TrainingEvent
from evaluation.views.cultivation import cultivation, visit_forms
from greenfactory.forms import form_add_service_errors
from greenfactory.kept_forms import page_body

SUPPORT_ROLES = (Role.ENTERPRISE, Role.DISTRICT, Role.CITY, Role.ADMIN)


def _require_support(request):
    if not signed_in(request.user) or request.user.role not in SUPPORT_ROLES:
        raise PermissionDenied


def event_list(request, *, form=None):
    _require_support(request)

    def context():
        can_publish = services.can_organise_events(request.user)
        return {"events": list(TrainingEvent.objects.visible_to(request.user).select_related("district").order_by(
            "-starts_at", "-id")[:100]), "now": timezone.now(),
            "form": form or (TrainingEventForm() if can_publish else None)}

    # Kept per minute as well: whether an event still takes sign-ups follows the clock.
    key = f"events:{timezone.localtime():%H%M}"
    return render(request, "evaluation/event_list.html", {"body_html": page_body(
        request, key, "evaluation/_event_list_body.html", context, fresh=form is not None)},
        status=400 if form is not None else 200)


@require_POST
def event_create(request):
    _require_support(request)
    if not services.can_organise_events(request.user):
        raise PermissionDenied
    form = TrainingEventForm(request.POST)
    if form.is_valid():
        try:
            event = services.event_publish(event=form.instance, actor=request.user, request=request)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("活动已发布，已通知培育库企业。"))
            return redirect("evaluation:event_detail", event.public_id)
    return event_list(request, form=form)


def _event(request, public_id):
    _require_support(request)
    return get_object_or_404(TrainingEvent.objects.visible_to(request.user), public_id=public_id)


def event_detail(request, public_id, *, sign_up_form=None):
    event = _event(request, public_id)
    user = request.user

    def context():
        organiser = services.is_organiser(user, event)
        mine = event.sign_ups.filter(unit_id=user.organisation_id).first() if user.role == Role.ENTERPRISE else None
        can_sign_up = mine is None and event.is_open_for_sign_up() and services.can_sign_up(user)
        return {"event": event, "organiser": organiser, "mine": mine,
                "sign_ups": list(event.sign_ups.select_related("unit")) if organiser else [],
                "sign_up_count": event.sign_ups.count(),
                "sign_up_form": sign_up_form or (SignUpForm() if can_sign_up else None),
                "can_record": organiser and event.starts_at <= timezone.now() and event.cancelled_at is None}

    # Kept per minute as well: whether it is open for sign-up follows the clock.
    key = f"event:{event.pk}:{timezone.localtime():%H%M}"
    return render(request, "evaluation/event_detail.html", {"event": event, "body_html": page_body(
        request, key, "evaluation/_event_detail_body.html", context, fresh=sign_up_form is not None)},
        status=400 if sign_up_form is not None else 200)


@require_POST
def event_sign_up(request, public_id):
    event = _event(request, public_id)
    form = SignUpForm(request.POST)
    if form.is_valid():
        try:
            services.event_sign_up(event=event, actor=request.user, attendees=form.cleaned_data["attendees"],
                                   request=request)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("报名成功。"))
            return redirect("evaluation:event_detail", event.public_id)
    return event_detail(request, public_id, sign_up_form=form)


@require_POST
def event_attendance(request, public_id):
    event = _event(request, public_id)
    attended = {}
    for sign_up in event.sign_ups.all():
        value = request.POST.get(f"attended_{sign_up.pk}")
        attended[sign_up.pk] = {"yes": True, "no": False}.get(value)
    try:
        changed = services.event_record_attendance(event=event, actor=request.user, attended=attended,
                                                   request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("出席情况已记录（%(n)d 家）。") % {"n": changed})
    return redirect("evaluation:event_detail", event.public_id)


@require_POST
def event_cancel(request, public_id):
    event = _event(request, public_id)
    try:
        services.event_cancel(event=event, actor=request.user, reason=request.POST.get("reason", ""),
                              request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("活动已取消，已通知报名企业。"))
    return redirect("evaluation:event_detail", event.public_id)


# --- Technical assistance --------------------------------------------------------------------------------------------


def assistance_list(request, *, visit_bound=None):
    """The assisting organisation's (evaluator role) assignments with their visits; the form to record one."""
    if not signed_in(request.user) or request.user.role != Role.EVALUATOR:
        raise PermissionDenied
    rows = visit_forms(list(TechnicalAssistance.objects.visible_to(request.user).select_related(
        "entry__enterprise", "entry__district").prefetch_related("visits")[:100]), visit_bound)
    return render(request, "evaluation/assistance_list.html", {"rows": rows},
                  status=400 if visit_bound is not None else 200)


@require_POST
def assistance_visit(request, public_id):
    assistance = get_object_or_404(TechnicalAssistance.objects.visible_to(request.user), public_id=public_id)
    form = VisitForm(request.POST, prefix=f"visit-{assistance.pk}")
    back = request.POST.get("back") == "cultivation"
    if form.is_valid():
        try:
            services.assistance_visit_record(assistance=assistance, actor=request.user,
                                             visited_on=form.cleaned_data["visited_on"],
                                             content=form.cleaned_data["content"], request=request)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("帮扶记录已保存。"))
            if back:
                return redirect("evaluation:cultivation", assistance.entry.public_id)
            return redirect("evaluation:assistance_list")
    # Shown again with what was typed and the messages at their fields.
    if back:
        return cultivation(request, assistance.entry.public_id, visit_bound=(assistance.pk, form))
    return assistance_list(request, visit_bound=(assistance.pk, form))
