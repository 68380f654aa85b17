"""The portal's production settings for the benchmark server: only the URLconf (the portal's + the two reference
views) and what plain HTTP on loopback needs are changed."""

from greenfactory.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# gunicorn answers on 127.0.0.1 over plain HTTP: no redirect to HTTPS, cookies sent without TLS.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# "testserver": the driver's in-process client counts each page's queries with the same settings.
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# The benchmark asks from one address: certificate verification's per-address limit would answer 429 after 30.
TITLE_VERIFY_RATE = "1000000/m"
