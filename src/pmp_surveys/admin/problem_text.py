"""Latvian for the service's file problems (ADM… figure rows, CAT… plan files) on admin pages.

The catalogue writes each problem in English for the CLI and logs; an admin page shows it in the
admin's language. Each entry matches the English message (and fix) of one code and gives the Latvian
with the same values; a message that no entry matches stays English, code beside it. Source of the
English: ``catalogue/admin_figures.py`` and ``catalogue/errors.py``.
"""

from __future__ import annotations

import re
from typing import Protocol

__all__ = ["problem_text"]


class _Problem(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def fix(self) -> str: ...


_HEADER_FIX_LV = "Pirmajai rindai jābūt: municipality,indicator,year,numerator,denominator[,school]"

#: code -> [(English message pattern, Latvian message, English fix pattern, Latvian fix)];
#: the Latvian texts use the patterns' named groups.
_LV: dict[str, list[tuple[str, str, str, str]]] = {
    "ADM200": [
        (
            r"the file is not UTF-8 \(byte (?P<b>\d+)\)\.",
            "fails nav UTF-8 kodējumā (baits {b}).",
            r".*",
            "Saglabājiet to kā UTF-8 CSV.",
        ),
        (r"the file is empty or has no header\.", "fails ir tukšs vai tam nav virsrindas.", r".*", _HEADER_FIX_LV),
    ],
    "ADM201": [(r"header: (?P<d>.*)", "virsrinda: {d}", r".*", _HEADER_FIX_LV)],
    "ADM202": [
        (
            r"(?P<n>\d+) fields for (?P<m>\d+) columns\.",
            "{n} vērtības {m} kolonnām.",
            r"Give one value per header column, separated by (?P<d>.*)\.",
            "Norādiet vienu vērtību katrai virsrindas kolonnai, atdalot ar {d}.",
        ),
    ],
    "ADM215": [
        (
            r"(?P<v>.*) is not the municipality being edited \((?P<o>.*)\)\.",
            "{v} nav rediģējamā pašvaldība ({o}).",
            r"Remove the row, or write (?P<o>.*)\.",
            "Izdzēsiet rindu vai ierakstiet {o}.",
        ),
    ],
    "ADM230": [
        (
            r"same municipality, indicator, year and school as row (?P<r>\d+)\.",
            "tā pati pašvaldība, rādītājs, gads un skola kā {r}. rindā.",
            r".*",
            "Atstājiet vienu rindu katram (pašvaldība, rādītājs, gads, skola).",
        ),
    ],
    "ADM220": [
        (
            r"(?P<v>.*) is not a whole number ≥ 0\.",
            "{v} nav vesels skaitlis ≥ 0.",
            r".*",
            "Ierakstiet skaitu, piemēram, 42, bez decimāldaļas.",
        ),
    ],
    "ADM210": [
        (
            r"unknown municipality (?P<v>.*)\.",
            "nezināma pašvaldība {v}.",
            r"Use one of: (?P<k>.*)\.",
            "Izmantojiet kādu no: {k}.",
        ),
    ],
    "ADM211": [
        (
            r"(?P<m>\S+) has no indicator (?P<v>.*)\.",
            "{m} nav rādītāja {v}.",
            r"Use one of: (?P<k>.*)\.",
            "Izmantojiet kādu no: {k}.",
        ),
    ],
    "ADM212": [
        (
            r"(?P<i>\S+) is measured by the (?P<s>.*) survey, not imported\.",
            "{i} mēra ar aptauju {s}, to neimportē.",
            r"Remove the row; administrative indicators are: (?P<k>.*)\.",
            "Izdzēsiet rindu; administratīvie rādītāji ir: {k}.",
        ),
    ],
    "ADM213": [
        (
            r"(?P<m>\S+) has no school (?P<v>.*)\.",
            "{m} nav skolas {v}.",
            r".*",
            "Izmantojiet skolas kodu no analysis/municipalities/<kods>.toml vai atstājiet tukšu.",
        ),
    ],
    "ADM223": [
        (
            r"(?P<v>.*) is not a year in (?P<a>\d+)–(?P<b>\d+)\.",
            "{v} nav gads no {a} līdz {b}.",
            r".*",
            "Ierakstiet, piemēram, 2026.",
        ),
    ],
    "ADM222": [
        (r"the denominator is 0\.", "saucējs ir 0.", r".*", "Norādiet skolēnu, skolu vai pedagogu skaitu."),
    ],
    "ADM221": [
        (
            r"numerator (?P<n>\d+) exceeds denominator (?P<d>\d+)\.",
            "skaitītājs {n} pārsniedz saucēju {d}.",
            r".*",
            "Pārbaudiet, vai kolonnas nav samainītas vietām.",
        ),
    ],
}

_HEADER_WORDS = (("missing ", "trūkst "), ("unknown ", "nezināmas "), ("repeated ", "atkārtotas "))


def problem_text(lang: str, problem: _Problem) -> tuple[str, str]:
    """(message, fix) of a problem in `lang` ("lv" or "en"); English when no Latvian entry matches."""
    if lang != "lv":
        return problem.message, problem.fix
    for message_re, message_lv, fix_re, fix_lv in _LV.get(problem.code, []):
        m = re.fullmatch(message_re, problem.message, re.DOTALL)
        f = re.fullmatch(fix_re, problem.fix, re.DOTALL)
        if m is None or f is None:
            continue
        values = {**f.groupdict(), **m.groupdict()}
        if problem.code == "ADM201":
            for en, lv in _HEADER_WORDS:
                values["d"] = values["d"].replace(en, lv)
        return message_lv.format(**values), fix_lv.format(**values)
    return problem.message, problem.fix
