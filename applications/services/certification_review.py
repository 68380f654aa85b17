"""The district's review of a submitted certification application (第十条 评估确认): a checklist per pass (data
consistent with the evaluation report, evidence present and authentic, each basic condition met), review rounds that
send items back to the applicant with a response deadline in working days, and the decision — recommend to the city,
return, or reject — with the district's recommended list as a workbook."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.choices import DeadlineKind
from accounts.deadlines import deadline_due_on, deadline_open
from accounts.inbox import district_officials
from accounts.models import AuditAction, MessageKind
from applications import access
from applications.models import (
    CertificationStatus,
    DistrictReview,
    ReviewAnswerFile,
    ReviewItem,
    ReviewOutcome,
    Verdict,
)
from applications.services.certification import (
    _applicant_users,
    _chinese_number,
    _conflict,
    _district_clock_open,
    certification_url,
    locked,
    refuse_unless_editor,
)
from greenfactory.language import portal_language
from greenfactory.portal import kept
from greenfactory.spreadsheet import Column, workbook_bytes
from greenfactory.uploads import save_upload
from greenfactory.workdays import UnknownCalendarYear
from greenfactory.workflow import COMMENT_MAX_LENGTH, Message, fire, reason_required

# The answer time of a review round, in working days: the official chooses within these bounds.
ANSWER_DAYS_DEFAULT, ANSWER_DAYS_MIN, ANSWER_DAYS_MAX = 5, 1, 30
MAX_ANSWER_FILES = 10

# 第十条: 重点关注绿色制造标准指标完成情况、第三方评价报告等内容，并审查上报资料的真实性、合规性.
FIXED_CHECKS = (
    ("report", gettext_lazy("第三方评价报告规范、结论为“符合”")),
    ("data", gettext_lazy("申报数据与第三方评价报告、年度绩效数据一致")),
    ("indicators", gettext_lazy("绿色制造标准指标完成情况达到要求")),
    ("evidence", gettext_lazy("证明材料齐全、真实、合规")),
)


def review_checks(application) -> list[tuple[str, str]]:
    """The checklist of a pass: the fixed checks, then each basic condition of the unit's article."""
    article = _("第六条") if application.is_park else _("第七条")
    return [(key, str(label)) for key, label in FIXED_CHECKS] + [
        (f"condition_{item.value}", _("%(article)s（%(number)s）%(text)s") % {
            "article": article, "number": _chinese_number(item.value), "text": item.label})
        for item in application.conditions]


def _refuse_unless_reviewer(application, actor):
    if not access.can_review_certification(actor, application):
        raise PermissionDenied(_("只有申报单位所在区县的经信部门可以审核该申报。"))


def open_review(application) -> DistrictReview | None:
    return application.reviews.filter(outcome="").first()


def last_closed_review(application) -> DistrictReview | None:
    return application.reviews.exclude(outcome="").order_by("-number").first()


@transaction.atomic
def district_review_save(*, application, actor, items: dict, request=None) -> DistrictReview:
    """Save the official's checklist (``items``: key → {verdict, comment}) in the application's open pass, starting
    one when there is none (numbered after the last; each line starts from the last pass's verdict). Only officials of
    the district, while the application waits for them (区县审核中); 409 otherwise."""
    application = locked(application)
    _refuse_unless_reviewer(application, actor)
    if application.status != CertificationStatus.SUBMITTED:
        raise _conflict(application)
    review = open_review(application)
    if review is None:
        number = (application.reviews.aggregate(top=Max("number"))["top"] or 0) + 1
        try:
            with transaction.atomic():
                review = DistrictReview.objects.create(application=application, number=number, reviewer=actor)
        except IntegrityError:
            review = open_review(application)
        previous = {item.key: item for item in last_closed_review(application).items.all()} \
            if number > 1 else {}
        ReviewItem.objects.bulk_create([
            ReviewItem(review=review, key=key,
                       verdict=previous[key].verdict if key in previous and previous[key].verdict == Verdict.OK
                       else "")
            for key, _label in review_checks(application)])
    errors = {}
    for row in review.items.all():
        data = items.get(row.key)
        if data is None:
            continue
        verdict = data.get("verdict") or ""
        comment = (data.get("comment") or "").strip()
        if verdict not in ("", *Verdict.values):
            errors[f"verdict_{row.key}"] = _("请选择审核意见。")
            continue
        if len(comment) > COMMENT_MAX_LENGTH:
            errors[f"comment_{row.key}"] = _("说明最多 %(limit)d 个字。") % {"limit": COMMENT_MAX_LENGTH}
            continue
        if verdict == Verdict.MORE and not comment:
            errors[f"comment_{row.key}"] = _("请写明需要补充的内容。")
            continue
        if (row.verdict, row.comment) != (verdict, comment):
            row.verdict, row.comment = verdict, comment
            row.save(update_fields=["verdict", "comment"])
    if errors:
        raise ValidationError(errors)
    if review.reviewer_id != actor.pk:
        DistrictReview.objects.filter(pk=review.pk).update(reviewer=actor)
    return review


