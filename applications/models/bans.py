"""Bans on applying again (第十八条: three years after a revoked title)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApplicationBanQuerySet(models.QuerySet):
    def in_force_on(self, day):
        return self.filter(starts_on__lte=day, ends_on__gt=day)


class ApplicationBan(models.Model):
    """第十八条: a unit whose title was revoked may not apply again for three years. Written by the revocation
    (supervision); enforced at intake and certification."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="bans",
                                     verbose_name=_("单位"))
    starts_on = models.DateField(_("撤销日期"))
    ends_on = models.DateField(_("禁止申报截止（不含）"), blank=True, help_text=_("留空则为撤销日期起三年。"))
    reason = models.CharField(_("撤销原因"), max_length=300)
    document_number = models.CharField(_("撤销文号"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = ApplicationBanQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("申报限制")
        verbose_name_plural = _("申报限制")

    def __str__(self):
        return f"{self.organisation} {self.starts_on}–{self.ends_on}"

    @staticmethod
    def end_for(starts_on):
        """Three years from the revocation (第十八条), to the same calendar day; 29 February falls to 1 March."""
        try:
            return starts_on.replace(year=starts_on.year + 3)
        except ValueError:
            return starts_on.replace(year=starts_on.year + 3, month=3, day=1)

    def clean(self):

        if self.starts_on and not self.ends_on:
            self.ends_on = self.end_for(self.starts_on)
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("截止日期应晚于撤销日期。")})
