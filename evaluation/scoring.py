"""The scoring engine: one indicator, one area, one version's overall score, several experts combined. Pure
functions over the indicator system's rows and what was entered; they read no database and know no view.

The rules:

- A veto (基本要求) is passed or failed; a failed veto fails the whole evaluation whatever the points (一票否决).
- A qualitative item earns the points the assessor gives, from 0 to the item's points.
- A quantitative item is scored linearly between its 基准值 (0 points) and its 引领值 (full points) and capped at both
  ends (GB/T 36132-2025 §5): higher is better when the 引领值 is above the 基准值, lower is better otherwise.
- An item without the values its score needs (points, 基准值, 引领值) gets no score and says 待管理员录入.
- An item marked not applicable (不适用) counts neither in the points earned nor in the area's maximum.
- An area earns the sum of its items' points out of the sum of their full points; where the area has a weight, it
  contributes ``weight × earned ÷ maximum`` to the overall score, which is the sum of the areas' contributions (it is
  the plain sum of points when, as in GB/T 36132-2025's example, the weights are the areas' full points).
- A required item (必选) short of full points is listed: GB/T 36132-2018 asks every required item to be met.
- Several assessors: each item's score is the mean of theirs, with the spread (highest − lowest); a veto fails if
  any assessor failed it (the confirming official sees who).
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

VETO = "veto"
QUALITATIVE = "qualitative"
QUANTITATIVE = "quantitative"
CENT = Decimal("0.01")

AWAITING_VALUES = _("待管理员录入")


def rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


def shown(value, places: int = 4) -> str:
    """A number as people read it: at most ``places`` decimals, no trailing zeros (0.6812, 95, 12.5)."""
    if value is None:
        return ""
    text = f"{Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Entry:
    """What an assessor recorded for one indicator: a veto's verdict, a qualitative item's points, a quantitative
    item's value (computed from the yearly figures), or that it does not apply."""

    passed: bool | None = None
    points: Decimal | None = None
    value: Decimal | None = None
    applicable: bool = True


@dataclass
class ItemResult:
    indicator: object
    score: Decimal | None = None
    maximum: Decimal | None = None
    passed: bool | None = None
    value: Decimal | None = None
    applicable: bool = True
    message: str = ""
    spread: Decimal | None = None

    @property
    def lost(self) -> Decimal | None:
        if self.score is None or self.maximum is None:
            return None
        return self.maximum - self.score


@dataclass
class AreaResult:
    area: object
    earned: Decimal = Decimal(0)
    maximum: Decimal = Decimal(0)
    complete: bool = True
    contribution: Decimal | None = None


@dataclass
class Result:
    items: list[ItemResult] = field(default_factory=list)
    areas: list[AreaResult] = field(default_factory=list)
    points: Decimal = Decimal(0)
    maximum: Decimal = Decimal(0)
    total: Decimal | None = None
    failed_vetoes: list[ItemResult] = field(default_factory=list)
    required_short: list[ItemResult] = field(default_factory=list)
    awaiting: list[ItemResult] = field(default_factory=list)
    unscored: list[ItemResult] = field(default_factory=list)
    weights_missing: bool = False

    @property
    def complete(self) -> bool:
        return not self.unscored and not self.awaiting and not self.weights_missing

    @property
    def vetoed(self) -> bool:
        return bool(self.failed_vetoes)


def linear_score(value: Decimal, *, base: Decimal, lead: Decimal, points: Decimal) -> Decimal:
    """Full points at or beyond the 引领值, 0 at or short of the 基准值, linear in between (either direction)."""
    if lead == base:
        raise ValueError("the 基准值 and the 引领值 must differ")
    share = (value - base) / (lead - base)  # the same formula for both directions: the sign of (lead - base) turns it
    share = min(max(share, Decimal(0)), Decimal(1))
    return points * share


