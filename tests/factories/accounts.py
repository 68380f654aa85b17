"""Factories for the accounts app: reference data, organisations, users by role, registrations, identity changes,
the inbox and the audit trail."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.choices import DeadlineKind, MessageKind, OrganisationStatus, Role
from accounts.models import (
    AuditAction,
    AuditEvent,
    Deadline,
    District,
    DistrictKind,
    EmailPreference,
    EmailStatus,
    Enterprise,
    IdentityChange,
    IdentityChangeStatus,
    Industry,
    Notification,
    Organisation,
    OrganisationKind,
    Park,
    PendingRegistration,
    User,
)
from tests.factories.base import (
    _seq,
    authority_of,
    city_authority,
    credit_code_for,
    district,
    district_authority,
    password_hash,
)

# --- Reference data --------------------------------------------------------------------------------------------------


__all__ = [
    "AdminUserFactory",
    "AuditEventFactory",
    "CityAuthorityFactory",
    "CityUserFactory",
    "DepartmentUserFactory",
    "DistrictAuthorityFactory",
    "DistrictFactory",
    "DistrictUserFactory",
    "DeadlineFactory",
    "EmailPreferenceFactory",
    "EnterpriseFactory",
    "EnterpriseUserFactory",
    "EvaluatorUserFactory",
    "ExpertUserFactory",
    "IdentityChangeFactory",
    "IndustryFactory",
    "NotificationFactory",
    "OrganisationFactory",
    "ParkFactory",
    "ParkUserFactory",
    "PendingRegistrationFactory",
    "ROLE_USER_FACTORIES",
    "RegistrationTraits",
    "UserFactory",
]

class DistrictFactory(factory.django.DjangoModelFactory):
    """A district beside the 41 of the reference data (codes 59xxxx are not used by GB/T 2260 in Chongqing)."""

    class Meta:
        model = District
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试{n}区")
    code = factory.Sequence(lambda n: f"59{n % 10000:04d}")
    kind = DistrictKind.DISTRICT
    position = factory.Sequence(lambda n: 100 + n)


class IndustryFactory(factory.django.DjangoModelFactory):
    """A GB/T 4754 division; every division is in the reference data, so this returns it by code."""

    class Meta:
        model = Industry
        django_get_or_create = ("code",)

    code = "26"
    name = "化学原料和化学制品制造业"
    sector = "chemicals"


# --- Organisations ---------------------------------------------------------------------------------------------------


class RegistrationTraits(factory.django.DjangoModelFactory):
    """The registration review's states (OrganisationStatus): pending, approved (active), refused."""

    class Meta:
        abstract = True

    status = OrganisationStatus.ACTIVE

    class Params:
        pending = factory.Trait(status=OrganisationStatus.PENDING)
        approved = factory.Trait(status=OrganisationStatus.ACTIVE, decided_at=factory.LazyFunction(timezone.now))
        refused = factory.Trait(status=OrganisationStatus.REFUSED, decided_at=factory.LazyFunction(timezone.now),
                                refusal_reason="信用代码与营业执照不符")


class OrganisationFactory(RegistrationTraits):
    """An organisation of a kind without a profile of its own; a trait per kind."""

    class Meta:
        model = Organisation

    kind = OrganisationKind.EVALUATOR
    name = factory.Sequence(lambda n: f"测试单位{n}")

    class Params:
        evaluator = factory.Trait(kind=OrganisationKind.EVALUATOR, name=factory.Sequence(lambda n: f"测试评价机构{n}"))
        department = factory.Trait(kind=OrganisationKind.DEPARTMENT,
                                   name=factory.Sequence(lambda n: f"重庆市测试局{n}"))
        expert = factory.Trait(kind=OrganisationKind.EXPERT, name=factory.Sequence(lambda n: f"测试专家库{n}"))


class DistrictAuthorityFactory(factory.django.DjangoModelFactory):
    """A district's competent department; for a reference district it is the one already loaded."""

    class Meta:
        model = Organisation
        django_get_or_create = ("kind", "district")

    kind = OrganisationKind.DISTRICT
    district = factory.SubFactory(DistrictFactory)
    name = factory.LazyAttribute(lambda o: f"{o.district.name}经信部门")


class CityAuthorityFactory(factory.django.DjangoModelFactory):
    """The city authority: there is one, loaded with the reference data."""

    class Meta:
        model = Organisation
        django_get_or_create = ("kind",)

    kind = OrganisationKind.CITY
    name = "重庆市经济和信息化委员会"