def _pass_items(review):
    return list(review.items.all()) if review is not None else []


def _close(review, outcome, **fields):
    DistrictReview.objects.filter(pk=review.pk).update(outcome=outcome, closed_at=timezone.now(), **fields)


def certification_request_more(*, application, actor, working_days=ANSWER_DAYS_DEFAULT,
                               request=None) -> DistrictReview:
    """Send the open pass's items marked 需补充 back to the applicant (a review round), each with the official's
    comment, to be answered within ``working_days`` working days on the official calendar (a kernel deadline of the
    applicant). Refused without such an item, or an item without its comment."""
    if not ANSWER_DAYS_MIN <= working_days <= ANSWER_DAYS_MAX:
        raise ValidationError({"working_days": _("补充材料期限应为%(min)d至%(max)d个工作日。")
                               % {"min": ANSWER_DAYS_MIN, "max": ANSWER_DAYS_MAX}})
    try:
        due_on = deadline_due_on(working_days=working_days)
    except UnknownCalendarYear as error:
        raise ValidationError({"working_days": _("%(year)s年的节假日安排尚未录入，无法按工作日计算期限，请联系管理员。")
                               % {"year": error.year}}) from None
    state = {}

    def guard(row):
        review = open_review(row)
        more = [item for item in _pass_items(review) if item.verdict == Verdict.MORE]
        if not more:
            raise ValidationError(_("请至少将一项审核事项标记为“需补充”，并写明需要补充的内容。"))
        if any(not item.comment for item in more):
            raise ValidationError(_("标记为“需补充”的事项须写明需要补充的内容。"))
        state["review"] = review

    def messages(row):
        return [Message(recipients=_applicant_users(row), kind=MessageKind.TASK,
                        title=_("区县经信部门要求补充认定申报材料"),
                        body=_("请于%(due)s前逐项补充并提交。") % {"due": due_on.isoformat()},
                        url=certification_url(row))]

    with transaction.atomic(), portal_language():
        row = fire(application, "request_more", actor=actor, request=request, guards=[guard], messages=messages,
                   url=certification_url(application), detail={"due_on": due_on.isoformat()})
        review = state["review"]
        _close(review, ReviewOutcome.MORE, due_on=due_on)
        deadline_open(subject=row, kind=DeadlineKind.REVIEW_ROUND_ANSWER, organisation=row.applicant, due_on=due_on,
                      label=str(row), url=certification_url(row))
    review.refresh_from_db()
    return review


def answering_review(application) -> DistrictReview | None:
    """The review round the applicant is answering: the last pass, when it asked for more and is not answered."""
    review = last_closed_review(application)
    if review is None or review.outcome != ReviewOutcome.MORE or review.answered_at is not None:
        return None
    return review


def _answering(application, actor) -> DistrictReview:
    refuse_unless_editor(application, actor)
    if application.status != CertificationStatus.SUPPLEMENTING:
        raise _conflict(application)
    review = answering_review(application)
    if review is None:
        raise _conflict(application)
    return review


