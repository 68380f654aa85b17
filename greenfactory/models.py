"""Official holiday schedules entered by administrators.

chinese-calendar carries the State Council's schedule only for the years it was released with. A ``CalendarYear``
row records that an administrator has entered a year's schedule from the State Council General Office's notice
(国务院办公厅关于某年部分节假日安排的通知); its ``CalendarDay`` rows are that year's days off and make-up working
days. In a year chinese-calendar knows, entered days act as corrections. ``greenfactory.workdays`` applies the rule.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# The abstract base of every stored document; imported here so its system check is registered with the models.
from greenfactory.documents import StoredDocument  # noqa: F401

# chinese-calendar starts at 2004; the upper bound only catches typing slips such as 20277.
FIRST_YEAR = 2004
LAST_YEAR = 2100


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField(
        _("年份"),
        unique=True,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
    )
    note = models.TextField(
        _("依据"),
        blank=True,
        help_text=_("国务院办公厅通知的名称和文号，例如：国务院办公厅关于2027年部分节假日安排的通知。"),
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        ordering = ("-year",)
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")

    def __str__(self):
        return _("%(year)d年节假日安排") % {"year": self.year}


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("调休上班")


class CalendarDay(models.Model):
    Kind = CalendarDayKind

    calendar_year = models.ForeignKey(
        CalendarYear, on_delete=models.CASCADE, related_name="days", verbose_name=_("节假日安排")
    )
    # Unique across years: a date is either off or on, and the working-day rule must not have to choose.
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("节日名称"), max_length=32, blank=True, help_text=_("例如：春节、国庆节。"))

    class Meta:
        ordering = ("date",)
        verbose_name = _("放假或调休上班日")
        verbose_name_plural = _("放假和调休上班日")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(kind__in=CalendarDayKind.values), name="greenfactory_calendarday_kind_valid",
                violation_error_message=_("日期类型无效，请选择“放假”或“调休上班”。"),
            ),
        )

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".rstrip()

    def clean(self):
        super().clean()
        problems = []
        calendar_year = self._calendar_year_or_none()
        if self.date and calendar_year is not None and self.date.year != calendar_year.year:
            problems.append(
                ValidationError(
                    _("%(date)s不在%(year)d年内，请在对应年份的节假日安排中录入。"),
                    code="date_outside_year",
                    params={"date": self.date.isoformat(), "year": calendar_year.year},
                )
            )
        # A weekday is a working day already, so a make-up working day on one is a slip (usually the wrong date).
        if self.date and self.kind == self.Kind.WORKDAY and self.date.weekday() < 5:
            problems.append(
                ValidationError(
                    _("%(date)s是周一至周五，调休上班日只能是周六或周日。"),
                    code="workday_on_weekday",
                    params={"date": self.date.isoformat()},
                )
            )
        if problems:
            raise ValidationError({"date": problems})

    def _calendar_year_or_none(self):
        # The admin inline validates days before a new year is saved, so the parent may exist only in memory.
        try:
            return self.calendar_year
        except CalendarYear.DoesNotExist:
            return None
