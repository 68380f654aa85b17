"""The page number of a list read from the query string (greenfactory.paging)."""

import pytest
from django.test import RequestFactory

from greenfactory.paging import MAX_PAGE, page_number, page_of


@pytest.mark.parametrize(("value", "expected"), [
    ("1", 1), ("7", 7), (" 12 ", 12), (str(MAX_PAGE), MAX_PAGE),
    ("", None), ("0", None), ("-3", None), ("abc", None), ("2.5", None), ("1e3", None),
    (str(MAX_PAGE + 1), None), ("99999999999999999999", None), ("１２", None),
])
def test_page_number_accepts_only_a_page_in_range(value, expected):
    assert page_number(RequestFactory().get("/", {"page": value})) == expected


def test_page_number_without_the_parameter_is_none():
    assert page_number(RequestFactory().get("/")) is None


@pytest.mark.parametrize(("value", "number"), [("2", 2), ("9", 3), ("x", 1), ("0", 1)])
def test_page_of_gives_the_last_or_first_page_for_a_wrong_number(value, number):
    page = page_of(RequestFactory().get("/", {"page": value}), list(range(25)), 10)
    assert page.number == number
    assert list(page.object_list)[0] == (number - 1) * 10


@pytest.mark.django_db
@pytest.mark.parametrize(("value", "number"), [("1", 1), ("2", 2), ("5", 5), ("6", 5), ("99", 5), ("x", 1)])
def test_a_counted_page_carries_the_lists_total(reference_data, django_assert_num_queries, value, number):
    from accounts.models import District
    from greenfactory.paging import counted_page_of

    districts = District.objects.order_by("pk")
    total = districts.count()
    assert total == 41
    in_range = value in ("1", "2", "5", "x")
    with django_assert_num_queries(1 if in_range else 3):  # past the end: the rows, the count, the last page
        page = counted_page_of(RequestFactory().get("/", {"page": value}), districts, 9)
    assert page.number == number
    assert page.paginator.count == total and page.paginator.num_pages == 5
    assert [d.pk for d in page.object_list] == list(districts.values_list("pk", flat=True)[(number - 1) * 9:number * 9])
    assert page.has_next() is (number < 5) and page.has_previous() is (number > 1)


@pytest.mark.django_db
def test_a_counted_page_of_values_and_of_an_empty_list(reference_data):
    from accounts.models import District
    from greenfactory.paging import counted_page_of

    page = counted_page_of(RequestFactory().get("/"), District.objects.order_by("pk").values("pk", "name"), 50)
    assert page.paginator.count == 41 and len(page.object_list) == 41
    assert set(page.object_list[0]) >= {"pk", "name"}
    empty = counted_page_of(RequestFactory().get("/", {"page": "3"}), District.objects.none(), 50)
    assert empty.number == 1 and empty.paginator.count == 0 and list(empty.object_list) == []
