"""The portal's own middleware: a request id on every request (response header, logs, error page), 409 for a record
that moved on, the chosen language, 400 for a NUL byte, no-store for signed-in pages and downloads, and an audit
record for every refused request."""

import contextvars
import functools
import logging
import re
import uuid
from urllib.parse import unquote_to_bytes

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
# A proxy's id: a UUID or a short token of letters, digits and hyphens (nothing a log line or a header could break on).
_VALID = re.compile(r"^[A-Za-z0-9\-]{8,64}$")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = self._incoming(request) or uuid.uuid4().hex
        token = _request_id.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request.id
        return response


    @staticmethod
    def _incoming(request) -> str:
        """The id the proxy in front set, when there is one (``PROXY_COUNT`` > 0) and it looks like an id. Without a
        proxy the header comes from the client, who could tie its requests to someone else's audit records or fill
        the logs with a chosen text: it is ignored."""
        from django.conf import settings

        if getattr(settings, "PROXY_COUNT", 0) <= 0:
            return ""
        incoming = request.headers.get("X-Request-ID", "")
        return incoming if _VALID.match(incoming) else ""


class RequestIdLogFilter(logging.Filter):
    def filter(self, record):
        record.request_id = _request_id.get()
        return True


class RefusalLogFilter(logging.Filter):
    """A refused request (any 4xx) is logged as one line, without the traceback Django attaches to an Http404 or a
    PermissionDenied; server errors (5xx) keep theirs."""

    def filter(self, record):
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True


class TransitionConflictMiddleware:
    """An action on a record that has moved on answers 409 with a Chinese explanation, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.template.response import TemplateResponse

        from greenfactory.workflow import TransitionConflict

        if isinstance(exception, TransitionConflict):
            response = TemplateResponse(request, "409.html", {"message": exception.message,
                                                              "back_url": getattr(exception, "url", None)}, status=409)
            return response.render()
        return None


class MethodNotAllowedPageMiddleware:
    """A form's address opened in the browser (a bookmark, a reload, the login page's return after a session ended)
    answers 405 with a Chinese page and a way back, not the browser's empty error page. The ``Allow`` header stays."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.method not in ("GET", "HEAD"):
            return response
        from django.template.response import TemplateResponse

        page = TemplateResponse(request, "405.html", status=405).render()
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page


class PortalLocaleMiddleware:
    """Chinese unless the user chose otherwise with the language switch (a cookie): the browser's Accept-Language
    does not decide, so an official on an English-language browser still gets the Chinese interface."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.setdefault("Vary", "Cookie")
        return response


class NulByteMiddleware:
    """A NUL byte in the query string, the path or a posted form field answers 400 with the Chinese error page.

    PostgreSQL refuses NUL in text (a 500 deep in a query), and no field of the portal may hold one: refusing it at
    the door covers every parameter of every view, present and future, where a form per view covers only the ones
    someone remembered. Uploaded files are bytes and are not looked at here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            from django.template.response import TemplateResponse
            from django.utils.translation import gettext as _

            message = _("请求中含有不允许的控制字符（NUL），系统未作处理。请删去后重新输入。")
            return TemplateResponse(request, "400.html", {"message": message}, status=400).render()
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        raw_query = request.META.get("QUERY_STRING", "")
        if b"\x00" in unquote_to_bytes(raw_query) or "\x00" in request.path:
            return True
        if request.method in ("POST", "PUT", "PATCH") and request.content_type in (
            "application/x-www-form-urlencoded", "multipart/form-data",
        ):
            try:
                fields = request.POST
            except Exception:  # noqa: BLE001  (a malformed body is Django's to answer with 400 later)
                return False
            return any("\x00" in key or any("\x00" in value for value in values) for key, values in fields.lists())
        return False


