"""Building blocks of the title tests: certified applications with a proposed list and its decision, written as data
(the city's review and the public notice have their own tests), then the titles granted through the service — the
one the decision calls."""

from django.db import transaction
from django.utils import timezone

from applications.models import CertificationApplication, CertificationDecision, ProposedList
from applications.services.titles import titles_grant
from tests.applications.certification_setup import make_round
from tests.factories import EnterpriseFactory, district

# What the applicants' staff wrote on their applications: never on a public page.
CONTACT_NAMES = ("欧阳联络", "司马经办")
CONTACT_PHONES = ("13912345678", "15887654321")


def certified_application(people, certification_round, unit, *, kind="factory", index=0):
    return CertificationApplication.objects.create(
        round=certification_round, applicant=unit, unit_kind=kind, district_id=unit.district_id,
        industry_id=getattr(getattr(unit, "enterprise", None), "industry_id", None), status="certified",
        unit_name=unit.name, credit_code=getattr(getattr(unit, "enterprise", None), "credit_code", ""),
        contact_name=CONTACT_NAMES[index % 2], contact_phone=CONTACT_PHONES[index % 2], created_by=people.city)


def decision_for(people, certification_round, *, number=1, document_number=None):
    proposed_list = ProposedList.objects.create(round=certification_round, number=number, status="decided",
                                                created_by=people.city)
    return CertificationDecision.objects.create(
        proposed_list=proposed_list, title=f"关于认定{certification_round.year}年度重庆市绿色工厂、绿色园区的通知",
        document_number=document_number or f"渝经信节能〔{certification_round.year}〕{11 + number}号",
        issuer="重庆市经济和信息化委员会", issued_on=timezone.localdate(),
        body="各区县经信部门：\n经企业申报、区县推荐、市级审查和公示，现认定以下单位。", issued_by=people.city)


def units(people, count):
    """``count`` enterprises in 长寿区 and 渝北区, the first two the people fixture's own."""
    found = [people.enterprise.organisation, people.enterprise_2.organisation]
    for n in range(len(found), count):
        found.append(EnterpriseFactory(district=district("长寿区" if n % 2 else "渝北区"),
                                       name=f"重庆第{n}号绿色制造有限公司"))
    return found[:count]


def granted(people, *, factories=2, park=True, certification_round=None, number=1, run_commits=False):
    """A decision granting titles to ``factories`` enterprises and (``park``) the people fixture's park, through
    ``titles_grant``; the certificates queued after commit run only when ``run_commits`` (a test that wants them
    captures the commit callbacks)."""
    certification_round = certification_round or make_round(people)
    decision = decision_for(people, certification_round, number=number)
    applications = [certified_application(people, certification_round, unit, index=i)
                    for i, unit in enumerate(units(people, factories))]
    if park:
        applications.append(certified_application(people, certification_round, people.park.organisation, kind="park",
                                                  index=1))
    with transaction.atomic():
        titles = titles_grant(decision=decision, applications=applications, actor=people.city)
    return decision, titles