def score_item(indicator, entry: Entry | None) -> ItemResult:
    """One indicator's result from what was entered (``entry`` None: not yet assessed)."""
    result = ItemResult(indicator=indicator)
    if entry is not None and not entry.applicable:
        result.applicable = False
        result.message = str(_("不适用"))
        return result
    if indicator.kind == VETO:
        result.passed = entry.passed if entry is not None else None
        return result
    result.maximum = indicator.points
    if entry is not None:
        result.value = entry.value
    if indicator.points is None or (indicator.kind == QUANTITATIVE
                                    and (indicator.base_value is None or indicator.lead_value is None)):
        result.message = str(AWAITING_VALUES)
        return result
    if entry is None:
        return result
    if indicator.kind == QUALITATIVE:
        if entry.points is None:
            return result
        if entry.points < 0 or entry.points > indicator.points:
            raise ValueError(f"{indicator.name}: {entry.points} is outside 0–{indicator.points}")
        result.score = entry.points
        return result
    if entry.value is None:
        result.message = str(_("缺少年度绩效数据"))
        return result
    result.score = linear_score(entry.value, base=indicator.base_value, lead=indicator.lead_value,
                                points=indicator.points)
    return result


def score_items(areas: Sequence, items: Iterable[ItemResult]) -> Result:
    """Areas and overall from item results (each item's ``indicator.area_id`` names its area)."""
    result = Result(items=list(items))
    by_area = defaultdict(list)
    for item in result.items:
        indicator = item.indicator
        if indicator.kind == VETO:
            if item.applicable and item.passed is False:
                result.failed_vetoes.append(item)
            elif item.applicable and item.passed is None:
                result.unscored.append(item)
            continue
        by_area[indicator.area_id].append(item)
        if not item.applicable:
            continue
        if item.message == str(AWAITING_VALUES):
            result.awaiting.append(item)
        elif item.score is None:
            result.unscored.append(item)
        elif indicator.required and item.maximum is not None and item.score < item.maximum:
            result.required_short.append(item)
    contributions = []
    for area in areas:
        area_result = AreaResult(area=area)
        for item in by_area.get(area.pk, ()):
            if not item.applicable:
                continue
            if item.score is None or item.maximum is None:
                area_result.complete = False
                if item.maximum is not None:
                    area_result.maximum += item.maximum
                continue
            area_result.earned += item.score
            area_result.maximum += item.maximum
        if area.weight is None:
            result.weights_missing = True
        elif area_result.maximum > 0:
            area_result.contribution = area.weight * area_result.earned / area_result.maximum
        else:
            area_result.contribution = Decimal(0)
        contributions.append(area_result.contribution)
        result.points += area_result.earned
        result.maximum += area_result.maximum
        result.areas.append(area_result)
    if result.complete and all(c is not None for c in contributions):
        result.total = sum(contributions, Decimal(0))
    return result


def score(areas: Sequence, indicators: Iterable, entries: Mapping) -> Result:
    """One assessor's result: ``entries`` maps an indicator's pk to its ``Entry``."""
    return score_items(areas, (score_item(indicator, entries.get(indicator.pk)) for indicator in indicators))


def combine(areas: Sequence, indicators: Sequence, entries_by_assessor: Sequence[Mapping]) -> Result:
    """Several assessors' entries combined: the mean score per item with its spread; a veto failed by anyone."""
    combined = []
    for indicator in indicators:
        results = [score_item(indicator, entries.get(indicator.pk)) for entries in entries_by_assessor]
        item = ItemResult(indicator=indicator, maximum=indicator.points if indicator.kind != VETO else None)
        applicable = [r for r in results if r.applicable]
        if results and not applicable:
            item.applicable = False
            item.message = str(_("不适用"))
        elif indicator.kind == VETO:
            verdicts = [r.passed for r in applicable]
            item.passed = False if False in verdicts else (True if verdicts and all(verdicts) else None)
        else:
            messages = {r.message for r in applicable if r.message}
            scores = [r.score for r in applicable if r.score is not None]
            values = [r.value for r in applicable if r.value is not None]
            if str(AWAITING_VALUES) in messages:
                item.message = str(AWAITING_VALUES)
            elif scores and len(scores) == len(applicable):
                item.score = sum(scores, Decimal(0)) / len(scores)
                item.spread = max(scores) - min(scores)
            elif messages:
                item.message = sorted(messages)[0]
            item.value = values[0] if values else None
        combined.append(item)
    return score_items(areas, combined)


def gaps(result: Result, limit: int | None = None) -> list[ItemResult]:
    """The scored items that lost points, the most first (gap analysis: the first draft of the improvement plan)."""
    lost = [item for item in result.items if item.applicable and item.lost is not None and item.lost > 0]
    lost.sort(key=lambda item: (-item.lost, item.indicator.position))
    return lost[:limit] if limit is not None else lost
