"""Helpers shared by test modules. A test module never imports another test module: what two of them need lives
here (plain functions and constants) or in a conftest (fixtures), so that moving or deleting one test file cannot
break another."""

import importlib
import inspect
import re
import subprocess
import threading
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.forms import BaseForm
from django.urls import reverse

from greenfactory.workflow import TransitionConflict
from tests.factories import credit_code_for, district, pdf_bytes  # noqa: F401  (re-exported)

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The day most tests live on: a Monday inside the 2026 campaign (open 20 February – 15 March).
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
CAMPAIGN_OPENS_ON = date(2026, 2, 20)
CAMPAIGN_DEADLINE = date(2026, 3, 15)


# Filled by tests/conftest.py from Django's ``template_rendered`` signal; checked by tests/test_templates_rendered.py
# when the whole suite runs (TEMPLATE_CHECK_KEY in the config's stash says whether it does).
RENDERED_TEMPLATES: set[str] = set()
TEMPLATE_CHECK_KEY = pytest.StashKey[bool]()


# --- Intake ----------------------------------------------------------------------------------------------------------

# A complete intake form that meets all five entry criteria.
GOOD = {
    "output_value": Decimal("8000.00"), "total_profit_1": Decimal("120.50"), "total_profit_2": Decimal("200"),
    "total_profit_3": Decimal("310"), "quality_management_certified": True, "environmental_management_certified": True,
    "occupational_health_safety_certified": False, "energy_management_certified": False, "major_accident": False,
    "preparer_name": "张明", "preparer_phone": "13800138000", "profile_text": "一家化工企业。" * 10,
    "independent_legal_person": True, "green_investment_amount": Decimal("500"),
    "green_investment_areas": ["energy_water", "cleaner_production"], "commitment_accepted": True,
    "commitment_signatory": "王总", "commitment_date": date(2026, 3, 1),
}


def filled(campaign, user, **changes):
    """A draft started and saved through the services with the complete form (``GOOD``), changed by ``changes``."""
    from applications import services

    application = services.intake_start(campaign=campaign, actor=user)
    return services.intake_save(application=application, actor=user, data={**GOOD, **changes})


def upload_scan(application, user):
    """The stamped scan uploaded through the service, under a Chinese file name."""
    from applications import services

    upload = SimpleUploadedFile("盖章扫描件.pdf", pdf_bytes(), content_type="application/pdf")
    return services.scan_upload(application=application, actor=user, uploaded_file=upload)


def submitted(campaign, user):
    """Filled, submitted and its stamped scan uploaded: ready for the district's decision."""
    from applications import services

    application = services.intake_submit(application=filled(campaign, user), actor=user)
    services.scan_upload(application=application, actor=user,
                         uploaded_file=SimpleUploadedFile("scan.pdf", pdf_bytes()))
    return application


def admit(campaign, user, official, **changes):
    """Through the real services: start, fill, submit, upload the scan, accept."""
    from applications import services

    application = services.intake_save(application=services.intake_start(campaign=campaign, actor=user),
                                       actor=user, data={**GOOD, **changes})
    application = services.intake_submit(application=application, actor=user)
    services.scan_upload(application=application, actor=user,
                         uploaded_file=SimpleUploadedFile("scan.pdf", pdf_bytes()))
    return services.intake_accept(application=application, actor=official)


def edit_url(application):
    return reverse("applications:intake_edit", args=[application.public_id])


def intake_form_data(application, **changes):
    """The edit form as the browser posts it, from the application's current values."""
    data = {k: ("True" if v is True else "False" if v is False else v) for k, v in GOOD.items()}
    data["green_investment_areas"] = GOOD["green_investment_areas"]
    data.update({f: getattr(application, f) for f in ("company_name", "address", "ownership_type", "credit_code",
                                                       "postal_code", "main_products")})
    data.update({"industry": application.industry_id, "founded_on": "2010-01-01", "registered_capital": "5000",
                 "commitment_accepted": "on", "commitment_date": "2026-03-01"})
    data.update(changes)
    return data


