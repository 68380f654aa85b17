"""What the factories share: one password hash, valid credit codes, the reference data's units, relative dates."""

import io
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import District, Organisation, OrganisationKind
from greenfactory import credit_code

__all__ = [
    "PASSWORD",
    "authority_of",
    "city_authority",
    "credit_code_for",
    "district",
    "district_authority",
    "password_hash",
    "pdf_bytes",
]

PASSWORD = "Test-Password-2026"  # noqa: S105
_PASSWORD_HASH = None


def password_hash():
    # One Argon2 hash for every test user: hashing is deliberately slow.
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:
        _PASSWORD_HASH = make_password(PASSWORD)
    return _PASSWORD_HASH


def credit_code_for(district_code: str, n: int) -> str:
    return credit_code.make(district_code, n)


def district(name: str) -> District:
    return District.objects.get(name=name)


def district_authority(name: str) -> Organisation:
    return Organisation.objects.get(kind=OrganisationKind.DISTRICT, district__name=name)


def authority_of(district_: District) -> Organisation:
    """The district's competent department (区县经信部门): loaded with the reference data, made for a new district."""
    authority, _created = Organisation.objects.get_or_create(
        kind=OrganisationKind.DISTRICT, district=district_, defaults={"name": f"{district_.name}经信部门"})
    return authority


def city_authority() -> Organisation:
    """The one city authority (市经济信息委), loaded with the reference data."""
    authority, _created = Organisation.objects.get_or_create(
        kind=OrganisationKind.CITY, defaults={"name": "重庆市经济和信息化委员会"})
    return authority


_counter = [0]


def _seq():
    _counter[0] += 1
    return _counter[0]


def pdf_bytes():
    """A one-page blank A4 PDF: what a stamped scan upload must at least be."""
    from pypdf import PdfWriter  # heavy, and only the scan tests need it

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _today():
    return timezone.localdate()


def _days(n):
    return lambda o: timezone.localdate() + timedelta(days=n)


