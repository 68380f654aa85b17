"""Factories for the applications app: campaigns and targets, intake applications with their criteria and scans,
the library and the application ban."""

import hashlib
from datetime import timedelta
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from applications.choices import ReviewTaskKind, ReviewTaskStatus
from applications.models import (
    ApplicationBan,
    CampaignTarget,
    CriterionResult,
    CultivationCampaign,
    EntryCriterion,
    EntryCriterionResult,
    IntakeApplication,
    IntakeStatus,
    LibraryEntry,
    LibraryStatus,
    ReviewTask,
    StampedScan,
)
from tests.factories.accounts import (
    CityUserFactory,
    DistrictUserFactory,
    EnterpriseFactory,
    EnterpriseUserFactory,
    ExpertUserFactory,
    OrganisationFactory,
)
from tests.factories.base import _days, _today, district, district_authority, pdf_bytes

# --- Campaigns -------------------------------------------------------------------------------------------------------


__all__ = [
    "ApplicationBanFactory",
    "CampaignFactory",
    "CampaignTargetFactory",
    "EntryCriterionResultFactory",
    "IntakeApplicationFactory",
    "LibraryEntryFactory",
    "ReviewTaskFactory",
    "StampedScanFactory",
]

class CampaignFactory(factory.django.DjangoModelFactory):
    """The city's campaign for all districts, open today. Phases (``CampaignPhase``) are computed from the dates, so
    a trait per phase sets dates around today: ``not_started``, ``open``, ``closed_early``, ``ended``."""

    class Meta:
        model = CultivationCampaign

    year = factory.LazyFunction(lambda: _today().year)
    title = factory.LazyAttribute(lambda o: f"{o.year}年绿色工厂培育工作")
    district = None
    opens_on = factory.LazyAttribute(_days(-10))
    deadline = factory.LazyAttribute(_days(13))
    key_sectors = factory.LazyFunction(lambda: ["chemicals"])
    created_by = factory.SubFactory(CityUserFactory)

    class Params:
        not_started = factory.Trait(opens_on=factory.LazyAttribute(_days(5)), deadline=factory.LazyAttribute(_days(30)))
        open = factory.Trait(opens_on=factory.LazyAttribute(_days(-10)), deadline=factory.LazyAttribute(_days(13)))
        closed_early = factory.Trait(
            opens_on=factory.LazyAttribute(_days(-10)), deadline=factory.LazyAttribute(_days(13)),
            closed_at=factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1)),
            closed_by=factory.SelfAttribute("created_by"), closed_reason="名额已满，提前结束",
        )
        ended = factory.Trait(opens_on=factory.LazyAttribute(_days(-40)), deadline=factory.LazyAttribute(_days(-10)))
        of_district = factory.Trait(
            district=factory.LazyFunction(lambda: district("长寿区")),
            created_by=factory.SubFactory(DistrictUserFactory),
        )


class CampaignTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignTarget

    campaign = factory.SubFactory(CampaignFactory)
    district = factory.LazyFunction(lambda: district("长寿区"))
    target = 12


# --- Intake ----------------------------------------------------------------------------------------------------------


class IntakeApplicationFactory(factory.django.DjangoModelFactory):
    """A complete intake form (it meets all five entry criteria) as a draft; a trait per IntakeStatus. An accepted
    application gets its library entry, as acceptance makes one (``library_entry=False`` to leave it out);
    ``scan=True`` adds the stamped scan, ``criteria=True`` the five entry-criterion results."""

    class Meta:
        model = IntakeApplication
        skip_postgeneration_save = True

    campaign = factory.SubFactory(CampaignFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    district = factory.SelfAttribute("enterprise.district")
    status = IntakeStatus.DRAFT
    company_name = factory.SelfAttribute("enterprise.name")
    credit_code = factory.SelfAttribute("enterprise.credit_code")
    industry = factory.SelfAttribute("enterprise.industry")
    address = factory.SelfAttribute("enterprise.address")
    ownership_type = factory.SelfAttribute("enterprise.ownership_type")
    postal_code = factory.SelfAttribute("enterprise.postal_code")
    founded_on = factory.SelfAttribute("enterprise.founded_on")
    registered_capital = factory.SelfAttribute("enterprise.registered_capital")
    main_products = factory.SelfAttribute("enterprise.main_products")
    output_value = Decimal("8000.00")
    total_profit_1 = Decimal("120.50")
    total_profit_2 = Decimal("200")
    total_profit_3 = Decimal("310")
    quality_management_certified = True
    environmental_management_certified = True
    occupational_health_safety_certified = False
    energy_management_certified = False
    major_accident = False
    preparer_name = "张明"
    preparer_phone = "13800138000"
    profile_text = "一家化工企业。" * 10
    independent_legal_person = True
    green_investment_amount = Decimal("500")
    green_investment_areas = factory.LazyFunction(lambda: ["energy_water", "cleaner_production"])
    commitment_accepted = True
    commitment_signatory = "王总"
    commitment_date = factory.LazyFunction(_today)

    class Params:
        submitted_once = factory.Trait(submitted_at=factory.LazyFunction(timezone.now))
        decided = factory.Trait(submitted_once=True, decided_at=factory.LazyFunction(timezone.now))
        draft = factory.Trait(status=IntakeStatus.DRAFT)
        submitted = factory.Trait(submitted_once=True, status=IntakeStatus.SUBMITTED)
        accepted = factory.Trait(decided=True, status=IntakeStatus.ACCEPTED)
        returned = factory.Trait(decided=True, status=IntakeStatus.RETURNED, decision_reason="请补充2024年审计报告")
        rejected = factory.Trait(decided=True, status=IntakeStatus.REJECTED, decision_reason="年产值未超过5000万元")
        # Only a case the district has seen is withdrawn (IntakeApplication.withdraw's condition).
        withdrawn = factory.Trait(submitted_once=True, status=IntakeStatus.WITHDRAWN)

    @factory.post_generation
    def library_entry(obj, create, extracted, **kwargs):  # noqa: N805  (factory_boy passes the object)
        if create and obj.status == IntakeStatus.ACCEPTED and extracted is not False:
            LibraryEntryFactory(application=obj, **kwargs)

    @factory.post_generation
    def scan(obj, create, extracted, **kwargs):  # noqa: N805  (factory_boy passes the object)
        if create and extracted:
            StampedScanFactory(application=obj, **kwargs)

    @factory.post_generation
    def criteria(obj, create, extracted, **kwargs):  # noqa: N805  (factory_boy passes the object)
        if create and extracted:
            for criterion in EntryCriterion.values:
                EntryCriterionResultFactory(application=obj, criterion=criterion, **kwargs)



class EntryCriterionResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EntryCriterionResult

    application = factory.SubFactory(IntakeApplicationFactory, submitted=True)
    criterion = EntryCriterion.REGISTERED_LEGAL_PERSON
    result = CriterionResult.MET
    reason = "申请表所填信息符合该项入库标准"

    class Params:
        met = factory.Trait(result=CriterionResult.MET)
        not_met = factory.Trait(result=CriterionResult.NOT_MET, reason="申请表所填信息不符合该项入库标准")
        judgement = factory.Trait(result=CriterionResult.JUDGEMENT, reason="需区县结合实际情况判断")


class StampedScanFactory(factory.django.DjangoModelFactory):
    """A one-page PDF stored through the default storage, uploaded now by the applicant."""

    class Meta:
        model = StampedScan
        exclude = ("content",)

    application = factory.SubFactory(IntakeApplicationFactory, submitted=True)
    content = factory.LazyFunction(pdf_bytes)
    file = factory.LazyAttribute(lambda o: ContentFile(o.content, name="scan.pdf"))
    original_name = "盖章扫描件.pdf"
    content_type = "application/pdf"
    size = factory.LazyAttribute(lambda o: len(o.content))
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.content).hexdigest())
    uploaded_by = factory.LazyAttribute(lambda o: o.application.enterprise.users.first()
                                        or EnterpriseUserFactory(organisation=o.application.enterprise))


