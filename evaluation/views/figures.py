"""Yearly figures: the enterprise's years, entering a year, a year's record with its computed indicators and
evidence (seen also by the enterprise's district and the city)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import allowed
from evaluation import selectors, services
from evaluation.figures import COMPUTED
from evaluation.forms import FiguresEvidenceForm, FiguresForm, figure_years
from evaluation.models import SECTION_FIELDS, EnergyCarrier, FiguresEvidence, FiguresSection, YearlyFigures
from greenfactory.documents import document_response
from greenfactory.forms import form_add_service_errors
from greenfactory.kept_forms import blank_form_html, unbound_form_html
from greenfactory.portal import ANY_SCOPE, REFERENCE_SCOPE, kept


def _require_entering(request):
    if not allowed("evaluation.enter_figures", request.user):
        raise PermissionDenied
    return request.user.organisation


def figures_list(request):
    """The enterprise's years: entered or not, with the way to enter or correct each."""
    unit = _require_entering(request)
    entered = selectors.figures_by_year(request.user, unit.pk)
    rows = [{"year": year, "figures": entered.get(year)} for year in figure_years()]
    return render(request, "evaluation/figures_list.html", {"rows": rows})


def figures_edit(request, year):
    unit = _require_entering(request)
    if year not in figure_years():
        raise Http404
    if request.method != "POST":
        # The form as it opens, with this year's figures, kept until any posted form or a change of the energy
        # carriers (reference data).
        opened = kept(f"figures-form:{unit.pk}:{year}:{get_language()}", lambda: _opened_form(unit, year),
                      reads=(ANY_SCOPE, REFERENCE_SCOPE))
        return render(request, "evaluation/figures_form.html", {"form_html": mark_safe(opened["html"]),  # noqa: S308
                                                                "year": year, "figures_id": opened["public_id"]})
    form = _form(unit, year, request.POST)
    if form.is_valid():
        try:
            saved = services.figures_save(unit=unit, year=year, data=form.data_values(),
                                          energy=form.energy_values(), actor=request.user,
                                          checked_note=form.cleaned_data.get("checked_note") or "", request=request)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("%(year)s年度绿色绩效数据已保存。") % {"year": year})
            return redirect("evaluation:figures_detail", saved.public_id)
    return render(request, "evaluation/figures_form.html",
                  {"form": form, "year": year, "figures_id": form.instance.public_id if form.instance.pk else None},
                  status=400)


def _form(unit, year, data=None):
    figures = YearlyFigures.objects.filter(unit=unit, year=year).first()
    energy = {use.carrier_id: use.quantity for use in figures.energy_uses.all()} if figures else {}
    return FiguresForm(data, instance=figures or YearlyFigures(unit=unit, year=year),
                       carriers=list(EnergyCarrier.objects.all()), energy=energy)


def _opened_form(unit, year) -> dict:
    form = _form(unit, year)
    return {"html": unbound_form_html(form), "public_id": form.instance.public_id if form.instance.pk else None}


def _computed_rows(figures, energy):
    values = figures.computed(energy)
    previous = YearlyFigures.objects.filter(unit_id=figures.unit_id, year=figures.year - 1).first()
    before = previous.computed() if previous else {}
    return [{"indicator": c, "value": values[c.key], "previous": before.get(c.key)} for c in COMPUTED]


def _sections(figures):
    for section, names in SECTION_FIELDS.items():
        rows = []
        for name in names:
            field = YearlyFigures._meta.get_field(name)
            rows.append({"label": field.verbose_name, "value": getattr(figures, name),
                         "unit": field.help_text if field.get_internal_type() == "DecimalField" else ""})
        yield {"label": FiguresSection(section).label, "key": section, "rows": rows}


def _body_html(figures) -> str:
    energy = selectors.figures_energy(figures)
    return render_to_string("evaluation/_figures_body.html", {
        "energy": energy, "sections": list(_sections(figures)), "computed": _computed_rows(figures, energy)})


def figures_detail(request, public_id, *, evidence_form=None):
    if not allowed("evaluation.view_figures", request.user):
        raise PermissionDenied
    figures = selectors.figures_get_for_user(request.user, public_id)
    can_edit = allowed("evaluation.enter_figures", request.user, figures.unit)
    # The figures, the computed indicators beside last year's and the evidence list change only through the portal's
    # posted forms, each of which moves the generation ``kept`` compares: kept per record and language.
    key = f"figures:{figures.pk}:{get_language()}"
    return render(request, "evaluation/figures_detail.html", {
        "figures": figures,
        "body_html": mark_safe(kept(f"{key}:body", lambda: _body_html(figures))),  # noqa: S308  (rendered template)
        "evidence_html": mark_safe(kept(f"{key}:evidence", lambda: render_to_string(  # noqa: S308
            "evaluation/_figures_evidence.html", {"figures": figures,
                                                  "evidence": selectors.figures_evidence(figures)}))),
        "can_edit": can_edit and figures.year in figure_years(),
        "evidence_form": evidence_form,
        "evidence_form_html": (blank_form_html(request, "figures-evidence", FiguresEvidenceForm)
                               if can_edit and evidence_form is None else ""),
    }, status=400 if evidence_form is not None else 200)


@require_POST
def evidence_upload(request, public_id):
    figures = selectors.figures_get_for_user(request.user, public_id)
    if not allowed("evaluation.enter_figures", request.user, figures.unit):
        raise PermissionDenied
    form = FiguresEvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.figures_evidence_upload(figures=figures, section=form.cleaned_data["section"],
                                             uploaded_file=form.cleaned_data["file"], actor=request.user,
                                             request=request)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("证明材料已上传。"))
            return redirect("evaluation:figures_detail", figures.public_id)
    return figures_detail(request, public_id, evidence_form=form)


def evidence_download(request, public_id, evidence_id):
    figures = selectors.figures_get_for_user(request.user, public_id)
    evidence = FiguresEvidence.objects.filter(figures=figures, pk=evidence_id).first()
    if evidence is None:
        raise Http404
    return document_response(request, evidence, back_url=reverse("evaluation:figures_detail", args=[public_id]))
