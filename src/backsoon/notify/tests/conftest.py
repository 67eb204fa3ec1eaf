import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from backsoon.notify import vapid
from backsoon.notify.tests.mailserver import MailServer
from backsoon.notify.tests.receivers import JsonReceiver, PushService

SERVER_KEY = ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(autouse=True)
def _outbox_backend(settings):
    # pytest-django swaps in the memory backend; these tests are about the real path.
    settings.EMAIL_BACKEND = "backsoon.notify.outbox.OutboxEmailBackend"


@pytest.fixture(autouse=True)
def _push_settings(settings):
    """One VAPID key pair for the run, and the local push service allowed as an endpoint."""
    settings.VAPID_PRIVATE_KEY = vapid.to_pem(SERVER_KEY)
    settings.VAPID_PUBLIC_KEY = vapid.public_key_of(SERVER_KEY)
    settings.VAPID_SUBJECT = "mailto:admin@example.org"
    settings.WEBPUSH_SERVICE_HOSTS = ["127.0.0.1"]
    settings.WEBPUSH_ALLOW_HTTP = True
    settings.NOTIFY_CHANNEL_TIMEOUT_SECONDS = 2


@pytest.fixture
def mail_server(settings):
    """A real SMTP server on a free port, and EMAIL_URL pointing at it."""
    server = MailServer().start()
    settings.EMAIL_URL = server.url
    yield server
    server.stop()


@pytest.fixture
def push_service(settings):
    service = PushService(settings.VAPID_PUBLIC_KEY).start()
    yield service
    service.stop()


@pytest.fixture
def json_receiver():
    receiver = JsonReceiver().start()
    yield receiver
    receiver.stop()
