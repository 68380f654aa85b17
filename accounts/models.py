"""People and organisations: districts, industries, organisations (enterprises, parks, authorities, evaluators,
departments), users with one role each, the notification inbox and the append-only audit trail."""

import secrets
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from accounts.access import can_review_identity_change, can_review_registration, is_member
from accounts.choices import (  # noqa: F401  (re-exported)
    OFFICIAL_ROLES,
    DeadlineKind,
    MessageKind,
    OrganisationStatus,
    Role,
)
from accounts.scope import ScopedQuerySet
from greenfactory.text import join_list
from greenfactory.validators import phone_validator, postal_code_validator, validate_money, validate_not_in_future
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
    member_path = "pk"


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
        indexes = [models.Index(fields=["kind", "status", "district"])]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.pk is None:
            return
        misfits = [
            u.get_role_display() for u in User.objects.filter(organisation_id=self.pk).exclude(role=Role.ADMIN)
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
    pass


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


class UserQuerySet(ScopedQuerySet):
    """A district official sees the accounts of its district's units; everyone else their own unit's."""

    district_path = "organisation__district_id"
    member_path = "organisation_id"


class PortalUserManager(UserManager.from_queryset(UserQuerySet)):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # `manage.py createsuperuser` makes the system administrator: the one role that may hold the flags and
        # belongs to no unit (the database's constraints refuse anything else).
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


def new_session_stamp() -> str:
    return secrets.token_hex(16)


class User(AbstractUser):
    """A person with one role, belonging to one organisation (administrators may belong to none)."""

    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("所属单位"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="users",
    )
    full_name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[phone_validator])
    email = models.EmailField(_("电子邮箱"))
    must_change_password = models.BooleanField(_("须修改密码"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), default=timezone.now)
    is_demo = models.BooleanField(_("演示账号"), default=False, editable=False)
    # Part of every session's hash: rotating it (on disabling, on a password reset) ends every session the user has,
    # for good, whatever the session store holds — a re-enabled account starts with no session (SECURITY.md).
    session_stamp = models.CharField(_("会话标识"), max_length=32, default=new_session_stamp, editable=False)

    objects = PortalUserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="admin") | models.Q(organisation__isnull=False),
                name="user_has_organisation_unless_admin",
                violation_error_message=_("除系统管理员外，每个账号都必须属于一个单位，请选择所属单位。"),
            ),
            # The administrator sees every unit's accounts, the audit trail and the exports: a unit's member never
            # holds the role, and only the administrator enters the Django admin (User.clean says why, field by field).
            models.CheckConstraint(
                condition=~models.Q(role="admin") | models.Q(organisation__isnull=True),
                name="user_admin_belongs_to_no_organisation",
                violation_error_message=_("“系统管理员”账号不属于任何单位。"),
            ),
            models.CheckConstraint(
                condition=models.Q(role="admin") | models.Q(is_staff=False, is_superuser=False),
                name="user_staff_and_superuser_only_admin",
                violation_error_message=_("只有“系统管理员”角色的账号可以登录管理后台或拥有全部权限。"),
            ),
            # One account per mailbox, whatever the case: password reset and notices go to one person.
            models.UniqueConstraint(Lower("email"), condition=~models.Q(email=""), name="user_email_ci_unique",
                                    violation_error_message=_("该电子邮箱已被其他账号使用。每个账号须使用自己的邮箱。")),
            # Logins and every check in the code compare user names without case: "Zhang" and "zhang" are one name.
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique",
                                    violation_error_message=_("该用户名已被使用（不区分大小写），请换一个。")),
        ]

    def __str__(self):
        return self.full_name or self.username

    def clean(self):
        super().clean()
        self.email = (self.email or "").strip()
        # The Django admin (staff) and all permissions (superuser) are the administrator's alone: an enterprise or
        # an official with either flag would log into /admin/ past every rule of the portal.
        if (self.is_staff or self.is_superuser) and self.role != Role.ADMIN:
            raise ValidationError({"is_staff" if self.is_staff else "is_superuser": _(
                "只有“系统管理员”角色的账号可以登录管理后台或拥有全部权限，“%(role)s”账号不能勾选。"
            ) % {"role": self.get_role_display()}})
        if self.role == Role.ADMIN:
            # An administrator sees every unit's accounts, the audit trail and the exports: such an account belongs
            # to no unit (as seed_demo and account_create make it), never to an enterprise, expert unit or district.
            if self.organisation_id is not None:
                raise ValidationError({"organisation": _(
                    "“系统管理员”账号不属于任何单位，请清空“所属单位”；单位的工作人员请选择与单位相符的角色。")})
            return
        expected = ROLE_ORGANISATION_KIND.get(self.role)
        if self.organisation_id is None:
            raise ValidationError({"organisation": _("除系统管理员外，每个账号都须属于一个单位。")})
        if expected and self.organisation.kind != expected:
            raise ValidationError({"organisation": _(
                "角色“%(role)s”的账号只能属于“%(kind)s”类单位，所选单位“%(name)s”是“%(actual)s”。"
            ) % {"role": self.get_role_display(), "kind": expected.label, "name": self.organisation.name,
                 "actual": self.organisation.get_kind_display()}})

    def _get_session_auth_hash(self, secret=None):
        return salted_hmac("accounts.User.get_session_auth_hash", f"{self.password}|{self.session_stamp}",
                           secret=secret, algorithm="sha256").hexdigest()

    def rotate_session_stamp(self):
        """Every session opened before this call is invalid from now on (the caller saves)."""
        self.session_stamp = new_session_stamp()

    def get_full_name(self):
        return self.full_name or self.username

    @property
    def district_id(self):
        return self.organisation.district_id if self.organisation_id else None

    @property
    def masked_phone(self):
        from greenfactory.text import mask_phone

        return mask_phone(self.phone)

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    @property
    def password_expired(self):
        days = settings.PASSWORD_MAX_AGE_DAYS
        return bool(days) and timezone.now() - self.password_changed_at > timezone.timedelta(days=days)


