"""The portal's one PDF helper: a template under ``templates/pdf/`` rendered by Django, then by WeasyPrint 70.

    from greenfactory.pdf import render_pdf
    data = render_pdf("pdf/intake_form.html", {"application": application}, request=request)

What reaches the PDF
    Only our templates (the name must start with ``pdf/``), with Django's autoescaping: user text such as
    ``<img src="http://169.254.169.254/">`` is printed as those characters, never parsed as markup.

What WeasyPrint may load (``PortalURLFetcher``; SECURITY.md, "PDFs")
    Every stylesheet, image, font and attachment WeasyPrint wants goes through the fetcher, which allows exactly:

    * our static files: a URL under ``STATIC_URL``, resolved against ``PORTAL_BASE_URL`` (what ``{% static %}``
      gives), is read from disk, from ``STATIC_ROOT`` (collected, hashed names included) or else from the
      staticfiles finders; never over the network, and nothing outside those folders (``..`` and encoded tricks
      are refused after normalisation);
    * the portal's PDF fonts, ``gf-font:<key>`` for the few keys of ``greenfactory.fonts.FACES``.

    Everything else raises ``URLRefusedError`` and WeasyPrint drops the resource (logging a warning): ``http(s)://``
    anywhere but our static prefix, ``file://``, ``ftp:``, and ``data:`` too. ``data:`` is refused because nothing
    needs it: a picture is a static file, a QR code or a chart is inline ``<svg>`` in the template.

Fonts
    The CSS stacks in ``templates/pdf/_styles.css`` start with a cut of Noto CJK to GB 2312 (see
    ``greenfactory.fonts`` for why and the measurements) and fall back to the full Noto CJK, WenQuanYi Zen Hei,
    花园明朝 (HanaMinA/B: CJK Extensions A-F, such as 𠀀), DejaVu and the generic family, so a character outside the
    cut is drawn by the full font. The forms refuse what none of them has (``greenfactory.fonts.PRINT_FAMILIES``).
    One A4 page of the intake form takes about 0.1 s; the first PDF on a machine without the cuts builds them
    (about 14 s, once).

Threads and processes
    ``FontConfiguration`` (fontconfig and Pango state, and the @font-face files WeasyPrint copies into a temporary
    folder) is built once per process and reused; a new one per call measured 30-70 ms more a page here (each
    @font-face file is read, copied and registered with fontconfig again).
    A fork (gunicorn ``--preload``, Celery prefork) gets a fresh one, detected by the process id. Pango's font
    map is not documented as thread-safe, so renders within one process are serialised by a lock: with sync
    workers and Celery's prefork pool that lock is never contended; with ``gthread`` workers PDFs of one process
    queue up (they are CPU-bound under the GIL anyway).
"""

from __future__ import annotations

import logging
import mimetypes
import os
import posixpath
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from greenfactory import fonts

logger = logging.getLogger(__name__)

TEMPLATE_PREFIX = "pdf/"
# A static file bigger than this is no picture we put in a PDF.
MAX_STATIC_BYTES = 10 * 1024 * 1024


class URLRefusedError(ValueError):
    """The fetcher does not load this URL; WeasyPrint drops the resource."""


