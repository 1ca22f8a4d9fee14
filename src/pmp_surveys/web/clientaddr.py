"""The client's address, believing `X-Forwarded-For` only from configured proxies.

With `PMP_TRUSTED_PROXIES` empty (the default) the address is the TCP peer's. When the peer is
one of the trusted networks, the `X-Forwarded-For` chain is read from the right, skipping
trusted hops; the first untrusted hop is the client (a client cannot forge its way past the
proxy, which appends the address it saw). Used only for rate limiting, as a keyed hash.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from litestar.connection import ASGIConnection

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=16)
def _parsed(trusted: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in trusted)


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_ip(peer: str | None, forwarded_for: str | None, trusted: tuple[str, ...]) -> str:
    """The client address from the peer and the X-Forwarded-For header ("unknown" if none)."""
    peer = peer or "unknown"
    networks = _parsed(trusted)
    if not networks or not forwarded_for or not _is_trusted(peer, networks):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, networks):
            return hop[:64]
    return hops[0][:64] if hops else peer


def client_address(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """`client_ip` for a request, with the app's `trusted_proxies` setting."""
    from pmp_surveys.web.context import context_from

    trusted = context_from(connection.app.state).settings.trusted_proxies
    peer = connection.client.host if connection.client else None
    return client_ip(peer, connection.headers.get("x-forwarded-for"), trusted)