class EnterpriseFactory(RegistrationTraits):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"重庆测试制造有限公司{n}")
    district = factory.LazyFunction(lambda: district("长寿区"))
    credit_code = factory.LazyAttribute(lambda o: credit_code_for(o.district.code or "500000", 1000 + _seq()))
    industry = factory.LazyFunction(lambda: Industry.objects.get(code="26"))
    ownership_type = "private"
    address = "重庆市长寿区测试路1号"
    postal_code = "401220"
    founded_on = date(2010, 1, 1)
    registered_capital = Decimal("5000.00")
    main_products = "化工产品"


class ParkFactory(RegistrationTraits):
    class Meta:
        model = Park

    name = factory.Sequence(lambda n: f"测试园区{n}")
    district = factory.LazyFunction(lambda: district("长寿区"))
    park_type = "economic_development"
    approval_level = "national"
    managing_body = factory.LazyAttribute(lambda o: f"{o.name}管委会")
    address = "重庆市长寿区园区路1号"


# --- Users, one factory per role -------------------------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    """An enterprise user unless told otherwise; the role factories below give each role its kind of unit."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    phone = "13912345678"
    role = Role.ENTERPRISE
    organisation = factory.SubFactory(EnterpriseFactory)
    password = factory.LazyFunction(password_hash)

    class Params:
        inactive = factory.Trait(is_active=False)
        password_expired = factory.Trait(must_change_password=True)


class EnterpriseUserFactory(UserFactory):
    role = Role.ENTERPRISE
    organisation = factory.SubFactory(EnterpriseFactory)


class ParkUserFactory(UserFactory):
    role = Role.PARK
    organisation = factory.SubFactory(ParkFactory)


class DistrictUserFactory(UserFactory):
    """An official of 长寿区 unless given another unit."""

    role = Role.DISTRICT
    organisation = factory.LazyFunction(lambda: district_authority("长寿区"))


class CityUserFactory(UserFactory):
    role = Role.CITY
    organisation = factory.LazyFunction(city_authority)


class ExpertUserFactory(UserFactory):
    role = Role.EXPERT
    organisation = factory.SubFactory(OrganisationFactory, expert=True)


class EvaluatorUserFactory(UserFactory):
    role = Role.EVALUATOR
    organisation = factory.SubFactory(OrganisationFactory, evaluator=True)


class DepartmentUserFactory(UserFactory):
    role = Role.DEPARTMENT
    organisation = factory.SubFactory(OrganisationFactory, department=True)


class AdminUserFactory(UserFactory):
    role = Role.ADMIN
    organisation = None
    is_staff = True
    is_superuser = True


ROLE_USER_FACTORIES = {
    Role.ENTERPRISE: EnterpriseUserFactory, Role.PARK: ParkUserFactory, Role.DISTRICT: DistrictUserFactory,
    Role.CITY: CityUserFactory, Role.EXPERT: ExpertUserFactory, Role.EVALUATOR: EvaluatorUserFactory,
    Role.DEPARTMENT: DepartmentUserFactory, Role.ADMIN: AdminUserFactory,
}


# --- Registration and identity changes -------------------------------------------------------------------------------


class PendingRegistrationFactory(factory.django.DjangoModelFactory):
    """A registration waiting for its e-mail address to be confirmed (``confirmed=True``: the link was followed)."""

    class Meta:
        model = PendingRegistration

    email = factory.Sequence(lambda n: f"registrant{n}@example.com")
    data = factory.LazyAttribute(lambda o: {
        "name": "重庆新注册材料有限公司", "credit_code": credit_code_for("500115", 500000 + _seq()),
        "district": district("长寿区").pk, "industry": Industry.objects.get(code="30").pk,
        "ownership_type": "private", "address": "重庆市长寿区晏家街道1号", "postal_code": "401221",
        "founded_on": "2015-06-01", "registered_capital": "3000.50", "main_products": "新型建材",
        "full_name": "王五", "phone": "13812345678", "email": o.email, "username": o.email.split("@")[0],
    })
    password_hash = factory.LazyFunction(password_hash)

    class Params:
        unconfirmed = factory.Trait(confirmed_at=None)
        confirmed = factory.Trait(confirmed_at=factory.LazyFunction(timezone.now))