class NoStoreMiddleware:
    """Pages for a signed-in user and every download carry ``Cache-Control: no-store`` (GB/T 22239 residual
    information; a shared computer's browser cache or a proxy must not keep an enterprise's data). Public pages keep
    whatever caching they chose."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        download = "attachment" in response.get("Content-Disposition", "") or getattr(response, "streaming", False)
        if download or (user is not None and user.is_authenticated):
            from django.utils.cache import add_never_cache_headers

            add_never_cache_headers(response)
        return response


# The URL keywords that name one record: a 404 on such a URL is a refusal (out of scope), not a mistyped path.
OBJECT_URL_KWARGS = ("public_id", "pk")


class AccessDeniedAuditMiddleware:
    """Every 403, every 404 on a record's URL and every CSRF failure is written to the audit trail (GB/T 22239
    security audit: access-control failures), at most once a minute per user, address and kind, so a flood of
    refused requests cannot flood the trail. The recording itself is the accounts app's (settings
    ``ACCESS_DENIED_RECORDER``); this module stays app-free."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        kind = self._kind(request, response)
        if kind:
            try:
                self._record(request, kind, response.status_code)
            except Exception:  # a broken audit write must not turn a refusal into a 500
                logging.getLogger(__name__).exception("could not record a refused request")
        return response

    @staticmethod
    def _kind(request, response) -> str:
        if response.status_code == 403:
            return "csrf" if getattr(request, "csrf_failed", False) else "forbidden"
        if response.status_code == 404:
            match = getattr(request, "resolver_match", None)
            if match is not None and any(name in match.kwargs for name in OBJECT_URL_KWARGS):
                return "not_found"
        return ""

    @staticmethod
    def _record(request, kind, status):
        from django.conf import settings
        from django.utils.module_loading import import_string

        import_string(settings.ACCESS_DENIED_RECORDER)(request=request, kind=kind, status=status)


def session_renewed_on_login(sender, request, user, **kwargs):
    """A new session starts renewed (connected to ``user_logged_in`` in ``GreenFactoryConfig.ready``): its first
    pages do not write it again."""
    from django.utils import timezone

    if request is not None and hasattr(request, "session"):
        request.session[SessionRenewalMiddleware.KEY] = int(timezone.now().timestamp())


class SessionRenewalMiddleware:
    """The idle timeout without a session write on every request: a signed-in session's expiry is moved forward
    when it was last moved more than SESSION_RENEW_AFTER seconds ago (a minute by default), so a session ends between
    SESSION_COOKIE_AGE minus that and SESSION_COOKIE_AGE after the last request. Listed after SessionMiddleware, whose
    response handling then saves the renewed session."""

    KEY = "_renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import timezone

        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            # The idle timeout, checked here as well as by the session store's expiry: a cached session's lifetime
            # is the cache's, and the last renewal is what the timeout counts from.
            renewed = session.get(self.KEY)
            if isinstance(renewed, int) and timezone.now().timestamp() - renewed >= settings.SESSION_COOKIE_AGE:
                session.flush()
        response = self.get_response(request)
        if session is None or session.is_empty() or session.modified or response.status_code >= 500:
            return response
        if "_auth_user_id" not in session:
            return response
        now = int(timezone.now().timestamp())
        renewed = session.get(self.KEY)
        if not isinstance(renewed, int) or now - renewed >= getattr(settings, "SESSION_RENEW_AFTER", 60):
            session[self.KEY] = now
        return response


class ShellChangeMiddleware:
    """A form a signed-in user posts may change what the navigation counts (a to-do done, a message read): after it,
    the kept counts of whoever reads what it may change are recomputed (``greenfactory.portal.shell_changed`` with
    the user's ``writes`` scopes; everyone's for an official). A view whose forms change nothing counted (signing in
    or out, the language) says so with ``shell_unchanged``."""

    SAFE = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in self.SAFE and not getattr(request, "_shell_unchanged", False):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                from greenfactory.portal import reference_changed, shell_changed, shell_scopes_for

                writes = shell_scopes_for(user).writes
                shell_changed(writes)
                if writes is None:
                    # An official's or administrator's form may change reference data in ways no model signal
                    # reports (an update of many rows): it moves the reference data too.
                    reference_changed()
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request._shell_unchanged = getattr(view_func, "shell_unchanged", False)
        user = getattr(request, "user", None)
        if request.method in self.SAFE and user is not None and user.is_authenticated:
            from greenfactory.portal import expect_shell

            expect_shell(user)


def shell_unchanged(view):
    """A view whose posted forms change nothing a to-do list or an inbox counts (ShellChangeMiddleware)."""

    @functools.wraps(view)
    def marked(*args, **kwargs):
        return view(*args, **kwargs)

    marked.shell_unchanged = True
    return marked
