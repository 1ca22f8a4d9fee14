"""One secret: every sub-key derives from PMP_SECRET_KEY, else the data folder's stored key."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmp_surveys.keys import Keys, master_key
from pmp_surveys.settings import Settings
from pmp_surveys.web.csrf import secret_from


def test_sub_keys_come_from_one_secret(tmp_path: Path) -> None:
    configured = Settings.from_env({"PMP_SECRET_KEY": "k" * 40, "PMP_DATA_DIR": str(tmp_path)})
    keys = Keys.from_settings(configured)
    assert len({keys.pages, keys.admin_forms, keys.client_hash}) == 3  # one per purpose
    assert Keys.from_settings(configured) == keys  # the same in every process
    assert secret_from(configured) == keys.pages
    assert not (tmp_path / "secret_key").exists()  # the configured key wins

    stored = Settings.from_env({"PMP_DATA_DIR": str(tmp_path)})
    first = Keys.from_settings(stored)
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert Keys.from_settings(stored) == first != keys  # a restart derives the same keys
    assert master_key(stored) == (tmp_path / "secret_key").read_text().strip().encode()


def test_a_short_configured_key_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 32"):
        Keys.from_settings(Settings.from_env({"PMP_SECRET_KEY": "short"}))
