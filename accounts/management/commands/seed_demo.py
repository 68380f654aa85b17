"""Demo data for trying the portal: reference data, a few enterprises in two districts, one user per role.

Idempotent and stable: the demo users are found by user name and the demo units through the demo user attached to
them (a unit renamed by an approved identity change, or given another credit code, is still the demo user's unit).
A rerun — every `make run` — creates only what is missing: it leaves existing demo data as it is, resets no password
and moves no user (a demo user whose password was changed keeps it; the audit trail tells why). Refused when demo
login is off (debug off), because the shared password is public.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.choices import OrganisationStatus, Role
from accounts.clocks import registration_review_open
from accounts.models import (
    District,
    Enterprise,
    IdentityChange,
    Industry,
    Organisation,
    OrganisationKind,
    OwnershipType,
    Park,
    User,
)
from accounts.reference import load_reference_data
from greenfactory.portal import demo_seeders

DEMO_PASSWORD = "GreenFactory-2026"  # noqa: S105  (public demo password, refused when debug is off)

ENTERPRISES = [
    # (credit code, name, district, industry, ownership, status, products)
    ("91500115MA5U7G2K1M", "重庆长江绿源化工有限公司", "长寿区", "26", OwnershipType.PRIVATE, "active",
     "聚乙烯醇、醋酸乙烯"),
    ("91500115MA60QX3B28", "重庆晏家新型建材有限公司", "长寿区", "30", OwnershipType.STATE, "active",
     "新型干法水泥、商品混凝土"),
    ("91500115MA61DH4C3Q", "重庆江南钢构制品有限公司", "长寿区", "33", OwnershipType.PRIVATE, "pending",
     "钢结构件、镀锌构件"),
    ("91500112MA5YRW8N4J", "重庆空港精密电子有限公司", "渝北区", "39", OwnershipType.SINO_FOREIGN, "active",
     "印制电路板、电子元器件"),
    ("91500112MA61EK5P5T", "重庆仙桃智能装备有限公司", "渝北区", "35", OwnershipType.PRIVATE, "pending",
     "智能仓储设备"),
]

USERS = [
    # (username, full name, role, organisation key)
    ("demo-enterprise", "张明", Role.ENTERPRISE, "91500115MA5U7G2K1M"),
    ("demo-enterprise-2", "李芳", Role.ENTERPRISE, "91500112MA5YRW8N4J"),
    ("demo-enterprise-3", "何伟", Role.ENTERPRISE, "91500115MA60QX3B28"),
    ("demo-park", "王强", Role.PARK, "park"),
    ("demo-district", "赵丽", Role.DISTRICT, "district:长寿区"),
    ("demo-district-2", "陈刚", Role.DISTRICT, "district:渝北区"),
    ("demo-city", "刘洋", Role.CITY, "city"),
    ("demo-expert", "周静", Role.EXPERT, "expert"),
    ("demo-evaluator", "吴涛", Role.EVALUATOR, "evaluator"),
    ("demo-department", "孙悦", Role.DEPARTMENT, "department"),
    ("demo-admin", "郑华", Role.ADMIN, None),
    # The registrants of the two waiting registrations, their e-mail addresses taken as confirmed (they can log in
    # once their district approves them).
    ("demo-applicant", "钱进", Role.ENTERPRISE, "91500115MA61DH4C3Q"),
    ("demo-applicant-2", "孙立", Role.ENTERPRISE, "91500112MA61EK5P5T"),
]


class Command(BaseCommand):
    help = "Create the demo data that is missing (existing demo data is left as it is). Refused when demo login is off."

    def handle(self, *args, **options):
        if not settings.DEMO_LOGIN_ENABLED:
            raise CommandError(
                "演示数据只能在演示环境中创建（DJANGO_DEBUG=true 或 DEMO_LOGIN_ENABLED=true）。"
                " Demo data is refused when debug/demo login is off."
            )
        with transaction.atomic():
            counts = load_reference_data(District, Industry, Organisation)
            organisations = self._organisations()
            users = {username: self._user(username, full_name, role, organisations.get(key))
                     for username, full_name, role, key in USERS}
            self._identity_change(users["demo-enterprise-3"])
            # The later apps' demo data (campaigns, applications, …), registered in their AppConfig.ready().
            extras = [seeder() for seeder in demo_seeders()]
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready: {counts['districts']} districts, {counts['industries']} industries, "
            f"{Enterprise.objects.count()} enterprises, {len(USERS)} demo users (password {DEMO_PASSWORD})."
        ))
        for line in extras:
            self.stdout.write(line)

    def _demo_unit(self, key):
        """The unit the first demo user of ``key`` is attached to, if that user exists: the stable key of a demo
        unit, whatever its name and credit code have become since."""
        username = next((name for name, _full, _role, k in USERS if k == key), None)
        user = User.objects.filter(username=username).select_related("organisation").first() if username else None
        return user.organisation if user is not None and user.organisation_id else None

    def _organisations(self):
        districts = {d.name: d for d in District.objects.all()}
        industries = {i.code: i for i in Industry.objects.all()}
        found = {}
        for code, name, district, industry, ownership, status, products in ENTERPRISES:
            unit = self._demo_unit(code)
            enterprise = (unit.enterprise if unit is not None and unit.kind == OrganisationKind.ENTERPRISE
                          else Enterprise.objects.filter(credit_code=code).first())
            if enterprise is None:
                enterprise = Enterprise.objects.create(
                    credit_code=code, name=name, district=districts[district], industry=industries[industry],
                    ownership_type=ownership, status=status, address=f"重庆市{district}示范路{len(found) + 1}号",
                    postal_code="401220" if district == "长寿区" else "401120", founded_on=date(2012, 5, 18),
                    registered_capital=Decimal("12000.00"), main_products=products,
                    # Waiting registrations are dated back so the reminder sweep has something to chase.
                    created_at=timezone.now() - timedelta(days=10 if status == "pending" else 400),
                )
                if status == "pending":  # its district's review clock started when it was "submitted"
                    registration_review_open(enterprise=enterprise, start=enterprise.created_at)
            found[code] = enterprise
        park = self._demo_unit("park") or Park.objects.filter(name="长寿绿色化工园区（演示）").first()
        if park is None:
            park = Park.objects.create(
                name="长寿绿色化工园区（演示）", district=districts["长寿区"], park_type="economic_development",
                approval_level="national", managing_body="长寿绿色化工园区管理委员会（演示）",
                address="重庆市长寿区化北路1号", status=OrganisationStatus.ACTIVE,
            )
        found["park"] = park
        for name in ("长寿区", "渝北区"):
            found[f"district:{name}"] = Organisation.objects.get(kind=OrganisationKind.DISTRICT,
                                                                 district=districts[name])
        found["city"] = Organisation.objects.get(kind=OrganisationKind.CITY)
        for key, kind, name in (
            ("expert", OrganisationKind.EXPERT, "重庆市绿色制造专家库（演示）"),
            ("evaluator", OrganisationKind.EVALUATOR, "重庆绿色制造评价中心（演示）"),
            ("department", OrganisationKind.DEPARTMENT, "重庆市生态环境局"),
        ):
            found[key] = self._demo_unit(key) or Organisation.objects.get_or_create(kind=kind, name=name)[0]
        return found

    def _identity_change(self, user):
        """A waiting change of name for the demo district's queue (信息变更审核)."""
        enterprise = user.organisation
        if not IdentityChange.objects.filter(enterprise_id=enterprise.pk).exists():
            IdentityChange.objects.create(
                enterprise_id=enterprise.pk, old_name=enterprise.name, old_credit_code=enterprise.credit_code,
                new_name=f"{enterprise.name.removesuffix('有限公司')}集团有限公司",
                new_credit_code=enterprise.credit_code,
                reason="2026年9月完成工商变更登记，企业名称变更（演示）", requested_by=user,
            )

    def _user(self, username, full_name, role, organisation):
        """An existing demo user is left as it is (its unit, its password, its flags); a missing one is created."""
        existing = User.objects.filter(username=username).select_related("organisation").first()
        if existing is not None:
            return existing
        user = User(username=username, full_name=full_name, role=role, organisation=organisation,
                    email=f"{username}@example.com", phone="13800138000", is_demo=True, is_active=True,
                    must_change_password=False, is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN)
        user.set_password(DEMO_PASSWORD)
        user.full_clean(exclude=["password"])
        user.save()
        return user
