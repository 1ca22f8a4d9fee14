"""What the respondent pages keep for a browser between requests: the form key and carried answers.

Form key: every questionnaire carries a submission key (the idempotency key of the JSON API).
The pages remember it in a cookie scoped to the campaign (`/s/{slug}`), signed with the app's
secret (`web.csrf.Signer`), so that the same browser gets the *same* key back on every visit —
after Back from the thank-you page too — and a second submit replays instead of storing a second
response. A browser whose key is already stored is told so; "answer again" (a deliberate post,
for a tablet passed round a group) issues a new key.

Carried answers: a form whose submission failed for a reason that is not the respondent's (an
expired access-code cookie, a closed or busy server) is handed back as hidden fields, so that a
second post carries every answer again; `carried_fields` chooses what is carried.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any, Final

from litestar import Request
from litestar.datastructures import Cookie

from pmp_surveys.web.csrf import CSRF_FIELD, Signer
from pmp_surveys.web.html_errors import POSTED_FORM, TYPED_TEXTS

__all__ = [
    "KEY_COOKIE",
    "KEY_FIELD",
    "POSTED_FORM",
    "TYPED_TEXTS",
    "carried_fields",
    "key_cookie",
    "new_key",
    "remembered_key",
]

#: The cookie holding the signed form key; one per campaign (path `/s/{slug}`).
KEY_COOKIE: Final = "pmp_form"
#: Long enough for any fieldwork period.
KEY_MAX_AGE: Final = 400 * 24 * 3600
KEY_FIELD: Final = "_key"
#: Fields never carried to another form: its own token is issued fresh.
NOT_CARRIED: Final = frozenset({CSRF_FIELD, "code"})


def _key_purpose(slug: str) -> str:
    return f"form-key:{slug}"


def new_key() -> str:
    """A fresh submission key: 24 URL-safe characters (144 random bits)."""
    return secrets.token_urlsafe(18)


def remembered_key(request: Request[Any, Any, Any], signer: Signer, slug: str) -> str | None:
    """The key this browser was given for `slug`, if its cookie is present, signed and unexpired."""
    return signer.unsign(_key_purpose(slug), request.cookies.get(KEY_COOKIE))


def key_cookie(signer: Signer, slug: str, key: str, *, secure: bool) -> Cookie:
    """The cookie remembering `key` for this campaign only (path `/s/{slug}`)."""
    return Cookie(
        key=KEY_COOKIE,
        value=signer.sign(_key_purpose(slug), key, max_age=KEY_MAX_AGE),
        path=f"/s/{slug}",
        max_age=KEY_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=secure,
    )


def carried_fields(form: dict[str, list[str]] | Any, *, drop: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(name, value) pairs of a posted form to send again as hidden fields, in posted order;
    without the CSRF token, the typed access code and `drop`."""
    skip = NOT_CARRIED | set(drop)
    return [(name, value) for name, values in form.items() if name not in skip for value in values]
