"""The pure access rules and token helpers, without HTTP."""

from __future__ import annotations

import pytest

from pmp_surveys.accounts import csrf
from pmp_surveys.accounts.access import CurrentUser, require_evaluator, require_municipality, require_school
from pmp_surveys.accounts.passwords import hash_password, password_problem, verify_password
from pmp_surveys.admin.rendering import safe_next
from pmp_surveys.errors import Forbidden, NotFound

OPERATOR = CurrentUser(id=1, email="o@x.lv", name="O", role="operator", municipality=None, school_id=None)
EVALUATOR = CurrentUser(id=2, email="e@x.lv", name="E", role="evaluator", municipality="riga", school_id=None)
COORDINATOR = CurrentUser(id=3, email="c@x.lv", name="C", role="coordinator", municipality="riga", school_id=7)


def test_municipality_isolation() -> None:
    require_municipality(OPERATOR, "bauska")
    require_municipality(EVALUATOR, "riga")
    with pytest.raises(NotFound):
        require_municipality(EVALUATOR, "bauska")
    with pytest.raises(NotFound):
        require_evaluator(EVALUATOR, "bauska")
    with pytest.raises(Forbidden):
        require_evaluator(COORDINATOR, "riga")
    require_school(COORDINATOR, "riga", 7)
    with pytest.raises(NotFound):
        require_school(COORDINATOR, "riga", 8)
    with pytest.raises(NotFound):
        require_school(COORDINATOR, "bauska", 7)
    require_school(EVALUATOR, "riga", 8)


def test_csrf_tokens() -> None:
    secret, other = b"s" * 32, b"t" * 32
    token = csrf.session_token(secret)
    assert csrf.session_token_ok(secret, token)
    assert not csrf.session_token_ok(other, token)
    assert not csrf.session_token_ok(secret, None)
    assert not csrf.session_token_ok(b"", token)
    nonce = csrf.new_nonce()
    assert csrf.nonce_token_ok(b"app", nonce, csrf.nonce_token(b"app", nonce))
    assert not csrf.nonce_token_ok(b"app", nonce, csrf.nonce_token(b"other", nonce))
    assert not csrf.nonce_token_ok(b"app", None, csrf.nonce_token(b"app", nonce))


def test_passwords_are_argon2id() -> None:
    stored = hash_password("a long password")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "a long password")
    assert not verify_password(stored, "a long passwore")
    assert not verify_password(None, "a long password")
    assert not verify_password("not a hash", "x")
    assert password_problem("short") is not None
    assert password_problem("x" * 300) is not None
    assert password_problem("just right here") is None


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/admin/schools", "/admin/schools"),
        ("//evil.example", "/admin"),
        ("https://evil.example/admin", "/admin"),
        ("/admin\\@evil", "/admin"),
        ("/s/abc", "/admin"),
        (None, "/admin"),
    ],
)
def test_next_targets_stay_local(target: str | None, expected: str) -> None:
    assert safe_next(target) == expected
