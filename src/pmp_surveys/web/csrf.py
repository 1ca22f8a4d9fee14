"""Signed values for the public pages: CSRF tokens (signed double submit) and short-lived tokens.

CSRF: the browser holds a random nonce in a cookie; every form carries HMAC(secret, nonce) in a
hidden field. A forged cross-site post cannot read the cookie and cannot compute the HMAC
without the secret, so it cannot supply a matching pair. Nothing is stored server-side.

Short-lived tokens (`Signer.sign` / `Signer.unsign`) carry a value, a purpose and an expiry,
for example the access code a teacher typed, between the code page and the questionnaire.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from typing import Final

from litestar.datastructures import State

from pmp_surveys.keys import Keys
from pmp_surveys.settings import Settings

CSRF_COOKIE: Final = "pmp_csrf"
CSRF_FIELD: Final = "_csrf"


def secret_from(settings: Settings) -> bytes:
    """The pages' signing key: the "pages" sub-key of the one secret (`pmp_surveys.keys`), i.e.
    derived from `PMP_SECRET_KEY`, else from the key stored in the data folder.

    Every worker process and every restart derive the same key, so a form opened before a
    restart, or served by another worker, is accepted. Raises `OSError` if the data folder's
    key can be neither read nor created (there is no per-process fallback).
    """
    return Keys.from_settings(settings).pages


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Signer:
    """HMAC-SHA256 signatures, separated by purpose so one token never passes as another."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def mac(self, purpose: str, value: str) -> str:
        return _b64(hmac.new(self._key, f"{purpose}\x00{value}".encode(), hashlib.sha256).digest())

    def sign(self, purpose: str, value: str, *, max_age: int, now: float | None = None) -> str:
        """`value` with its expiry and signature; `value` must not contain "|"."""
        if "|" in value:
            raise ValueError("a signed value cannot contain '|'")
        expires = int((now or time.time()) + max_age)
        body = f"{value}|{expires}"
        return f"{body}|{self.mac(purpose, body)}"

    def unsign(self, purpose: str, token: str | None, *, now: float | None = None) -> str | None:
        """The value if `token` was signed for `purpose` and has not expired, else None."""
        if not token or token.count("|") != 2:
            return None
        value, expires, signature = token.split("|")
        if not hmac.compare_digest(signature, self.mac(purpose, f"{value}|{expires}")):
            return None
        if not expires.isdigit() or int(expires) < (now or time.time()):
            return None
        return value

    # --- CSRF -----------------------------------------------------------------------------

    @staticmethod
    def new_nonce() -> str:
        return secrets.token_urlsafe(24)

    def csrf_token(self, nonce: str) -> str:
        return self.mac("csrf", nonce)

    def csrf_valid(self, nonce: str | None, token: str | None) -> bool:
        if not nonce or not token or len(nonce) > 100:
            return False
        return hmac.compare_digest(token, self.csrf_token(nonce))


def signer_from(state: State) -> Signer:
    signer = state["signer"]
    assert isinstance(signer, Signer)
    return signer
