"""Display values of long tables, computed once per page rather than once per row in the template: a page of 50 rows
with a ``{% url %}``, a ``|date`` filter, a ``get_FOO_display`` and a ``{% translate %}`` in each row spends most of
its time resolving those, not querying."""

from html import escape

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from applications.models import CriterionResult, EntryCriterion, TargetState

# A public id no row has: the page's URL pattern is reversed once with it, each row's URL is then a replacement.
_PLACEHOLDER = "00000000-0000-4000-8000-000000000000"

_BADGE_CLASSES = {CriterionResult.MET: "text-bg-success", CriterionResult.NOT_MET: "text-bg-danger"}


def url_for_each(name):
    """``lambda public_id: reverse(name, args=[public_id])`` at the cost of one ``reverse``."""
    pattern = reverse(name, args=[_PLACEHOLDER])
    return lambda public_id: pattern.replace(_PLACEHOLDER, str(public_id))


def local_time(value, fmt="%Y-%m-%d %H:%M"):
    """What ``value|date:"Y-m-d H:i"`` shows (in the current time zone), or "" for none."""
    return timezone.localtime(value).strftime(fmt) if value else ""


def criteria_badges(criteria, labels=None):
    """Each entry criterion's number as a badge coloured by its result, with its name and reason as the title;
    ``criteria`` are (criterion, result, reason), ``labels`` the criteria's names (``choice_labels``)."""
    labels = labels or choice_labels(EntryCriterion)
    # html.escape is what django.utils.html.escape does, without a SafeString per value (250 badges a page).
    return mark_safe(" ".join(  # noqa: S308  (every value escaped)
        f'<span class="badge {_BADGE_CLASSES.get(result, "text-bg-warning")}" title="'
        f'{escape(labels.get(criterion, criterion))}：{escape(reason)}">{escape(criterion)}</span>'
        for criterion, result, reason in criteria))


def choice_labels(choices):
    """A choices class's labels by value, translated once for the page."""
    return {value: str(label) for value, label in choices.choices}



_TARGET_BADGES = {TargetState.MET: "text-bg-success", TargetState.MISSED: "text-bg-warning",
                  TargetState.IN_PROGRESS: "text-bg-primary"}


TARGET_ROW = """    <tr data-district="{district}">
      <td>{district}</td><td class="text-end">{count}</td><td class="text-end">{target}</td>
      <td><div class="d-flex align-items-center gap-2">
        <progress class="flex-grow-1" max="{target}" value="{count}" aria-label="{district}">{percent}%</progress>
        <span class="badge target-{state} {badge}">{label}</span>
      </div></td>
    </tr>
"""


def target_rows(rows):
    """The district rows of a target table (``applications/campaigns/_target_table.html``) as its markup."""
    return html_rows(TARGET_ROW, ({
        "district": row["district"].name, "count": row["count"], "target": row["target"], "percent": row["percent"],
        "state": row["state"], "badge": _TARGET_BADGES.get(row["state"], "text-bg-secondary"), "label": row["label"]}
        for row in rows))


def html_rows(row_markup, rows):
    """Each row (a dict) written into ``row_markup`` (``str.format`` fields, every value escaped unless already safe,
    None as nothing): a 50-row table costs one template variable instead of eight a row."""
    return mark_safe("".join(  # noqa: S308  (every value escaped)
        row_markup.format_map({key: _escaped(value) for key, value in row.items()}) for row in rows))


def _escaped(value) -> str:
    # django.utils.html.conditional_escape without its lazy-string wrapper (a thousand values a page).
    if value is None:
        return ""
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))
