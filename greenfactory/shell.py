"""The chrome of every page (base.html and public_base.html), written in Python: the skip link, the demo banner, the
top bar with the user and the language switch, the side navigation, the messages and the footer.

As template includes with their loops and conditions, the chrome cost about as much as the floor page of the
benchmark (50 rows of one query) on every page, before the page's own content. Here the words of each language are
translated once per process, the language options and fixed links are made once per language, and a request only
fills in what is its own: the user, the counts, the CSRF token, its path and its id. Every value is escaped.
"""

from __future__ import annotations

import functools
from html import escape

from django.conf import settings
from django.middleware.csrf import get_token
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from greenfactory.portal import fixed_url

SKIP_LINK = '<a class="visually-hidden-focusable portal-skip-link" href="#main">{skip}</a>\n'
DEMO_BANNER = ('<div class="portal-demo-banner" role="note"><i class="bi bi-info-circle me-1" aria-hidden="true"></i>'
               '{text}</div>\n')

LANGUAGE_SWITCHER = (
    '<form class="language-switcher d-flex align-items-center gap-1" method="post" action="{action}" '
    'data-autosubmit>\n  {csrf}\n  <input type="hidden" name="next" value="{next}">\n'
    '  <label class="visually-hidden" for="language-select">{label}</label>\n'
    '  <select class="form-select form-select-sm" id="language-select" name="language">\n{options}  </select>\n'
    '  <noscript><button class="btn btn-sm btn-light" type="submit">{switch}</button></noscript>\n</form>')
LANGUAGE_OPTION = '    <option value="{code}" lang="{code}"{selected}>{name}</option>\n'

CSRF_INPUT = '<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'

# base.html: from the top bar to the opening of the main column.
TOPBAR = (
    '<header class="navbar navbar-expand-lg portal-topbar" data-bs-theme="dark">\n  <div class="container-fluid">\n'
    '    <a class="navbar-brand" href="{home}"><span class="portal-logo" aria-hidden="true"><i class="bi bi-tree-fill" '
    'aria-hidden="true"></i></span>{site}</a>\n'
    '    <button class="navbar-toggler" type="button" data-bs-toggle="collapse" data-bs-target="#portal-usernav" '
    'aria-controls="portal-usernav" aria-expanded="false" aria-label="{expand}"><span class="navbar-toggler-icon">'
    '</span></button>\n'
    '    <div class="collapse navbar-collapse" id="portal-usernav">\n'
    '      <ul class="navbar-nav ms-auto align-items-lg-center gap-lg-1">\n{items}'
    '        <li class="nav-item py-1 py-lg-0 ms-lg-2">{switcher}</li>\n      </ul>\n    </div>\n  </div>\n</header>\n')
USER_ITEMS = (
    '        <li class="nav-item">\n          <a class="nav-link" href="{home}"><i class="bi bi-list-check" '
    'aria-hidden="true"></i> {todo}{todo_badge}</a>\n        </li>\n'
    '        <li class="nav-item">\n          <a class="nav-link" href="{inbox}"><i class="bi bi-bell" '
    'aria-hidden="true"></i> {messages}{unread_badge}</a>\n        </li>\n'
    '        <li class="nav-item portal-user">\n          <i class="bi bi-person-circle fs-4" aria-hidden="true"></i>\n'
    '          <span class="portal-user-text">\n            <span class="portal-user-name">{name}</span>\n'
    '            <span class="portal-user-meta">{meta}</span>\n          </span>\n        </li>\n'
    '        <li class="nav-item">\n          <a class="nav-link" href="{profile}"><i class="bi bi-person-vcard" '
    'aria-hidden="true"></i> <span class="portal-label-wide">{my_account}</span></a>\n        </li>\n'
    '        <li class="nav-item">\n          <a class="nav-link" href="{password}"><i class="bi bi-key" '
    'aria-hidden="true"></i> <span class="portal-label-wide">{change_password}</span></a>\n        </li>\n'
    '        <li class="nav-item py-1 py-lg-0">\n          <form method="post" action="{logout}">\n            {csrf}\n'
    '            <button class="btn btn-sm btn-outline-light" type="submit"><i class="bi bi-box-arrow-right" '
    'aria-hidden="true"></i> {log_out}</button>\n          </form>\n        </li>\n')
LOGIN_ITEM = '        <li class="nav-item"><a class="nav-link" href="{login}">{log_in}</a></li>\n'
SIDEBAR = ('  <nav class="portal-sidebar" aria-label="{label}">\n    <ul class="nav portal-nav">\n{items}    </ul>\n'
           '  </nav>\n')