def run_pdf_tool(tool, pdf_path):
    """poppler's pdftotext / pdffonts on a file, its output as text."""
    arguments = [tool, str(pdf_path)] + (["-"] if tool == "pdftotext" else [])
    return subprocess.run(arguments, capture_output=True, text=True, check=True).stdout  # noqa: S603


# --- Accounts --------------------------------------------------------------------------------------------------------


def registration_data(**overrides):
    """The registration form, complete and valid, as posted."""
    from accounts.models import Industry

    data = {
        "name": "重庆新注册材料有限公司",
        "credit_code": credit_code_for("500115", 424242),
        "district": district("长寿区").pk,
        "industry": Industry.objects.get(code="30").pk,
        "ownership_type": "private",
        "address": "重庆市长寿区晏家街道1号",
        "postal_code": "401221",
        "founded_on": "2015-06-01",
        "registered_capital": "3000.50",
        "main_products": "新型建材",
        "full_name": "王五",
        "phone": "13812345678",
        "email": "wangwu@example.com",
        "username": "xinzhuce",
        "password1": "Strong-Pass-2026",
        "password2": "Strong-Pass-2026",
    }
    data.update(overrides)
    return data


def confirmation_link(address):
    """The path of the confirmation link in the last mail to ``address``."""
    message = [m for m in mail.outbox if m.to == [address]][-1]
    match = re.search(r"https?://[^/\s]+(/accounts/register/confirm/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def user_form_data(user, **changes):
    """The Django admin's user change form for ``user``, as posted."""
    data = {
        "username": user.username, "full_name": user.full_name, "email": user.email, "phone": user.phone,
        "role": user.role, "organisation": user.organisation_id or "", "is_active": "on" if user.is_active else "",
        "must_change_password": "", "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def race(**deciders):
    """Run each named decision in its own thread, released together; returns [(result, name), …]."""
    barrier = threading.Barrier(len(deciders))
    outcomes = []

    def run(name, decide):
        try:
            barrier.wait(timeout=10)
            decide()
            outcomes.append(("won", name))
        except TransitionConflict:
            outcomes.append(("conflict", name))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in deciders.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


# --- Forms -----------------------------------------------------------------------------------------------------------

FORM_MODULES = ("accounts.forms", "applications.forms", "evaluation.forms", "supervision.forms", "greenfactory.forms")


def portal_form_classes():
    """Every form class the apps define, by dotted name."""
    found = {}
    for name in FORM_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (issubclass(cls, BaseForm) and cls.__module__.split(".")[0] == name.split(".")[0]
                    and cls.__module__ != "greenfactory.forms"):
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return found


FORM_CLASSES = portal_form_classes()


def build_form(cls, people, application):
    """An unbound instance of each form; a new form that needs arguments gets a line here."""
    special = {
        "IntakeForm": lambda: cls(instance=application),
        "PortalPasswordChangeForm": lambda: cls(people.enterprise),
        "PortalSetPasswordForm": lambda: cls(people.enterprise),
    }
    return special.get(cls.__name__, cls)()


# --- Browser (Playwright) --------------------------------------------------------------------------------------------


def log_in(page, username, password, succeeds=True):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    if succeeds:
        page.wait_for_url(lambda url: "/accounts/login/" not in url)


def fill_registration(page, **values):
    fields = {
        "name": "重庆浏览器测试新材料有限公司", "credit_code": credit_code_for("500115", 909090),
        "founded_on": "2016-03-08", "address": "重庆市长寿区晏家街道齐心大道20号", "postal_code": "401221",
        "registered_capital": "8000.00", "main_products": "新型墙体材料", "full_name": "测试注册人",
        "phone": "13987654321", "email": "browser@example.com", "username": "browser-enterprise",
        "password1": "Browser-Pass-2026", "password2": "Browser-Pass-2026",
    }
    fields.update(values)
    for name, value in fields.items():
        page.locator(f"#id_{name}").fill(value)
    page.get_by_label("登记注册所在区县").select_option(label="长寿区")
    page.get_by_label("所属行业").select_option(label="30 非金属矿物制品业（材料）")
    page.get_by_label("单位性质").select_option(label="内资（民营）")