@transaction.atomic
def review_answers_save(*, application, actor, answers: dict, request=None) -> DistrictReview:
    """Save the applicant's answers (``answers``: key → text) to the items of the round it is answering."""
    application = locked(application)
    review = _answering(application, actor)
    errors, now = {}, timezone.now()
    for item in review.items.filter(verdict=Verdict.MORE):
        if item.key not in answers:
            continue
        text = (answers[item.key] or "").strip()
        if len(text) > COMMENT_MAX_LENGTH:
            errors[f"answer_{item.key}"] = _("补充说明最多 %(limit)d 个字。") % {"limit": COMMENT_MAX_LENGTH}
            continue
        if text != item.answer:
            item.answer, item.answered_at = text, now
            item.save(update_fields=["answer", "answered_at"])
    if errors:
        raise ValidationError(errors)
    return review


@transaction.atomic
def review_answer_file_upload(*, application, actor, key, uploaded_file, request=None) -> ReviewAnswerFile:
    application = locked(application)
    review = _answering(application, actor)
    item = review.items.filter(key=key, verdict=Verdict.MORE).first()
    if item is None:
        raise ValidationError({"key": _("请选择要补充材料的审核事项。")})
    if item.files.count() >= MAX_ANSWER_FILES:
        raise ValidationError({"file": _("每项最多上传%(n)d个补充材料。") % {"n": MAX_ANSWER_FILES}})
    return save_upload(uploaded_file, ReviewAnswerFile(item=item), actor=actor, request=request)


def certification_answer(*, application, actor, request=None):
    """The applicant submits its answers to the round: every item sent back needs an answer (text or a file). The
    case returns to the district's queue and its clock starts again."""
    state = {}

    def guard(row):
        review = answering_review(row)
        if review is None:
            raise _conflict(row)
        unanswered = [item for item in review.items.filter(verdict=Verdict.MORE).prefetch_related("files")
                      if not item.answer and not item.files.all()]
        if unanswered:
            labels = dict(review_checks(row))
            raise ValidationError(_("以下事项尚未补充：%(items)s。") % {
                "items": "；".join(labels.get(item.key, item.key) for item in unanswered)})
        state["review"] = review

    with transaction.atomic(), portal_language():
        row = fire(application, "answer", actor=actor, request=request, guards=[guard],
                   url=certification_url(application),
                   messages=lambda row: [Message(recipients=lambda: district_officials(row.district_id),
                                                 kind=MessageKind.TASK, url=certification_url(row),
                                                 title=_("%(name)s 已提交补充材料") % {"name": row.unit_name})])
        DistrictReview.objects.filter(pk=state["review"].pk).update(answered_at=timezone.now())
        _district_clock_open(row)
    return row


def _decision_messages(title):
    def messages(row):
        return [Message(recipients=_applicant_users(row), kind=MessageKind.DECISION, title=title,
                        body=row.decision_reason, url=certification_url(row))]
    return messages


def certification_recommend(*, application, actor, comment="", request=None):
    """The district recommends the application to the city (第十条: 对初审合格的推荐至市经济信息委): only with every
    line of the open pass 符合, before the district's deadline of the round."""
    state = {}

    def guard(row):
        # A case the city sent back (第十一条) is recommended again within the district's own clock.
        if row.city_returned_at is None and not row.round.takes_recommendations():
            raise ValidationError(_("本年度区县推荐已于%(date)s截止，请联系市经济信息委。")
                                  % {"date": row.round.recommendation_deadline})
        review = open_review(row)
        items = _pass_items(review)
        if not items or any(item.verdict != Verdict.OK for item in items):
            raise ValidationError(_("请先完成审核清单：每一项均为“符合”后方可推荐。"))
        state["review"] = review

    with transaction.atomic(), portal_language():
        row = fire(application, "recommend", actor=actor, comment=(comment or "").strip(), request=request,
                   guards=[guard], related=("round",), url=certification_url(application),
                   messages=_decision_messages(_("您单位的认定申报已由区县推荐至市经济信息委")))
        _close(state["review"], ReviewOutcome.RECOMMENDED)
    return row


def _decide(application, name, outcome, *, actor, reason, title, request):
    def close_pass(row):
        review = open_review(row)
        if review is not None:
            _close(review, outcome)

    with transaction.atomic(), portal_language():
        row = fire(application, name, actor=actor, comment=reason, request=request, prepare=close_pass,
                   url=certification_url(application), messages=_decision_messages(title))
    return row


