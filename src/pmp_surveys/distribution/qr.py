"""QR codes of survey links, as SVG (print) and PNG (slides, social media)."""

from __future__ import annotations

import io

import segno


def _code(url: str) -> segno.QRCode:
    # Medium error correction survives a crumpled poster; the URL is short, so the code stays small.
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str, *, scale: int = 8) -> bytes:
    out = io.BytesIO()
    _code(url).save(out, kind="svg", scale=scale, border=4, title=url, xmldecl=True)
    return out.getvalue()


def qr_inline_svg(url: str, *, scale: int = 3) -> str:
    """An `<svg>` element to embed in HTML (no XML declaration), labelled for screen readers."""
    out = io.BytesIO()
    _code(url).save(out, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True, title=url, nl=False)
    return out.getvalue().decode()


def qr_png(url: str, *, scale: int = 10) -> bytes:
    out = io.BytesIO()
    _code(url).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
