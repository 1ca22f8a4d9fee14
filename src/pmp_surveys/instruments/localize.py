"""Resolve an instrument's labels to one language, for the JSON API and the pages."""

from __future__ import annotations

from typing import Any

import msgspec

from .definition import LANGUAGES, Instrument, Lang, LikertQuestion
from .messages import DEFAULT_DONT_KNOW_LABEL

_TEXT_KEYS = frozenset(LANGUAGES)


def _resolve(node: Any, lang: Lang) -> Any:
    if isinstance(node, dict):
        if node.keys() == _TEXT_KEYS:
            return node[lang]
        return {k: _resolve(v, lang) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve(v, lang) for v in node]
    return node


def localize(instrument: Instrument, lang: Lang) -> dict[str, Any]:
    """The instrument as plain data with every label a string in `lang`.

    Likert questions with `dont_know = true` always get a `dont_know_label` (a default when the
    file gives none). Raises ValueError for an unsupported language.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; expected one of {LANGUAGES}")
    data: dict[str, Any] = msgspec.to_builtins(instrument)
    for q, raw in zip(instrument.questions, data["questions"], strict=True):
        if isinstance(q, LikertQuestion) and q.dont_know and q.dont_know_label is None:
            raw["dont_know_label"] = msgspec.to_builtins(DEFAULT_DONT_KNOW_LABEL)
    data["language"] = lang
    resolved: dict[str, Any] = _resolve(data, lang)
    return resolved
