"""The scoring engine (evaluation.scoring): vetoes, required and optional items, linear scoring at, between and beyond
the 基准值 and 引领值 in both directions, weights, missing values, several assessors."""

from dataclasses import dataclass
from decimal import Decimal as D  # noqa: N817  (the tables of figures read better)

import pytest

from evaluation.scoring import AWAITING_VALUES, Entry, combine, gaps, linear_score, score, score_item


@dataclass
class Area:
    pk: int
    weight: D | None


@dataclass
class Item:
    pk: int
    kind: str
    area_id: int | None = None
    points: D | None = None
    base_value: D | None = None
    lead_value: D | None = None
    required: bool = True
    position: int = 0
    name: str = "item"


def quantitative(pk, base, lead, points="10", area=1, **kw):
    return Item(pk, "quantitative", area, D(points) if points is not None else None,
                D(base) if base is not None else None, D(lead) if lead is not None else None, position=pk, **kw)


def qualitative(pk, points="8", area=1, **kw):
    return Item(pk, "qualitative", area, D(points) if points is not None else None, position=pk, **kw)


def veto(pk):
    return Item(pk, "veto", None, position=pk)


# --- Linear scoring -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("10", "0"),      # at the 基准值: nothing
    ("5", "0"),       # worse than the 基准值: capped at nothing
    ("15", "5"),      # half way
    ("20", "10"),     # at the 引领值: full points
    ("35", "10"),     # beyond the 引领值: capped at full points
])
def test_a_higher_is_better_indicator_scores_linearly_between_its_values_and_is_capped(value, expected):
    assert linear_score(D(value), base=D(10), lead=D(20), points=D(10)) == D(expected)


@pytest.mark.parametrize(("value", "expected"), [
    ("1.2", "0"),     # at the 基准值 (an intensity: lower is better)
    ("2", "0"),       # worse (higher) than the 基准值
    ("1.0", "4"),     # half way between 1.2 and 0.8 of 8 points
    ("0.8", "8"),     # at the 引领值
    ("0.1", "8"),     # better than the 引领值
])
def test_a_lower_is_better_indicator_scores_linearly_the_other_way(value, expected):
    assert linear_score(D(value), base=D("1.2"), lead=D("0.8"), points=D(8)) == D(expected)


def test_a_quarter_of_the_way_earns_a_quarter_of_the_points():
    assert linear_score(D("12.5"), base=D(10), lead=D(20), points=D(8)) == D(2)


def test_equal_values_cannot_score():
    with pytest.raises(ValueError):
        linear_score(D(1), base=D(1), lead=D(1), points=D(8))


# --- Missing values -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("item", [quantitative(1, None, "20"), quantitative(1, "10", None),
                                  quantitative(1, "10", "20", points=None), qualitative(1, points=None)])
def test_an_indicator_without_its_values_has_no_score_and_says_the_administrator_must_enter_them(item):
    result = score_item(item, Entry(value=D(15), points=D(1)))
    assert result.score is None
    assert result.message == str(AWAITING_VALUES)


def test_a_quantitative_indicator_without_a_figure_has_no_score_and_says_why():
    result = score_item(quantitative(1, "10", "20"), Entry(value=None))
    assert result.score is None
    assert "缺少" in result.message


def test_missing_values_leave_the_total_open_and_list_the_indicator():
    areas = [Area(1, D(10))]
    items = [quantitative(1, None, None), qualitative(2)]
    result = score(areas, items, {2: Entry(points=D(8))})
    assert result.total is None
    assert [i.indicator.pk for i in result.awaiting] == [1]
    assert not result.complete


def test_a_qualitative_score_outside_its_points_is_refused():
    with pytest.raises(ValueError):
        score_item(qualitative(1, "8"), Entry(points=D(9)))
    with pytest.raises(ValueError):
        score_item(qualitative(1, "8"), Entry(points=D(-1)))


# --- Vetoes ---------------------------------------------------------------------------------------------------------


def test_each_failed_veto_fails_the_evaluation_whatever_the_points():
    areas = [Area(1, D(100))]
    items = [veto(1), veto(2), qualitative(3, "100")]
    result = score(areas, items, {1: Entry(passed=True), 2: Entry(passed=False), 3: Entry(points=D(100))})
    assert result.total == D(100)
    assert result.vetoed
    assert [i.indicator.pk for i in result.failed_vetoes] == [2]


