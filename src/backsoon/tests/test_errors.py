from django.db import OperationalError, ProgrammingError, connection
from django.test import Client, RequestFactory

from backsoon.middleware import DatabaseBusyMiddleware


def test_an_unknown_host_gets_a_helpful_page_not_a_bare_400(db, settings):
    settings.ALLOWED_HOSTS = ["backsoon.example.org"]
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="192.168.1.20:8000")
    assert response.status_code == 400
    assert "BACKSOON_URL" in response.content.decode()


def test_any_address_works_when_no_public_url_is_set(db, client):
    assert client.get("/", HTTP_HOST="192.168.1.20:8000").status_code == 200


def test_plain_http_on_the_network_explains_https(db, client):
    html = client.get("/", HTTP_HOST="192.168.1.20:8000").content.decode()
    assert "plain http" in html
    assert "plain http" not in client.get("/", HTTP_HOST="127.0.0.1:8000").content.decode()


def test_a_locked_database_answers_503_with_a_retry_hint(db):
    request = RequestFactory().get("/")
    middleware = DatabaseBusyMiddleware(lambda r: None)
    response = middleware.process_exception(request, OperationalError("database is locked"))
    assert response.status_code == 503 and response["Retry-After"] == "5"
    # A bug is not a busy database: it stays a 500 (and gets logged).
    assert middleware.process_exception(request, ProgrammingError("no such column")) is None
    if connection.vendor == "sqlite":
        assert middleware.process_exception(request, OperationalError("no such table")) is None
    else:  # PostgreSQL's OperationalError is a broken connection: the next request reconnects
        lost = middleware.process_exception(request, OperationalError("server closed"))
        assert lost.status_code == 503 and lost["Retry-After"] == "5"


def test_pages_carry_a_strict_content_security_policy(db, client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
