"""The applications' own display values of long tables (see ``greenfactory.display``): the criteria badges of the
intake queue, the district rows of the target tables and the intake case page's answers."""

from html import escape

from django.template.defaultfilters import linebreaksbr
from django.utils.formats import date_format, localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from applications.models import CriterionResult, EntryCriterion, TargetState
from greenfactory.display import choice_labels, html_rows

_BADGE_CLASSES = {CriterionResult.MET: "text-bg-success", CriterionResult.NOT_MET: "text-bg-danger"}


def criteria_badges(criteria, labels=None):
    """Each entry criterion's number as a badge coloured by its result, with its name and reason as the title;
    ``criteria`` are (criterion, result, reason), ``labels`` the criteria's names (``choice_labels``)."""
    labels = labels or choice_labels(EntryCriterion)
    # html.escape is what django.utils.html.escape does, without a SafeString per value (250 badges a page).
    return mark_safe(" ".join(  # noqa: S308  (every value escaped)
        f'<span class="badge {_BADGE_CLASSES.get(result, "text-bg-warning")}" title="'
        f'{escape(labels.get(criterion, criterion))}：{escape(reason)}">{escape(criterion)}</span>'
        for criterion, result, reason in criteria))


_TARGET_BADGES = {TargetState.MET: "text-bg-success", TargetState.MISSED: "text-bg-warning",
                  TargetState.IN_PROGRESS: "text-bg-primary"}


TARGET_ROW = """    <tr data-district="{district}">
      <td>{district}</td><td class="text-end">{count}</td><td class="text-end">{target}</td>
      <td><div class="d-flex align-items-center gap-2">
        <progress class="flex-grow-1" max="{target}" value="{count}" aria-label="{district}">{percent}%</progress>
        <span class="badge target-{state} {badge}">{label}</span>
      </div></td>
    </tr>
"""


def target_rows(rows):
    """The district rows of a target table (``applications/campaigns/_target_table.html``) as its markup."""
    return html_rows(TARGET_ROW, ({
        "district": row["district"].name, "count": row["count"], "target": row["target"], "percent": row["percent"],
        "state": row["state"], "badge": _TARGET_BADGES.get(row["state"], "text-bg-secondary"), "label": row["label"]}
        for row in rows))


# A row of the intake form's answers on the case page (applications/intake/intake_detail.html), written in Python:
# twenty-five rows of a label, a filter and a translation each cost more in the template than the page's queries.
INTAKE_FIELD_ROW = '  <tr><th scope="row">{label}</th><td>{value}</td></tr>\n'


def intake_fields_html(application):
    """The case page's table of the form's answers (what ``{{ value|date:"Y-m-d" }}``, ``|default_if_none``,
    ``|yesno``, ``|linebreaksbr`` wrote, each value escaped)."""
    def yes_no(value):
        return yes if value else no if value is not None else unknown

    def or_dash(value):
        return "—" if value is None else localize(value)

    yes, no, unknown = _("是,否,—").split(",")
    areas = application.green_investment_area_labels()
    rows = [
        (_("公司名称"), application.applicant_name),
        (_("所属行业"), application.industry.name if application.industry_id else ""),
        (_("通讯地址"), application.address),
        (_("单位性质"), application.get_ownership_type_display()),
        (_("统一社会信用代码"), format_html("<code>{}</code>", application.applicant_credit_code)),
        (_("邮编"), application.postal_code),
        (_("成立日期"), date_format(application.founded_on, "Y-m-d") if application.founded_on else ""),
        (_("注册资本（万元）"), "" if application.registered_capital is None
         else localize(application.registered_capital)),
        (_("主要产品"), application.main_products),
        (_("%(year)s年产值（万元）") % {"year": application.campaign.output_year}, or_dash(application.output_value)),
        *((_("%(year)s年利润总额（万元）") % {"year": year}, or_dash(profit)) for year, profit in application.profits),
        (_("质量管理体系"), yes_no(application.quality_management_certified)),
        (_("环境管理体系"), yes_no(application.environmental_management_certified)),
        (_("职业健康安全管理体系"), yes_no(application.occupational_health_safety_certified)),
        (_("能源管理体系"), yes_no(application.energy_management_certified)),
        (_("其他认证"), application.other_certifications or "—"),
        (_("近三年是否发生较大事故"), yes_no(application.major_accident)),
        (_("是否具有独立法人资格"), yes_no(application.independent_legal_person)),
        (_("计划绿色化改造投资（万元）"), format_html(
            "{}（{}）", or_dash(application.green_investment_amount), _("、").join(areas) if areas else "—")),
        (_("填报人"), application.preparer_name),
        (_("联系电话"), application.preparer_phone),
        (_("单位简介"), linebreaksbr(application.profile_text, autoescape=True)),
        (_("承诺"), format_html("{}：{} {}", _("已接受"), application.commitment_signatory, date_format(
            application.commitment_date, "Y-m-d") if application.commitment_date else "")
         if application.commitment_accepted else _("未接受")),
    ]
    return html_rows(INTAKE_FIELD_ROW, ({"label": label, "value": value} for label, value in rows))
