import pytest

from backsoon.notify.tests.mailserver import MailServer


@pytest.fixture(autouse=True)
def _outbox_backend(settings):
    # pytest-django swaps in the memory backend; these tests are about the real path.
    settings.EMAIL_BACKEND = "backsoon.notify.outbox.OutboxEmailBackend"


@pytest.fixture
def mail_server(settings):
    """A real SMTP server on a free port, and EMAIL_URL pointing at it."""
    server = MailServer().start()
    settings.EMAIL_URL = server.url
    yield server
    server.stop()
