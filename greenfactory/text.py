"""Small text helpers shared by every app."""

import re

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
