"""A decision on a registration or an identity change that someone else made first answers 409 with a link back to
the record, not only to the home page (issue 6 follow-up)."""

import re

import pytest
from django.urls import reverse

from accounts import services
from accounts.choices import OrganisationStatus
from tests.factories import EnterpriseFactory, credit_code_for

pytestmark = pytest.mark.django_db


def _back_link(response) -> str:
    match = re.search(r'<a class="btn btn-primary" href="([^"]+)" id="conflict-back"', response.content.decode())
    return match.group(1) if match else ""


@pytest.mark.parametrize(("action", "data"), [("registration_approve", {}), ("registration_refuse", {"reason": "迟"})])
def test_a_second_decision_on_a_registration_links_back_to_the_registration(client, people, action, data):
    pending = EnterpriseFactory(status=OrganisationStatus.PENDING, district=people.district.organisation.district)
    services.registration_approve(organisation=pending, actor=people.district)
    client.force_login(people.district)
    response = client.post(reverse(f"accounts:{action}", args=[pending.public_id]), data)
    assert response.status_code == 409
    assert _back_link(response) == reverse("accounts:registration_detail", args=[pending.public_id])


@pytest.mark.parametrize(("action", "data"), [("identity_change_approve", {}),
                                              ("identity_change_refuse", {"reason": "迟"})])
def test_a_second_decision_on_an_identity_change_links_back_to_the_request(client, people, action, data):
    change = services.identity_change_request(actor=people.enterprise, new_name="重庆长寿一号新材料有限公司",
                                              new_credit_code=credit_code_for("500115", 818181), reason="更名")
    services.identity_change_refuse(change=change, actor=people.district, reason="材料不全")
    client.force_login(people.district)
    response = client.post(reverse(f"accounts:{action}", args=[change.public_id]), data)
    assert response.status_code == 409
    assert _back_link(response) == reverse("accounts:identity_change_detail", args=[change.public_id])
    assert "返回查看该事项" in response.content.decode()