class LibraryEntryFactory(factory.django.DjangoModelFactory):
    """An enterprise in its district's library, from an accepted application; ``cultivating`` or ``ready``."""

    class Meta:
        model = LibraryEntry

    application = factory.SubFactory(IntakeApplicationFactory, accepted=True, library_entry=False)
    campaign = factory.SelfAttribute("application.campaign")
    enterprise = factory.SelfAttribute("application.enterprise")
    district = factory.SelfAttribute("application.district")
    industry = factory.SelfAttribute("application.industry")
    sector = factory.SelfAttribute("application.industry.sector")
    status = LibraryStatus.CULTIVATING

    class Params:
        cultivating = factory.Trait(status=LibraryStatus.CULTIVATING)
        ready = factory.Trait(status=LibraryStatus.READY)


class ApplicationBanFactory(factory.django.DjangoModelFactory):
    """第十八条: in force today unless ``expired``."""

    class Meta:
        model = ApplicationBan

    organisation = factory.SubFactory(EnterpriseFactory)
    starts_on = factory.LazyAttribute(_days(-30))
    ends_on = factory.LazyAttribute(lambda o: ApplicationBan.end_for(o.starts_on))
    reason = "第十七条（四）提供虚假材料"
    document_number = "渝经信发〔2025〕1号"

    class Params:
        in_force = factory.Trait(starts_on=factory.LazyAttribute(_days(-30)))
        expired = factory.Trait(starts_on=factory.LazyAttribute(_days(-4 * 365)))


class ReviewTaskFactory(factory.django.DjangoModelFactory):
    """An expert review of a submitted intake application, assigned by its district and due in ten days; a trait
    per state (``assigned``, ``accepted``, ``done``, ``declined``), and ``to_evaluator`` for a commission to an
    evaluator organisation instead of a person."""

    class Meta:
        model = ReviewTask

    case = factory.SubFactory(IntakeApplicationFactory, submitted=True)
    kind = ReviewTaskKind.EXPERT_REVIEW
    district = factory.SelfAttribute("case.district")
    applicant = factory.SelfAttribute("case.enterprise")
    assignee_user = factory.SubFactory(ExpertUserFactory)
    assignee_organisation = None
    due_on = factory.LazyAttribute(_days(10))
    note = "请核对申请表所填产值与利润"
    assigned_by = factory.LazyAttribute(lambda o: DistrictUserFactory(
        organisation=district_authority(o.case.district.name)))
    status = ReviewTaskStatus.ASSIGNED

    class Params:
        to_evaluator = factory.Trait(kind=ReviewTaskKind.EVALUATION, assignee_user=None,
                                     assignee_organisation=factory.SubFactory(OrganisationFactory, evaluator=True))
        assigned = factory.Trait(status=ReviewTaskStatus.ASSIGNED)
        accepted = factory.Trait(status=ReviewTaskStatus.ACCEPTED, accepted_at=factory.LazyFunction(timezone.now))
        done = factory.Trait(accepted=True, status=ReviewTaskStatus.DONE,
                             completed_at=factory.LazyFunction(timezone.now))
        declined = factory.Trait(status=ReviewTaskStatus.DECLINED, declined_at=factory.LazyFunction(timezone.now),
                                 decline_reason="回避：与企业有利害关系")
