"""The applications' own display values of long tables (see ``greenfactory.display``): the criteria badges of the
intake queue and the district rows of the target tables."""

from html import escape

from django.utils.safestring import mark_safe

from applications.models import CriterionResult, EntryCriterion, TargetState
from greenfactory.display import choice_labels, html_rows

_BADGE_CLASSES = {CriterionResult.MET: "text-bg-success", CriterionResult.NOT_MET: "text-bg-danger"}


def criteria_badges(criteria, labels=None):
    """Each entry criterion's number as a badge coloured by its result, with its name and reason as the title;
    ``criteria`` are (criterion, result, reason), ``labels`` the criteria's names (``choice_labels``)."""
    labels = labels or choice_labels(EntryCriterion)
    # html.escape is what django.utils.html.escape does, without a SafeString per value (250 badges a page).
    return mark_safe(" ".join(  # noqa: S308  (every value escaped)
        f'<span class="badge {_BADGE_CLASSES.get(result, "text-bg-warning")}" title="'
        f'{escape(labels.get(criterion, criterion))}：{escape(reason)}">{escape(criterion)}</span>'
        for criterion, result, reason in criteria))


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
