"""The one secret every signature and keyed hash derives from, and its per-purpose sub-keys.

The master key is `PMP_SECRET_KEY`, else the key stored in `<data dir>/secret_key` (created,
mode 0600, on first use, so every worker process and every restart agree on it). There is no
per-process fallback: a service that could not read or write its key would sign tokens that
another worker or the next start rejects, so it refuses to start instead (`OSError`).

Each use gets its own sub-key, HMAC-SHA256(master, "pmp-surveys/" + label) (the HKDF-Expand
step of RFC 5869 with one block), so a token made for one purpose never verifies for another and
a sub-key reveals nothing about the master or its siblings.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from pmp_surveys.settings import Settings

KEY_FILE = "secret_key"
MIN_KEY_CHARS = 32


def stored_key(data_dir: Path) -> bytes:
    """The key in `<data_dir>/secret_key`, created (0600, 48 random bytes, url-safe) if missing.

    Raises `OSError` when the folder or file cannot be made or read, `RuntimeError` when the
    file holds fewer than 32 characters. Creation uses O_EXCL, so workers starting at once agree.
    """
    path = data_dir / KEY_FILE
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    key = path.read_text().strip()
    if len(key) < MIN_KEY_CHARS:
        raise RuntimeError(f"{path} holds no usable key; delete it to have a new one made")
    return key.encode()


def master_key(settings: Settings) -> bytes:
    """`PMP_SECRET_KEY` if set (at least 32 characters), else the data folder's stored key."""
    if settings.secret_key:
        if len(settings.secret_key) < MIN_KEY_CHARS:
            raise ValueError(f"PMP_SECRET_KEY must have at least {MIN_KEY_CHARS} characters")
        return settings.secret_key.encode()
    return stored_key(settings.data_dir)


def derive(master: bytes, label: str) -> bytes:
    """The 32-byte sub-key for `label` (e.g. "pages", "admin-forms", "client-address")."""
    return hmac.new(master, b"pmp-surveys/" + label.encode(), hashlib.sha256).digest()


@dataclass(frozen=True)
class Keys:
    """The sub-keys of one service, all from one master key (see module docstring)."""

    #: respondent pages: CSRF tokens, the signed access-code cookie
    pages: bytes
    #: admin forms before sign-in (double-submit cookie) and the "known device" cookie
    admin_forms: bytes
    #: keyed hashes standing in for client addresses and e-mails in rate limits
    client_hash: bytes

    @classmethod
    def from_settings(cls, settings: Settings) -> Keys:
        master = master_key(settings)
        return cls(
            pages=derive(master, "pages"),
            admin_forms=derive(master, "admin-forms"),
            client_hash=derive(master, "client-hash"),
        )
