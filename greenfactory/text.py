"""Small text helpers shared by every app."""

import re
import unicodedata

_MOBILE = re.compile(r"^(1[3-9]\d)\d{4}(\d{4})$")


def mask_phone(phone: str) -> str:
    """138****1234 for a mobile number; other numbers keep only their last four digits visible."""
    phone = (phone or "").strip()
    match = _MOBILE.match(phone)
    if match:
        return f"{match.group(1)}****{match.group(2)}"
    if len(phone) > 4:
        return "*" * (len(phone) - 4) + phone[-4:]
    return phone


_LINE_BREAKING = {"\u2028", "\u2029", "\u0085"}


def single_line(text: str, max_length: int | None = None) -> str:
    """``text`` with every control character (CR, LF, NUL, tab, …) and Unicode line separator replaced by a space
    and runs of spaces collapsed: safe for a mail header or subject, where a CR/LF would inject a header (and Django
    refuses to send) and a NUL would break the SMTP conversation."""
    cleaned = "".join(
        " " if unicodedata.category(c) in ("Cc", "Zl", "Zp") or c in _LINE_BREAKING else c for c in text or ""
    )
    cleaned = " ".join(cleaned.split())
    return cleaned[:max_length] if max_length else cleaned


_CLOSING_PUNCTUATION = "。．.！!？?；;，,、 \u3000"


def clause(text: str) -> str:
    """A reason as it sits inside a sentence (in brackets, before "。"): without its own closing punctuation, so that
    "（原因：企业来电说明误操作，同意恢复。）。" reads "（原因：企业来电说明误操作，同意恢复）。"."""
    return (text or "").strip().rstrip(_CLOSING_PUNCTUATION)


def join_list(items) -> str:
    """Items as the reader lists them: 1、3 in Chinese, "1, 3" in English (the separator is in the catalogue)."""
    from django.utils.translation import gettext

    return gettext("、").join(str(item) for item in items)


def is_blank(text: str | None) -> bool:
    """Whether ``text`` says nothing a reader can see: only whitespace (full-width and no-break spaces too) and
    invisible format characters (zero-width spaces and joiners, direction marks). A reason made of them is no reason."""
    return all(unicodedata.category(c) in ("Zs", "Zl", "Zp", "Cf", "Cc") or c.isspace() for c in (text or ""))
