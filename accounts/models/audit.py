"""The append-only audit trail (网络安全法第二十一条)."""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models.users import User


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
        # The audit log, newest first, whole or by action; its user-name search has a pg_trgm GIN index on
        # PostgreSQL (0016).
        indexes = [models.Index(fields=["-timestamp", "-id"], name="audit_newest_first"),
                   models.Index(fields=["action", "-timestamp", "-id"], name="audit_action_newest_first")]

    def __str__(self):
        return f"{self.timestamp:%Y-%m-%d %H:%M:%S} {self.username} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("Audit records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Audit records are append-only.")
