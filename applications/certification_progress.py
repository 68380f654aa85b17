"""Where a certification application stands, as its page and the applicant's home show it: the progress line of the
main path with the date each state was reached, and who acts next."""

from django.utils.translation import gettext_lazy

from applications.models import CertificationStatus as Status

# The progress line (申报进度): the states of the main path, in order.
PROGRESS = (Status.DRAFT, Status.EVALUATOR_COMMISSIONED, Status.EVALUATED, Status.SUBMITTED, Status.RECOMMENDED)
# Who acts next, by state.
NEXT = {
    Status.DRAFT: gettext_lazy("申报单位：填写基本条件、完成自评价、委托第三方评价机构"),
    Status.EVALUATOR_COMMISSIONED: gettext_lazy("第三方评价机构：现场评价并出具评价报告"),
    Status.EVALUATED: gettext_lazy("申报单位：提交区县经信部门审核"),
    Status.SUBMITTED: gettext_lazy("区县经信部门：审核并推荐"),
    Status.SUPPLEMENTING: gettext_lazy("申报单位：按要求补充材料"),
    Status.RETURNED: gettext_lazy("申报单位：修改后重新提交"),
    Status.RECOMMENDED: gettext_lazy("市经济信息委：审查认定"),
    Status.REJECTED: gettext_lazy("已结束"),
    Status.WITHDRAWN: gettext_lazy("已结束"),
}


def progress_line(application, entries):
    """Each state of the main path with the date it was reached (from the history), and where the case is."""
    reached = {Status.DRAFT: application.created_at}
    for entry in entries:
        reached[entry.state] = entry.timestamp  # the latest time (a case sent back reaches a state again)
    labels = dict(Status.choices)
    current = application.status if application.status in PROGRESS else None
    steps, passed = [], True
    for state in PROGRESS:
        if state == current:
            passed = False
        done = passed and state in reached
        steps.append({"state": state, "label": labels[state], "at": reached.get(state) if done or state == current
                      else None, "done": done, "current": state == current})
    return steps
