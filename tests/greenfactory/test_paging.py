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
