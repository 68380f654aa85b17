"""Reads of the city's review and of the proposed lists (第十一条), scoped to the user (404 outside scope), and the
public notices and decisions (published, for everyone)."""

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from applications.access import is_city_officer
from applications.models import (
    OPEN_OBJECTION_STATES,
    CertificationDecision,
    Objection,
    ProposedList,
    PublicNotice,
)


def proposed_lists_for_user(user):
    """The city's lists, or the lists a department was asked about, newest first, with their unit counts."""
    return (ProposedList.objects.visible_to(user).select_related("round", "notice")
            .annotate(units=Count("applications", distinct=True)).order_by("-round__year", "-number"))


def proposed_list_get_for_user(user, public_id) -> ProposedList:
    return get_object_or_404(ProposedList.objects.visible_to(user).select_related("round", "notice"),
                             public_id=public_id)


def objection_get_for_user(user, public_id) -> Objection:
    """Objections are the city's to handle: nobody else reaches one (404)."""
    if not is_city_officer(user):
        raise Http404
    return get_object_or_404(Objection.objects.select_related("notice__proposed_list", "application"),
                             public_id=public_id)


def objections_of(notice):
    return list(notice.objections.select_related("application", "handled_by").prefetch_related("files")
                .order_by("filed_at", "id"))


def notices_published():
    """The public notices, newest first, with how many units each lists (one query)."""
    return (PublicNotice.objects.published().select_related("proposed_list__round")
            .annotate(units=Count("proposed_list__applications", distinct=True)).order_by("-starts_on", "-id"))


def notice_published_get(public_id) -> PublicNotice:
    return get_object_or_404(PublicNotice.objects.published().select_related("proposed_list__round"),
                             public_id=public_id)


def notice_get(public_id) -> PublicNotice:
    """Any notice, published or not yet begun: the city's preview."""
    return get_object_or_404(PublicNotice.objects.select_related("proposed_list__round"), public_id=public_id)


def decision_published_get(public_id) -> CertificationDecision:
    return get_object_or_404(CertificationDecision.objects.published().select_related("proposed_list__round"),
                             public_id=public_id)


def open_objection_count(notice) -> int:
    return notice.objections.filter(Q(status__in=OPEN_OBJECTION_STATES)).count()