MAIN_OPEN = '\n  <main id="main" class="portal-main">\n'

# public_base.html: its own top bar (the public pages have no side navigation).
PUBLIC_TOPBAR = (
    '<header class="navbar navbar-expand portal-topbar" data-bs-theme="dark">\n  <div class="container-xl flex-wrap '
    'gap-2">\n    <a class="navbar-brand" href="{home}"><span class="portal-logo" aria-hidden="true"><i class="bi '
    'bi-tree-fill" aria-hidden="true"></i></span>{site}</a>\n'
    '    <ul class="navbar-nav portal-public-links ms-auto align-items-center flex-wrap">\n{items}'
    '      <li class="nav-item ms-2">{switcher}</li>\n    </ul>\n  </div>\n</header>\n')
PUBLIC_LINK = ('      <li class="nav-item"><a class="nav-link" href="{url}"><i class="bi bi-{icon}" aria-hidden="true">'
               '</i> {label}</a></li>\n')

MESSAGE = (
    '  <div class="alert alert-{kind} alert-dismissible fade show" role="{role}">\n'
    '    <i class="bi bi-{icon} me-1" aria-hidden="true"></i>\n    {text}\n'
    '    <button type="button" class="btn-close" data-bs-dismiss="alert" aria-label="{close}"></button>\n  </div>\n')
MESSAGE_KINDS = {"error": "danger", "debug": "secondary"}
MESSAGE_ICONS = {"success": "check-circle", "error": "x-octagon", "warning": "exclamation-triangle"}

FOOTER = ('<footer class="portal-footer">\n  <div class="d-flex flex-wrap justify-content-between align-items-center '
          'gap-2">\n    <span>{org}</span>\n{request_id}  </div>\n</footer>\n')
REQUEST_ID = '    <small class="portal-request-id text-body-secondary">{label} {id}</small>\n'


@functools.cache
def _words(language: str) -> dict[str, str]:
    """The chrome's words in one language, escaped, translated once per process (``language`` is the cache key: the
    active language when called)."""
    words = {
        "site": _("绿色工厂培育与认定平台"), "skip": _("跳到正文"), "expand": _("展开菜单"), "todo": _("待办"),
        "messages": _("消息"), "my_account": _("我的账号"), "change_password": _("修改密码"), "log_out": _("退出"),
        "log_in": _("登录"), "nav": _("主导航"), "language": _("界面语言"), "switch": _("切换"), "close": _("关闭"),
        "footer": _("重庆市经济和信息化委员会 · 绿色工厂培育与认定平台"), "request_id": _("请求编号"),
        "demo": _("演示环境：演示账号的统一密码仅用于体验，正式环境下无法登录"),
        "back_home": _("返回工作台"), "notices": _("培育工作通知"),
        "publicity": _("公示公告"), "directory": _("绿色工厂名录"), "verify": _("证书查验"),
        "revocations": _("撤销公告"), "register": _("企业注册"),
    }
    return {key: escape(str(value)) for key, value in words.items()}


@functools.cache
def _language_options(current: str) -> str:
    options = []
    for code, _name in settings.LANGUAGES:
        options.append(LANGUAGE_OPTION.format(
            code=escape(code), selected=" selected" if code == current else "",
            name=escape(get_language_info(code)["name_local"])))
    return "".join(options)


