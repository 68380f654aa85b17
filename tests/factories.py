"""factory_boy factories: one per model the tests need, with valid credit codes and Chongqing districts."""

from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth.hashers import make_password

from accounts.choices import OrganisationStatus, Role
from accounts.models import District, Enterprise, Industry, Organisation, OrganisationKind, User
from greenfactory.credit_code import ALPHABET, check_character

PASSWORD = "Test-Password-2026"  # noqa: S105
_PASSWORD_HASH = None


def password_hash():
    # One Argon2 hash for every test user: hashing is deliberately slow.
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:
        _PASSWORD_HASH = make_password(PASSWORD)
    return _PASSWORD_HASH


def credit_code_for(district_code: str, n: int) -> str:
    body = ""
    value = n
    for _ in range(9):
        body = ALPHABET[value % len(ALPHABET)] + body
        value //= len(ALPHABET)
    first_17 = f"91{district_code}{body}"
    return first_17 + check_character(first_17)


def district(name: str) -> District:
    return District.objects.get(name=name)


def district_authority(name: str) -> Organisation:
    return Organisation.objects.get(kind=OrganisationKind.DISTRICT, district__name=name)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"重庆测试制造有限公司{n}")
    district = factory.LazyFunction(lambda: district("长寿区"))
    credit_code = factory.LazyAttribute(lambda o: credit_code_for(o.district.code or "500000", 1000 + _seq()))
    industry = factory.LazyFunction(lambda: Industry.objects.get(code="26"))
    ownership_type = "private"
    address = "重庆市长寿区测试路1号"
    postal_code = "401220"
    founded_on = date(2010, 1, 1)
    registered_capital = Decimal("5000.00")
    main_products = "化工产品"
    status = OrganisationStatus.ACTIVE


_counter = [0]


def _seq():
    _counter[0] += 1
    return _counter[0]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    phone = "13912345678"
    role = Role.ENTERPRISE
    password = factory.LazyFunction(password_hash)
