"""The engine's notes in the report's language.

Notes come as codes with parameters (``note_codes``, format 1.1; see
:mod:`pmp_surveys.indicators.notes`); this module holds the Latvian text of every code (English is
the engine's own table) and renders them. A note without a code — a result written before 1.1, or
a code this version does not know — is shown in the engine's English text.
"""

from __future__ import annotations

from collections.abc import Sequence

from pmp_surveys.indicators.notes import ENGLISH, format_note
from pmp_surveys.indicators.schemas import NoteCode
from pmp_surveys.reports.strings import ReportLang, Strings

__all__ = ["LATVIAN", "MESSAGES", "note_text", "notes_text"]

LATVIAN: dict[str, str] = {
    "rule_missing": "nevienai šī viļņa anketas versijai nav noteikuma '{rule}'",
    "weighted_without_margins": "prasīta svēršana, izmantota vienkārša izlase: pašvaldības failā nav "
    "iedzīvotāju sadalījuma",
    "weighted_margins_not_single": "prasīta svēršana, izmantota vienkārša izlase: svēršanas mainīgie "
    "{variables} nav vienas izvēles jautājumi",
    "weighted_raking_impossible": "prasīta svēršana, izmantota vienkārša izlase: iteratīvā svaru kalibrēšana "
    "nav iespējama ({error})",
    "weighted_dropped": "{responses} atbildes bez svēršanas kategorijas, kurai ir iedzīvotāju skaits, nav "
    "iekļautas svērtajā novērtējumā",
    "raking_not_converged": "prasīta svēršana, izmantota vienkārša izlase: iteratīvā svaru kalibrēšana "
    "nekonverģēja (lielākā sadalījuma kļūda {error:.2g})",
    "raked": "svērts pēc iedzīvotāju sadalījumiem ({margins}); svaru Kiša dizaina efekts (1 + CV², "
    "salīdzinot ar vienkāršu gadījuma izlasi ar atkārtojumiem) {deff:.2f}",
    "raked_no_deff": "svērts pēc iedzīvotāju sadalījumiem ({margins})",
    "clustered_without_head_counts": "prasīts skolu dizains, izmantota vienkārša izlase: nevienai skolai nav "
    "izmantojama pedagogu skaita",
    "schools_without_head_count": "skolas bez izmantojama pedagogu skaita (nav norādīts vai mazāks par atbilžu "
    "skaitu): {schools}; bez galīgās populācijas korekcijas, ar vidējo svaru",
    "responses_without_school": "{responses} atbildes bez skolas veido atsevišķu slāni",
    "figures_whole_municipality": "izmantots visas pašvaldības skaitlis; skolu rindas nav ņemtas vērā",
    "figures_school_sum": "skolu rindu summa (rindas: {rows})",
    "no_responses": "{wave}. gadā atbilžu nav",
    "no_figures": "{wave}. gadam datu nav",
    "suppressed": "mazāk par {threshold} uzskaitītām atbildēm: skaitļi netiek rādīti",
    "baseline_suppressed": "bāzes grupā mazāk par {threshold} uzskaitītām atbildēm: skaitļi netiek rādīti",
    "baseline_is_wave": "bāzes vērtība ir pats izvērtējamais vilnis",
    "no_published_baseline": "plānā nav publicētas bāzes vērtības",
    "no_baseline": "plānā nav bāzes vērtības",
    "baseline_year_without_data": "bāzes gadam {year} datu nav",
    "baseline_year_without_data_fallback": "bāzes gadam {year} datu nav; salīdzināts ar {fallback}. gada bāzes vērtību",
    "no_earlier_wave": "nav neviena viļņa pirms {wave}. gada un plānā nav bāzes vērtības",
    "baseline_to_be_set": "bāzes vērtību noteiks {year}. gada vilnis: datu vēl nav",
    "target_earlier": "vērtēts pret {target_year}. gada mērķi — pēdējo, kura termiņš ir līdz {wave}. gadam",
    "target_interim": "neviena mērķa termiņš vēl nav pienācis: vērtēts pret nākamo ({target_year}. gads), "
    "starpposma skatījums",
    "scale_rule_missing": "nevienai šī viļņa anketas versijai nav skalas '{rule}'",
    "scale_design_simple": "šīs anketas skalu vidējie nav svērti (vienkārša izlase)",
    "welch_undefined": "Velča t un Hedža g nav nosakāmi: {reason}",
    "alpha_suppressed": "Kronbaha alfa: mazāk par {threshold} pilnām atbildēm, netiek rādīta",
}

MESSAGES: dict[ReportLang, dict[str, str]] = {"lv": LATVIAN, "en": ENGLISH}


class _CommaFloat(float):
    """A float that formats with a decimal comma (Latvian)."""

    def __format__(self, spec: str) -> str:
        return float.__format__(self, spec).replace(".", ",")


_FEWER = {"lv": "mazāk nekā {t}", "en": "fewer than {t}"}


def note_text(item: NoteCode, t: Strings) -> str | None:
    """The note in `t`'s language, or None for a code without a text (the caller falls back)."""
    template = MESSAGES[t.lang].get(item.code)
    if template is None:
        return None
    try:
        return format_note(
            template,
            item.params,
            fewer_than=lambda n: _FEWER[t.lang].format(t=n),
            number=_CommaFloat if t.lang == "lv" else float,
        )
    except (KeyError, ValueError, IndexError):
        return None


def notes_text(notes: Sequence[str], codes: Sequence[NoteCode], t: Strings) -> list[str]:
    """Each note in `t`'s language: from its code when the codes pair with the English notes one
    to one, else (or for a code without a text) the English note itself."""
    if len(codes) != len(notes):
        return list(notes)
    return [note_text(code, t) or english for english, code in zip(notes, codes, strict=True)]
