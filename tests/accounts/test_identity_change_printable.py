"""A new company name requested from the profile becomes the name printed on the forms to be signed and stamped, so
characters the printed form cannot show are refused there too, as at registration (issue 6, item 5)."""

import pytest
from django.urls import reverse

from accounts.models import IdentityChange
from tests.factories import credit_code_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("name", "message"), [("重庆长寿一号😀新材料有限公司", "表情符号"),
                                               ("重庆长寿一号\U000f0001新材料有限公司", "无法打印")])
def test_a_new_name_the_printed_form_cannot_show_is_refused(client, people, name, message):
    client.force_login(people.enterprise)
    response = client.post(reverse("accounts:identity_change_create"), {
        "new_name": name, "new_credit_code": credit_code_for("500115", 818181), "reason": "工商变更"})
    html = response.content.decode()
    assert message in html and "“新公司名称”" in html
    assert not IdentityChange.objects.exists()


def test_a_new_name_with_a_rare_character_the_fonts_cover_is_accepted(client, people):
    client.force_login(people.enterprise)
    response = client.post(reverse("accounts:identity_change_create"), {
        "new_name": "重庆𠀀新材料有限公司", "new_credit_code": credit_code_for("500115", 818181), "reason": "工商变更"})
    assert response.status_code == 302
    assert IdentityChange.objects.get().new_name == "重庆𠀀新材料有限公司"
