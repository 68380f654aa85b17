"""Districts, industries and organisations: enterprises and parks with their profiles, and the authorities,
evaluators, departments and experts' units users belong to. An organisation's registration review is its state."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from accounts.access import can_review_registration, is_member
from accounts.choices import DeadlineKind, OrganisationStatus, Role
from accounts.scope import ScopedQuerySet
from greenfactory.text import join_list
from greenfactory.validators import postal_code_validator, validate_money, validate_not_in_future
from greenfactory.workflow import ReloadableStateMixin, transition


class DistrictKind(models.TextChoices):
    DISTRICT = "district", _("区")
    COUNTY = "county", _("县")
    ZONE = "zone", _("功能区")


class DistrictQuerySet(ScopedQuerySet):
    """The districts a user answers for: a district official its own, the city and administrators all."""

    district_path = "pk"


class District(models.Model):
    """One of the 41 competent departments' areas (GB/T 2260 districts and counties, plus three zones)."""

    code = models.CharField(_("行政区划代码"), max_length=6, unique=True, null=True, blank=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    kind = models.CharField(_("类别"), max_length=10, choices=DistrictKind.choices)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = DistrictQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        # The directory's order (accounts.selectors.DirectoryRows): walked district by district in this index.
        indexes = [models.Index(fields=["position", "id"], name="district_position")]
        verbose_name = _("区县")
        verbose_name_plural = _("区县")

    def __str__(self):
        return self.name


class Sector(models.TextChoices):
    """The seven key sectors named by the district notice (一、培育对象)."""

    ELECTRONICS = "electronics", _("电子信息")
    AUTOMOTIVE = "automotive", _("汽车")
    EQUIPMENT = "equipment", _("装备")
    CHEMICALS = "chemicals", _("化工")
    MATERIALS = "materials", _("材料")
    ENERGY = "energy", _("能源")
    CONSUMER_GOODS = "consumer_goods", _("消费品")


class Industry(models.Model):
    """A GB/T 4754-2017 division; its key sector is editable by administrators."""

    code = models.CharField(_("门类代码"), max_length=2, unique=True)
    name = models.CharField(_("行业名称"), max_length=60)
    sector = models.CharField(_("重点行业"), max_length=20, choices=Sector.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("所属行业")
        verbose_name_plural = _("所属行业")

    def __str__(self):
        return f"{self.code} {self.name}"


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    PARK = "park", _("园区")
    DISTRICT = "district", _("区县经信部门")
    CITY = "city", _("市经济信息委")
    EVALUATOR = "evaluator", _("第三方评价机构")
    DEPARTMENT = "department", _("市级相关部门")
    EXPERT = "expert", _("专家所在单位")


# The organisation a user of each role belongs to.
ROLE_ORGANISATION_KIND = {
    Role.ENTERPRISE: OrganisationKind.ENTERPRISE,
    Role.PARK: OrganisationKind.PARK,
    Role.DISTRICT: OrganisationKind.DISTRICT,
    Role.CITY: OrganisationKind.CITY,
    Role.EVALUATOR: OrganisationKind.EVALUATOR,
    Role.DEPARTMENT: OrganisationKind.DEPARTMENT,
    Role.EXPERT: OrganisationKind.EXPERT,
}


class OrganisationQuerySet(ScopedQuerySet):
    """A district official sees the units of its district; everyone else their own unit."""

    district_path = "district_id"
    # ``id``, not ``pk``: on an enterprise or a park ``pk`` is the child table's parent link, and "district_id = X OR
    # the child's key = Y" spans two tables, which no index serves; ``id`` is the parent's own column.
    member_path = "id"


class Organisation(ReloadableStateMixin, models.Model):
    """Any body a user belongs to. Enterprises and parks extend it with their profiles."""

    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("单位类别"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("单位名称"), max_length=200)
    district = models.ForeignKey(
        District, verbose_name=_("所属区县"), on_delete=models.PROTECT, null=True, blank=True
    )
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, null=True, blank=True)
    status = FSMField(_("状态"), max_length=10, choices=OrganisationStatus.choices,
                      default=OrganisationStatus.ACTIVE, protected=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True, editable=False)
    refusal_reason = models.TextField(_("未通过原因"), max_length=1000, blank=True, editable=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        indexes = [
            models.Index(fields=["kind", "status", "district"]),
            # A district's registration queue and its to-do count (pending, oldest first), the directory by status.
            models.Index(fields=["district", "status", "created_at"], name="organisation_district_queue"),
            models.Index(fields=["status", "district"], name="organisation_status"),
            # One district's directory, by name (a district official's, or the city's filtered by district).
            models.Index(fields=["district", "name"], name="organisation_district_name"),
            # The directory's search by name or credit code: pg_trgm GIN indexes on PostgreSQL (migration 0016).
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.pk is None:
            return
        misfits = [
            u.get_role_display() for u in self.users.exclude(role=Role.ADMIN)
            if ROLE_ORGANISATION_KIND.get(u.role) not in (None, self.kind)
        ]
        if misfits:
            raise ValidationError({"kind": _("本单位有“%(roles)s”角色的账号，单位类别不能改为“%(kind)s”。")
                                   % {"roles": join_list(sorted(set(misfits))), "kind": self.get_kind_display()}})

    # Registration review (注册审核). Guards live in accounts.access; the services fire these.
    @transition(source=OrganisationStatus.PENDING, target=OrganisationStatus.ACTIVE,
                permission=lambda instance, user: can_review_registration(user, instance),
                stops=(DeadlineKind.REGISTRATION_REVIEW,))
    def approve(self, by=None, description=None):
        self.decided_at = timezone.now()
        self.refusal_reason = ""

    @transition(source=OrganisationStatus.PENDING, target=OrganisationStatus.REFUSED,
                permission=lambda instance, user: can_review_registration(user, instance),
                stops=(DeadlineKind.REGISTRATION_REVIEW,))
    def refuse(self, by=None, description=None):
        self.decided_at = timezone.now()
        self.refusal_reason = description or ""

    @transition(source=OrganisationStatus.REFUSED, target=OrganisationStatus.PENDING,
                permission=lambda instance, user: is_member(user, instance))
    def resubmit(self, by=None, description=None):
        self.decided_at = None


class OwnershipType(models.TextChoices):
    """单位性质, as the intake form lists it."""

    STATE = "state", _("内资（国有）")
    COLLECTIVE = "collective", _("内资（集体）")
    PRIVATE = "private", _("内资（民营）")
    SINO_FOREIGN = "sino_foreign", _("中外合资")
    HK_MACAO_TAIWAN = "hk_macao_taiwan", _("港澳台")
    FOREIGN = "foreign", _("外商独资")


class EnterpriseQuerySet(OrganisationQuerySet):
    def member_scope(self, user):
        # Only an enterprise's own people belong to an enterprise: for anyone else the own-unit branch matches no
        # enterprise, and left in, "district or own unit" keeps PostgreSQL from narrowing a district's directory to
        # the district (12 ms against 2 ms for a busy district's first page).
        return super().member_scope(user) if user.role == Role.ENTERPRISE else None


class Enterprise(Organisation):
    """A manufacturing enterprise, with the profile fields of the intake form (绿色工厂培育入库申请表)."""

    industry = models.ForeignKey(Industry, verbose_name=_("所属行业"), on_delete=models.PROTECT)
    ownership_type = models.CharField(_("单位性质"), max_length=20, choices=OwnershipType.choices)
    address = models.CharField(_("通讯地址"), max_length=200)
    postal_code = models.CharField(_("邮编"), max_length=6, validators=[postal_code_validator])
    founded_on = models.DateField(_("成立日期"), validators=[validate_not_in_future])
    registered_capital = models.DecimalField(_("注册资本（万元）"), max_digits=13, decimal_places=2,
                                             validators=[validate_money])
    main_products = models.CharField(_("主要产品"), max_length=500)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")

    def save(self, *args, **kwargs):
        self.kind = OrganisationKind.ENTERPRISE
        super().save(*args, **kwargs)


class ParkType(models.TextChoices):
    """第六条（一）."""

    ECONOMIC_DEVELOPMENT = "economic_development", _("经济技术开发区")
    HIGH_TECH = "high_tech", _("高新技术产业开发区")
    INDUSTRIAL_CLUSTER = "industrial_cluster", _("工业集聚区")
    MUNICIPAL_CHARACTERISTIC = "municipal_characteristic", _("市级特色工业园区")
    INDEPENDENT_CLUSTER = "independent_cluster", _("园区独立组团")


class ApprovalLevel(models.TextChoices):
    NATIONAL = "national", _("国家批准")
    MUNICIPAL = "municipal", _("市政府批准")


class Park(Organisation):
    """An industrial park; its users are staff of its managing body."""

    park_type = models.CharField(_("园区类型"), max_length=30, choices=ParkType.choices)
    approval_level = models.CharField(_("批准层级"), max_length=20, choices=ApprovalLevel.choices)
    managing_body = models.CharField(_("管理机构"), max_length=200)
    address = models.CharField(_("通讯地址"), max_length=200)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("园区")
        verbose_name_plural = _("园区")

    def save(self, *args, **kwargs):
        self.kind = OrganisationKind.PARK
        super().save(*args, **kwargs)
