import functools

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from greenfactory.portal import fixed_url, nav_for, shell_open_to, todo_counts_for, unread_count_for
from greenfactory.shell import Shell

# An entry of the side navigation (base.html), written in Python: on every page, a template loop with its nested
# conditions cost more than many a page's own content.
NAV_ITEM = ('      <li class="nav-item">\n        <a class="nav-link{active}" href="{url}"{current}>\n'
            '          <i class="bi bi-{icon}" aria-hidden="true"></i><span>{label}</span>{badge}\n'
            '        </a>\n      </li>\n')


@functools.cache
def shell_head() -> str:
    """The stylesheets and scripts every page links (includes/head.html: hashed static names, the same for the life
    of the process), rendered once."""
    return mark_safe(render_to_string("includes/head.html"))  # noqa: S308  (a template without variables)


def _current(nav, path: str):
    """The entry the current page belongs to: the one whose address begins the path (the home page's only on the
    home page itself), else the first whose other sections (``NavItem.also``) begin it, else none."""
    home = fixed_url("home")
    for entry in nav:
        url = entry["item"].url
        if path == url if url == home else path.startswith(url):
            return entry
    return next((entry for entry in nav if any(path.startswith(url) for url in entry["item"].also_urls)), None)


_nav_written: dict[tuple, str] = {}


def nav_html(nav, path: str) -> str:
    """The side navigation's entries, the current page's marked (``_current``), each with its to-do count. The same
    entries, counts, current entry and language give the same markup: it is written once per process (a few hundred
    variants at most; the memo is emptied if it ever holds more than 2,000)."""
    current = _current(nav, path)
    key = (get_language(), current["item"].key if current else None,
           tuple((entry["item"].key, entry["count"]) for entry in nav))
    written = _nav_written.get(key)
    if written is None:
        if len(_nav_written) >= 2000:
            _nav_written.clear()
        written = _nav_written[key] = _write_nav(nav, current)
    return written


def _write_nav(nav, current) -> str:
    title = escape(_("待办数量"))
    parts = []
    for entry in nav:
        item, url = entry["item"], entry["item"].url
        here = entry is current
        parts.append(NAV_ITEM.format(
            active=" active" if here else "", url=escape(url), current=' aria-current="page"' if here else "",
            icon=escape(item.icon), label=escape(item.label),
            badge=f'<span class="badge rounded-pill" title="{title}">{entry["count"]}</span>' if entry["count"] > 0
            else ""))
    return mark_safe("".join(parts))  # noqa: S308  (every value escaped)


def portal(request):
    user = getattr(request, "user", None)
    common = {"demo_login_enabled": settings.DEMO_LOGIN_ENABLED, "shell_head": shell_head()}
    if user is None or not user.is_authenticated:
        return {"portal_nav": [], "todo_total": 0, "shell": Shell(request), **common}
    if not shell_open_to(user):
        # A unit awaiting or refused registration can use nothing but its registration page (the apps' checks).
        return {"portal_nav": [], "todo_counts": {}, "todo_total": 0, "unread_count": 0, "shell": Shell(request),
                **common}
    # Each to-do source of the user's role counted once per request (the home page reuses the counts).
    counts = todo_counts_for(user)
    nav = [
        {"item": item, "count": sum(counts.get(key, 0) for key in item.todo_keys)} for item in nav_for(user)
    ]
    unread, total = unread_count_for(user), sum(counts.values())
    return {
        "unread_count": unread,
        "portal_nav": nav,
        "todo_counts": counts,
        "todo_total": total,
        "shell": Shell(request, nav=nav, nav_html=lambda: nav_html(nav, request.path), todo_total=total,
                       unread_count=unread),
        **common,
    }