def certification_return(*, application, actor, reason, request=None):
    """The district returns the application to the applicant with its reasons; it may be submitted again."""
    reason = reason_required(reason, _("请填写退回原因。"))
    return _decide(application, "return_for_changes", ReviewOutcome.RETURNED, actor=actor, reason=reason,
                   title=_("您单位的认定申报被区县经信部门退回修改"), request=request)


def certification_reject(*, application, actor, reason, request=None):
    """The district does not recommend the application (final), with its reasons."""
    reason = reason_required(reason, _("请填写不予推荐的原因。"))
    return _decide(application, "reject", ReviewOutcome.REJECTED, actor=actor, reason=reason,
                   title=_("您单位的认定申报未获区县推荐"), request=request)


# --- The district's recommended list (推荐名单) ----------------------------------------------------------------------

RECOMMENDED_COLUMNS = [
    Column(gettext_lazy("序号"), 6), Column(gettext_lazy("申报类别"), 10), Column(gettext_lazy("单位名称"), 36),
    Column(gettext_lazy("统一社会信用代码"), 22), Column(gettext_lazy("所属行业"), 24),
    Column(gettext_lazy("第三方评价机构"), 30), Column(gettext_lazy("评价得分"), 10, "0.00"),
    Column(gettext_lazy("自评价得分"), 10, "0.00"), Column(gettext_lazy("联系人"), 12),
    Column(gettext_lazy("联系电话"), 16), Column(gettext_lazy("推荐日期"), 12, "yyyy-mm-dd"),
]


def _recommended_rows(applications):
    for number, application in enumerate(applications, start=1):
        yield [number, application.get_unit_kind_display(), application.unit_name, application.credit_code,
               application.industry.name if application.industry_id else "",
               application.evaluator.name if application.evaluator_id else "", application.evaluation_score,
               application.self_score, application.contact_name, application.contact_phone,
               timezone.localtime(application.decided_at).date() if application.decided_at else None]


def recommended_list_export(*, actor, certification_round, district, applications, request=None) -> bytes:
    """The district's recommended list of the round (``applications``: scoped, recommended, in order) as a workbook;
    audited with its row count."""
    title = _("%(district)s %(year)s年度绿色工厂、绿色园区推荐名单（导出时间%(time)s）") % {
        "district": district.name, "year": certification_round.year,
        "time": timezone.localtime().strftime("%Y-%m-%d %H:%M")}
    content, count = workbook_bytes(sheet_title=_("推荐名单"), title=title, columns=RECOMMENDED_COLUMNS,
                                    rows=_recommended_rows(applications))
    audit_record(action=AuditAction.EXPORT, actor=actor, request=request,
                 detail={"rows": count, "round": certification_round.year, "district": district.name,
                         "list": "recommended"})
    return content


def date_in_full(day) -> str:
    """A date as an official document writes it: 2024年2月5日 (GB/T 9704-2012 7.3.5.2, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def recommended_list_pdf(*, actor, certification_round, district, applications, request=None) -> bytes:
    """The district's recommended list as an official document (GB/T 9704-2012: its title, the addressee, the body
    citing 第十条, the attachment, the issuing body and the date in full), the list on the attachment's page; audited
    as a download."""
    from greenfactory.pdf import render_pdf  # WeasyPrint: heavy, loaded only when a PDF is asked for

    issuer = actor.organisation.name if actor.organisation_id else district.name
    rows = list(applications)
    today = timezone.localdate()
    # The same letter until a unit is recommended or the day changes: written once and kept (greenfactory.portal.kept:
    # a transition anywhere moves it); every download is audited.
    key = (f"recommended-pdf:{certification_round.pk}:{district.pk}:{get_language()}:{today}:"
           f"{','.join(str(a.pk) for a in rows)}:{issuer}")
    pdf = kept(key, lambda: render_pdf("pdf/recommended_list.html", {
        "title": _("关于推荐%(year)s年度重庆市绿色工厂、绿色园区的函") % {"year": certification_round.year},
        "issuer": issuer, "district": district, "round": certification_round, "rows": rows,
        "date_in_full": date_in_full(today)}))
    audit_record(action=AuditAction.DOWNLOAD, actor=actor, request=request,
                 detail={"document": "recommended_list.pdf", "round": certification_round.year,
                         "district": district.name})
    return pdf
