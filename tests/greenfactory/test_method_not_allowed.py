"""A form's address opened in the browser answers 405 with a Chinese page and a way back (the second outside try-out
found the browser's empty error page on the campaign, scan, account and inbox forms)."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]


def test_a_form_address_opened_is_a_chinese_page_with_the_allowed_method(client, people, campaign):
    client.force_login(people.city)
    for url in (reverse("applications:campaign_extend", args=[campaign.public_id]),
                reverse("applications:campaign_close", args=[campaign.public_id]),
                reverse("accounts:inbox_mark_read"), reverse("accounts:email_preferences")):
        response = client.get(url)
        assert response.status_code == 405, url
        assert response["Allow"] == "POST", url
        html = response.content.decode()
        assert "这个地址只接受页面上的表单提交，不能直接打开" in html, url
        assert f'href="{reverse("home")}"' in html


def test_signing_out_by_get_is_still_refused(client, people):
    client.force_login(people.enterprise)
    assert client.get(reverse("accounts:logout")).status_code == 405