class PortalURLFetcher(URLFetcher):
    """Loads our static files from disk and the portal's PDF fonts; refuses every other URL.

    ``requested`` lists every URL WeasyPrint asked for, in order, allowed or not.
    """

    def __init__(self, base_url: str | None = None):
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
        self.base_url = base_url or document_base_url()
        self.static_prefix = urljoin(self.base_url, settings.STATIC_URL)
        self.requested: list[str] = []

    def fetch(self, url, headers=None):
        self.requested.append(url)
        try:
            if url.startswith(f"{fonts.FONT_URL_SCHEME}:"):
                return self._font(url)
            if _same_prefix(url, self.static_prefix):
                return self._static(url)
            raise URLRefusedError(f"not one of the portal's static files: {url[:200]}")
        except URLRefusedError as refusal:
            # A refusal in a PDF means a template bug or an attempt through user text: worth a line in the log.
            logger.warning("PDF resource refused: %s", refusal)
            raise

    def _font(self, url):
        path = fonts.subset_path(url.partition(":")[2])
        if path is None:
            raise URLRefusedError(f"no such PDF font: {url[:200]}")
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": "font/otf"})

    def _static(self, url):
        name = static_name(urlsplit(url).path, urlsplit(self.static_prefix).path)
        path = static_file(name)
        if path is None:
            raise URLRefusedError(f"no such static file: {url[:200]}")
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def _same_prefix(url: str, prefix: str) -> bool:
    """Whether ``url`` is under ``prefix``: same scheme, host and port (case-insensitively), path below it."""
    try:
        parts, base = urlsplit(url), urlsplit(prefix)
    except ValueError:
        return False
    return (
        (parts.scheme.lower(), parts.netloc.lower()) == (base.scheme.lower(), base.netloc.lower())
        and parts.path.startswith(base.path)
    )


def static_name(path: str, static_path: str) -> str:
    """The static file's name relative to STATIC_URL, normalised; raises URLRefusedError for anything that escapes."""
    name = unquote(path[len(static_path):])
    if not name or "\x00" in name or "\\" in name or name.startswith("/"):
        raise URLRefusedError(f"bad static path: {path[:200]}")
    normalised = posixpath.normpath(name)
    if normalised in (".", "..") or normalised.startswith("../") or "/../" in f"/{normalised}/":
        raise URLRefusedError(f"bad static path: {path[:200]}")
    return normalised


def static_file(name: str) -> Path | None:
    """The file for a static name: collected under STATIC_ROOT, or else where the finders find it."""
    candidates = []
    if settings.STATIC_ROOT:
        root = Path(settings.STATIC_ROOT).resolve()
        candidates.append((root / name, root))
    found = finders.find(name)
    if found:
        candidates.append((Path(found), None))
    for candidate, root in candidates:
        try:
            resolved = candidate.resolve()
        except OSError:
            continue
        if root is not None and not resolved.is_relative_to(root):
            continue  # a symbolic link out of STATIC_ROOT
        if resolved.is_file() and resolved.stat().st_size <= MAX_STATIC_BYTES:
            return resolved
    return None


def document_base_url() -> str:
    """Relative links in a PDF point at the portal; relative static URLs resolve under the same prefix."""
    return settings.PORTAL_BASE_URL.rstrip("/") + "/"


_font_config: FontConfiguration | None = None
_font_config_pid: int | None = None
_render_lock = threading.Lock()


def font_configuration() -> FontConfiguration:
    """This process's FontConfiguration (call with ``_render_lock`` held)."""
    global _font_config, _font_config_pid
    if _font_config is None or _font_config_pid != os.getpid():
        _font_config = FontConfiguration()
        _font_config_pid = os.getpid()
    return _font_config


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """Render ``templates/pdf/...`` with ``context`` (and the request's context processors) to PDF bytes.

    Raises ValueError for a template outside ``pdf/``; template errors propagate. A refused or missing resource
    does not fail the render: it is left out and logged.
    """
    if not template_name.startswith(TEMPLATE_PREFIX) or ".." in template_name:
        raise ValueError(f"PDF templates live under {TEMPLATE_PREFIX}: {template_name!r}")
    started = time.perf_counter()
    html = render_to_string(template_name, context, request=request)
    fetcher = PortalURLFetcher()
    font_css = fonts.font_face_css()
    with _render_lock:
        font_config = font_configuration()
        stylesheets = [CSS(string=font_css, url_fetcher=fetcher, font_config=font_config)] if font_css else []
        document = HTML(string=html, base_url=fetcher.base_url, url_fetcher=fetcher)
        data = document.write_pdf(stylesheets=stylesheets, font_config=font_config)
    logger.debug("Rendered %s in %.3f s (%d bytes)", template_name, time.perf_counter() - started, len(data))
    return data