class IdentityChangeFactory(factory.django.DjangoModelFactory):
    """An enterprise's request to change its name and credit code; pending unless a trait says otherwise."""

    class Meta:
        model = IdentityChange

    enterprise = factory.SubFactory(EnterpriseFactory)
    old_name = factory.LazyAttribute(lambda o: o.enterprise.name)
    old_credit_code = factory.LazyAttribute(lambda o: o.enterprise.credit_code)
    new_name = factory.LazyAttribute(lambda o: f"{o.enterprise.name}（更名）")
    new_credit_code = factory.LazyAttribute(
        lambda o: credit_code_for(o.enterprise.district.code or "500000", 700000 + _seq()))
    reason = "企业更名，营业执照已换发"
    requested_by = factory.SubFactory(EnterpriseUserFactory, organisation=factory.SelfAttribute("..enterprise"))
    status = IdentityChangeStatus.PENDING

    class Params:
        decided = factory.Trait(
            decided_by=factory.SubFactory(DistrictUserFactory,
                                          organisation=factory.LazyAttribute(
                                              lambda o: authority_of(o.factory_parent.enterprise.district))),
            decided_at=factory.LazyFunction(timezone.now),
        )
        pending = factory.Trait(status=IdentityChangeStatus.PENDING)
        approved = factory.Trait(decided=True, status=IdentityChangeStatus.APPROVED)
        refused = factory.Trait(decided=True, status=IdentityChangeStatus.REFUSED,
                                refusal_reason="新信用代码与营业执照不符")


# --- Inbox and audit -------------------------------------------------------------------------------------------------


class NotificationFactory(factory.django.DjangoModelFactory):
    """An unread inbox message; ``read``, and a trait per e-mail state (EmailStatus)."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(EnterpriseUserFactory)
    title = factory.Sequence(lambda n: f"测试消息{n}")
    body = "请及时处理。"
    url = "/"
    email_status = EmailStatus.NONE

    class Params:
        unread = factory.Trait(read_at=None)
        read = factory.Trait(read_at=factory.LazyFunction(timezone.now))
        mail_none = factory.Trait(email_status=EmailStatus.NONE)
        mail_pending = factory.Trait(email_status=EmailStatus.PENDING)
        mail_sending = factory.Trait(email_status=EmailStatus.SENDING, email_attempts=1,
                                     email_updated_at=factory.LazyFunction(timezone.now))
        mail_sent = factory.Trait(email_status=EmailStatus.SENT, email_attempts=1,
                                  email_updated_at=factory.LazyFunction(timezone.now))
        mail_failed = factory.Trait(email_status=EmailStatus.FAILED, email_attempts=3, email_error="SMTP 550",
                                    email_updated_at=factory.LazyFunction(timezone.now))


class EmailPreferenceFactory(factory.django.DjangoModelFactory):
    """A user's choice for one kind of message: inbox only (no row means mailed too)."""

    class Meta:
        model = EmailPreference

    user = factory.SubFactory(EnterpriseUserFactory)
    kind = MessageKind.REMINDER
    email = False


class DeadlineFactory(factory.django.DjangoModelFactory):
    """A running clock on an enterprise's own record, its turn, due in ten days; ``due_today``, ``overdue``,
    ``escalated`` (to its district) and ``closed``. Services open clocks for real cases (``accounts.deadlines``)."""

    class Meta:
        model = Deadline

    kind = DeadlineKind.INTAKE_SUBMISSION
    organisation = factory.SubFactory(EnterpriseFactory)
    # The subject's root model, as accounts.deadlines keys it (an enterprise is found as its Organisation).
    content_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Organisation))
    object_id = factory.SelfAttribute("organisation.pk")
    label = factory.Sequence(lambda n: f"测试事项{n}")
    url = "/"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))

    class Params:
        due_today = factory.Trait(due_on=factory.LazyFunction(timezone.localdate))
        overdue = factory.Trait(due_on=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=7)))
        escalated = factory.Trait(
            overdue=True, escalated_at=factory.LazyFunction(timezone.now),
            escalated_to=factory.LazyAttribute(lambda o: authority_of(o.organisation.district)))
        closed = factory.Trait(closed_at=factory.LazyFunction(timezone.now), closed_by="submit")


class AuditEventFactory(factory.django.DjangoModelFactory):
    """An audit record (append-only: created, never changed); a login by an enterprise user unless told otherwise."""

    class Meta:
        model = AuditEvent

    actor = factory.SubFactory(EnterpriseUserFactory)
    username = factory.LazyAttribute(lambda o: o.actor.username if o.actor else "")
    action = AuditAction.LOGIN
    object_type = ""
    object_id = ""
    object_repr = ""
    result = "success"
    ip_address = "127.0.0.1"

    class Params:
        success = factory.Trait(result="success")
        failure = factory.Trait(result="failure", action=AuditAction.LOGIN_FAILED)
