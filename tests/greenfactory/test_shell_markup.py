"""The chrome of every page written in Python (greenfactory.shell.Shell): the top bar with the user, the language
switch with the CSRF token and the page to come back to, the messages (escaped unless marked safe), the demo banner,
the footer with the request id, and the public pages' own top bar."""

import re

import pytest
from django.contrib import messages
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import override

from greenfactory.shell import Shell

pytestmark = pytest.mark.django_db


def _top_bar(html):
    return html.split('<header class="navbar', 1)[1].split("</header>", 1)[0]


def test_the_top_bar_names_the_user_and_unit_escaped(client, people):
    people.enterprise.full_name = '<b>张"三</b>'
    people.enterprise.save(update_fields=["full_name"])
    client.force_login(people.enterprise)
    bar = _top_bar(client.get(reverse("accounts:profile")).content.decode())
    assert '<span class="portal-user-name">&lt;b&gt;张&quot;三&lt;/b&gt;</span>' in bar
    organisation = people.enterprise.organisation
    assert f'<span class="portal-user-meta">企业 · {organisation.name}</span>' in bar
    assert f'href="{reverse("accounts:inbox")}"' in bar and f'action="{reverse("accounts:logout")}"' in bar


def test_the_logout_and_language_forms_carry_a_working_csrf_token(client, people):
    client.force_login(people.district)
    client.handler.enforce_csrf_checks = True
    html = client.get(reverse("accounts:profile") + "?a=1&b=%22x%22").content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', _top_bar(html))
    assert len(tokens) == 2
    # The page to come back to, escaped inside the attribute.
    assert '<input type="hidden" name="next" value="/accounts/profile/?a=1&amp;b=%22x%22">' in html
    response = client.post(reverse("set_language"), {"csrfmiddlewaretoken": tokens[1], "language": "en",
                                                     "next": reverse("accounts:profile")})
    assert response.status_code == 302
    assert 'lang="en"' in client.get(reverse("accounts:profile")).content.decode()


def test_the_chrome_speaks_the_users_language(client, people):
    client.force_login(people.district)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("accounts:profile"), headers={"accept-language": "en"}).content.decode()
    bar = _top_bar(html)
    assert "</i> Log out</button>" in bar and "退出" not in bar
    assert '<option value="en" lang="en" selected>English</option>' in bar
    assert '<option value="zh-hans" lang="zh-hans">简体中文</option>' in bar


def test_a_message_is_escaped_unless_marked_safe():
    request = RequestFactory().get("/")
    request.session = {}
    from django.contrib.messages.storage.fallback import FallbackStorage

    request._messages = FallbackStorage(request)
    messages.error(request, "<script>x</script>")
    messages.success(request, mark_safe("<strong>已保存</strong>"))  # noqa: S308  (a test of safe text)
    with override("zh-hans"):
        html = Shell(request).messages
    assert '<div class="alert alert-danger alert-dismissible fade show" role="alert">' in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>" not in html
    assert '<i class="bi bi-check-circle me-1" aria-hidden="true"></i>\n    <strong>已保存</strong>' in html
    assert 'role="status"' in html


def test_no_messages_no_markup():
    request = RequestFactory().get("/")
    assert Shell(request).messages == ""


@override_settings(DEMO_LOGIN_ENABLED=True)
def test_the_demo_banner_only_when_demo_logins_are_on(client, people):
    client.force_login(people.district)
    assert "portal-demo-banner" in client.get(reverse("accounts:profile")).content.decode()
    with override_settings(DEMO_LOGIN_ENABLED=False):
        assert "portal-demo-banner" not in client.get(reverse("accounts:profile")).content.decode()


def test_the_footer_shows_the_request_id(client, people):
    client.force_login(people.district)
    response = client.get(reverse("accounts:profile"))
    html = response.content.decode()
    request_id = response.headers.get("X-Request-ID")
    assert request_id
    assert f'<small class="portal-request-id text-body-secondary">请求编号 {request_id}</small>' in html


def test_an_anonymous_page_offers_the_login_and_the_public_links(client):
    html = client.get(reverse("applications:campaign_notices")).content.decode()
    bar = _top_bar(html)
    for name in ("applications:campaign_notices", "accounts:login", "accounts:register"):
        assert f'href="{reverse(name)}"' in bar
    assert "csrfmiddlewaretoken" in bar  # the language switch
    assert "portal-user-name" not in bar


def test_a_signed_in_user_on_a_public_page_is_offered_the_way_back(client, people):
    client.force_login(people.enterprise)
    bar = _top_bar(client.get(reverse("applications:campaign_notices")).content.decode())
    home = reverse("home")
    assert f'<a class="nav-link" href="{home}"><i class="bi bi-house" aria-hidden="true"></i> 返回工作台</a>' in bar
    assert f'href="{reverse("accounts:login")}"' not in bar
