"""Users: one role each, belonging to one organisation (administrators to none)."""

import secrets
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.models.organisations import ROLE_ORGANISATION_KIND, Organisation
from accounts.scope import ScopedQuerySet
from greenfactory.text import mask_phone
from greenfactory.validators import phone_validator


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
        # The account list's order (accounts.selectors.user_list_for_user), which also serves its role filter: the
        # first page is read from the index and stops after fifty rows (0.15 ms against 20 ms for sorting every
        # account of the city through a join by its unit's name). Its search has pg_trgm GIN indexes (0016).
        indexes = [models.Index(fields=["role", "organisation", "username"], name="user_list_order")]
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
        return mask_phone(self.phone)

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    @property
    def password_expired(self):
        days = settings.PASSWORD_MAX_AGE_DAYS
        return bool(days) and timezone.now() - self.password_changed_at > timezone.timedelta(days=days)
