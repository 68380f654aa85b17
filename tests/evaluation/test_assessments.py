"""The cultivation assessment (绿色生产水平评估, 三（二）): experts assigned to a library entry score it, the result is
combined and confirmed, the version is frozen, the score goes down to the library entry, the report PDF, the gaps and
the improvement plan, the readiness decision; each step only for its role."""

import datetime
from decimal import Decimal as D  # noqa: N817

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import AuditAction, AuditEvent, Deadline
from applications.models import LibraryStatus, ReviewTask
from applications.services import library_entry_mark_not_ready, library_entry_mark_ready
from evaluation.demo import demo_indicator_system
from evaluation.models import Assessment, ExpertScoring, ImprovementMeasure, IndicatorSystem, MeasureStatus
from evaluation.services import (
    assessment_assign_expert,
    assessment_confirm,
    assessment_report_pdf,
    measure_evidence_upload,
    measure_finish,
    measure_report_progress,
    measure_save,
    measure_start,
    plan_draft_from_gaps,
    scoring_save,
)
from greenfactory import workdays
from greenfactory.workflow import TransitionConflict
from tests.evaluation.test_figures import save as save_figures
from tests.factories import ExpertUserFactory, LibraryEntryFactory, pdf_bytes
from tests.helpers import run_pdf_tool

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]


@pytest.fixture
def entry(people):
    made = LibraryEntryFactory(application__enterprise=people.enterprise.organisation)
    demo_indicator_system([made.industry])
    return made


def due():
    return timezone.localdate() + datetime.timedelta(days=20)


def items_of(system, **points):
    """Every veto passed and the qualitative items at ``points`` (by code; default full points)."""
    items = {}
    for indicator in system.indicators.all():
        if indicator.kind == "veto":
            items[indicator.pk] = {"passed": points.get(indicator.code, True)}
        elif indicator.kind == "qualitative":
            items[indicator.pk] = {"points": points.get(indicator.code, indicator.points), "comment": "现场查看"}
    return items


def assign(people, entry, expert=None, actor=None):
    return assessment_assign_expert(entry=entry, actor=actor or people.district, expert=expert or people.expert,
                                    due_on=due())


def scored(people, entry, *, experts=None, **points):
    """Figures entered, experts assigned, each submits; returns the assessment."""
    save_figures(people.enterprise, year=timezone.localdate().year - 1)
    experts = experts or [people.expert]
    sheets = [assign(people, entry, expert) for expert in experts]
    for sheet, expert_points in zip(sheets, points.get("per_expert") or [{}] * len(sheets), strict=True):
        scoring_save(expert_scoring=sheet, actor=sheet.expert, visited_on=timezone.localdate(), opinion="总体较好",
                     items=items_of(sheet.assessment.system, **expert_points), submit=True)
    return sheets[0].assessment


# --- Assigning and scoring -------------------------------------------------------------------------------------------


def test_the_district_assigns_an_expert_and_an_assessment_opens_on_the_version_in_force(people, entry):
    save_figures(people.enterprise, year=timezone.localdate().year - 1)
    sheet = assign(people, entry)
    assessment = sheet.assessment
    assert assessment.system.code == "演示体系"
    assert assessment.figures.year == timezone.localdate().year - 1
    assert sheet.task.kind == "expert_review" and sheet.task.assignee_user == people.expert
    assert Deadline.objects.filter(kind="review_task", closed_at__isnull=True, user=people.expert).exists()
    # A second expert joins the same open assessment.
    other = ExpertUserFactory(organisation=people.expert.organisation)
    assert assign(people, entry, other).assessment == assessment
    assert Assessment.objects.filter(entry=entry).count() == 1


def test_another_district_and_the_enterprise_cannot_assign(people, entry):
    for user in (people.district_2, people.enterprise, people.expert):
        with pytest.raises(PermissionDenied):
            assign(people, entry, actor=user)
    assert not Assessment.objects.exists()


def test_the_city_may_assign_too(people, entry):
    assert assign(people, entry, actor=people.city).assessment.created_by == people.city


def test_the_expert_submits_scores_and_the_assignment_is_completed(people, entry):
    assessment = scored(people, entry)
    sheet = ExpertScoring.objects.get(assessment=assessment)
    assert sheet.submitted_at is not None
    assert ReviewTask.objects.get(pk=sheet.task_id).status == "done"
    assert not Deadline.objects.filter(kind="review_task", closed_at__isnull=True).exists()
    # Submitted scores are locked.
    with pytest.raises(TransitionConflict):
        scoring_save(expert_scoring=sheet, actor=people.expert, visited_on=None, opinion="", items={})


