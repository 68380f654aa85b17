"""Reads of evaluation, scoped to the user (404 out of scope)."""

from django.shortcuts import get_object_or_404

from evaluation.models import FiguresEvidence, YearlyFigures


def figures_list_for_user(user):
    return YearlyFigures.objects.visible_to(user)


def figures_get_for_user(user, public_id) -> YearlyFigures:
    return get_object_or_404(figures_list_for_user(user).select_related("unit", "unit__district", "updated_by"),
                             public_id=public_id)


def figures_by_year(user, unit_id) -> dict[int, YearlyFigures]:
    """A unit's figures in the user's scope, by year (one query: what the list shows)."""
    return {f.year: f for f in figures_list_for_user(user).filter(unit_id=unit_id).only(
        "public_id", "year", "updated_at", "unit_id")}


def figures_energy(figures):
    """The energy lines with their carriers (one query)."""
    return list(figures.energy_uses.select_related("carrier"))


def figures_evidence(figures):
    return list(FiguresEvidence.objects.filter(figures=figures).select_related("uploaded_by")
                .order_by("section", "-version"))
