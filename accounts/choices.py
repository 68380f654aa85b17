"""Choices shared by the models and the access rules (kept apart so access.py need not import models)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    PARK = "park", _("园区")
    DISTRICT = "district", _("区县经信部门")
    CITY = "city", _("市经济信息委")
    EXPERT = "expert", _("专家")
    EVALUATOR = "evaluator", _("第三方评价机构")
    DEPARTMENT = "department", _("市级相关部门")
    ADMIN = "admin", _("系统管理员")


class OrganisationStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACTIVE = "active", _("正常")
    REFUSED = "refused", _("注册未通过")