def test_a_submission_needs_the_visit_date_and_every_item(people, entry):
    sheet = assign(people, entry)
    system = sheet.assessment.system
    partial = {pk: data for pk, data in items_of(system).items() if data.get("passed") is None}
    with pytest.raises(ValidationError) as error:
        scoring_save(expert_scoring=sheet, actor=people.expert, visited_on=None, opinion="", items=partial,
                     submit=True)
    assert "visited_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        scoring_save(expert_scoring=sheet, actor=people.expert, visited_on=timezone.localdate(), opinion="",
                     items=partial, submit=True)
    assert "依法设立" in " ".join(error.value.message_dict["__all__"])


def test_points_beyond_the_item_and_a_visit_in_the_future_are_refused(people, entry):
    sheet = assign(people, entry)
    system = sheet.assessment.system
    items = items_of(system, E2=D(25))
    with pytest.raises(ValidationError) as error:
        scoring_save(expert_scoring=sheet, actor=people.expert,
                     visited_on=timezone.localdate() + datetime.timedelta(days=1), opinion="", items=items)
    messages = error.value.message_dict
    assert "visited_on" in messages
    assert any("0 至 20" in m for field, ms in messages.items() if field.startswith("item_") for m in ms)


def test_only_the_assigned_expert_scores(people, entry):
    sheet = assign(people, entry)
    stranger = ExpertUserFactory(organisation=people.expert.organisation)
    for user in (stranger, people.district, people.enterprise):
        with pytest.raises(PermissionDenied):
            scoring_save(expert_scoring=sheet, actor=user, visited_on=None, opinion="", items={})


# --- The combined result and its confirmation ------------------------------------------------------------------------


def test_two_experts_scores_are_averaged_with_their_spread_and_the_district_confirms(people, entry):
    other = ExpertUserFactory(organisation=people.expert.organisation)
    assessment = scored(people, entry, experts=[people.expert, other],
                        per_expert=[{"E2": D(20)}, {"E2": D(10)}])
    confirmed = assessment_confirm(assessment=assessment, actor=people.district, comment="同意")
    items = {i["code"]: i for i in confirmed.result["items"]}
    assert items["E2"]["score"] == "15.00" and items["E2"]["spread"] == "10.00"
    # The figures: energy 2724.741 tce ÷ 4000 t = 0.6812 tce/t, beyond the 基准值 0.5 → 0 points; water reuse 75 %:
    # (75 − 50) ÷ (95 − 50) × 20 = 11.11.
    assert items["E1"]["score"] == "0.00"
    assert items["R1"]["score"] == "11.11"
    # Energy 15/40 × 40 = 15; resources (11.11 + 20)/40 × 40 = 31.11; management 20/20 × 20 = 20.
    assert confirmed.total == D("66.11")
    assert confirmed.vetoed is False
    assert confirmed.system.frozen_at is not None
    entry.refresh_from_db()
    assert entry.assessed_score == D("66.11") and entry.assessed_vetoed is False
    assert AuditEvent.objects.filter(action=AuditAction.TRANSITION, object_id=str(confirmed.public_id)).exists()


def test_confirmation_waits_for_every_assigned_expert_then_is_the_districts_turn(people, entry):
    other = ExpertUserFactory(organisation=people.expert.organisation)
    assessment = scored(people, entry)
    turn = Deadline.objects.filter(kind="assessment_confirmation", closed_at__isnull=True)
    assert turn.get().organisation.district_id == entry.district_id   # the only expert has submitted
    sheet = assign(people, entry, other)
    assert not turn.exists()                                        # waits for the new expert again
    with pytest.raises(ValidationError) as error:
        assessment_confirm(assessment=assessment, actor=people.district)
    assert str(other) in str(error.value)
    scoring_save(expert_scoring=sheet, actor=other, visited_on=timezone.localdate(), opinion="",
                 items=items_of(assessment.system), submit=True)
    assert turn.exists()
    assessment_confirm(assessment=assessment, actor=people.district)
    assert not turn.exists()


def test_a_version_without_its_values_cannot_be_assessed_and_says_so(people):
    entry = LibraryEntryFactory(application__enterprise=people.enterprise.organisation)
    with pytest.raises(ValidationError) as error:
        assign(people, entry)
    message = str(error.value)
    assert "GB/T 36132-2025" in message and "待管理员录入" in message
    assert not Assessment.objects.exists() and not ReviewTask.objects.exists()   # nothing half-made


