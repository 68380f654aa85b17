"""City-scale data of accounts (``manage.py seed_scale``, ``greenfactory.scale``): the reference data, one official
per district, enterprises spread unevenly over the 41 districts (长寿区, the busy one, holds about 15 %) with one
user each, parks, registrations waiting for their district (with their review clocks), open changes of name,
e-mail confirmations not yet followed, and the city's pool of experts. The fixed bench accounts are in
``accounts.scale_bench``; the users' inboxes and audit history in ``accounts.scale_history``.

Enterprise ``i`` is the unit of user ``scale-e{i:05d}``; its district, status and dates depend on ``i`` alone
(``greenfactory.scale.spread``), so a rerun finds what exists and a larger run adds the rest.

Leaves in ``context.shared``: ``districts`` (by position), ``bench_district``, ``authorities`` ({district id:
authority id}), ``officials`` ({district id: official user id}), ``experts`` (the expert pool's user ids),
``industries``, ``enterprises`` (every scale enterprise as a ``ScaleEnterprise``, by index).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse

from accounts.choices import DeadlineKind, OrganisationStatus, Role
from accounts.deadline_reminders import registration_review_working_days
from accounts.deadlines import deadline_due_on
from accounts.models import (
    Deadline,
    District,
    Enterprise,
    IdentityChange,
    Industry,
    Organisation,
    OrganisationKind,
    Park,
    PendingRegistration,
    User,
)
from accounts.reference import load_reference_data
from greenfactory import credit_code
from greenfactory.scale import ScaleContext, batched, spread
from greenfactory.workdays import UnknownCalendarYear

BENCH_DISTRICT = "长寿区"
BENCH_SHARE_PER_20 = 3  # 3 in every 20 enterprises (15 %) are registered in the busy district
ENTERPRISE_USERNAME = "scale-e{:05d}"
ENTERPRISE_SERIAL = 5_000_000  # the credit codes' serials: 5,000,000 + index
PENDING_REGISTRATION_SERIAL = 4_800_000
PENDING_PER_100 = 2  # registrations waiting for the district
REFUSED_PER_1000 = 3
IDENTITY_CHANGES_PER_100 = 1
PARK_EVERY = 3  # a park in every third district
EXPERT_POOL = "重庆市绿色制造专家库"

NAME_WORDS = ("绿源", "恒通", "长江", "嘉陵", "巴渝", "鑫达", "华科", "联创", "永盛", "天元", "博奥", "宏图", "金山",
              "渝新", "川东", "峡江", "铭泰", "汇丰", "德润", "三峡")
TRADES = ("化工", "新材料", "精密机械", "电子科技", "汽车零部件", "能源科技", "食品", "建材", "智能装备", "纺织")
OWNERSHIP = ("private", "private", "private", "state", "sino_foreign", "collective")


@dataclass(frozen=True)
class ScaleEnterprise:
    index: int
    organisation_id: int
    user_id: int
    username: str
    district_id: int
    industry_id: int
    status: str
    name: str
    credit_code: str
    created_at: datetime


def district_of(index: int, bench: District, cycle: list[District]) -> District:
    """The busy district for 3 in every 20 indexes; the others in turn, each the number of times ``cycle`` lists
    it (every district once in its first 40 entries, so a small run covers them all)."""
    block, offset = divmod(index, 20)
    if offset < BENCH_SHARE_PER_20:
        return bench
    other = index - block * BENCH_SHARE_PER_20 - min(offset, BENCH_SHARE_PER_20)
    return cycle[other % len(cycle)]


def _district_cycle(others: list[District]) -> list[District]:
    """Uneven weights 1–4: every district in the first pass, then those of weight ≥ 2, ≥ 3, 4."""
    weights = [1 + spread(d.position, 41, 4) for d in others]
    return [d for level in range(1, 5) for d, w in zip(others, weights, strict=True) if w >= level]


# Two registrations waiting in the busy district whatever the size (district_of puts both there), so that its queue,
# to-dos and clocks are never empty: a page measured on a small data set then reads what it reads on a large one.
ALWAYS_PENDING = (950_000, 950_001)


def status_of(index: int) -> str:
    if index in ALWAYS_PENDING:
        return OrganisationStatus.PENDING
    roll = spread(index, 11, 1000)
    if roll < PENDING_PER_100 * 10:
        return OrganisationStatus.PENDING
    if roll < PENDING_PER_100 * 10 + REFUSED_PER_1000:
        return OrganisationStatus.REFUSED
    return OrganisationStatus.ACTIVE


def created_of(index: int, context: ScaleContext, status: str) -> datetime:
    """Waiting registrations are recent (some overdue); the others registered over the years before now."""
    if status == OrganisationStatus.PENDING:
        return context.now - timedelta(days=1 + spread(index, 13, 30), minutes=spread(index, 14, 1440))
    # Most were registered before the first campaign year; the rest joined over the years since.
    span = 365 * context.years
    days = span + spread(index, 13, 2000) if spread(index, 12, 10) < 7 else 30 + spread(index, 13, span)
    return context.now - timedelta(days=days, minutes=spread(index, 14, 1440))


def unusable_password() -> str:
    return make_password(None)


def _review_due(start: datetime, days: int):
    try:
        return deadline_due_on(working_days=days, start=start)
    except UnknownCalendarYear:
        return start.date() + timedelta(days=days + days // 2)


def _officials(context, districts, authorities) -> int:
    existing = set(User.objects.filter(username__startswith="scale-district-").values_list("username", flat=True))
    users = [User(username=f"scale-district-{d.position:02d}", full_name=f"{d.name}经信专员", role=Role.DISTRICT,
                  organisation_id=authorities[d.pk], email=f"scale-district-{d.position:02d}@example.com",
                  phone="13800138000", password=unusable_password(), date_joined=context.now - timedelta(days=4000))
             for d in districts if f"scale-district-{d.position:02d}" not in existing]
    User.objects.bulk_create(users, batch_size=context.batch_size)
    return len(users)


def _experts(context) -> int:
    """The city's expert pool: the assignees of the review tasks intake seeds."""
    existing = set(User.objects.filter(username__startswith="scale-panel-").values_list("username", flat=True))
    wanted = [f"scale-panel-{k:02d}" for k in range(max(2, min(40, context.enterprises // 500)))]
    pool = None
    users = []
    for k, username in enumerate(wanted):
        if username in existing:
            continue
        if pool is None:
            pool, _created = Organisation.objects.get_or_create(kind=OrganisationKind.EXPERT, name=EXPERT_POOL,
                                                                defaults={"status": OrganisationStatus.ACTIVE})
        users.append(User(username=username, full_name=f"评审专家{k:02d}", role=Role.EXPERT, organisation_id=pool.pk,
                          email=f"{username}@example.com", phone="13800138000", password=unusable_password(),
                          date_joined=context.now - timedelta(days=3000)))
    User.objects.bulk_create(users, batch_size=context.batch_size)
    return len(users)


def _new_enterprises(context, missing, bench, cycle, industries) -> tuple[list, list]:
    parents, extras = [], []
    for i in missing:
        d = district_of(i, bench, cycle)
        status = status_of(i)
        created = created_of(i, context, status)
        name = f"重庆{NAME_WORDS[spread(i, 21, len(NAME_WORDS))]}{TRADES[spread(i, 22, len(TRADES))]}有限公司{i:05d}"
        parents.append(Organisation(
            kind=OrganisationKind.ENTERPRISE, name=name, district_id=d.pk, status=status, created_at=created,
            credit_code=credit_code.make(d.code or "500000", ENTERPRISE_SERIAL + i),
            decided_at=None if status == OrganisationStatus.PENDING else created + timedelta(days=2),
            refusal_reason="营业执照与填报信息不一致" if status == OrganisationStatus.REFUSED else ""))
        extras.append((i, d))
    Organisation.objects.bulk_create(parents, batch_size=context.batch_size)
    # bulk_create does not do multi-table inheritance: the child rows are inserted with the parent's key.
    children = [Enterprise(organisation_ptr_id=p.pk, industry_id=industries[spread(i, 23, len(industries))].pk,
                           ownership_type=OWNERSHIP[spread(i, 24, len(OWNERSHIP))],
                           address=f"重庆市{d.name}工业园路{1 + spread(i, 25, 300)}号", postal_code="401220",
                           founded_on=(p.created_at - timedelta(days=400 + spread(i, 26, 5000))).date(),
                           registered_capital=Decimal(100 * (1 + spread(i, 27, 500))),
                           main_products=f"{TRADES[spread(i, 22, len(TRADES))]}产品")
                for p, (i, d) in zip(parents, extras, strict=True)]
    fields = Enterprise._meta.local_concrete_fields
    for chunk in batched(children, context.batch_size):
        Enterprise._base_manager._insert(chunk, fields=fields, raw=True, using=connection.alias)
    users = [User(username=ENTERPRISE_USERNAME.format(i), full_name=f"企业联系人{i:05d}", role=Role.ENTERPRISE,
                  organisation_id=p.pk, email=f"scale-e{i:05d}@example.com", phone="13912345678",
                  password=unusable_password(), date_joined=p.created_at, is_active=True)
             for p, (i, _d) in zip(parents, extras, strict=True)]
    User.objects.bulk_create(users, batch_size=context.batch_size)
    return parents, users


def _review_clocks(context, parents, authorities) -> int:
    """The district's review clock of every new registration that waits for it."""
    content_type = ContentType.objects.get_for_model(Organisation)
    days = registration_review_working_days()
    clocks = [Deadline(kind=DeadlineKind.REGISTRATION_REVIEW, content_type=content_type, object_id=p.pk,
                       organisation_id=authorities[p.district_id], due_on=_review_due(p.created_at, days),
                       opened_at=p.created_at, label=p.name,
                       url=reverse("accounts:registration_detail", args=[p.public_id]))
              for p in parents if p.status == OrganisationStatus.PENDING]
    Deadline.objects.bulk_create(clocks, batch_size=context.batch_size)
    return len(clocks)


def _identity_changes(context, missing, parents, users) -> int:
    changes = [IdentityChange(enterprise_id=p.pk, old_name=p.name, old_credit_code=p.credit_code,
                              new_name=p.name.replace("有限公司", "集团有限公司"), new_credit_code=p.credit_code,
                              reason="工商变更登记，企业名称变更", requested_by_id=u.pk,
                              created_at=context.now - timedelta(days=1 + spread(i, 31, 20)))
               for i, p, u in zip(missing, parents, users, strict=True)
               if p.status == OrganisationStatus.ACTIVE and spread(i, 30, 100) < IDENTITY_CHANGES_PER_100]
    IdentityChange.objects.bulk_create(changes, batch_size=context.batch_size)
    return len(changes)


def _parks(context, districts) -> int:
    made = 0
    existing = set(User.objects.filter(username__startswith="scale-park-").values_list("username", flat=True))
    for d in districts:
        username = f"scale-park-{d.position:02d}"
        if d.position % PARK_EVERY or username in existing:
            continue
        park = Park.objects.create(name=f"{d.name}工业园区", district=d, park_type="economic_development",
                                   approval_level="provincial", managing_body=f"{d.name}工业园区管理委员会",
                                   address=f"重庆市{d.name}园区大道1号", status=OrganisationStatus.ACTIVE,
                                   created_at=context.now - timedelta(days=3000))
        User.objects.create(username=username, full_name=f"{d.name}园区联络员", role=Role.PARK, organisation=park,
                            email=f"{username}@example.com", phone="13800138000", password=unusable_password())
        made += 1
    return made


def _pending_confirmations(context, bench, industries) -> int:
    """Registrations whose e-mail link has not been followed yet (a confirmation page needs one): 3 in 长寿区, and
    one in 500 enterprises elsewhere. Identified by their address."""
    wanted = max(3, context.enterprises // 500)
    emails = [f"scale-pending-{k:03d}@example.com" for k in range(wanted)]
    existing = set(PendingRegistration.objects.filter(email__in=emails).values_list("email", flat=True))
    districts = context.shared["districts"]
    rows = []
    for k, email in enumerate(emails):
        if email in existing:
            continue
        d = bench if k < 3 else districts[k % len(districts)]
        data = {"name": f"重庆待确认{TRADES[k % len(TRADES)]}有限公司{k:03d}",
                "credit_code": credit_code.make(d.code or "500000", PENDING_REGISTRATION_SERIAL + k),
                "district": d.pk, "industry": industries[k % len(industries)].pk, "ownership_type": "private",
                "address": f"重庆市{d.name}新区路{k + 1}号", "postal_code": "401220",
                "founded_on": context.today.replace(year=2015).isoformat(), "registered_capital": "500",
                "main_products": "工业产品", "full_name": f"待确认联系人{k}", "phone": "13800138000",
                "email": email, "username": f"scale-pending-{k:03d}"}
        rows.append(PendingRegistration(email=email, data=data, password_hash=unusable_password(),
                                        created_at=context.now - timedelta(minutes=10 + k)))
    PendingRegistration.objects.bulk_create(rows, batch_size=context.batch_size)
    return len(rows)


def _all_enterprises(context) -> list[ScaleEnterprise]:
    users = User.objects.filter(username__startswith="scale-e", role=Role.ENTERPRISE).values_list(
        "username", "pk", "organisation_id")
    by_organisation = {org: (username, pk) for username, pk, org in users}
    found = []
    rows = Enterprise.objects.filter(pk__in=list(by_organisation)).values_list(
        "pk", "district_id", "industry_id", "status", "name", "credit_code", "created_at")
    for pk, district_id, industry_id, status, name, code, created in rows:
        username, user_id = by_organisation[pk]
        found.append(ScaleEnterprise(index=int(username.removeprefix("scale-e")), organisation_id=pk,
                                     user_id=user_id, username=username, district_id=district_id,
                                     industry_id=industry_id, status=status, name=name, credit_code=code,
                                     created_at=created))
    return sorted(found, key=lambda e: e.index)


def seed_units(context: ScaleContext) -> dict[str, int]:
    load_reference_data(District, Industry, Organisation)
    districts = list(District.objects.order_by("position"))
    bench = next(d for d in districts if d.name == BENCH_DISTRICT)
    authorities = dict(Organisation.objects.filter(kind=OrganisationKind.DISTRICT).values_list("district_id", "pk"))
    industries = list(Industry.objects.order_by("code"))
    context.shared.update(districts=districts, bench_district=bench, authorities=authorities, industries=industries)
    counts = {"district officials": _officials(context, districts, authorities), "experts": _experts(context)}

    existing = {int(name.removeprefix("scale-e")) for name in User.objects.filter(
        username__startswith="scale-e", role=Role.ENTERPRISE).values_list("username", flat=True)}
    missing = [i for i in (*range(context.enterprises), *ALWAYS_PENDING) if i not in existing]
    cycle = _district_cycle([d for d in districts if d.pk != bench.pk])
    parents, users = _new_enterprises(context, missing, bench, cycle, industries)
    counts["enterprises"] = len(parents)
    counts["enterprise users"] = len(users)
    counts["registration review clocks"] = _review_clocks(context, parents, authorities)
    counts["identity changes"] = _identity_changes(context, missing, parents, users)
    counts["parks"] = _parks(context, districts)
    counts["pending e-mail confirmations"] = _pending_confirmations(context, bench, industries)
    context.shared["officials"] = dict(User.objects.filter(
        username__startswith="scale-district-").values_list("organisation__district_id", "pk"))
    context.shared["experts"] = list(User.objects.filter(username__startswith="scale-panel-").order_by(
        "username").values_list("pk", flat=True))
    context.shared["enterprises"] = _all_enterprises(context)
    return counts
