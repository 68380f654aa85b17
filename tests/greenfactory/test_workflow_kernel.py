"""The workflow kernel: one transition path (lock, guards on the locked row, fire, save, record, messages), the
declared actions (buttons and the action view agree with the state machine), and the generated state diagrams."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template.loader import render_to_string
from django.urls import reverse
from django_fsm_log.models import StateLog

from accounts import services as account_services
from accounts.choices import OrganisationStatus
from accounts.models import AuditAction, AuditEvent, Notification
from applications import services
from applications.models import IntakeApplication, IntakeStatus
from applications.workflows import INTAKE
from greenfactory import workflow
from greenfactory.workflow import (
    COMMENT_MAX_LENGTH,
    FiredOutsideKernelError,
    Message,
    TransitionConflict,
    Workflow,
    fire,
    workflows,
)
from greenfactory.workflow_views import action_view
from tests.factories import EnterpriseFactory
from tests.helpers import filled, upload_scan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]


def submitted(campaign, user):
    application = services.intake_submit(application=filled(campaign, user), actor=user)
    upload_scan(application, user)
    return IntakeApplication.objects.get(pk=application.pk)


# --- One transition path ---------------------------------------------------------------------------------------------


def test_a_transition_method_called_outside_the_kernel_refuses_to_run(campaign, people):
    application = submitted(campaign, people.enterprise)
    with pytest.raises(FiredOutsideKernelError):
        application.reject(by=people.district, description="直接调用")
    assert IntakeApplication.objects.get(pk=application.pk).status == IntakeStatus.SUBMITTED
    assert not StateLog.objects.for_(application).filter(transition="reject").exists()


def test_guards_run_on_the_row_as_locked_not_on_the_callers_copy(campaign, people):
    application = submitted(campaign, people.enterprise)
    # Someone else changes the row after the caller read it.
    IntakeApplication.objects.filter(pk=application.pk).update(company_name="已被他人改名的企业")
    seen = []
    fire(application, "return_for_changes", actor=people.district, comment="请补充",
         guards=[lambda row: seen.append(row.company_name)])
    assert seen == ["已被他人改名的企业"]
    assert application.company_name != "已被他人改名的企业"  # the caller's copy was not what the guard read


def test_a_guard_that_refuses_leaves_state_history_audit_and_inbox_untouched(campaign, people):
    application = submitted(campaign, people.enterprise)
    before = (StateLog.objects.count(), AuditEvent.objects.count(), Notification.objects.count())

    def refuse(row):
        raise ValidationError("不行")

    with pytest.raises(ValidationError):
        fire(application, "reject", actor=people.district, comment="x", guards=[refuse],
             messages=[Message(recipients=[people.enterprise], title="不应发出")])
    assert IntakeApplication.objects.get(pk=application.pk).status == IntakeStatus.SUBMITTED
    assert (StateLog.objects.count(), AuditEvent.objects.count(), Notification.objects.count()) == before


def test_one_fire_writes_the_state_the_history_one_audit_event_and_the_inbox_together(campaign, people):
    application = submitted(campaign, people.enterprise)
    row = fire(application, "reject", actor=people.district, comment="不符合条件", detail={"note": "extra"},
               messages=lambda row: [Message(recipients=[people.enterprise],
                                             title=f"结果：{row.get_status_display()}")])
    assert row.status == IntakeStatus.REJECTED
    assert IntakeApplication.objects.get(pk=application.pk).status == IntakeStatus.REJECTED
    log = StateLog.objects.for_(application).get(transition="reject")
    assert (log.source_state, log.state, log.by, log.description) == ("submitted", "rejected", people.district,
                                                                      "不符合条件")
    [event] = AuditEvent.objects.filter(action=AuditAction.TRANSITION, object_id=str(application.public_id),
                                        detail__transition="reject")
    assert (event.detail["from"], event.detail["to"], event.detail["comment"], event.detail["note"]) == (
        "submitted", "rejected", "不符合条件", "extra")
    assert event.actor == people.district
    # The message reads the state after the change.
    assert Notification.objects.filter(recipient=people.enterprise, title="结果：未通过").count() == 1


def test_a_failing_recorder_takes_the_state_and_its_history_back(campaign, people, monkeypatch):
    application = submitted(campaign, people.enterprise)

    def broken(change):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setitem(workflow._recorders, "test.broken", broken)
    with pytest.raises(RuntimeError):
        fire(application, "reject", actor=people.district, comment="x")
    assert IntakeApplication.objects.get(pk=application.pk).status == IntakeStatus.SUBMITTED
    assert not StateLog.objects.for_(application).filter(transition="reject").exists()


def test_permission_is_refused_before_the_state_is_told(campaign, people):
    application = submitted(campaign, people.enterprise)
    fire(application, "reject", actor=people.district, comment="x")
    with pytest.raises(PermissionDenied):
        fire(application, "accept", actor=people.enterprise)  # never theirs: 403, not "already rejected"
    with pytest.raises(TransitionConflict) as conflict:
        fire(application, "accept", actor=people.district, url="/back/")
    assert conflict.value.url == "/back/"
    assert "未通过" in conflict.value.message


def test_a_comment_over_the_limit_is_refused_whoever_calls(campaign, people):
    application = submitted(campaign, people.enterprise)
    with pytest.raises(ValidationError):
        fire(application, "reject", actor=people.district, comment="长" * (COMMENT_MAX_LENGTH + 1))
    assert IntakeApplication.objects.get(pk=application.pk).status == IntakeStatus.SUBMITTED


def test_a_record_deleted_meanwhile_is_a_conflict_not_an_error(campaign, people):
    application = filled(campaign, people.enterprise)
    IntakeApplication.objects.filter(pk=application.pk).delete()
    with pytest.raises(TransitionConflict):
        fire(application, "submit", actor=people.enterprise)


def test_things_that_are_not_transitions_have_their_own_audit_actions(campaign, people):
    application = filled(campaign, people.enterprise)
    assert AuditEvent.objects.filter(object_id=str(application.public_id), action=AuditAction.CREATED).exists()
    assert not AuditEvent.objects.filter(object_id=str(application.public_id), action=AuditAction.TRANSITION).exists()
    services.intake_delete(application=application, actor=people.enterprise)
    assert AuditEvent.objects.filter(object_id=str(application.public_id), action=AuditAction.DELETED).exists()
    assert not AuditEvent.objects.filter(object_id=str(application.public_id), action=AuditAction.TRANSITION).exists()


# --- Declared actions: buttons and the action view agree with the state machine -----------------------------------


def _case(campaign, people, state):
    """An intake case in ``state`` (through the services, as people make it)."""
    if state == "new draft":
        return filled(campaign, people.enterprise)
    application = submitted(campaign, people.enterprise)
    if state == "submitted":
        return application
    if state == "accepted":
        services.intake_accept(application=application, actor=people.district)
    elif state == "rejected":
        services.intake_reject(application=application, actor=people.district, reason="不符合")
    elif state in ("returned", "draft after return"):
        services.intake_return(application=application, actor=people.district, reason="补充材料")
        if state == "draft after return":
            services.intake_reopen(application=application, actor=people.enterprise)
    elif state == "withdrawn":
        services.intake_withdraw(application=application, actor=people.enterprise)
    return IntakeApplication.objects.get(pk=application.pk)


# The intake state chart as people meet it: who sees which buttons in which state. Everyone not listed sees none.
INTAKE_BUTTONS = {
    ("new draft", "enterprise"): {"submit", "delete"},
    ("submitted", "enterprise"): {"withdraw"},
    ("submitted", "district"): {"accept", "return", "reject"},
    ("returned", "enterprise"): {"reopen"},
    ("draft after return", "enterprise"): {"submit", "withdraw"},
    ("withdrawn", "district"): {"reinstate"},
}
STATES = ["new draft", "submitted", "returned", "draft after return", "accepted", "rejected", "withdrawn"]
ROLES = ["enterprise", "enterprise_2", "district", "district_2", "city", "expert", "admin"]


@pytest.mark.parametrize("state", STATES)
def test_each_role_sees_exactly_the_actions_the_state_chart_gives_it(campaign, people, client, state):
    application = _case(campaign, people, state)
    for role in ROLES:
        user = getattr(people, role)
        expected = INTAKE_BUTTONS.get((state, role), set())
        assert INTAKE.available_slugs(application, user) == expected, (state, role)
        client.force_login(user)
        response = client.get(reverse("applications:intake_detail", args=[application.public_id]))
        if response.status_code == 404:
            assert expected == set(), (state, role)
            continue
        html = response.content.decode()
        shown = set(re.findall(rf"/intake/{application.public_id}/([a-z_]+)/\"", html)) & {
            a.url_slug for a in INTAKE.actions}
        # Submitting is done on the form page: the case page offers it as the way there (继续填报).
        if reverse("applications:intake_edit", args=[application.public_id]) in html:
            shown.add("submit")
        assert shown == expected, (state, role, shown)


@pytest.mark.parametrize("state", ["submitted", "accepted", "withdrawn"])
def test_an_action_not_offered_is_refused_by_the_action_view(campaign, people, client, state):
    application = _case(campaign, people, state)
    client.force_login(people.district)
    for action in INTAKE.actions:
        if action.url_slug in INTAKE.available_slugs(application, people.district):
            continue
        response = client.post(reverse("applications:intake_action", args=[application.public_id, action.url_slug]),
                               {"reason": "x", "accept-reason": "x", "reinstate-reason": "x"})
        assert response.status_code in (403, 409), (state, action.url_slug, response.status_code)
    assert IntakeApplication.objects.get(pk=application.pk).status == application.status


def test_a_stale_action_answers_409_in_chinese_with_a_link_back(campaign, people, client):
    application = _case(campaign, people, "submitted")
    services.intake_reject(application=application, actor=people.district, reason="先处理")
    client.force_login(people.district)
    response = client.post(reverse("applications:intake_action", args=[application.public_id, "return"]),
                           {"reason": "晚了一步"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "未通过" in html
    assert reverse("applications:intake_detail", args=[application.public_id]) in html


def test_a_registration_is_decided_through_the_declared_actions(people, client):
    pending = EnterpriseFactory(status=OrganisationStatus.PENDING)
    client.force_login(people.district)
    page = client.get(reverse("accounts:registration_detail", args=[pending.public_id])).content.decode()
    assert reverse("accounts:registration_action", args=[pending.public_id, "approve"]) in page
    assert reverse("accounts:registration_action", args=[pending.public_id, "refuse"]) in page
    response = client.post(reverse("accounts:registration_action", args=[pending.public_id, "refuse"]), {"reason": ""})
    assert response.status_code == 400  # the reason is required: the page again, nothing changed
    pending.refresh_from_db()
    assert pending.status == OrganisationStatus.PENDING
    response = client.post(reverse("accounts:registration_action", args=[pending.public_id, "approve"]))
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == OrganisationStatus.ACTIVE
    # Decided: no buttons any more, and a second approval is a conflict.
    page = client.get(reverse("accounts:registration_detail", args=[pending.public_id])).content.decode()
    assert reverse("accounts:registration_action", args=[pending.public_id, "approve"]) not in page
    assert client.post(reverse("accounts:registration_action", args=[pending.public_id, "approve"])).status_code == 409
    assert client.post(reverse("accounts:registration_action", args=[pending.public_id, "nonsense"])).status_code == 404


def test_every_declared_action_names_a_transition_of_its_model():
    for declared in workflows():
        transitions = {t.name for t in declared.model._meta.get_field(declared.state_field)
                       .get_all_transitions(declared.model)}
        for action in declared.actions:
            if action.transition:
                assert action.name in transitions, (declared.key, action.name)
            else:
                assert action.permission is not None and action.when is not None, (declared.key, action.name)


# --- Generated state diagrams ----------------------------------------------------------------------------------------


def test_the_state_diagrams_in_docs_are_current():
    call_command("workflow_diagrams", "--check")


def test_a_stale_diagram_file_fails_the_check(tmp_path):
    stale = tmp_path / "workflows.md"
    stale.write_text("# old\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("workflow_diagrams", "--check", "--output", str(stale))
    call_command("workflow_diagrams", "--output", str(stale))
    text = stale.read_text(encoding="utf-8")
    assert "submitted --> returned: return_for_changes 退回修改" in text
    call_command("workflow_diagrams", "--check", "--output", str(stale))


# --- The generic pages of a workflow without a case page of its own design ----------------------------------------


@pytest.fixture
def generic_intake(monkeypatch):
    """The intake actions declared again as a workflow with no case page of its own: what a new workflow gets."""
    declared = Workflow(key="generic_intake", model=IntakeApplication, label="入库申请（通用页面）",
                        get_for_user=INTAKE.get_for_user, detail_url=INTAKE.detail_url, actions=INTAKE.actions,
                        action_url_name="applications:intake_action")
    monkeypatch.setitem(workflow._workflows, declared.key, declared)
    return declared


def test_the_generic_buttons_show_each_allowed_action_with_its_question_and_form(campaign, people, generic_intake):
    application = submitted(campaign, people.enterprise)
    buttons = generic_intake.buttons(application, people.district)
    html = render_to_string("components/workflow_actions.html", {"buttons": buttons})
    for slug in ("accept", "return", "reject"):
        assert f'action="{reverse("applications:intake_action", args=[application.public_id, slug])}"' in html
    assert "确认不予入库？此决定不可撤销。" in html
    assert 'name="reason"' in html and 'name="accept-reason"' in html
    assert render_to_string("components/workflow_actions.html",
                            {"buttons": generic_intake.buttons(application, people.city)}).strip() == ""


def test_a_refused_form_comes_back_on_the_generic_action_page_with_what_was_typed(campaign, people, generic_intake,
                                                                                 rf):
    application = submitted(campaign, people.enterprise)
    request = rf.post("/", {"reason": "长" * (COMMENT_MAX_LENGTH + 1)})
    request.user = people.district
    request.session = {}
    request._messages = None
    response = action_view("generic_intake")(request, public_id=application.public_id, action="return")
    assert response.status_code == 400
    html = response.content.decode()
    assert "退回修改" in html and "长" * 20 in html
    assert f"最多{COMMENT_MAX_LENGTH}" in html.replace(" ", "") or str(COMMENT_MAX_LENGTH) in html
    assert IntakeApplication.objects.get(pk=application.pk).status == IntakeStatus.SUBMITTED


# --- After the outside try-out ---------------------------------------------------------------------------------------


def test_a_stale_delete_of_a_draft_submitted_meanwhile_is_a_conflict_not_a_refusal(campaign, people, client):
    application = filled(campaign, people.enterprise)
    client.force_login(people.enterprise)
    page = client.get(reverse("applications:intake_detail", args=[application.public_id])).content.decode()
    assert reverse("applications:intake_action", args=[application.public_id, "delete"]) in page
    services.intake_submit(application=application, actor=people.enterprise)  # in another tab
    response = client.post(reverse("applications:intake_action", args=[application.public_id, "delete"]))
    assert response.status_code == 409
    assert reverse("applications:intake_detail", args=[application.public_id]) in response.content.decode()
    assert IntakeApplication.objects.filter(pk=application.pk).exists()
    # Someone who may never delete it is still refused before anything is said about its state.
    client.force_login(people.district)
    assert client.post(reverse("applications:intake_action",
                               args=[application.public_id, "delete"])).status_code == 403


def test_an_action_address_opened_leads_to_the_case_and_stays_404_outside_scope(campaign, people, client):
    application = submitted(campaign, people.enterprise)
    url = reverse("applications:intake_action", args=[application.public_id, "return"])
    client.force_login(people.district)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:intake_detail", args=[application.public_id])
    assert IntakeApplication.objects.get(pk=application.pk).status == IntakeStatus.SUBMITTED
    client.force_login(people.district_2)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("reason", ["\u200b", "\u200b\u200b", " \u3000\u00a0", "\u202e", "\ufeff"])
def test_a_reason_made_of_invisible_characters_is_no_reason(campaign, people, reason):
    application = submitted(campaign, people.enterprise)
    with pytest.raises(ValidationError):
        services.intake_reject(application=application, actor=people.district, reason=reason)
    pending = EnterpriseFactory(status=OrganisationStatus.PENDING)
    with pytest.raises(ValidationError):
        account_services.registration_refuse(organisation=pending, actor=people.district, reason=reason)
    assert IntakeApplication.objects.get(pk=application.pk).status == IntakeStatus.SUBMITTED


def test_the_history_writes_each_entry_with_its_labels_its_actor_and_the_comment_escaped(campaign, people):
    from django.utils import translation

    application = submitted(campaign, people.enterprise)
    fire(application, "reject", actor=people.district, comment="<b>不符合</b> & 退回")
    entries = workflow.history(application)
    assert [entry.transition for entry in entries][-1] == "reject"
    html = entries.html
    assert f"{people.district.get_full_name()}：已提交待审核 → <strong>未通过</strong>" in html
    # An entry without a person (a sweep's) is the system's; the history is append-only, so it is made here.
    swept = workflow.History([StateLog(timestamp=entries[-1].timestamp, source_state="submitted", state="rejected",
                                       transition="reject", description="")], IntakeApplication)
    assert "系统：已提交待审核 → <strong>未通过</strong>" in swept.html
    assert '<div class="text-body-secondary">&lt;b&gt;不符合&lt;/b&gt; &amp; 退回</div>' in html
    assert f"{people.enterprise.get_full_name()}：" in html and "2026-" in html
    with translation.override("en"):
        english = swept.html
    assert "System: Submitted, pending review → <strong>Rejected</strong>" in english and "：" not in english
