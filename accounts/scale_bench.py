"""The fixed accounts the benchmark logs in as (``manage.py seed_scale``): found by user name, created when missing,
every one with an unusable password (the benchmark makes its sessions directly).

``bench-district`` (长寿区), ``bench-district-2`` (渝北区), ``bench-city``, ``bench-enterprise`` and ``bench-drafter``
(active enterprises in 长寿区; intake gives them their applications), ``bench-identity`` (an enterprise in 长寿区
with an open change of name), ``bench-expert``, ``bench-evaluator``, ``bench-department``, ``bench-park`` (a park
in 长寿区), ``bench-admin``.

Leaves in ``context.shared``: ``bench`` ({user name: User}).
"""

from datetime import date, timedelta
from decimal import Decimal

from accounts.choices import OrganisationStatus, Role
from accounts.models import (
    District,
    Enterprise,
    IdentityChange,
    IdentityChangeStatus,
    Industry,
    Organisation,
    OrganisationKind,
    Park,
    User,
)
from accounts.scale import BENCH_DISTRICT, unusable_password
from greenfactory import credit_code
from greenfactory.scale import ScaleContext

SECOND_DISTRICT = "渝北区"
BENCH_SERIAL = 4_900_000

# (user name, full name, role, unit key)
BENCH_USERS = (
    ("bench-district", "长寿区审核员", Role.DISTRICT, "district"),
    ("bench-district-2", "渝北区审核员", Role.DISTRICT, "district-2"),
    ("bench-city", "市经信委审核员", Role.CITY, "city"),
    ("bench-enterprise", "基准企业联系人", Role.ENTERPRISE, "enterprise"),
    ("bench-drafter", "基准填报人", Role.ENTERPRISE, "drafter"),
    ("bench-identity", "基准变更申请人", Role.ENTERPRISE, "identity"),
    ("bench-expert", "基准专家", Role.EXPERT, "expert"),
    ("bench-evaluator", "基准评价员", Role.EVALUATOR, "evaluator"),
    ("bench-department", "基准部门联络员", Role.DEPARTMENT, "department"),
    ("bench-park", "基准园区联络员", Role.PARK, "park"),
    ("bench-admin", "基准管理员", Role.ADMIN, None),
)

# The bench enterprises: (unit key, serial, name, products)
BENCH_ENTERPRISES = (
    ("enterprise", 1, "重庆长寿基准化工有限公司", "聚乙烯醇、醋酸乙烯"),
    ("drafter", 2, "重庆长寿基准新材料有限公司", "新型建材"),
    ("identity", 3, "重庆长寿基准机械有限公司", "精密机械零部件"),
)

# Unit kinds without a district of their own: (unit key, kind, name)
BENCH_UNITS = (
    ("expert", OrganisationKind.EXPERT, "重庆市绿色制造专家库（基准）"),
    ("evaluator", OrganisationKind.EVALUATOR, "重庆绿色制造评价中心（基准）"),
    ("department", OrganisationKind.DEPARTMENT, "重庆市生态环境局（基准）"),
)


def _unit_of(username):
    user = User.objects.filter(username=username).select_related("organisation").first()
    return user.organisation if user is not None and user.organisation_id else None


def _enterprise(context, district, industry, serial, name, products):
    code = credit_code.make(district.code, BENCH_SERIAL + serial)
    found = Enterprise.objects.filter(credit_code=code).first()
    if found is not None:
        return found, False
    return Enterprise.objects.create(
        credit_code=code, name=name, district=district, industry=industry, ownership_type="private",
        status=OrganisationStatus.ACTIVE, address="重庆市长寿区化北路8号", postal_code="401220",
        founded_on=date(2008, 6, 18), registered_capital=Decimal("20000.00"), main_products=products,
        created_at=context.now - timedelta(days=365 * (context.years + 1)),
        decided_at=context.now - timedelta(days=365 * (context.years + 1) - 2)), True


def _units(context) -> tuple[dict, int]:
    districts = {d.name: d for d in District.objects.filter(name__in=[BENCH_DISTRICT, SECOND_DISTRICT])}
    bench = districts[BENCH_DISTRICT]
    made = 0
    units = {
        "district": Organisation.objects.get(kind=OrganisationKind.DISTRICT, district=bench),
        "district-2": Organisation.objects.get(kind=OrganisationKind.DISTRICT, district=districts[SECOND_DISTRICT]),
        "city": Organisation.objects.get(kind=OrganisationKind.CITY),
    }
    chemicals = Industry.objects.get(code="26")
    for key, serial, name, products in BENCH_ENTERPRISES:
        unit = _unit_of(f"bench-{key}")
        if unit is None:
            unit, created = _enterprise(context, bench, chemicals, serial, name, products)
            made += created
        units[key] = unit
    for key, kind, name in BENCH_UNITS:
        unit = _unit_of(f"bench-{key}")
        if unit is None:
            unit, created = Organisation.objects.get_or_create(kind=kind, name=name,
                                                               defaults={"status": OrganisationStatus.ACTIVE})
            made += created
        units[key] = unit
    park = _unit_of("bench-park") or Park.objects.filter(name="长寿经济技术开发区（基准）").first()
    if park is None:
        park = Park.objects.create(name="长寿经济技术开发区（基准）", district=bench, park_type="economic_development",
                                   approval_level="national", managing_body="长寿经济技术开发区管理委员会",
                                   address="重庆市长寿区齐心大道1号", status=OrganisationStatus.ACTIVE)
        made += 1
    units["park"] = park
    return units, made


def _user(username, full_name, role, organisation) -> tuple[User, bool]:
    existing = User.objects.filter(username=username).select_related("organisation").first()
    if existing is not None:
        return existing, False
    user = User(username=username, full_name=full_name, role=role, organisation=organisation,
                email=f"{username}@example.com", phone="13800138000", is_active=True,
                must_change_password=False, is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN)
    user.password = unusable_password()
    user.save()
    return user, True


def seed_bench_accounts(context: ScaleContext) -> dict[str, int]:
    units, made_units = _units(context)
    users, made_users = {}, 0
    for username, full_name, role, key in BENCH_USERS:
        users[username], created = _user(username, full_name, role, units.get(key) if key else None)
        made_users += created
    identity = users["bench-identity"]
    changes = 0
    if not IdentityChange.objects.filter(enterprise_id=identity.organisation_id,
                                         status=IdentityChangeStatus.PENDING).exists():
        enterprise = identity.organisation
        IdentityChange.objects.create(
            enterprise_id=enterprise.pk, old_name=enterprise.name, old_credit_code=enterprise.credit_code,
            new_name=enterprise.name.replace("有限公司", "集团有限公司"), new_credit_code=enterprise.credit_code,
            reason="工商变更登记，企业名称变更", requested_by=identity)
        changes = 1
    context.shared["bench"] = users
    return {"bench units": made_units, "bench users": made_users, "bench identity changes": changes}
