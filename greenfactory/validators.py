"""Field checks shared by every form: the shapes Chinese officials expect, with messages in Chinese."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

postal_code_validator = RegexValidator(r"^[0-9]{6}$", _("邮编应为6位数字。"), code="postal_code")

# A mainland mobile number, or a landline with an optional area code and extension (023-40409125, 40409125-801).
phone_validator = RegexValidator(
    r"^(1[3-9][0-9]{9}|(0[0-9]{2,3}-?)?[0-9]{7,8}(-[0-9]{1,6})?)$",
    _("请输入有效的联系电话：11位手机号，或固定电话（如 023-40409125）。"),
    code="phone",
)

MONEY_MAX = Decimal("99999999999.99")


EARLIEST_DATE = date(1900, 1, 1)


def validate_not_in_future(value):
    """A date that has happened: not in the future, and not before 1900 (a founding date of year 1 is a typing
    slip). The forms say the same naming the field (greenfactory.forms); this guards every other way in (the admin)."""
    if value and value > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天。"), code="future_date")
    if value and value < EARLIEST_DATE:
        raise ValidationError(_("日期不能早于1900-01-01。"), code="too_early")


def validate_money(value):
    """Amounts in 万元: not negative, at most two decimals, not absurdly large."""
    if value is None:
        return
    if value < 0:
        raise ValidationError(_("金额不能为负数。"), code="negative")
    if value > MONEY_MAX:
        raise ValidationError(_("金额过大，请核对单位是否为万元。"), code="too_large")
    if value.as_tuple().exponent < -2:
        raise ValidationError(_("金额最多保留两位小数。"), code="decimals")


def validate_signed_money(value):
    """Amounts that may be negative (a loss in 利润总额): two decimals, not absurdly large either way."""
    if value is None:
        return
    validate_money(abs(value))