class Shell:
    """What base.html and public_base.html print around a page's blocks, each part made when the template asks for
    it (a page on another base pays nothing). ``nav`` is the context processor's side navigation (entries with their
    counts), ``nav_html`` a function that writes it."""

    def __init__(self, request, *, nav=(), nav_html=None, todo_total=0, unread_count=0):
        self.request = request
        self.nav = nav
        self._nav_html = nav_html
        self.todo_total = todo_total
        self.unread_count = unread_count
        self.language = get_language() or settings.LANGUAGE_CODE

    @cached_property
    def words(self) -> dict[str, str]:
        return _words(self.language)

    @cached_property
    def csrf(self) -> str:
        return CSRF_INPUT.format(token=escape(get_token(self.request)))

    @property
    def lang(self) -> str:
        return self.language

    @property
    def site(self) -> str:
        return mark_safe(self.words["site"])  # noqa: S308  (escaped)

    def _opening(self) -> str:
        banner = DEMO_BANNER.format(text=self.words["demo"]) if settings.DEMO_LOGIN_ENABLED else ""
        return SKIP_LINK.format(skip=self.words["skip"]) + banner

    def _switcher(self) -> str:
        words = self.words
        return LANGUAGE_SWITCHER.format(
            action=escape(fixed_url("set_language")), csrf=self.csrf, next=escape(self.request.get_full_path()),
            label=words["language"], options=_language_options(self.language), switch=words["switch"])

    @cached_property
    def top(self) -> str:
        """base.html: everything from ``<body>`` to the opening of ``<main>``."""
        words, user = self.words, getattr(self.request, "user", None)
        home = escape(fixed_url("home"))
        if user is not None and user.is_authenticated:
            organisation = user.organisation
            meta = escape(str(user.get_role_display()))
            if organisation is not None:
                meta += " · " + escape(organisation.name)
            items = USER_ITEMS.format(
                home=home, todo=words["todo"], inbox=escape(fixed_url("accounts:inbox")), messages=words["messages"],
                todo_badge=f' <span class="badge rounded-pill text-bg-warning">{int(self.todo_total)}</span>'
                if self.todo_total else "",
                unread_badge=f' <span class="badge rounded-pill text-bg-danger">{int(self.unread_count)}</span>'
                if self.unread_count else "",
                name=escape(user.get_full_name()), meta=meta,
                profile=escape(fixed_url("accounts:profile")), my_account=words["my_account"],
                password=escape(fixed_url("accounts:password_change")), change_password=words["change_password"],
                logout=escape(fixed_url("accounts:logout")), csrf=self.csrf, log_out=words["log_out"])
        else:
            items = LOGIN_ITEM.format(login=escape(fixed_url("accounts:login")), log_in=words["log_in"])
        sidebar = ""
        if self.nav and self._nav_html is not None:
            sidebar = SIDEBAR.format(label=words["nav"], items=self._nav_html())
        return mark_safe(  # noqa: S308  (every value escaped)
            self._opening() + TOPBAR.format(home=home, site=words["site"], expand=words["expand"], items=items,
                                            switcher=self._switcher())
            + '\n<div class="portal-shell">\n' + sidebar + MAIN_OPEN)

    @cached_property
    def public_top(self) -> str:
        """public_base.html: everything from ``<body>`` to the opening of ``<main>``."""
        words, user = self.words, getattr(self.request, "user", None)
        if user is not None and user.is_authenticated:
            links = [(fixed_url("home"), "house", words["back_home"])]
        else:
            links = [(fixed_url("applications:campaign_notices"), "megaphone", words["notices"]),
                     # 第十一条 公示, 第三条 公开, 第十八条 发文公告: the certification's public pages.
                     (fixed_url("applications:notice_list"), "clipboard-check", words["publicity"]),
                     (fixed_url("applications:title_directory"), "patch-check", words["directory"]),
                     (fixed_url("applications:title_verify"), "qr-code-scan", words["verify"]),
                     (fixed_url("supervision:announcement_list"), "x-octagon", words["revocations"]),
                     (fixed_url("accounts:login"), "box-arrow-in-right", words["log_in"]),
                     (fixed_url("accounts:register"), "building-add", words["register"])]
        items = "".join(PUBLIC_LINK.format(url=escape(url), icon=icon, label=label) for url, icon, label in links)
        return mark_safe(  # noqa: S308  (every value escaped)
            self._opening() + PUBLIC_TOPBAR.format(home=escape(fixed_url("home")), site=words["site"], items=items,
                                                   switcher=self._switcher()) + "\n")

    @cached_property
    def messages(self) -> str:
        """The messages waiting for this request (django.contrib.messages), each as a dismissible alert."""
        storage = getattr(self.request, "_messages", None)
        if not storage:
            return ""
        parts = []
        for message in storage:
            tag = message.level_tag
            parts.append(MESSAGE.format(
                kind=MESSAGE_KINDS.get(tag, tag or "info"), role="alert" if tag in ("error", "warning") else "status",
                icon=MESSAGE_ICONS.get(tag, "info-circle"), text=conditional_escape(message.message),
                close=self.words["close"]))
        if not parts:
            return ""
        return mark_safe('<div class="portal-messages">\n' + "".join(parts) + "</div>\n")  # noqa: S308  (escaped)

    @cached_property
    def footer(self) -> str:
        words, request_id = self.words, getattr(self.request, "id", None)
        return mark_safe(FOOTER.format(  # noqa: S308  (escaped)
            org=words["footer"],
            request_id=REQUEST_ID.format(label=words["request_id"], id=escape(str(request_id))) if request_id else ""))
