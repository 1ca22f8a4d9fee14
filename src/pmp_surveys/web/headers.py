"""Response headers fixed in one place, for every route (ASGI `before_send` hook).

- Every HTML response carries a Content-Security-Policy (pages that set their own keep it;
  reports, error pages and anything else rendered as HTML get the strict default).
- A Content-Type never repeats a parameter: handlers that pass `text/csv; charset=utf-8`
  get Litestar's own `; charset=utf-8` appended (`text/csv; charset=utf-8; charset=utf-8`);
  the repeat is dropped here.
"""

from __future__ import annotations

from typing import Final

from litestar.types import Message, Scope

DEFAULT_CSP: Final = (
    b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

#: For self-contained documents (the mid-term report, the codebook page): their one inline
#: <style> and inline SVG charts are allowed, nothing else — no script, no fetch, no form.
SELF_CONTAINED_CSP: Final = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
)


def _dedupe_params(value: bytes) -> bytes:
    parts = [part.strip() for part in value.split(b";")]
    seen: set[bytes] = set()
    kept = [parts[0]]
    for part in parts[1:]:
        key = part.split(b"=", 1)[0].strip().lower()
        if part and key not in seen:
            seen.add(key)
            kept.append(part)
    return b"; ".join(kept)


async def fix_headers(message: Message, scope: Scope) -> None:
    """`before_send` hook: CSP on HTML, no repeated Content-Type parameters."""
    if message["type"] != "http.response.start":
        return
    headers = list(message.get("headers", []))
    names = {bytes(name).lower() for name, _ in headers}
    html = False
    for index, (name, value) in enumerate(headers):
        if bytes(name).lower() == b"content-type":
            fixed = _dedupe_params(bytes(value))
            headers[index] = (name, fixed)
            html = fixed.lower().startswith(b"text/html")
    if html and b"content-security-policy" not in names:
        headers.append((b"content-security-policy", DEFAULT_CSP))
    message["headers"] = headers
