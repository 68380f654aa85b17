import string

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """GB/T 22239 asks for password complexity: at least ``min_classes`` of upper case, lower case, digits and
    symbols."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def _classes(self, password):
        return sum(
            [
                any(c.isupper() for c in password),
                any(c.islower() for c in password),
                any(c.isdigit() for c in password),
                any(c in string.punctuation or not c.isalnum() for c in password),
            ]
        )

    def validate(self, password, user=None):
        if self._classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、符号中的至少%(n)d类。") % {"n": self.min_classes}


class MinimumLengthValidator:
    """Django's rule with the message in the portal's own words (Django's Chinese catalogue lacks the 5.2 text)."""

    def __init__(self, min_length=10):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self.get_help_text(), code="password_too_short")

    def get_help_text(self):
        return _("密码至少需要%(n)d个字符。") % {"n": self.min_length}


# Django's own rules, in the portal's words (its Chinese catalogue says 你 and ends some messages with English stops).


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("密码与您的%(verbose_name)s过于相似，请换一个。")

    def get_help_text(self):
        return _("密码不能与您的用户名、姓名或电子邮箱过于相似。")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self):
        return _("该密码过于常见，请换一个。")

    def get_help_text(self):
        return _("密码不能是常见密码。")


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self):
        return _("密码不能全是数字。")

    def get_help_text(self):
        return _("密码不能全是数字。")
