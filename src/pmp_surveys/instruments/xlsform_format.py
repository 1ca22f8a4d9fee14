"""How the instrument format maps onto XLSForm (the form standard of KoboToolbox, ODK, SurveyCTO).

Shared by :mod:`.xlsform_export` and :mod:`.xlsform_import`.

* ``single`` / ``multiple`` → ``select_one LIST`` / ``select_multiple LIST``; choices: ``name`` =
  option value, ``pmp_code`` = its code (without it: the name when all names are 0–98, else 1..n).
* ``likert`` → ``select_one LIST`` with ``appearance = likert`` and the choices ``1``..``points`` in
  scale order (an ordered list; read as likert also without the appearance when the names are
  1..n and no ``pmp_code`` is given), ``dont_know`` last; ``pmp_anchor = yes`` marks anchor
  points, ``pmp_reverse = yes`` a reverse-coded item; ``pmp_quasi_identifier`` (its place in the
  list, or ``yes``) a declared quasi-identifier (disclosure control of exports).
* ``number`` → ``integer`` / ``decimal``; ``min``/``max`` → ``constraint = . >= MIN and . <= MAX``;
  ``unit`` → ``pmp_unit::LANG``.
* ``text`` → ``text``; ``max_length`` → ``constraint = string-length(.) <= N``; ``multiline`` →
  ``appearance = multiline``.
* ``label`` / ``help`` → ``label::Latviešu (lv)``, ``hint::English (en)``, … one column per language.
* ``required`` → ``required = yes`` / ``no``; ``show_if`` → ``relevant = selected(${q}, 'a') or
  selected(${q}, 'b')`` (also read: ``${q} = 'a'``).
* ``intro`` → a ``note`` named ``intro`` first in the form; ``key`` / ``version`` / ``title`` →
  settings ``form_id`` / ``version`` / ``form_title``, the title in every language in the sheet
  ``pmp_texts``.
* ``scoring`` → the sheet ``pmp_scoring``: ``id``, ``kind``, ``label::LANG``, ``description`` and
  ``spec`` (the rule's other fields as JSON).

Columns and sheets named ``pmp_*`` are ignored by pyxform and by KoboCollect / ODK Collect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .definition import LANGUAGES, Lang

#: The language part of translated column names, as KoboToolbox writes them ("Name (code)").
LANGUAGE_NAMES: dict[Lang, str] = {
    "lv": "Latviešu (lv)",
    "ru": "Русский (ru)",
    "uk": "Українська (uk)",
    "en": "English (en)",
}
_WORDS: dict[str, Lang] = {
    "latviešu": "lv",
    "latvian": "lv",
    "latviski": "lv",
    "русский": "ru",
    "russian": "ru",
    "українська": "uk",
    "ukrainian": "uk",
    "english": "en",
    "angļu": "en",
}
_CODE = re.compile(r"\((?P<code>[A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?\)\s*$")

SURVEY, CHOICES, SETTINGS, TEXTS, SCORING = "survey", "choices", "settings", "pmp_texts", "pmp_scoring"
DONT_KNOW = "dont_know"
LIKERT_APPEARANCE = "likert"

#: XLSForm types the format expresses, and those that carry paradata or identify a device/person.
SUPPORTED_TYPES = ("select_one", "select_multiple", "integer", "decimal", "text", "note")
METADATA_TYPES = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "subscriberid",
        "simserial",
        "phonenumber",
        "username",
        "email",
        "audit",
        "start-geopoint",
        "background-audio",
    }
)


def language_of(part: str) -> Lang | None:
    """The instrument language of a column's language part ("Latviešu (lv)", "English", "lv")."""
    text = part.strip()
    m = _CODE.search(text)
    if m:
        code = m["code"].lower()
        return code if code in LANGUAGES else None
    low = text.lower()
    if low in LANGUAGES:
        return low
    return _WORDS.get(low)


def column(base: str, lang: Lang) -> str:
    """The translated column name, e.g. ``label::Latviešu (lv)``."""
    return f"{base}::{LANGUAGE_NAMES[lang]}"


def number_text(value: float) -> str:
    """A number as XPath text that reads back as the same float."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


# --- relevant → show_if -----------------------------------------------------------------------

_TERM = re.compile(
    r"^\(?\s*(?:selected\(\s*\$\{(?P<q1>[A-Za-z_][\w.-]*)\}\s*,\s*(?:'(?P<v1>[^']*)'|\"(?P<w1>[^\"]*)\")\s*\)"
    r"|\$\{(?P<q2>[A-Za-z_][\w.-]*)\}\s*=\s*(?:'(?P<v2>[^']*)'|\"(?P<w2>[^\"]*)\"))\s*\)?$"
)


@dataclass(frozen=True)
class Condition:
    """A show-if: the question and the values any one of which shows the question."""

    question: str
    values: tuple[str, ...]


def render_relevant(question: str, values: list[str]) -> str:
    return " or ".join(f"selected(${{{question}}}, '{v}')" for v in values)


def parse_relevant(expression: str) -> Condition | None:
    """The show-if an XLSForm ``relevant`` expresses, or None when it is outside the subset.

    The subset: terms ``selected(${q}, 'v')`` or ``${q} = 'v'`` about one question, joined by
    ``or`` (optionally in parentheses).
    """
    text = expression.strip()
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    question: str | None = None
    values: list[str] = []
    for term in re.split(r"\s+or\s+", text):
        m = _TERM.match(term.strip())
        if m is None:
            return None
        q = m["q1"] or m["q2"]
        v = next(x for x in (m["v1"], m["w1"], m["v2"], m["w2"]) if x is not None)
        if question is not None and q != question:
            return None
        question = q
        values.append(v)
    if question is None:
        return None
    return Condition(question, tuple(values))


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if depth < 0:
            return False
    return depth == 0


# --- constraints ------------------------------------------------------------------------------

_BOUND = re.compile(r"^\(?\s*\.\s*(?P<op>>=|<=)\s*(?P<n>-?\d+(?:\.\d+)?(?:[eE]-?\d+)?)\s*\)?$")
_LENGTH = re.compile(r"^string-length\(\s*\.\s*\)\s*<=\s*(?P<n>\d+)$")


def render_number_constraint(low: float | None, high: float | None) -> str:
    parts = []
    if low is not None:
        parts.append(f". >= {number_text(low)}")
    if high is not None:
        parts.append(f". <= {number_text(high)}")
    return " and ".join(parts)


def parse_number_constraint(expression: str) -> tuple[float | None, float | None] | None:
    """(min, max) of ``. >= A and . <= B`` (either part optional), None when outside the subset."""
    low = high = None
    for term in re.split(r"\s+and\s+", expression.strip()):
        m = _BOUND.match(term.strip())
        if m is None:
            return None
        if m["op"] == ">=":
            low = float(m["n"])
        else:
            high = float(m["n"])
    return low, high


def parse_text_constraint(expression: str) -> int | None:
    """N of ``string-length(.) <= N``, None when outside the subset."""
    m = _LENGTH.match(expression.strip())
    return None if m is None else int(m["n"])
