"""The benchmark's page list: every page a role lands on or works through, for bench/run (over HTTP), the query-
count tests (tests/greenfactory/test_bench_pages.py) and the in-process profiler (bench/profile.py).

The accounts are those ``manage.py seed_scale`` makes (``bench-district``, ``bench-enterprise``, ...); each page's
sample record (the case, the campaign, the draft, ...) is found in the database from them, so the same labels name
the same pages at every data size.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote

from django.contrib.auth.hashers import make_password

from accounts.models import IdentityChange, PendingRegistration, User
from accounts.services import registration_token
from applications.models import (
    CertificationApplication,
    CertificationDecision,
    IntakeApplication,
    LibraryEntry,
    ProposedList,
    PublicNotice,
    ReviewTask,
    Title,
)
from evaluation.models import Assessment, ImprovementMeasure, YearlyFigures
from supervision.models import Revocation

REFERENCE_FLOOR = "reference: minimal login-required page"
REFERENCE_CEILING = "reference: bare view (anonymous)"
BENCH_DISTRICT = "长寿区"
PENDING_EMAIL = "bench-pending@example.com"


@dataclass(frozen=True)
class Page:
    label: str
    user: str | None  # user name of the account the page is seen as; None: anonymous
    path: str  # a str.format template over the sample records (see samples())
    kind: str = "page"  # "ref" (the two references), "page", "pdf"

    def url(self, samples: dict) -> str:
        return self.path.format(**samples)


PAGES = [
    Page(REFERENCE_FLOOR, "bench-district", "/bench/minimal/", "ref"),
    Page(REFERENCE_CEILING, None, "/bench/bare/", "ref"),
    Page("login page (anonymous)", None, "/accounts/login/"),
    Page("registration confirmation (anonymous)", None, "/accounts/register/confirm/{token}/"),
    Page("home: district (to-do)", "bench-district", "/"),
    Page("home: city", "bench-city", "/"),
    Page("home: enterprise (admitted)", "bench-enterprise", "/"),
    Page("home: enterprise with a draft", "bench-drafter", "/"),
    Page("home: expert", "bench-expert", "/"),
    Page("home: evaluator", "bench-evaluator", "/"),
    Page("home: department", "bench-department", "/"),
    Page("home: park", "bench-park", "/"),
    Page("registration queue (district)", "bench-district", "/accounts/registrations/"),
    Page("identity-change queue (district)", "bench-district", "/accounts/identity-changes/"),
    Page("identity-change request (district)", "bench-district", "/accounts/identity-changes/{change}/"),
    Page("intake queue (district)", "bench-district", "/applications/intake/queue/"),
    Page("intake case page (district)", "bench-district", "/applications/intake/{case}/"),
    Page("intake case page (enterprise)", "bench-enterprise", "/applications/intake/{case}/"),
    Page("intake edit form (enterprise)", "bench-drafter", "/applications/intake/{draft}/edit/"),
    Page("my applications (enterprise)", "bench-enterprise", "/applications/intake/"),
    Page("campaign list (district)", "bench-district", "/applications/campaigns/"),
    Page("campaign list (enterprise)", "bench-enterprise", "/applications/campaigns/"),
    Page("campaign page (district)", "bench-district", "/applications/campaigns/{campaign}/"),
    Page("campaign page (city)", "bench-city", "/applications/campaigns/{campaign}/"),
    Page("campaign edit (city)", "bench-city", "/applications/campaigns/{campaign}/edit/"),
    Page("library (district)", "bench-district", "/applications/library/"),
    Page("library (city, page of 50)", "bench-city", "/applications/library/"),
    Page("library (city, filtered)", "bench-city", "/applications/library/?district={district}&sector=chemicals"),
    Page("enterprise directory (district)", "bench-district", "/accounts/enterprises/"),
    Page("enterprise directory (city)", "bench-city", "/accounts/enterprises/"),
    Page("enterprise directory (city, search)", "bench-city", "/accounts/enterprises/?q={search}"),
    Page("company page (district)", "bench-district", "/accounts/enterprises/{company}/"),
    Page("company page (city)", "bench-city", "/accounts/enterprises/{company}/"),
    Page("account list (city)", "bench-city", "/accounts/users/"),
    Page("audit log (city)", "bench-city", "/accounts/audit/"),
    Page("audit log (city, filtered)", "bench-city", "/accounts/audit/?action=transition"),
    Page("profile (enterprise)", "bench-enterprise", "/accounts/profile/"),
    Page("colleagues (enterprise)", "bench-enterprise", "/accounts/colleagues/"),
    Page("inbox (district)", "bench-district", "/accounts/inbox/"),
    Page("inbox (enterprise)", "bench-enterprise", "/accounts/inbox/"),
    Page("review tasks (expert)", "bench-expert", "/applications/review-tasks/"),
    Page("campaign notices (public)", None, "/applications/notices/"),
    Page("yearly figures (enterprise)", "bench-enterprise", "/evaluation/figures/"),
    Page("yearly figures record (enterprise)", "bench-enterprise", "/evaluation/figures/{figures}/"),
    Page("yearly figures record (district)", "bench-district", "/evaluation/figures/{figures}/"),
    Page("yearly figures form (enterprise)", "bench-enterprise", "/evaluation/figures/{figures_year}/edit/"),
    Page("intake form PDF (one A4 page)", "bench-district", "/applications/intake/{case}/form.pdf", "pdf"),
    Page("cultivation page (district)", "bench-district", "/evaluation/cultivation/{entry}/"),
    Page("cultivation page (enterprise)", "bench-enterprise", "/evaluation/cultivation/{entry}/"),
    Page("assessment page (district)", "bench-district", "/evaluation/assessments/{assessment}/"),
    Page("assessment page (enterprise)", "bench-enterprise", "/evaluation/assessments/{assessment}/"),
    Page("scoring sheet (expert)", "bench-expert", "/evaluation/assessments/{open_assessment}/score/"),
    Page("measure page (enterprise)", "bench-enterprise", "/evaluation/measures/{measure}/"),
    Page("plan overview (district)", "bench-district", "/evaluation/plans/"),
    Page("plan overview (city, overdue)", "bench-city", "/evaluation/plans/?status=overdue"),
    Page("cultivation overview (city)", "bench-city", "/evaluation/cultivation/overview/"),
    Page("training events (enterprise)", "bench-enterprise", "/evaluation/training/"),
    Page("library (city, score band)", "bench-city", "/applications/library/?score=60to80"),
    Page("assessment report PDF", "bench-enterprise", "/evaluation/assessments/{assessment}/report.pdf", "pdf"),
    # Certification, part 1 (第三条、第六条至第十条)
    Page("certification round page (district)", "bench-district", "/applications/rounds/{round}/"),
    Page("certification round page (city)", "bench-city", "/applications/rounds/{round}/"),
    Page("certification queue (district)", "bench-district", "/applications/certification/queue/"),
    Page("certification queue (city)", "bench-city", "/applications/certification/queue/"),
    Page("certification queue (city, submitted)", "bench-city", "/applications/certification/queue/?status=submitted"),
    Page("my certification (enterprise)", "bench-enterprise", "/applications/certification/"),
    Page("certification case page (district)", "bench-district", "/evaluation/certification/{certification}/"),
    Page("certification case page (enterprise)", "bench-enterprise", "/evaluation/certification/{certification}/"),
    Page("certification case page (evaluator)", "bench-evaluator",
         "/evaluation/certification/{park_certification}/"),
    Page("self-evaluation (enterprise)", "bench-enterprise",
         "/evaluation/certification/{certification}/self-evaluation/"),
    Page("evaluation report sheet (evaluator)", "bench-evaluator",
         "/evaluation/certification/{park_certification}/report/"),
    Page("evaluator register (city)", "bench-city", "/evaluation/evaluators/"),
    Page("review tasks (evaluator)", "bench-evaluator", "/applications/review-tasks/"),
    Page("certification notices (public)", None, "/applications/certification/notices/"),
    Page("recommended list PDF (district)", "bench-district", "/applications/rounds/{round}/recommended.pdf", "pdf"),
]

# Titles (第十二条), the public directory and verification (第三条 公开), the revocation announcements (第十八条).
PAGES += [
    Page("title directory (public)", None, "/applications/titles/directory/"),
    Page("title directory (public, filtered)", None, "/applications/titles/directory/?year={title_year}&kind=factory"),
    Page("title directory (public, name)", None, "/applications/titles/directory/?q={title_search}"),
    Page("certificate verification (public)", None, "/applications/titles/verify/?number={title_number}"),
    Page("titles (city)", "bench-city", "/applications/titles/"),
    Page("decision certificates (city)", "bench-city", "/applications/decisions/{decision}/certificates/"),
    Page("revocation announcement (public)", None, "/supervision/revocations/{revocation}/"),
]

# The city's review, the proposed lists, the departments' opinions, the public notice and decision (第十一条).
PAGES += [
    Page("certification queue (city, city review)", "bench-city",
         "/applications/certification/queue/?status=city_review"),
    Page("certification case page (city, review)", "bench-city", "/evaluation/certification/{review_case}/"),
    Page("certification case page (expert)", "bench-expert", "/evaluation/certification/{review_case}/"),
    Page("proposed lists (city)", "bench-city", "/applications/proposed-lists/"),
    Page("proposed list page (city)", "bench-city", "/applications/proposed-lists/{notice_list}/"),
    Page("proposed list page (department)", "bench-department", "/applications/proposed-lists/{consulting_list}/"),
    Page("public notices (public)", None, "/applications/publicity/"),
    Page("public notice (public)", None, "/applications/publicity/{notice}/"),
    Page("decision page (public)", None, "/applications/decisions/{decision}/"),
]

# Every filter a list page offers, one request each: bench/run prints the PostgreSQL plan of its queries
# (bench/plans.md), to show that each is served by an index.
FILTERS = [
    Page("library: year", "bench-city", "/applications/library/?year={year}"),
    Page("library: district", "bench-city", "/applications/library/?district={district}"),
    Page("library: sector", "bench-city", "/applications/library/?sector=chemicals"),
    Page("library: industry", "bench-city", "/applications/library/?industry={industry}"),
    Page("library: status", "bench-city", "/applications/library/?status={library_status}"),
    Page("library: score band", "bench-city", "/applications/library/?score=80up"),
    Page("plan overview: status", "bench-district", "/evaluation/plans/?status=in_progress"),
    Page("plan overview: category", "bench-city", "/evaluation/plans/?category=energy_mix"),
    Page("enterprise directory: name or code", "bench-city", "/accounts/enterprises/?q={search}"),
    Page("enterprise directory: status", "bench-city", "/accounts/enterprises/?status=pending"),
    Page("enterprise directory: district", "bench-city", "/accounts/enterprises/?district={district}"),
    Page("enterprise directory (district): name", "bench-district", "/accounts/enterprises/?q={search}"),
    Page("account list: name", "bench-city", "/accounts/users/?q=bench"),
    Page("account list: role", "bench-city", "/accounts/users/?role=district"),
    Page("audit log: user name", "bench-city", "/accounts/audit/?username=bench-enterprise"),
    Page("audit log: action", "bench-city", "/accounts/audit/?action=transition"),
]


def selected(pages, only: str):
    """The pages whose label matches ``only`` (a regular expression), and always the two references."""
    return [p for p in pages if p.kind == "ref" or not only or re.search(only, p.label)]


def users() -> dict:
    """The bench accounts by user name; a missing one is a seed problem, reported by name."""
    names = {p.user for p in PAGES + FILTERS if p.user} | {"bench-identity"}
    found = {u.username: u for u in User.objects.select_related("organisation").filter(username__in=names)}
    missing = sorted(names - found.keys())
    if missing:
        raise LookupError(f"bench accounts missing (run manage.py seed_scale): {', '.join(missing)}")
    return found


def samples(accounts: dict) -> dict:
    """The sample records the page paths name, found from the bench accounts."""
    enterprise = accounts["bench-enterprise"].organisation
    case = (IntakeApplication.objects.filter(enterprise_id=enterprise.pk, status="accepted")
            .order_by("-campaign__year", "-id").select_related("campaign").first())
    draft = (IntakeApplication.objects.filter(enterprise_id=accounts["bench-drafter"].organisation_id, status="draft")
             .order_by("-id").first())
    change = (IdentityChange.objects.filter(enterprise_id=accounts["bench-identity"].organisation_id,
                                            status="pending").order_by("-id").first())
    missing = [name for name, record in (("an accepted application of bench-enterprise", case),
                                         ("a draft of bench-drafter", draft),
                                         ("an open identity change of bench-identity", change)) if record is None]
    if missing:
        raise LookupError(f"bench records missing (run manage.py seed_scale): {', '.join(missing)}")
    # A registration waiting for its e-mail to be confirmed: the confirmation page is what its link opens.
    pending = PendingRegistration.objects.filter(email=PENDING_EMAIL, confirmed_at=None).first()
    if pending is None:
        pending = PendingRegistration.objects.create(email=PENDING_EMAIL, password_hash=make_password(None), data={
            "name": "重庆待确认有限公司", "credit_code": "91500115MA5U0000XX", "username": "bench-pending",
            "full_name": "李", "phone": "13800138000", "email": PENDING_EMAIL,
            "district": accounts["bench-district"].district_id, "industry": enterprise.enterprise.industry_id,
            "ownership_type": "private", "address": "重庆市长寿区1号", "postal_code": "401220",
            "founded_on": "2010-01-01", "registered_capital": "100", "main_products": "化工"})
    entry = LibraryEntry.objects.order_by("id").first()
    figures = YearlyFigures.objects.filter(unit_id=enterprise.pk).order_by("-year").first()
    if figures is None:
        raise LookupError("bench records missing (run manage.py seed_scale): the yearly figures of bench-enterprise")
    assessment = Assessment.objects.filter(unit_id=enterprise.pk, status="confirmed").order_by("-id").first()
    open_assessment = Assessment.objects.filter(status="scoring", scorings__expert=accounts["bench-expert"]).first()
    measure = ImprovementMeasure.objects.filter(assessment=assessment).order_by("position").first()
    if assessment is None or open_assessment is None or measure is None:
        raise LookupError("bench records missing (run manage.py seed_scale): bench-enterprise's confirmed assessment, "
                          "its measure, or an assessment waiting for bench-expert")
    certification = CertificationApplication.objects.filter(applicant_id=enterprise.pk).order_by("-id").first()
    park_certification = CertificationApplication.objects.filter(
        applicant_id=accounts["bench-park"].organisation_id).order_by("-id").first()
    if certification is None or park_certification is None:
        raise LookupError("bench records missing (run manage.py seed_scale): the certification applications of "
                          "bench-enterprise and bench-park")
    return {
        **title_samples(), **review_samples(),
        "round": certification.round.public_id, "certification": certification.public_id,
        "park_certification": park_certification.public_id,
        "case": case.public_id, "campaign": case.campaign.public_id, "draft": draft.public_id,
        "change": change.public_id, "company": enterprise.public_id,
        # A fragment of the name: the same company, whatever the data size.
        "search": quote(enterprise.name[-8:]),
        "district": accounts["bench-district"].district_id, "token": registration_token(pending),
        "year": case.campaign.year, "industry": enterprise.enterprise.industry_id,
        "library_status": entry.status if entry else "",
        "figures": figures.public_id, "figures_year": figures.year,
        "entry": assessment.entry.public_id, "assessment": assessment.public_id,
        "open_assessment": open_assessment.public_id, "measure": measure.public_id,
    }


# --- Titles' samples (supervision.scale.seed_titles) ---------------------------------------------------------------


def review_samples() -> dict:
    """The case in the city's review with bench-expert's open task, the list out to the departments, the list in its
    notice (applications.scale_publicity)."""
    task = ReviewTask.objects.filter(assignee_user__username="bench-expert", kind="expert_review",
                                     certification_application__status="city_review").first()
    consulting = ProposedList.objects.filter(status="consulting", review_tasks__isnull=False).order_by("-id").first()
    notice = PublicNotice.objects.filter(proposed_list__status="in_publicity").order_by("-id").first()
    if task is None or consulting is None or notice is None:
        raise LookupError("bench records missing (run manage.py seed_scale): the city's review case, a proposed list "
                          "out for opinions and one in its notice")
    return {"review_case": CertificationApplication.objects.get(pk=task.object_id).public_id,
            "consulting_list": consulting.public_id, "notice_list": notice.proposed_list.public_id,
            "notice": notice.public_id}


def title_samples() -> dict:
    """The newest decision, a valid title of it, and a revocation, found in the seeded titles."""
    decision = CertificationDecision.objects.filter(titles__isnull=False).order_by("-issued_on", "-id").first()
    title = Title.objects.filter(decision=decision, status="active").order_by("number").first() if decision else None
    revocation = Revocation.objects.order_by("-revoked_on", "-id").first()
    if title is None or revocation is None:
        raise LookupError("bench records missing (run manage.py seed_scale): a decision with titles and a revocation")
    return {"decision": decision.public_id, "title_number": title.number, "title_year": title.year,
            "title_search": quote(title.name[-6:]), "revocation": revocation.public_id}