class EmailStatus(models.TextChoices):
    NONE = "none", _("无需邮件")
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class Notification(models.Model):
    """An entry in a user's inbox (站内消息), optionally mailed. ``key`` makes a reminder unique per person, item
    and threshold, so a task that runs twice sends it once."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications",
                                  verbose_name=_("收件人"))
    key = models.CharField(_("去重键"), max_length=200, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    email_status = models.CharField(_("邮件状态"), max_length=10, choices=EmailStatus.choices,
                                    default=EmailStatus.NONE)
    email_attempts = models.PositiveSmallIntegerField(_("邮件发送次数"), default=0)
    email_error = models.CharField(_("邮件发送错误"), max_length=300, blank=True)
    email_updated_at = models.DateTimeField(_("邮件状态更新时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], condition=~models.Q(key=""),
                                    name="notification_once_per_recipient_and_key",
                                    violation_error_message=_("该用户已收到过这条消息，不再重复发送。")),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("Audit records are append-only.")

    def delete(self):
        raise PermissionDenied("Audit records are append-only.")


class AuditAction(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKED_OUT = "locked_out", _("账号锁定")
    LOGOUT = "logout", _("退出")
    ACCESS_DENIED = "access_denied", _("拒绝访问")
    REGISTER = "register", _("企业注册")
    REGISTER_REQUESTED = "register_requested", _("注册申请（待确认邮箱）")
    IDENTITY_CHANGE_REQUESTED = "identity_change_requested", _("申请变更企业名称或信用代码")
    ACCOUNT_CHANGED = "account_changed", _("修改账号")
    ADMIN_CHANGE = "admin_change", _("管理后台修改")
    ENTERPRISE_CHANGED = "enterprise_changed", _("变更企业名称或信用代码")
    TRANSITION = "transition", _("状态变更")
    CREATED = "created", _("创建")
    CHANGED = "changed", _("修改")
    DELETED = "deleted", _("删除")
    UPLOADED = "uploaded", _("上传")
    ACCOUNT_CREATED = "account_created", _("创建账号")
    ACCOUNT_ENABLED = "account_enabled", _("启用账号")
    ACCOUNT_DISABLED = "account_disabled", _("停用账号")
    PASSWORD_CHANGED = "password_changed", _("修改密码")
    PASSWORD_RESET = "password_reset", _("重置密码")
    DOWNLOAD = "download", _("下载")
    EXPORT = "export", _("导出")
    ESCALATED = "escalated", _("逾期催办")


class AuditEvent(models.Model):
    """Append-only (网络安全法第二十一条: kept at least 180 days). Updates and deletes are refused here and, on
    PostgreSQL, by a trigger."""

    timestamp = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, verbose_name=_("操作人"), on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    username = models.CharField(_("账号"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=30, choices=AuditAction.choices)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    object_id = models.CharField(_("对象"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象名称"), max_length=200, blank=True)
    result = models.CharField(_("结果"), max_length=20, default="success",
                              choices=[("success", _("成功")), ("failure", _("失败"))])
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-timestamp", "-id"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")

    def __str__(self):
        return f"{self.timestamp:%Y-%m-%d %H:%M:%S} {self.username} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("Audit records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Audit records are append-only.")


class PendingRegistration(models.Model):
    """A registration whose e-mail address is not yet confirmed. It reserves nothing (no unique name, e-mail or
    code), so an unconfirmed form can neither squat a credit code nor reveal one; the enterprise and its user are
    created, and the district told, only when the link mailed to the address is followed (SECURITY.md: accounts)."""

    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("电子邮箱"))
    data = models.JSONField(_("注册信息"), encoder=DjangoJSONEncoder)
    password_hash = models.CharField(_("密码摘要"), max_length=255)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("待确认邮箱的注册")
        verbose_name_plural = _("待确认邮箱的注册")

    def __str__(self):
        return f"{self.data.get('name', '')} <{self.email}>"


class IdentityChangeStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REFUSED = "refused", _("未通过")


class EnterpriseRecordQuerySet(ScopedQuerySet):
    """Records an enterprise applies with and one district decides (identity changes here; intake applications and
    library entries in applications): the city and administrators see all, a district official its district's, the
    applicant its own, an assignee the cases assigned to it (where the model declares ``assignment_path``)."""

    district_path = "district_id"
    applicant_path = "enterprise_id"


class IdentityChangeQuerySet(EnterpriseRecordQuerySet):
    # A request is decided by the district the enterprise is registered in.
    district_path = "enterprise__district_id"


class IdentityChange(ReloadableStateMixin, models.Model):
    """A registered enterprise asks its district to change its 公司名称 or 统一社会信用代码 (the identity intake
    forms are filled with). Once certification exists, the same change of a certified factory is the article-19
    change request (第十九条), which builds on this record rather than beside it."""

    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="identity_changes")
    old_name = models.CharField(_("原公司名称"), max_length=200)
    old_credit_code = models.CharField(_("原统一社会信用代码"), max_length=18)
    new_name = models.CharField(_("新公司名称"), max_length=200)
    new_credit_code = models.CharField(_("新统一社会信用代码"), max_length=18)
    reason = models.TextField(_("变更原因"), max_length=1000)
    status = FSMField(_("状态"), max_length=10, choices=IdentityChangeStatus.choices,
                      default=IdentityChangeStatus.PENDING, protected=True)
    requested_by = models.ForeignKey(User, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now, editable=False)
    decided_by = models.ForeignKey(User, verbose_name=_("审核人"), on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+", editable=False)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True, editable=False)
    refusal_reason = models.TextField(_("未通过原因"), max_length=1000, blank=True, editable=False)

    objects = IdentityChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("企业名称或信用代码变更")
        verbose_name_plural = _("企业名称或信用代码变更")
        constraints = [
            models.UniqueConstraint(fields=["enterprise"], condition=models.Q(status="pending"),
                                    name="identity_change_one_open_per_enterprise",
                                    violation_error_message=_(
                                        "该企业已有一项待审核的名称或信用代码变更，请等区县审核完成后再提交。")),
        ]

    def __str__(self):
        return f"{self.old_name} → {self.new_name}"

    @transition(source=IdentityChangeStatus.PENDING, target=IdentityChangeStatus.APPROVED,
                permission=lambda instance, user: can_review_identity_change(user, instance))
    def approve(self, by=None, description=None):
        self.decided_by = by
        self.decided_at = timezone.now()

    @transition(source=IdentityChangeStatus.PENDING, target=IdentityChangeStatus.REFUSED,
                permission=lambda instance, user: can_review_identity_change(user, instance))
    def refuse(self, by=None, description=None):
        self.decided_by = by
        self.decided_at = timezone.now()
        self.refusal_reason = description or ""


class Deadline(models.Model):
    """A clock on a record (何时之前、由谁办理): opened by the service that starts it, closed by the transition that
    stops it (``@transition(stops=...)``), reminded and chased by one sweep (``accounts.deadline_reminders``).

    Whose turn it is: one user or one organisation (all its active users). The due date is the last day on which the
    work is on time (computed in working days on the official calendar, or a fixed date such as a campaign's
    deadline). ``label`` and ``url`` name the case as it was when the clock started, so that a to-do list of clocks
    of many kinds costs one query."""

    kind = models.CharField(_("事项"), max_length=40, choices=DeadlineKind.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("对象类型"))
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    subject = GenericForeignKey("content_type", "object_id")
    label = models.CharField(_("对象名称"), max_length=200, blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True, related_name="deadlines",
                             verbose_name=_("办理人"))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="deadlines", verbose_name=_("办理单位"))
    due_on = models.DateField(_("截止日期"))
    opened_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    closed_by = models.CharField(_("结束原因"), max_length=60, blank=True,
                                 help_text=_("结束该期限的操作（状态变更或业务操作的名称）。"))
    escalated_at = models.DateTimeField(_("催办时间"), null=True, blank=True)
    escalated_to = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("催办单位"))

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("办理期限")
        verbose_name_plural = _("办理期限")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=True, organisation__isnull=False)
                | models.Q(user__isnull=False, organisation__isnull=True),
                name="deadline_turn_is_a_user_or_an_organisation",
                violation_error_message=_("办理期限须指定一个办理人或一个办理单位。")),
            models.UniqueConstraint(fields=["content_type", "object_id", "kind"],
                                    condition=models.Q(closed_at__isnull=True), name="one_open_deadline_per_kind",
                                    violation_error_message=_("该事项已有一个未结束的同类期限。")),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id", "closed_at"]),
            models.Index(fields=["closed_at", "due_on"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.label}（{self.due_on}）"


class EmailPreference(models.Model):
    """A user's choice for one kind of message: also by e-mail or inbox only. No row: mailed (the default)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_preferences",
                             verbose_name=_("用户"))
    kind = models.CharField(_("消息类别"), max_length=20, choices=MessageKind.choices)
    email = models.BooleanField(_("同时发送邮件"), default=True)

    class Meta:
        verbose_name = _("邮件通知设置")
        verbose_name_plural = _("邮件通知设置")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_email_preference_per_kind",
                                               violation_error_message=_("该用户已设置过这类消息的邮件通知。"))]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()}"
