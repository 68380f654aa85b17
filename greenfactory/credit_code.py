"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters from a 31-symbol alphabet; the 18th is a check character over the first 17 with fixed weights.
Positions 3–8 hold the GB/T 2260 division code of the registering authority at the time of registration.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from greenfactory.text import join_list

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


def normalise(raw: str) -> str:
    """Full-width characters become half-width (NFKC), spaces go, letters become upper case."""
    text = unicodedata.normalize("NFKC", raw or "")
    return "".join(text.split()).upper()


def check_character(first_17: str) -> str:
    total = sum(ALPHABET.index(ch) * weight for ch, weight in zip(first_17, WEIGHTS, strict=True))
    value = 31 - total % 31
    return ALPHABET[0 if value == 31 else value]


def validate(raw: str) -> str:
    """Return the normalised code or raise ValidationError with a message saying what is wrong."""
    code = normalise(raw)
    if len(code) != LENGTH:
        raise ValidationError(
            _("统一社会信用代码应为18位，您输入了%(count)d位。"), code="length", params={"count": len(code)}
        )
    bad = sorted({ch for ch in code if ch not in ALPHABET})
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符：%(chars)s（只能使用数字和除 I、O、S、V、Z 以外的大写字母）。"),
            code="alphabet",
            params={"chars": join_list(bad)},
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验位不正确，请核对后重新输入。"), code="check_character"
        )
    return code


def division_code(code: str) -> str:
    """Positions 3–8: the division code of the registering authority."""
    return code[2:8]


def make(division: str, serial: int, *, prefix: str = "91") -> str:
    """A valid code for made-up data (tests, demo and scale data): ``prefix`` (registration authority and kind,
    91 = a company registered with the market regulator), the six-digit ``division`` code, nine characters counting
    ``serial`` in the code's alphabet, and the check character. Distinct serials give distinct codes."""
    body = ""
    value = serial
    for _position in range(9):
        body = ALPHABET[value % len(ALPHABET)] + body
        value //= len(ALPHABET)
    first_17 = f"{prefix}{division}{body}"
    return first_17 + check_character(first_17)
