"""``{% pagination page %}``: a list's page line — previous, "第 n / m 页", next — written in Python (it was a template
include with two loops over the query string on every list page). The links keep the list's other parameters."""

from html import escape
from urllib.parse import urlencode

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()

PAGINATION = ('<nav aria-label="{label}">\n  <ul class="pagination pagination-sm">\n    {previous}\n'
              '    <li class="page-item disabled"><span class="page-link">{where}</span></li>\n    {following}\n'
              '  </ul>\n</nav>\n')
LINK = '<li class="page-item"><a class="page-link" href="{href}">{label}</a></li>'


@register.simple_tag(takes_context=True)
def pagination(context, page):
    if page is None or not page.has_other_pages():
        return ""
    request = context.get("request")
    others = [(key, value) for key, value in (request.GET.items() if request is not None else ()) if key != "page"]

    def href(number: int) -> str:
        return escape("?" + urlencode([*others, ("page", number)]))

    paginator = page.paginator
    total = getattr(paginator, "pages_shown", None) or paginator.num_pages
    return mark_safe(PAGINATION.format(  # noqa: S308  (every value escaped)
        label=escape(_("分页")),
        previous=LINK.format(href=href(page.previous_page_number()), label=escape(_("上一页")))
        if page.has_previous() else "",
        where=escape(_("第 %(n)s / %(total)s 页") % {"n": page.number, "total": total}),
        following=LINK.format(href=href(page.next_page_number()), label=escape(_("下一页")))
        if page.has_next() else ""))
