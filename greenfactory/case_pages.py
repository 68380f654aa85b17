"""Where a kind of case has its page when an app above the case's own shows it (a library entry's cultivation page
lives in ``evaluation``): the lower app links to it without importing the higher one, which registers the URL name
from its ``AppConfig.ready()``."""

_case_pages: dict[str, str] = {}


def register_case_page(kind: str, url_name: str) -> None:
    """``url_name`` (reversed with the case's ``public_id``) is the page of cases of ``kind``."""
    _case_pages[kind] = url_name


def case_page(kind: str) -> str | None:
    return _case_pages.get(kind)