def test_a_failed_veto_is_kept_and_blocks_readiness(people, entry):
    assessment = scored(people, entry, per_expert=[{"V1": False}])
    confirmed = assessment_confirm(assessment=assessment, actor=people.district)
    assert confirmed.vetoed is True and "依法设立" in confirmed.result["failed_vetoes"][0]
    entry.refresh_from_db()
    with pytest.raises(ValidationError):
        library_entry_mark_ready(entry=entry, actor=people.district)
    entry.refresh_from_db()
    assert entry.status == LibraryStatus.CULTIVATING


def test_only_the_entrys_district_or_the_city_confirms(people, entry):
    assessment = scored(people, entry)
    for user in (people.district_2, people.expert, people.enterprise):
        with pytest.raises(PermissionDenied):
            assessment_confirm(assessment=assessment, actor=user)
    assert assessment_confirm(assessment=assessment, actor=people.city).status == "confirmed"
    with pytest.raises(TransitionConflict):
        assessment_confirm(assessment=assessment, actor=people.district)


def test_a_used_version_is_frozen_and_a_change_makes_a_new_version(people, entry):
    from evaluation.services import indicator_save

    assessment = assessment_confirm(assessment=scored(people, entry), actor=people.district)
    indicator = assessment.system.indicators.get(code="E2")
    indicator.points = D(25)
    saved, revised = indicator_save(indicator=indicator, actor=people.admin)
    assert revised and saved.system_id != assessment.system_id
    assert IndicatorSystem.objects.get(pk=assessment.system_id).indicators.get(code="E2").points == D(20)


# --- The report --------------------------------------------------------------------------------------------------


