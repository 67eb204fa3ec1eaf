"""allauth adapters: who may sign up, the client's address, and secrets kept encrypted."""

from __future__ import annotations

import base64
import hashlib
import hmac

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.forms import AuthenticateWebAuthnForm
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from backsoon.households.services import signup_open

ENCRYPTED_PREFIX = "fernet:"


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "That's a lot of tries in a short time. Please wait a few minutes, then try again."
        ),
    }

    def is_open_for_signup(self, request) -> bool:
        return signup_open(request)

    def get_client_ip(self, request) -> str:
        """The address our own proxies saw: the Nth entry from the right of X-Forwarded-For.

        allauth gives up (a 500) when the header is shorter than the proxy count, which
        only happens when a request skipped a proxy; its own peer address is then the
        only one we can trust.
        """
        count = settings.ALLAUTH_TRUSTED_PROXY_COUNT
        forwarded = request.headers.get("x-forwarded-for", "")
        if count and len(forwarded.split(",")) < count:
            return request.META["REMOTE_ADDR"]
        return super().get_client_ip(request)


def _fernet(secret_key: str) -> Fernet:
    # A key of its own, so the TOTP secrets' key is never the one that signs cookies.
    derived = hmac.new(secret_key.encode(), b"backsoon.mfa.secrets", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


def _ciphers() -> MultiFernet:
    # SECRET_KEY_FALLBACKS keep working while a rotated key settles in.
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(key) for key in keys])


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and the recovery codes' seed are stored encrypted, never in the clear."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "unverified_email": _(
            "Please confirm your email address first: it's how we can reach you if you "
            "lose your phone."
        ),
        "incorrect_code": _("That code didn't work. Try the one your app shows now."),
    }

    def generate_authenticator_name(self, user, type: Authenticator.Type) -> str:
        count = Authenticator.objects.filter(user_id=user.pk, type=type).count()
        if count == 0:
            return str(_("Security key"))
        return str(_("Security key %(number)s") % {"number": count + 1})

    def encrypt(self, text: str) -> str:
        return ENCRYPTED_PREFIX + _ciphers().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(ENCRYPTED_PREFIX):
            raise ValueError("An MFA secret is stored without encryption.")
        token = encrypted_text.removeprefix(ENCRYPTED_PREFIX).encode()
        try:
            return _ciphers().decrypt(token).decode()
        except InvalidToken:
            raise ValueError(
                "An MFA secret cannot be decrypted: SECRET_KEY is not the key it was made with."
            ) from None


class KeyAwareWebAuthnForm(AuthenticateWebAuthnForm):
    """The login's second step offers a security key only to someone who has one."""

    @property
    def has_keys(self) -> bool:
        return Authenticator.objects.filter(
            user=self.user, type=Authenticator.Type.WEBAUTHN
        ).exists()
