"""City-scale data of intake (``manage.py seed_scale``, ``greenfactory.scale``): one city-wide campaign a year (the
current one open) but in the two oldest years of a span of four or more, when three districts ran their own instead,
and about one in five active enterprises applying each year. Past
years' applications are decided (accepted, rejected, returned, withdrawn); the current campaign has applications in
every state. Each application has what the services would have left: criteria results and a stamped scan once
submitted, its library entry once accepted, its state log and audit trail, and its submission clock while a draft or
a returned case waits in the open campaign. ``bench-enterprise``'s accepted application of the current campaign is
made first, through the services (``applications.scale_bench``), and the mass scan records name the file its scan
stored (same name, size and SHA-256), so every scan downloads; its earlier years are made with the mass.

Which enterprise applies in which year, and how it ends, depends on its index and the year alone, so reruns agree.

Leaves in ``context.shared``: ``campaigns`` ({(year, district id or None): campaign}), ``scan`` (the stored scan
the mass scan records name).
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from accounts.choices import DeadlineKind, OrganisationStatus
from accounts.models import AuditAction, AuditEvent, Deadline, Sector
from accounts.scale import ScaleEnterprise
from applications.choices import ReviewTaskKind, ReviewTaskStatus
from applications.models import (
    CriterionResult,
    CultivationCampaign,
    EntryCriterion,
    EntryCriterionResult,
    IntakeApplication,
    IntakeStatus,
    LibraryEntry,
    ReviewTask,
    StampedScan,
)
from applications.scale_bench import bench_application, bench_scan
from greenfactory.scale import ScaleContext, spread

APPLY_PER_100 = 20  # active enterprises applying to the city campaign each year
DISTRICT_APPLY_PER_100 = 8  # of the others, in a district with its own campaign
DISTRICT_CAMPAIGN_POSITIONS = (3, 12, 20)  # districts that ran their own campaign in the district-run years
# The oldest years of a span of four or more: a few districts ran their own campaigns and the city none (a year has
# either one city-wide campaign or districts' own, never both: applications.services.campaigns).
DISTRICT_RUN_YEARS = 2
# Shares (per 100) of the states, in the order they are rolled.
CURRENT_STATES = ((IntakeStatus.SUBMITTED, 62), (IntakeStatus.DRAFT, 14), (IntakeStatus.ACCEPTED, 10),
                  (IntakeStatus.RETURNED, 6), (IntakeStatus.REJECTED, 4), (IntakeStatus.WITHDRAWN, 4))
PAST_STATES = ((IntakeStatus.ACCEPTED, 58), (IntakeStatus.REJECTED, 17), (IntakeStatus.RETURNED, 12),
               (IntakeStatus.WITHDRAWN, 13))
DECISION_TRANSITIONS = {IntakeStatus.ACCEPTED: "accept", IntakeStatus.RETURNED: "return_for_changes",
                        IntakeStatus.REJECTED: "reject"}
REASONS = {IntakeStatus.RETURNED: "请补充近三年财务报表及能源管理体系认证证书。",
           IntakeStatus.REJECTED: "年产值未达到入库标准（5000万元）。", IntakeStatus.ACCEPTED: ""}
KEY_SECTORS = [s.value for s in Sector]
BENCH_INDEX = 900_000  # the bench enterprise's index in the deterministic choices
BENCH_PAST_STATES = (IntakeStatus.ACCEPTED, IntakeStatus.REJECTED, IntakeStatus.ACCEPTED, IntakeStatus.WITHDRAWN,
                     IntakeStatus.RETURNED)


def _aware(day: date, minutes: int = 600) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()) + timedelta(minutes=minutes))


def _campaign(context, year, district, created_by, number) -> tuple[CultivationCampaign, bool]:
    title = f"{year}年{district.name if district else ''}绿色工厂培育工作"
    # Any campaign of that year and scope is reused (the demo data's, or an earlier run's): one a year per scope.
    found = CultivationCampaign.objects.filter(year=year, district=district).order_by("pk").first()
    if found is not None:
        return found, False
    if year == context.current_year:
        opens_on, deadline = context.today - timedelta(days=20), context.today + timedelta(days=25)
    else:
        opens_on, deadline = date(year, 3, 1), date(year, 5, 31)
    prefix = f"{district.name[:2]}经信发" if district else "渝经信节能"
    return CultivationCampaign.objects.create(
        year=year, title=title, district=district, opens_on=opens_on, deadline=deadline,
        key_sectors=KEY_SECTORS if district is None else KEY_SECTORS[:3],
        document_number=f"{prefix}〔{year}〕{number}号",
        created_by_id=created_by, created_at=_aware(opens_on - timedelta(days=5))), True


def _campaigns(context) -> tuple[dict, int]:
    city = context.shared["bench"]["bench-city"].pk
    districts = {d.position: d for d in context.shared["districts"]}
    officials = context.shared["officials"]
    campaigns, made = {}, 0
    years = context.year_list
    district_run = set(years[:DISTRICT_RUN_YEARS]) if len(years) >= 4 else set()
    for year in years:
        if year not in district_run:
            campaigns[(year, None)], created = _campaign(context, year, None, city, 6)
            made += created
        else:
            for position in DISTRICT_CAMPAIGN_POSITIONS:
                d = districts[position]
                campaigns[(year, d.pk)], created = _campaign(context, year, d, officials[d.pk], 12 + position)
                made += created
    return campaigns, made


def _state(index, year, current) -> str:
    roll = spread(index, year + 31, 100)
    for state, share in CURRENT_STATES if current else PAST_STATES:
        if roll < share:
            return state
        roll -= share
    return IntakeStatus.SUBMITTED


def _applies(enterprise, year, district_campaigns):
    """The district id of the campaign the enterprise applies to in ``year`` (None: the city's), or False."""
    if enterprise.status != OrganisationStatus.ACTIVE or enterprise.created_at.year > year:
        return False
    if spread(enterprise.index, year, 100) < APPLY_PER_100:
        return None
    if enterprise.district_id in district_campaigns and spread(enterprise.index, year + 7919, 100) < \
            DISTRICT_APPLY_PER_100:
        return enterprise.district_id
    return False


def _timeline(context, campaign, index, state):
    """(created, submitted, decided) of an application in ``state``."""
    if campaign.year == context.current_year:
        created = context.now - timedelta(days=4 + spread(index, 41, 15), minutes=spread(index, 42, 1440))
        submitted = created + timedelta(days=1 + spread(index, 43, 3), minutes=spread(index, 44, 600))
        decided = min(submitted + timedelta(days=1 + spread(index, 45, 3)), context.now - timedelta(hours=2))
    else:
        created = _aware(campaign.opens_on + timedelta(days=spread(index, 41, 50)), spread(index, 42, 900))
        submitted = created + timedelta(days=1 + spread(index, 43, 30), minutes=spread(index, 44, 600))
        decided = submitted + timedelta(days=5 + spread(index, 45, 40))
    if state == IntakeStatus.DRAFT:
        return created, None, None
    if state in (IntakeStatus.SUBMITTED, IntakeStatus.WITHDRAWN):
        return created, submitted, None
    return created, submitted, decided


def build_applications(context, plans) -> dict[str, int]:
    """Bulk-create the applications ``plans`` lists — (enterprise, campaign, state) — with everything their states
    imply. The enterprises are ``accounts.scale.ScaleEnterprise`` records (or alike)."""
    industries = {i.pk: i for i in context.shared["industries"]}
    officials = context.shared["officials"]
    applications = []
    for enterprise, campaign, state in plans:
        created, submitted, decided = _timeline(context, campaign, enterprise.index, state)
        output = Decimal(3000 + spread(enterprise.index, campaign.year + 51, 90000))
        if state == IntakeStatus.REJECTED:
            output = Decimal(1000 + spread(enterprise.index, 52, 3000))
        applications.append(IntakeApplication(
            campaign_id=campaign.pk, enterprise_id=enterprise.organisation_id, district_id=enterprise.district_id,
            status=state, company_name=enterprise.name, industry_id=enterprise.industry_id,
            address="重庆市工业园路1号", ownership_type="private", credit_code=enterprise.credit_code,
            postal_code="401220", founded_on=date(2005, 5, 18), registered_capital=Decimal("5000"),
            main_products="工业产品", output_value=output, total_profit_1=Decimal("310.50"),
            total_profit_2=Decimal("420.00"), total_profit_3=Decimal("515.20"), quality_management_certified=True,
            environmental_management_certified=True,
            occupational_health_safety_certified=spread(enterprise.index, 53, 2) == 0,
            energy_management_certified=spread(enterprise.index, 54, 3) == 0, major_accident=False,
            preparer_name="张经办", preparer_phone="13800138000",
            profile_text="公司专注主营产品的研发与生产，已实施余热回收、光伏发电等节能改造，计划继续推进清洁生产。",
            commitment_accepted=submitted is not None, commitment_signatory="王总" if submitted else "",
            commitment_date=submitted.date() if submitted else None, independent_legal_person=True,
            green_investment_amount=Decimal(100 + spread(enterprise.index, 55, 5000)),
            green_investment_areas=["energy_water", "cleaner_production"], created_at=created,
            submitted_at=submitted, decided_at=decided, decision_reason=REASONS.get(state, "") if decided else ""))
    IntakeApplication.objects.bulk_create(applications, batch_size=context.batch_size)
    owners = {e.organisation_id: e.user_id for e, _c, _s in plans}
    campaigns = {c.pk: c for _e, c, _s in plans}
    counts = {"intake applications": len(applications)}
    submitted = [a for a in applications if a.submitted_at]
    criteria = []
    for a in submitted:
        for criterion in EntryCriterion.values:
            result = CriterionResult.MET
            if criterion == EntryCriterion.OUTPUT and a.status == IntakeStatus.REJECTED:
                result = CriterionResult.NOT_MET
            elif criterion == EntryCriterion.INVESTMENT_WILLINGNESS and spread(a.pk, 61, 10) == 0:
                result = CriterionResult.JUDGEMENT
            criteria.append(EntryCriterionResult(application_id=a.pk, criterion=criterion, result=result,
                                                 reason="依据申请表填报内容判定", evaluated_at=a.submitted_at))
    EntryCriterionResult.objects.bulk_create(criteria, batch_size=context.batch_size)
    counts["criteria results"] = len(criteria)
    # Every scan names the one file stored through save_upload (none when bench-enterprise's scan is gone).
    stored = context.shared.get("scan")
    scans = [] if stored is None else [
        StampedScan(application_id=a.pk, file=stored.file.name, original_name=stored.original_name,
                    content_type=stored.content_type, size=stored.size, sha256=stored.sha256, version=1,
                    uploaded_by_id=owners[a.enterprise_id], uploaded_at=a.submitted_at) for a in submitted]
    StampedScan.objects.bulk_create(scans, batch_size=context.batch_size)
    counts["stamped scans"] = len(scans)
    library = []
    for a in applications:
        if a.status == IntakeStatus.ACCEPTED:
            sector = industries[a.industry_id].sector
            library.append(LibraryEntry(application_id=a.pk, campaign_id=a.campaign_id, enterprise_id=a.enterprise_id,
                                        district_id=a.district_id, industry_id=a.industry_id,
                                        sector=sector if sector in KEY_SECTORS else Sector.CONSUMER_GOODS,
                                        entered_at=a.decided_at,
                                        status="ready" if spread(a.pk, 71, 4) == 0 else "cultivating"))
    LibraryEntry.objects.bulk_create(library, batch_size=context.batch_size)
    counts["library entries"] = len(library)
    counts.update(_history(context, applications, owners, officials, campaigns))
    indexes = [e.index for e, _c, _s in plans]
    counts["review tasks"] = _review_tasks(context, applications, indexes, campaigns)
    return counts


def _review_tasks(context, applications, indexes, campaigns) -> int:
    """Expert reviews the districts ordered on about one in eight waiting applications of an open campaign, half of
    them accepted by the expert, each with the expert's clock."""
    experts, officials = context.shared.get("experts") or [], context.shared["officials"]
    if not experts:
        return 0
    tasks = []
    for a, index in zip(applications, indexes, strict=True):
        campaign = campaigns[a.campaign_id]
        if a.status != IntakeStatus.SUBMITTED or not campaign.is_open(context.now) or spread(index, 81, 8):
            continue
        assigned = a.submitted_at + timedelta(hours=2 + spread(index, 82, 40))
        accepted = spread(index, 83, 2) == 0
        tasks.append(ReviewTask(
            content_type=ContentType.objects.get_for_model(IntakeApplication), object_id=a.pk,
            district_id=a.district_id, applicant_id=a.enterprise_id, kind=ReviewTaskKind.EXPERT_REVIEW,
            assignee_user_id=experts[spread(index, 84, len(experts))], due_on=context.today + timedelta(
                days=spread(index, 85, 15) - 2), note="请核查企业能源管理与清洁生产情况。",
            status=ReviewTaskStatus.ACCEPTED if accepted else ReviewTaskStatus.ASSIGNED,
            assigned_by_id=officials[a.district_id], assigned_at=min(assigned, context.now),
            accepted_at=min(assigned + timedelta(hours=5), context.now) if accepted else None))
    ReviewTask.objects.bulk_create(tasks, batch_size=context.batch_size)
    task_type = ContentType.objects.get_for_model(ReviewTask)
    url = reverse("applications:review_task_list")
    by_pk = {a.pk: a for a in applications}
    Deadline.objects.bulk_create([Deadline(
        kind=DeadlineKind.REVIEW_TASK, content_type=task_type, object_id=t.pk, user_id=t.assignee_user_id,
        due_on=t.due_on, opened_at=t.assigned_at, url=url,
        label=f"专家评审：{by_pk[t.object_id].company_name}（{campaigns[by_pk[t.object_id].campaign_id].year}）"[:200])
        for t in tasks], batch_size=context.batch_size)
    return len(tasks)


def _history(context, applications, owners, officials, campaigns) -> dict[str, int]:
    content_type = ContentType.objects.get_for_model(IntakeApplication)
    logs, events, clocks = [], [], []

    def record(a, name, source, target, actor, when, comment=""):
        logs.append(StateLog(content_type=content_type, object_id=a.pk, transition=name, source_state=source,
                             state=target, by_id=actor, timestamp=when, description=comment or None))
        events.append(AuditEvent(timestamp=when, actor_id=actor, action=AuditAction.TRANSITION,
                                 object_type="applications.IntakeApplication", object_id=str(a.public_id),
                                 object_repr=f"{a.company_name}（{campaigns[a.campaign_id].year}）"[:200],
                                 detail={"transition": name, "from": source, "to": target, "comment": comment}))

    for a in applications:
        owner = owners[a.enterprise_id]
        events.append(AuditEvent(timestamp=a.created_at, actor_id=owner, action=AuditAction.CREATED,
                                 object_type="applications.IntakeApplication", object_id=str(a.public_id),
                                 object_repr=f"{a.company_name}（{campaigns[a.campaign_id].year}）"[:200],
                                 detail={"created": True, "to": IntakeStatus.DRAFT}))
        if a.submitted_at:
            record(a, "submit", IntakeStatus.DRAFT, IntakeStatus.SUBMITTED, owner, a.submitted_at)
        if a.decided_at:
            record(a, DECISION_TRANSITIONS[a.status], IntakeStatus.SUBMITTED, a.status,
                   officials.get(a.district_id, owner), a.decided_at, a.decision_reason)
        if a.status == IntakeStatus.WITHDRAWN:
            record(a, "withdraw", IntakeStatus.SUBMITTED, IntakeStatus.WITHDRAWN, owner,
                   a.submitted_at + timedelta(days=1), "企业主动撤回")
        campaign = campaigns[a.campaign_id]
        if a.status in (IntakeStatus.DRAFT, IntakeStatus.RETURNED) and campaign.is_open(context.now):
            clocks.append(Deadline(kind=DeadlineKind.INTAKE_SUBMISSION, content_type=content_type,
                                   object_id=a.pk, organisation_id=a.enterprise_id, due_on=campaign.deadline,
                                   opened_at=a.decided_at or a.created_at,
                                   label=f"{a.company_name}（{campaign.year}）"[:200],
                                   url=reverse("applications:intake_detail", args=[a.public_id])))
    StateLog.objects.bulk_create(logs, batch_size=context.batch_size)
    AuditEvent.objects.bulk_create(events, batch_size=context.batch_size)
    Deadline.objects.bulk_create(clocks, batch_size=context.batch_size)
    return {"state log entries": len(logs), "audit transition records": len(events), "submission clocks": len(clocks)}


def _bench_plans(context, campaigns) -> list:
    """``bench-enterprise``'s decided applications of the earlier years (one state after another)."""
    user = context.shared["bench"]["bench-enterprise"]
    organisation = user.organisation
    record = ScaleEnterprise(index=BENCH_INDEX, organisation_id=organisation.pk, user_id=user.pk,
                             username=user.username, district_id=organisation.district_id,
                             industry_id=organisation.enterprise.industry_id, status=organisation.status,
                             name=organisation.name, credit_code=organisation.credit_code,
                             created_at=organisation.created_at)
    done = set(IntakeApplication.objects.filter(enterprise_id=organisation.pk).values_list("campaign_id", flat=True))
    past_years = [y for y in reversed(context.year_list) if y != context.current_year and (y, None) in campaigns]
    return [(record, campaigns[(year, None)], BENCH_PAST_STATES[k % len(BENCH_PAST_STATES)])
            for k, year in enumerate(past_years) if campaigns[(year, None)].pk not in done]


def seed_intake(context: ScaleContext) -> dict[str, int]:
    campaigns, made = _campaigns(context)
    context.shared["campaigns"] = campaigns
    counts = {"campaigns": made, "bench accepted": bench_application(
        context, context.shared["bench"]["bench-enterprise"], campaigns[(context.current_year, None)], accept=True)}
    context.shared["scan"] = bench_scan(context)
    district_campaigns = {d for (_y, d) in campaigns if d is not None}
    applied = {}
    for campaign in campaigns.values():
        applied[campaign.pk] = set(IntakeApplication.objects.filter(campaign=campaign).values_list(
            "enterprise_id", flat=True))
    plans = []
    for year in context.year_list:
        current = year == context.current_year
        rank = 0  # the current city campaign's first applicants (by index) take every state once
        for enterprise in context.shared["enterprises"]:
            district = _applies(enterprise, year, district_campaigns)
            if district is False:
                continue
            state = _state(enterprise.index, year, current)
            if current and district is None:
                if rank < len(CURRENT_STATES):
                    state = CURRENT_STATES[rank][0]
                rank += 1
            campaign = campaigns.get((year, district))
            if campaign is None or enterprise.organisation_id in applied[campaign.pk]:
                continue
            plans.append((enterprise, campaign, state))
    counts.update(build_applications(context, plans + _bench_plans(context, campaigns)))
    return counts