def pdf_text(data, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return run_pdf_tool("pdftotext", path), run_pdf_tool("pdffonts", path)


def test_the_report_pdf_has_the_scores_in_chinese_with_an_embedded_cjk_font(people, entry, tmp_path):
    assessment = scored(people, entry)
    plan_draft_from_gaps(assessment=assessment, actor=people.expert)
    confirmed = assessment_confirm(assessment=assessment, actor=people.district)
    data, filename = assessment_report_pdf(assessment=confirmed, actor=people.enterprise)
    text, fonts = pdf_text(data, tmp_path)
    text = "".join(text.split())  # table cells wrap their text
    assert "绿色生产水平评估报告" in text and entry.enterprise.name in text
    assert str(confirmed.total) in text
    for words in ("能源低碳化", "资源高效化", "用水重复利用率", "降低单位产品", "依法设立", "总体较好"):
        assert words in text, words
    assert "CJK" in fonts and "yes" in fonts.split("CJK", 1)[1].splitlines()[0]
    assert filename.endswith(".pdf")
    assert AuditEvent.objects.filter(action=AuditAction.DOWNLOAD, object_id=str(confirmed.public_id)).exists()


def test_no_report_before_confirmation(people, entry):
    assessment = scored(people, entry)
    with pytest.raises(TransitionConflict):
        assessment_report_pdf(assessment=assessment, actor=people.district)


# --- Gaps and the improvement plan -----------------------------------------------------------------------------------


def test_the_gaps_draft_the_plan_most_points_lost_first_and_not_twice(people, entry):
    assessment = scored(people, entry, per_expert=[{"M2": D(5)}])
    made = plan_draft_from_gaps(assessment=assessment, actor=people.expert)
    assert [m.indicator.code for m in made] == ["E1", "R1", "M2"]   # 20, 8.89, 5 points lost
    assert made[0].category == "energy_mix" and "0.6812" in made[0].expected_effect
    # Lower is better for an intensity, higher for a rate; a qualitative item is improved.
    assert made[0].title == "降低单位产品综合能耗" and "降至引领值0.1" in made[0].expected_effect
    assert made[1].title == "提高用水重复利用率" and made[2].title == "完善绿色采购制度"
    # 120 working days from today on the official calendar.
    assert made[0].due_on == workdays.WorkingCalendar().add_working_days(timezone.localdate(), 120)
    with pytest.raises(ValidationError):
        plan_draft_from_gaps(assessment=assessment, actor=people.expert)


def test_the_enterprise_does_not_draft_and_experts_stop_drafting_after_confirmation(people, entry):
    assessment = scored(people, entry)
    with pytest.raises(PermissionDenied):
        plan_draft_from_gaps(assessment=assessment, actor=people.enterprise)
    assessment_confirm(assessment=assessment, actor=people.district)
    with pytest.raises(TransitionConflict):
        measure_save(measure=ImprovementMeasure(assessment=assessment, category="other", title="新项目",
                                                due_on=due()), actor=people.expert)


def test_a_confirmed_plan_s_measures_have_deadlines_the_enterprise_carries_them_out(people, entry):
    assessment = scored(people, entry)
    measure = plan_draft_from_gaps(assessment=assessment, actor=people.expert)[0]
    assessment_confirm(assessment=assessment, actor=people.district)
    clock = Deadline.objects.get(kind="improvement_measure", object_id=measure.pk)
    assert clock.organisation_id == entry.enterprise_id and clock.due_on == measure.due_on
    with pytest.raises(PermissionDenied):
        measure_start(measure=measure, actor=people.district)
    measure_start(measure=measure, actor=people.enterprise)
    measure_report_progress(measure=measure, actor=people.enterprise, progress="余热回收设备已招标")
    with pytest.raises(ValidationError):
        measure_finish(measure=measure, actor=people.enterprise)        # no evidence yet
    from django.core.files.uploadedfile import SimpleUploadedFile

    measure_evidence_upload(measure=measure, actor=people.enterprise,
                            uploaded_file=SimpleUploadedFile("验收报告.pdf", pdf_bytes(), "application/pdf"))
    done = measure_finish(measure=measure, actor=people.enterprise, comment="已验收")
    assert done.status == MeasureStatus.DONE
    clock.refresh_from_db()
    assert clock.closed_at is not None


# --- Readiness (成熟) ------------------------------------------------------------------------------------------------


def test_the_district_marks_ready_after_a_confirmed_assessment_and_records_not_yet_with_reasons(people, entry):
    with pytest.raises(ValidationError):
        library_entry_mark_ready(entry=entry, actor=people.district)
    assessment_confirm(assessment=scored(people, entry), actor=people.district)
    entry.refresh_from_db()
    with pytest.raises(PermissionDenied):
        library_entry_mark_ready(entry=entry, actor=people.district_2)
    with pytest.raises(PermissionDenied):
        library_entry_mark_ready(entry=entry, actor=people.city)
    ready = library_entry_mark_ready(entry=entry, actor=people.district, reason="达到申报条件")
    assert ready.status == LibraryStatus.READY and ready.readiness_note == "达到申报条件"
    with pytest.raises(ValidationError):
        library_entry_mark_not_ready(entry=ready, actor=people.district, reason=" ")
    back = library_entry_mark_not_ready(entry=ready, actor=people.district, reason="节能改造尚未完成")
    assert back.status == LibraryStatus.CULTIVATING and back.readiness_note == "节能改造尚未完成"
    assert AuditEvent.objects.filter(action=AuditAction.TRANSITION, object_id=str(entry.public_id)).count() == 2


def test_a_new_confirmed_plan_replaces_the_open_measures_of_the_last_one(people, entry):
    first = scored(people, entry)
    old = plan_draft_from_gaps(assessment=first, actor=people.expert)
    assessment_confirm(assessment=first, actor=people.district)
    sheet = assign(people, entry)
    scoring_save(expert_scoring=sheet, actor=people.expert, visited_on=timezone.localdate(), opinion="",
                 items=items_of(sheet.assessment.system), submit=True)
    assessment_confirm(assessment=sheet.assessment, actor=people.district)
    for measure in old:
        measure.refresh_from_db()
        assert measure.status == MeasureStatus.DROPPED and "取代" in measure.drop_reason
    assert not Deadline.objects.filter(kind="improvement_measure", closed_at__isnull=True,
                                       object_id__in=[m.pk for m in old]).exists()


def test_not_ready_twice_with_the_same_reasons_is_recorded_once(people, entry):
    assessment_confirm(assessment=scored(people, entry), actor=people.district)
    entry.refresh_from_db()
    library_entry_mark_not_ready(entry=entry, actor=people.district, reason="能耗偏高")
    with pytest.raises(TransitionConflict):
        library_entry_mark_not_ready(entry=entry, actor=people.district, reason="能耗偏高")


def test_no_evidence_on_a_measure_before_its_plan_is_confirmed(people, entry):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assessment = scored(people, entry)
    measure = plan_draft_from_gaps(assessment=assessment, actor=people.expert)[0]
    with pytest.raises(TransitionConflict):
        measure_evidence_upload(measure=measure, actor=people.enterprise,
                                uploaded_file=SimpleUploadedFile("a.pdf", pdf_bytes(), "application/pdf"))