def test_passed_vetoes_do_not_add_points_and_an_unanswered_veto_leaves_the_result_incomplete():
    areas = [Area(1, D(8))]
    items = [veto(1), veto(2), qualitative(3)]
    result = score(areas, items, {1: Entry(passed=True), 3: Entry(points=D(8))})
    assert not result.vetoed
    assert result.points == D(8)
    assert [i.indicator.pk for i in result.unscored] == [2]
    assert result.total is None


# --- Required and optional items, areas and weights ----------------------------------------------------------------


def test_a_required_item_short_of_full_points_is_listed_and_an_optional_one_is_not():
    areas = [Area(1, D(20))]
    items = [qualitative(1, "10", required=True), qualitative(2, "10", required=False)]
    result = score(areas, items, {1: Entry(points=D(6)), 2: Entry(points=D(0))})
    assert [i.indicator.pk for i in result.required_short] == [1]
    assert result.points == D(6)
    assert result.maximum == D(20)
    assert result.total == D(6)


def test_weights_scale_each_areas_share_of_its_points():
    # Area 1: 6 of 8 points, weight 30 → 22.5; area 2: 2 of 4 points, weight 70 → 35.
    areas = [Area(1, D(30)), Area(2, D(70))]
    items = [qualitative(1, "8", area=1), quantitative(2, "0", "100", points="4", area=2)]
    result = score(areas, items, {1: Entry(points=D(6)), 2: Entry(value=D(50))})
    assert result.areas[0].contribution == D("22.5")
    assert result.areas[1].contribution == D(35)
    assert result.total == D("57.5")


def test_when_the_weights_are_the_areas_points_the_total_is_the_sum_of_points():
    areas = [Area(1, D(8)), Area(2, D(4))]
    items = [qualitative(1, "8", area=1), qualitative(2, "4", area=2)]
    result = score(areas, items, {1: Entry(points=D(5)), 2: Entry(points=D(3))})
    assert result.total == D(8) == result.points


def test_an_area_without_a_weight_leaves_the_total_open_but_the_points_are_counted():
    areas = [Area(1, D(30)), Area(2, None)]
    items = [qualitative(1, "8", area=1), qualitative(2, "4", area=2)]
    result = score(areas, items, {1: Entry(points=D(8)), 2: Entry(points=D(4))})
    assert result.weights_missing
    assert result.total is None
    assert result.points == D(12)


def test_an_item_that_does_not_apply_counts_neither_in_points_nor_in_the_maximum():
    areas = [Area(1, D(10))]
    items = [qualitative(1, "5"), qualitative(2, "5")]
    result = score(areas, items, {1: Entry(points=D(5)), 2: Entry(applicable=False)})
    assert result.maximum == D(5)
    assert result.total == D(10)  # all of the applicable points: the whole weight


# --- Several assessors ----------------------------------------------------------------------------------------------


def test_several_assessors_scores_are_averaged_with_their_spread():
    areas = [Area(1, D(16))]
    items = [qualitative(1, "8"), quantitative(2, "10", "20", points="8")]
    result = combine(areas, items, [
        {1: Entry(points=D(8)), 2: Entry(value=D(15))},
        {1: Entry(points=D(4)), 2: Entry(value=D(15))},
        {1: Entry(points=D(6)), 2: Entry(value=D(15))},
    ])
    first, second = result.items
    assert first.score == D(6)
    assert first.spread == D(4)
    assert second.score == D(4)
    assert second.spread == D(0)
    assert result.total == D(10)


def test_a_veto_failed_by_one_assessor_fails_the_combined_result():
    result = combine([], [veto(1)], [{1: Entry(passed=True)}, {1: Entry(passed=False)}])
    assert result.vetoed


def test_an_item_one_assessor_has_not_scored_stays_unscored_in_the_combination():
    areas = [Area(1, D(8))]
    result = combine(areas, [qualitative(1)], [{1: Entry(points=D(8))}, {}])
    assert result.items[0].score is None
    assert result.total is None


# --- Gaps -----------------------------------------------------------------------------------------------------------


def test_gaps_rank_the_items_that_lost_the_most_points_first():
    areas = [Area(1, D(30))]
    items = [qualitative(1, "10"), qualitative(2, "10"), qualitative(3, "10")]
    result = score(areas, items, {1: Entry(points=D(9)), 2: Entry(points=D(2)), 3: Entry(points=D(10))})
    assert [g.indicator.pk for g in gaps(result)] == [2, 1]
    assert gaps(result)[0].lost == D(8)
