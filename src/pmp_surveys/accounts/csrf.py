"""CSRF tokens for admin forms.

Signed-in forms carry HMAC(session csrf_secret, purpose); forms before sign-in (login, accepting
an invitation) use a signed double-submit cookie: a random nonce in a cookie and
HMAC(app secret, nonce) in the form.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

FIELD = "csrf_token"
LOGIN_COOKIE = "pmp_admin_pre"
_PURPOSE = b"pmp-admin-form"


def session_token(csrf_secret: bytes) -> str:
    return hmac.new(csrf_secret, _PURPOSE, hashlib.sha256).hexdigest()


def session_token_ok(csrf_secret: bytes, token: str | None) -> bool:
    if not csrf_secret or not token:
        return False
    return hmac.compare_digest(session_token(csrf_secret), token)


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def nonce_token(app_secret: bytes, nonce: str) -> str:
    return hmac.new(app_secret, b"pre:" + nonce.encode(), hashlib.sha256).hexdigest()


def nonce_token_ok(app_secret: bytes, nonce: str | None, token: str | None) -> bool:
    if not nonce or not token:
        return False
    return hmac.compare_digest(nonce_token(app_secret, nonce), token)
