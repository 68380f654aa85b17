"""Pagination with the page number parsed by a form, like every other query parameter."""

from django import forms
from django.core.paginator import Paginator


class PageForm(forms.Form):
    page = forms.IntegerField(min_value=1, max_value=1_000_000, required=False)


def page_of(request, queryset, per_page):
    """The requested page of ``queryset``; a missing, malformed or out-of-range page number gives the first or the
    last page, never an error."""
    form = PageForm(request.GET)
    number = form.cleaned_data.get("page") if form.is_valid() else None
    return Paginator(queryset, per_page).get_page(number or 1)
