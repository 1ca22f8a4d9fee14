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

# -- CAT: the plan (catalogue) file, /admin/plan; sources catalogue/loader.py, catalogue/rules.py,
#    plans/pages.py (CAT199, the form)
_LV.update(
    {
        "CAT100": [
            (
                r"not UTF-8 \(byte (?P<b>\d+)\)\.",
                "fails nav UTF-8 kodējumā (baits {b}).",
                r".*",
                "Saglabājiet failu UTF-8 kodējumā.",
            ),
        ],
        "CAT101": [
            (
                r"TOML syntax error: (?P<e>.*)\.",
                "TOML sintakses kļūda: {e}.",
                r".*",
                "Izlabojiet TOML šajā rindā (virknes pēdiņās, katrā rindā viens `atslēga = vērtība`).",
            ),
        ],
        "CAT102": [
            (
                r"unknown field `(?P<f>.*)`\.",
                "nezināms lauks `{f}`.",
                r".*",
                "Izdzēsiet to vai izlabojiet rakstību; atļautie lauki: analysis/catalogue.schema.json.",
            ),
        ],
        "CAT103": [
            (r"(?P<e>.*)", "{e}", r".*", "Izmantojiet tipu un vērtības, kas dotas analysis/catalogue.schema.json."),
        ],
        "CAT104": [
            (
                r"required field `(?P<f>.*)` is missing\.",
                "trūkst obligātā lauka `{f}`.",
                r".*",
                "Pievienojiet to; formāts aprakstīts analysis/README.md.",
            ),
        ],
        "CAT105": [
            (
                r"code (?P<c>.*) does not match the file name (?P<f>.*)\.",
                "kods {c} neatbilst faila nosaukumam {f}.",
                r".*",
                "Nosauciet failu <kods>.toml.",
            ),
        ],
        "CAT111": [
            (
                r"indicator code (?P<c>.*) is used twice\.",
                "rādītāja kods {c} lietots divreiz.",
                r".*",
                "Padariet to unikālu.",
            ),
        ],
        "CAT112": [
            (
                r"school code (?P<c>.*) is used (?P<n>\d+) times\.",
                "skolas kods {c} lietots {n} reizes.",
                r".*",
                "Padariet to unikālu.",
            ),
        ],
        "CAT113": [
            (
                r"a second target for (?P<y>\d+)\.",
                "otrs mērķis {y}. gadam.",
                r".*",
                "Katram gadam atstājiet vienu mērķi.",
            ),
        ],
        "CAT114": [(r"cell (?P<c>.*) is given twice\.", "šūna {c} norādīta divreiz.", r".*", "Atstājiet vienu.")],
        "CAT120": [
            (
                r"(?P<v>\S+) is not a share between 0 and 1\.",
                "{v} nav daļa starp 0 un 1.",
                r".*",
                "Procentus rakstiet kā daļas: 70 % ir 0.70.",
            ),
        ],
        "CAT121": [
            (
                r"target year (?P<y>\d+) is not after the baseline year (?P<b>\d+)\.",
                "mērķa gads {y} nav pēc bāzes gada {b}.",
                r".*",
                "Mērķiem jābūt pēc bāzes gada; pārbaudiet abus gadus pēc plāna.",
            ),
        ],
        "CAT122": [
            (
                r"(?:target )?year (?P<y>\d+) is outside the plan period (?P<a>\d+)–(?P<b>\d+)\.",
                "gads {y} ir ārpus plāna perioda {a}–{b}.",
                r".*",
                "Izmantojiet plāna perioda gadu vai izlabojiet plāna periodu.",
            ),
        ],
        "CAT123": [
            (
                r"a baseline needs either .*",
                "bāzes vērtībai vajag vai nu `value` ar `year` (publicēts skaitlis), vai `to_be_set`, ne abus.",
                r".*",
                "Rakstiet value + year vai to_be_set = <pirmā viļņa gads>; vai izlaidiet bloku.",
            ),
        ],
        "CAT124": [
            (
                r"period (?P<a>\d+)–(?P<b>\d+) with baseline year (?P<y>\d+) is inconsistent\.",
                "periods {a}–{b} ar bāzes gadu {y} ir pretrunīgs.",
                r".*",
                "period_start nedrīkst būt pēc period_end, ne baseline_year pēc period_start.",
            ),
        ],
        "CAT130": [
            (
                r"a survey indicator needs a `survey` block\.",
                "aptaujas rādītājam vajag `survey` bloku.",
                r".*",
                "Pievienojiet survey = { instrument = '<key>', rule = '<rule id>', design = 'simple' }.",
            ),
        ],
        "CAT131": [
            (
                r"an administrative indicator must not name a survey instrument\.",
                "administratīvs rādītājs nedrīkst norādīt aptaujas anketu.",
                r".*",
                "Izdzēsiet survey bloku vai iestatiet source.kind = 'survey'.",
            ),
        ],
        "CAT133": [
            (
                r"a survey reaches a sample .*",
                "aptauja aptver izlasi, ne visus: tās skaitļi nevar būt cenzs.",
                r".*",
                "Izdzēsiet `inference` vai iestatiet to uz 'sample'.",
            ),
        ],
        "CAT140": [
            (
                r"target kind (?P<k>.*) contradicts direction (?P<d>.*)\.",
                "mērķa veids {k} ir pretrunā virzienam {d}.",
                r".*",
                "Augošam rādītājam der at_least/above, krītošam at_most/below.",
            ),
        ],
        "CAT141": [
            (
                r"target (?P<t>\S+) is on the wrong side of baseline (?P<b>\S+) for (?P<d>.*)\.",
                "mērķis {t} ir nepareizajā pusē bāzes vērtībai {b} virzienam {d}.",
                r".*",
                "Pārbaudiet virzienu, bāzes vērtību un mērķi pēc plāna.",
            ),
        ],
        "CAT199": [
            (
                r"(?P<v>.*) is not a percentage\.",
                "{v} nav procenti.",
                r".*",
                "Ierakstiet skaitli no 0 līdz 100, piem., 70.",
            ),
            (r"(?P<v>.*) is not a year\.", "{v} nav gads.", r".*", "Ierakstiet gadu, piem., 2026."),
            (
                r"a target needs both its year and its value\.",
                "mērķim vajag gan gadu, gan vērtību.",
                r".*",
                "Aizpildiet abus.",
            ),
            (r"unknown kind of target\.", "nezināms mērķa veids.", r".*", "Izvēlieties no saraksta."),
            (r"nothing to change\.", "nav ko mainīt.", r".*", "Norādiet bāzes vērtību vai mērķi."),
            (r"no such indicator in the plan\.", "plānā nav šāda rādītāja.", r".*", "Izvēlieties no saraksta."),
            (
                r"no catalogue file was given .*",
                "nav dots plāna fails (vai tas nav UTF-8 teksts).",
                r".*",
                "Izvēlieties pašvaldības .toml failu (UTF-8) vai ielīmējiet tā tekstu.",
            ),
        ],
    }
)

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
