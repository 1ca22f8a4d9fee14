"""Find English words and variable ids in text meant to be Latvian (issue #11).

``ENGLISH`` is the list we keep: words that have turned up (or would) in the Latvian report,
XLSX or codebook when a string was not translated. Proper names of methods are written the
Latvian way (Vilsona, Ņūkomba, Korna–Graubarda), so "wilson", "newcombe" are English here too.
Words that are also Latvian ("no" = from, "tests", "Codes" — a place name) are not in the list.
"""

from __future__ import annotations

import re
from html import unescape

ENGLISH: frozenset[str] = frozenset(
    (
        "the",
        "and",
        "of",
        "with",
        "vs",
        "versus",
        "score",
        "scores",
        "test",
        "weighted",
        "unweighted",
        "simple",
        "pooled",
        "sample",
        "samples",
        "interval",
        "intervals",
        "design",
        "designs",
        "baseline",
        "target",
        "targets",
        "achieved",
        "published",
        "estimate",
        "estimates",
        "raking",
        "raked",
        "teachers",
        "teacher",
        "parents",
        "parent",
        "residents",
        "survey",
        "surveys",
        "response",
        "responses",
        "figures",
        "census",
        "missing",
        "fallback",
        "asked",
        "used",
        "none",
        "wilson",
        "newcombe",
        "binomial",
        "one-sample",
        "two-sample",
        "against",
        "value",
        "values",
        "question",
        "questions",
        "label",
        "labels",
        "answer",
        "answers",
        "single",
        "multiple",
        "likert",
        "scale",
        "scales",
        "number",
        "numbers",
        "text",
        "rating",
        "required",
        "optional",
        "options",
        "option",
        "variable",
        "variables",
        "type",
        "code",
        "shown",
        "blank",
        "yes",
        "true",
        "false",
        "null",
        "nan",
    )
)

#: snake_case variable ids and kebab-case instrument keys, as they would leak into visible text.
VARIABLE_ID = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b[a-z]+(?:-[a-z]+){2,}\b")
_WORD = re.compile(r"[A-Za-zĀ-ž][A-Za-zĀ-ž'’-]*")
_TAG = re.compile(r"<[^>]+>")


def visible_text(html: str) -> str:
    """The text a reader sees: no <style>, no tags, without the bibliography (English titles)
    and without passages marked lang="en"."""
    html = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    html = re.sub(r'<ol class="refs">.*?</ol>', " ", html, flags=re.S)
    html = re.sub(r'<(\w+)[^>]*\blang="en"[^>]*>.*?</\1>', " ", html, flags=re.S)
    return " ".join(unescape(_TAG.sub(" ", html)).split())


def english_words(text: str) -> list[str]:
    return sorted({w for w in _WORD.findall(text) if w.lower() in ENGLISH})


def variable_ids(text: str) -> list[str]:
    return sorted(set(VARIABLE_ID.findall(text)))
