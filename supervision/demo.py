"""Demo data of titles (``manage.py seed_demo``): last year's decision with three titles — two factories and a park of
units made for the demo — granted through the service the decision calls (their certificates are queued for the
worker), the park's title revoked with its announcement. ``demo-city`` opens them under 称号与证书; the public
directory, the verification page and the announcements show them without a login. Safe to repeat."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import District, Enterprise, Industry, Park, User
from applications.models import CertificationApplication, CertificationDecision, CertificationRound, ProposedList
from applications.services.titles import titles_grant
from greenfactory import credit_code
from supervision.models import Revocation
from supervision.services import revocation_create

DEMO_UNITS = (("重庆明月绿色建材有限公司（演示）", "长寿区", 1), ("重庆嘉陵智能装备有限公司（演示）", "渝北区", 2))
DEMO_PARK = "重庆示范绿色产业园（演示）"


def _enterprise(name, district_name, serial) -> Enterprise:
    found = Enterprise.objects.filter(name=name).first()
    if found is not None:
        return found
    district = District.objects.get(name=district_name)
    return Enterprise.objects.create(
        name=name, district=district, credit_code=credit_code.make("500115", 880000 + serial),
        industry=Industry.objects.order_by("code").first(), ownership_type="private",
        address=f"{district_name}演示路1号",
        postal_code="401220", founded_on=datetime.date(2008, 5, 1), registered_capital=Decimal("5000"),
        main_products="演示产品", status="active")


def _park() -> Park:
    return Park.objects.filter(name=DEMO_PARK).first() or Park.objects.create(
        name=DEMO_PARK, district=District.objects.get(name="长寿区"), park_type="industrial_cluster",
        approval_level="municipal", managing_body="示范园区管委会（演示）", address="长寿区演示大道8号",
        status="active")


def seed() -> str:
    city = User.objects.get(username="demo-city")
    year = timezone.localdate().year - 1
    number = f"渝经信节能〔{year}〕66号"
    if CertificationDecision.objects.filter(document_number=number).exists():
        return f"Demo titles: the decision {number} is there."
    with transaction.atomic():
        certification_round = CertificationRound.objects.filter(year=year).first() or CertificationRound.objects.create(
            year=year, title=f"{year}年度重庆市绿色工厂、绿色园区认定（演示）", opens_on=datetime.date(year, 3, 1),
            application_deadline=datetime.date(year, 5, 31), recommendation_deadline=datetime.date(year, 6, 30),
            created_by=city)
        units = [(_enterprise(*unit), "factory") for unit in DEMO_UNITS] + [(_park(), "park")]
        proposed_list = ProposedList.objects.create(
            round=certification_round, number=(certification_round.proposed_lists.count() + 1), status="decided",
            created_by=city)
        decision = CertificationDecision.objects.create(
            proposed_list=proposed_list, title=f"关于认定{year}年度重庆市绿色工厂、绿色园区的通知（演示）",
            document_number=number, issuer="重庆市经济和信息化委员会", issued_on=datetime.date(year, 11, 20),
            body="各区县经信部门：\n经企业申报、区县推荐、市级审查和公示，现认定以下单位。（演示）", issued_by=city)
        applications = [CertificationApplication.objects.create(
            round=certification_round, applicant=unit, unit_kind=kind, district_id=unit.district_id,
            industry_id=getattr(unit, "industry_id", None), status="certified", unit_name=unit.name,
            proposed_list=proposed_list, created_by=city) for unit, kind in units]
        titles = titles_grant(decision=decision, applications=applications, actor=city)
    park_title = next(title for title in titles if title.unit_kind == "park")
    if not Revocation.objects.filter(title=park_title).exists():
        revocation_create(title=park_title, actor=city, cause="2", document_number=f"渝经信节能〔{year + 1}〕3号",
                          facts="该园区未通过市经济信息委组织的复审。（演示）")
    return (f"Demo titles: {decision.document_number} granted {len(titles)} titles "
            f"({', '.join(title.number for title in titles)}); the park's revoked.")
