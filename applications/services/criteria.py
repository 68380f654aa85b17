"""The entry criteria of the notice (一（二）入库条件), judged on an intake application."""


from dataclasses import dataclass
from types import SimpleNamespace

from django.utils.translation import gettext as _

from accounts.selectors import credit_code_warnings
from applications.models import (
    OUTPUT_THRESHOLD,
    CriterionResult,
    EntryCriterion,
    EntryCriterionResult,
)
from greenfactory.text import join_list


@dataclass(frozen=True)
class CriterionOutcome:
    criterion: str
    result: str
    reason: str
    # The answer the criterion needs is not filled in yet (only a draft can be in this state).
    incomplete: bool = False

    @property
    def label(self) -> str:
        return EntryCriterion(self.criterion).label


def entry_criteria_evaluate(application) -> list[CriterionOutcome]:
    """二、入库标准 1–5, each met / not met / for the official's judgement, with its reason. Criterion 1 judges the
    credit code on the application, which submission copies from the registered profile."""
    outcomes = []
    # 1. Registered in the district, independent legal person.
    enterprise = application.enterprise
    if application.independent_legal_person is False:
        outcomes.append(CriterionOutcome("1", CriterionResult.NOT_MET, _("企业填报不具有独立法人资格。")))
    elif enterprise.district_id != application.district_id:
        outcomes.append(CriterionOutcome("1", CriterionResult.NOT_MET, _("企业登记注册地不在本区县。")))
    else:
        # The code on the form against the district that screens it.
        warnings = credit_code_warnings(SimpleNamespace(credit_code=application.credit_code,
                                                        district=application.district))
        if warnings:
            outcomes.append(CriterionOutcome("1", CriterionResult.JUDGEMENT, " ".join(warnings)))
        else:
            outcomes.append(CriterionOutcome(
                "1", CriterionResult.MET,
                _("在%(district)s登记注册，具有独立法人资格。") % {"district": application.district.name},
                incomplete=application.independent_legal_person is None))
    # 2. Annual output over 5000万元.
    output = application.output_value
    year = application.campaign.output_year
    if output is None:
        outcomes.append(CriterionOutcome("2", CriterionResult.NOT_MET, _("尚未填报%(year)d年产值。") % {"year": year},
                                         incomplete=True))
    elif output > OUTPUT_THRESHOLD:
        outcomes.append(CriterionOutcome("2", CriterionResult.MET, _("%(year)d年产值%(value)s万元，超过5000万元。")
                                         % {"year": year, "value": output}))
    else:
        outcomes.append(CriterionOutcome(
            "2", CriterionResult.NOT_MET, _("%(year)d年产值%(value)s万元，未超过5000万元。")
            % {"year": year, "value": output}))
    # 3. Profitable in each of the last three years.
    losses = [str(year) for year, profit in application.profits if profit is not None and profit <= 0]
    unanswered = [str(year) for year, profit in application.profits if profit is None]
    if losses:
        outcomes.append(CriterionOutcome("3", CriterionResult.NOT_MET,
                                         _("%(years)s年利润总额不为正。") % {"years": join_list(losses)}))
    elif unanswered:
        outcomes.append(CriterionOutcome("3", CriterionResult.NOT_MET,
                                         _("尚未填报%(years)s年利润总额。") % {"years": join_list(unanswered)},
                                         incomplete=True))
    else:
        outcomes.append(CriterionOutcome("3", CriterionResult.MET, _("近三年利润总额均为正。")))
    # 4. No major quality, safety or environmental accident.
    if application.major_accident is False:
        outcomes.append(CriterionOutcome("4", CriterionResult.MET, _("企业声明近三年未发生较大事故。")))
    elif application.major_accident is None:
        outcomes.append(CriterionOutcome("4", CriterionResult.NOT_MET, _("尚未填报近三年是否发生较大事故。"),
                                         incomplete=True))
    else:
        outcomes.append(CriterionOutcome("4", CriterionResult.NOT_MET, _("企业填报近三年发生过较大事故。")))
    # 5. Willingness to invest in 节能节水、低碳环保、清洁生产、综合利用.
    amount = application.green_investment_amount
    areas = application.green_investment_area_labels()
    if amount and amount > 0 and areas:
        outcomes.append(CriterionOutcome("5", CriterionResult.MET, _("计划投资%(amount)s万元用于%(areas)s。")
                                         % {"amount": amount, "areas": join_list(areas)}))
    elif areas and amount is not None and amount == 0:
        outcomes.append(CriterionOutcome("5", CriterionResult.JUDGEMENT,
                                         _("填报了改造投资方向，但计划投资为0万元，请区县判断改造投资意愿。")))
    elif areas or (amount and amount > 0):
        outcomes.append(CriterionOutcome("5", CriterionResult.JUDGEMENT,
                                         _("投资金额或方向填报不完整，请区县判断改造投资意愿。"),
                                         incomplete=amount is None))
    elif amount is not None and amount == 0:
        # An answer, not a gap: the enterprise plans no investment.
        outcomes.append(CriterionOutcome("5", CriterionResult.NOT_MET, _("计划绿色化改造投资为0万元。")))
    else:
        outcomes.append(CriterionOutcome("5", CriterionResult.NOT_MET, _("未填报绿色化改造投资计划。"),
                                         incomplete=amount is None))
    return outcomes


def entry_criteria_warnings(application) -> list[CriterionOutcome]:
    """The criteria a draft, as saved, would not meet: the enterprise is told before it submits (submission is
    still allowed, the district decides). Criteria whose answers are not filled in yet are left to the list of
    missing fields."""
    return [o for o in entry_criteria_evaluate(application) if o.result != CriterionResult.MET and not o.incomplete]


def _criteria_numbers(criteria) -> str:
    return join_list(c.criterion for c in criteria)


def criteria_not_met(application) -> list[EntryCriterionResult]:
    """The stored criteria a submitted application does not meet, or that need the official's judgement."""
    return [c for c in application.criteria.all() if c.result != CriterionResult.MET]
