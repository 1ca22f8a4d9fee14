"""Settings: one frozen object, built once from an environment mapping that is passed in.

Nothing reads `os.environ` at import time; `Settings.from_env()` is called by the CLI and by
tests with the mapping they want, so two apps with different settings can live in one process.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import msgspec


def project_root() -> Path:
    """The checkout the service runs from: `PMP_HOME`, else the folder holding `surveys/`.

    The package is installed editable from `src/`, so the checkout is two levels above it; a
    non-editable install falls back to the working directory.
    """
    here = Path(__file__).resolve().parents[2]
    return here if (here / "surveys").is_dir() else Path.cwd()


def _server(raw: str) -> str:
    """PMP_SERVER: "uvicorn" or "granian"; raises ValueError otherwise."""
    if raw not in ("uvicorn", "granian"):
        raise ValueError(f"PMP_SERVER must be uvicorn or granian, got {raw!r}")
    return raw


def _networks(raw: str) -> tuple[str, ...]:
    """PMP_TRUSTED_PROXIES parsed: each entry must be an address or a CIDR (ValueError if not)."""
    import ipaddress

    entries = tuple(part.strip() for part in raw.split(",") if part.strip())
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError as exc:
            raise ValueError(f"PMP_TRUSTED_PROXIES: {entry!r} is not an address or CIDR") from exc
    return entries


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Everything configurable, with the environment variable that sets it."""

    #: PMP_DATABASE_URL — a SQLAlchemy URL (`postgresql+asyncpg://…`); empty = embedded server.
    database_url: str | None = None
    #: PMP_DATA_DIR — where the embedded PostgreSQL keeps its data and the service its secrets.
    data_dir: Path = Path(".pmp")
    #: PMP_HOST / PMP_PORT — where `serve` listens.
    host: str = "127.0.0.1"
    port: int = 8000
    #: PMP_PUBLIC_URL — base of the links printed and put in QR codes.
    public_url: str | None = None
    #: PMP_SURVEYS_DIR / PMP_CATALOGUE_DIR — the instrument files and the municipality catalogue.
    surveys_dir: Path = Path("surveys")
    catalogue_dir: Path = Path("analysis")
    migrations_dir: Path = Path("migrations")
    #: PMP_SECRET_KEY — signs sessions and CSRF tokens; generated into the data dir when unset.
    secret_key: str | None = None
    #: PMP_SUPPRESSION_THRESHOLD — no figure for a group under this many respondents leaves.
    suppression_threshold: int = 5
    #: PMP_MAX_BODY_BYTES — larger request bodies are refused with 413.
    max_body_bytes: int = 64 * 1024
    #: PMP_SUBMIT_RATE — public submissions allowed per client per minute (0 = unlimited).
    submit_rate_per_minute: int = 30
    #: PMP_DB_POOL_SIZE — connections the service keeps open.
    db_pool_size: int = 10
    #: PMP_EXPORT_POOL_SIZE — connections for exports, apart from the others (downloads at once).
    export_pool_size: int = 2
    #: PMP_REPORT_POOL_SIZE — connections for reports and evaluations, apart from the others
    #: (at most this many are built at once per worker; the next wait for one).
    report_pool_size: int = 2
    #: PMP_SECURE_COOKIES — set the Secure flag on cookies (on behind HTTPS).
    secure_cookies: bool = False
    #: PMP_TRUSTED_PROXIES — comma-separated addresses/CIDRs whose X-Forwarded-For is believed.
    trusted_proxies: tuple[str, ...] = ()
    #: PMP_WORKERS — worker processes `serve` runs (each with its own pools).
    workers: int = 1
    #: PMP_SERVER — the ASGI server `serve` runs: "uvicorn" (default) or "granian".
    server: str = "uvicorn"

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, root: Path | None = None) -> Settings:
        """Build settings from `env` (default: the process environment), paths under `root`."""
        env = os.environ if env is None else env
        root = root or Path(env.get("PMP_HOME") or project_root())

        def path(name: str, default: str) -> Path:
            value = Path(env.get(name) or default)
            return value if value.is_absolute() else root / value

        def integer(name: str, default: int) -> int:
            raw = env.get(name)
            if raw in (None, ""):
                return default
            try:
                return int(raw)
            except ValueError as exc:
                raise ValueError(f"{name} must be a whole number, got {raw!r}") from exc

        return cls(
            database_url=env.get("PMP_DATABASE_URL") or None,
            data_dir=path("PMP_DATA_DIR", ".pmp"),
            host=env.get("PMP_HOST") or "127.0.0.1",
            port=integer("PMP_PORT", 8000),
            public_url=env.get("PMP_PUBLIC_URL") or None,
            surveys_dir=path("PMP_SURVEYS_DIR", "surveys"),
            catalogue_dir=path("PMP_CATALOGUE_DIR", "analysis"),
            migrations_dir=path("PMP_MIGRATIONS_DIR", "migrations"),
            secret_key=env.get("PMP_SECRET_KEY") or None,
            suppression_threshold=integer("PMP_SUPPRESSION_THRESHOLD", 5),
            max_body_bytes=integer("PMP_MAX_BODY_BYTES", 64 * 1024),
            submit_rate_per_minute=integer("PMP_SUBMIT_RATE", 30),
            db_pool_size=integer("PMP_DB_POOL_SIZE", 10),
            export_pool_size=integer("PMP_EXPORT_POOL_SIZE", 2),
            report_pool_size=integer("PMP_REPORT_POOL_SIZE", 2),
            secure_cookies=(env.get("PMP_SECURE_COOKIES", "").lower() in {"1", "true", "yes"}),
            trusted_proxies=_networks(env.get("PMP_TRUSTED_PROXIES", "")),
            workers=integer("PMP_WORKERS", 1),
            server=_server(env.get("PMP_SERVER") or "uvicorn"),
        )

    def with_database(self, url: str) -> Settings:
        return msgspec.structs.replace(self, database_url=url)
