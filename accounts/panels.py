"""Home-page panels of accounts: what a role whose workflow has not arrived yet will do in the portal, and when.

Each text cites the article of the measures (重庆市绿色园区和绿色工厂认定管理办法) or the section of the district's
cultivation notice that gives the role its work. A role's panel stays until its workflow brings it real to-do items.
"""

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.deadlines import deadline_rows_for_user
from greenfactory.display import escaped, html_rows
from greenfactory.portal import Panel, register_home_panel

# The clocks listed on the home page; past this many, the list says there are more (one query whatever their number).
DEADLINES_SHOWN = 20

ROLE_INTRODUCTIONS = {
    Role.EXPERT: {
        "title": _("专家评估与评审"),
        "duties": [
            _("培育阶段：市经济信息委组织专家对培育库内企业进行绿色生产水平评估，入企评估基础设施、管理体系、能源与资源投入、"
              "产品、环境排放、环境绩效，形成评估报告和绿色生产水平提升方案（区县培育通知“二、培育阶段”）。"),
            _("认定阶段：市经济信息委组织专家对申报资料进行评审（《认定管理办法》第十一条）。"),
        ],
        "when": _("评估和评审任务由市经济信息委或区县经信部门分配给您后，会出现在本工作台的待办事项中，"
                  "并通过站内消息通知您；"
                  "您只能看到分配给您的企业。"),
    },
    Role.EVALUATOR: {
        "title": _("第三方评价"),
        "duties": [
            _("接受园区、企业的委托，按照相应评价标准开展现场评价，出具第三方评价报告（《认定管理办法》第九条）。"),
            _("评价机构对评价报告负责，接受市经济信息委的评估和抽查（《认定管理办法》第二十条至第二十二条）。"),
        ],
        "when": _("企业或园区在平台上委托贵机构后，委托会出现在本工作台和“评审任务”中：接受后开展现场评价、"
                  "上传签字盖章的评价报告并出具；不能承接的请谢绝并说明原因。您只能看到委托贵机构的申报。"),
    },
    Role.DEPARTMENT: {
        "title": _("对拟认定名单提出意见"),
        "duties": [
            _("市经济信息委提出拟认定名单后，征求市级相关部门意见建议（《认定管理办法》第十一条），"
              "您在此查看名单并反馈本部门意见（如生态环境、应急管理、市场监管、信用等方面的情况）。"),
        ],
        "when": _("每年认定工作进入征求意见环节时，征求意见事项会出现在本工作台的待办事项中，并通过站内消息通知您。"),
    },
    Role.PARK: {
        "title": _("绿色园区申报"),
        "duties": [
            _("满足申报条件的园区（《认定管理办法》第六条）按照绿色园区评价标准开展创建和自评价，"
              "委托第三方评价机构现场评价后，向所在区县经信部门提出申请并提交评价报告（第九条）。"),
            _("认定后每年通过平台报送绿色制造关键指标持续提升情况（第十六条）。"),
        ],
        "when": _("市经济信息委发布年度认定工作后，在“认定申报”中填写基本条件、完成自评价并委托第三方评价机构；"
                  "您也可以在“单位账号”中为本单位同事开通账号。"),
    },
}


def _introduction(user, subject):
    introduction = ROLE_INTRODUCTIONS.get(user.role)
    return {**introduction, "role": user.get_role_display()} if introduction else None


# A clock of the home page's deadlines panel (accounts/panels/deadlines.html), written in Python: twenty clocks with
# their conditions, dates and plural forms cost more in the template than the query that found them.
DEADLINE_ROW = (
    '<li class="list-group-item d-flex justify-content-between align-items-start deadline-row{overdue_class}">'
    '<div><span class="fw-semibold">{what}</span>{separator}{case}{badge}</div>'
    '<div class="text-end small text-nowrap"><div>{due_word} <time datetime="{due_on}">{due_on}</time></div>'
    '<div class="{state_class}">{state}</div></div></li>\n')


def deadline_rows_html(rows) -> str:
    """The markup of the panel's clocks (every value escaped): what and the case (linked when it has a page), a
    badge when chased, the due date, and working days left, due today, overdue, or not countable yet."""
    words = {"separator": gettext("："), "due": gettext("截止"), "overdue": gettext("已逾期"),
             "today": gettext("今日截止"),
             "chased_here": format_html('<span class="badge text-bg-danger ms-1">{}</span>',
                                        gettext("下级逾期，已向本单位催办")),
             "escalated": format_html('<span class="badge text-bg-warning ms-1">{}</span>', gettext("已催办"))}
    cells = []
    for row in rows:
        if row["unknown_year"]:
            state_class = "text-danger fw-semibold" if row["overdue"] else "text-body-secondary"
            state = (words["overdue"] if row["overdue"] else "") + gettext(
                "（%(year)s年节假日安排尚未录入，工作日数暂不能计算）") % {"year": row["unknown_year"]}
        elif row["overdue"]:
            state_class = "text-danger fw-semibold"
            state = ngettext("已逾期 %(days)s 个工作日", "已逾期 %(days)s 个工作日", row["overdue"]) % {
                "days": row["overdue"]}
        elif row["left"] == 0:
            state_class, state = "text-warning-emphasis fw-semibold", words["today"]
        else:
            state_class = "text-body-secondary"
            state = ngettext("还剩 %(days)s 个工作日", "还剩 %(days)s 个工作日", row["left"]) % {"days": row["left"]}
        label = escaped(row["label"])
        cells.append({
            "overdue_class": " deadline-overdue" if row["overdue"] else "", "what": row["what"],
            "separator": words["separator"],
            "case": mark_safe(f'<a href="{escaped(row["url"])}">{label}</a>' if row["url"] else label),  # noqa: S308
            "badge": words["chased_here"] if row["chased_here"] else words["escalated"] if row["escalated"] else "",
            "due_word": words["due"], "due_on": row["due_on"].isoformat(), "state_class": state_class,
            "state": state})
    return html_rows(DEADLINE_ROW, cells)


def _deadlines(user, subject):
    """Every open clock of the user and their organisation (and those chased to it), the same way whatever the
    workflow: what, the case, the due date, working days left or overdue. Queries: the clocks (one), and the entered
    calendar days of each year they span (one per year)."""
    rows = deadline_rows_for_user(user, limit=DEADLINES_SHOWN + 1)
    if not rows:
        return None
    shown = rows[:DEADLINES_SHOWN]
    return {"rows": shown, "rows_html": deadline_rows_html(shown), "more": len(rows) > DEADLINES_SHOWN}


def register():
    register_home_panel(Panel("accounts.deadlines", "accounts/panels/deadlines.html", frozenset(Role.values),
                              _deadlines, order=5))
    register_home_panel(Panel("accounts.role_introduction", "accounts/panels/role_introduction.html",
                              frozenset(ROLE_INTRODUCTIONS), _introduction, order=10))
