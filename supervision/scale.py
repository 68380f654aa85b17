"""Certified titles at city scale (``manage.py seed_scale``): for each past year, the year's round, one decision and
its titles — a share of the enterprises as green factories and a few parks as green parks — with every
twenty-fifth title (the first of each year among them) revoked with its announcement and ban, and the latest
decision's certificate batch done. Written as rows, as the other scale seeders do: the services' own paths are
tested on their own."""

import datetime

from django.db import transaction

from accounts.models import Enterprise, Organisation, OrganisationKind, User
from applications.models import (
    NUMBER_PREFIX,
    ApplicationBan,
    CertificateBatch,
    CertificationApplication,
    CertificationDecision,
    CertificationRound,
    ProposedList,
    Title,
)
from greenfactory.scale import ScaleContext, spread
from supervision.models import Revocation

FACTORIES_PER_YEAR_MAX = 60
PARKS_PER_YEAR = 5
REVOKED_EVERY = 25


def _round(year, city) -> CertificationRound:
    found = CertificationRound.objects.filter(year=year).first()
    return found or CertificationRound.objects.create(
        year=year, title=f"{year}年度绿色工厂、绿色园区认定（基准）", document_number=f"渝经信节能〔{year}〕8号",
        opens_on=datetime.date(year, 3, 1), application_deadline=datetime.date(year, 5, 31),
        recommendation_deadline=datetime.date(year, 6, 30), created_by=city)


def _units(context: ScaleContext, year: int, per_year: int) -> list[tuple]:
    enterprises = list(Enterprise.objects.order_by("id").values_list("pk", "name", "district_id", "industry_id"))
    parks = list(Organisation.objects.filter(kind=OrganisationKind.PARK).order_by("id").values_list(
        "pk", "name", "district_id"))
    start = spread(year, 7, max(1, len(enterprises)))
    chosen = [(pk, name, district, industry, "factory") for pk, name, district, industry in
              (enterprises[(start + n * 7) % len(enterprises)] for n in range(min(per_year, len(enterprises))))]
    chosen += [(pk, name, district, None, "park") for pk, name, district in parks[:PARKS_PER_YEAR]]
    taken = set(CertificationApplication.objects.filter(round__year=year).values_list("applicant_id", flat=True))
    seen, units = set(), []
    for unit in chosen:
        if unit[0] not in taken and unit[0] not in seen:
            seen.add(unit[0])
            units.append(unit)
    return units


@transaction.atomic
def _year(context: ScaleContext, year: int, city, per_year: int) -> tuple[int, int]:
    certification_round = _round(year, city)
    number = (ProposedList.objects.filter(round=certification_round).order_by("-number").values_list(
        "number", flat=True).first() or 0) + 1
    proposed_list = ProposedList.objects.create(round=certification_round, number=number, status="decided",
                                                created_by=city)
    issued_on = datetime.date(year, 11, 15)
    decision = CertificationDecision.objects.create(
        proposed_list=proposed_list, title=f"关于认定{year}年度重庆市绿色工厂、绿色园区的通知（基准）",
        document_number=f"渝经信节能〔{year}〕{60 + number}号", issuer="重庆市经济和信息化委员会", issued_on=issued_on,
        body="各区县经信部门：\n经企业申报、区县推荐、市级审查和公示，现认定以下单位。", issued_by=city)
    units = _units(context, year, per_year)
    CertificationApplication.objects.bulk_create([
        CertificationApplication(round=certification_round, applicant_id=pk, unit_kind=kind, district_id=district,
                                 industry_id=industry, status="certified", unit_name=name, contact_name="联系人",
                                 contact_phone="13800138000", proposed_list=proposed_list, created_by=city)
        for pk, name, district, industry, kind in units], batch_size=context.batch_size)
    applications = CertificationApplication.objects.filter(proposed_list=proposed_list).order_by("unit_kind", "id")
    serials = {"factory": 0, "park": 0}
    titles = []
    for application in applications.values("pk", "applicant_id", "unit_kind", "unit_name", "district_id",
                                           "industry_id"):
        serials[application["unit_kind"]] += 1
        titles.append(Title(
            application_id=application["pk"], decision=decision, organisation_id=application["applicant_id"],
            unit_kind=application["unit_kind"], name=application["unit_name"],
            district_id=application["district_id"], industry_id=application["industry_id"], year=year,
            number=f"{NUMBER_PREFIX[application['unit_kind']]}-{year}-{serials[application['unit_kind']]:04d}",
            certified_on=issued_on))
    Title.objects.bulk_create(titles, batch_size=context.batch_size)
    revoked = 0
    for index, title in enumerate(Title.objects.filter(decision=decision).order_by("number")):
        if index % REVOKED_EVERY:
            continue
        revoked_on = min(datetime.date(year + 1, 4, 1), context.today)
        Title.objects.filter(pk=title.pk).update(status="revoked", revoked_on=revoked_on)
        cause = "第十七条（二）复审结果不合格的"
        document_number = f"渝经信节能〔{year + 1}〕{200 + index}号"
        ApplicationBan.objects.create(organisation_id=title.organisation_id, starts_on=revoked_on,
                                      ends_on=ApplicationBan.end_for(revoked_on), reason=cause,
                                      document_number=document_number)
        Revocation.objects.create(title_id=title.pk, cause="2", facts="复审结果不合格（基准数据）。",
                                  document_number=document_number, revoked_on=revoked_on, created_by=city)
        revoked += 1
    CertificateBatch.objects.create(decision=decision, status="done", total=len(titles), done=len(titles),
                                    requested_by=city, finished_at=context.now)
    return len(titles), revoked


def seed_titles(context: ScaleContext) -> dict[str, int]:
    """Titles for each past year not yet seeded (a rerun adds nothing): a few hundred at 10,000 enterprises."""
    city = context.shared.get("bench", {}).get("bench-city") or User.objects.filter(role="city").order_by(
        "id").first()
    per_year = max(4, min(FACTORIES_PER_YEAR_MAX, context.enterprises // 150))
    made = revoked = 0
    for year in context.year_list[:-1] or [context.current_year - 1]:
        if Title.objects.filter(year=year).exists():
            continue
        titles, year_revoked = _year(context, year, city, per_year)
        made += titles
        revoked += year_revoked
    return {"titles": made, "revoked titles": revoked}
