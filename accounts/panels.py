"""Home-page panels of accounts: what a role whose workflow has not arrived yet will do in the portal, and when.

Each text cites the article of the measures (重庆市绿色园区和绿色工厂认定管理办法) or the section of the district's
cultivation notice that gives the role its work. A role's panel stays until its workflow brings it real to-do items.
"""

from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.deadlines import deadline_rows_for_user
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
        "when": _("企业在平台上委托贵机构后，委托会出现在本工作台的待办事项中，您可在此上传评价报告；"
                  "您只能看到委托贵机构的企业。"),
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
        "when": _("市经济信息委发布年度绿色园区申报通知后，即可在平台上填报；"
                  "在此之前，您可以在“单位账号”中为本单位同事开通账号。"),
    },
}


def _introduction(user, subject):
    introduction = ROLE_INTRODUCTIONS.get(user.role)
    return {**introduction, "role": user.get_role_display()} if introduction else None


def _deadlines(user, subject):
    """Every open clock of the user and their organisation (and those chased to it), the same way whatever the
    workflow: what, the case, the due date, working days left or overdue. Queries: the clocks (one), and the entered
    calendar days of each year they span (one per year)."""
    rows = deadline_rows_for_user(user, limit=DEADLINES_SHOWN + 1)
    if not rows:
        return None
    return {"rows": rows[:DEADLINES_SHOWN], "more": len(rows) > DEADLINES_SHOWN}


def register():
    register_home_panel(Panel("accounts.deadlines", "accounts/panels/deadlines.html", frozenset(Role.values),
                              _deadlines, order=5))
    register_home_panel(Panel("accounts.role_introduction", "accounts/panels/role_introduction.html",
                              frozenset(ROLE_INTRODUCTIONS), _introduction, order=10))
