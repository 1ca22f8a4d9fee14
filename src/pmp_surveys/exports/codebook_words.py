"""The codebook's own words (headings, notes, rule definitions, type names) in Latvian and English.

Russian and Ukrainian fall back to English until translated. Latvian statistical terms as in
the report (:data:`pmp_surveys.reports.strings.METHOD_NAMES`: Central Statistical Bureau of
Latvia usage): "nominālā / kārtas / intervālu skala", "lietotāja noteikts trūkstošs kods" (SPSS
user-missing value).
"""

from __future__ import annotations

from pmp_surveys.instruments.definition import Lang

__all__ = ["TEXT", "word"]

TEXT: dict[str, dict[str, str]] = {
    "codebook": {"lv": "kodu grāmata", "en": "codebook"},
    "instrument": {"lv": "Anketa", "en": "Instrument"},
    "version_hash": {"lv": "{version}. versija (SHA-256 {hash}…)", "en": "v{version} (sha256 {hash}…)"},
    "municipality": {"lv": "Pašvaldība", "en": "Municipality"},
    "campaigns": {"lv": "Kampaņas", "en": "Campaigns"},
    "waves": {"lv": "Viļņi", "en": "Waves"},
    "language": {"lv": "Nosaukumu valoda", "en": "Language of labels"},
    "responses": {"lv": "Atbildes", "en": "Responses"},
    "generated": {"lv": "Sagatavots", "en": "Generated on"},
    "notes": {"lv": "Piezīmes", "en": "Notes"},
    "variables": {"lv": "Mainīgie", "en": "Variables"},
    "scoring": {"lv": "Aprēķina noteikumi", "en": "Scoring rules"},
    "col_variable": {"lv": "Mainīgais", "en": "Variable"},
    "col_label": {"lv": "Nosaukums", "en": "Label"},
    "col_type": {"lv": "Veids", "en": "Type"},
    "col_values": {"lv": "Vērtības", "en": "Values"},
    "col_missing": {"lv": "Trūkstošie kodi", "en": "Missing"},
    "col_question": {"lv": "Jautājums", "en": "Question"},
    "col_shown_if": {"lv": "Rāda, ja", "en": "Shown if"},
    "col_rule": {"lv": "Noteikums", "en": "Rule"},
    "col_kind": {"lv": "Veids", "en": "Kind"},
    "col_definition": {"lv": "Definīcija", "en": "Definition"},
    "col_description": {"lv": "Apraksts", "en": "Description"},
    # value types and measurement levels
    "type_integer": {"lv": "vesels skaitlis", "en": "integer"},
    "type_number": {"lv": "skaitlis", "en": "number"},
    "type_string": {"lv": "teksts", "en": "string"},
    "measure_nominal": {"lv": "nominālā skala", "en": "nominal"},
    "measure_ordinal": {"lv": "kārtas skala", "en": "ordinal"},
    "measure_scale": {"lv": "intervālu skala", "en": "scale"},
    # question and rule kinds
    "kind_single": {"lv": "viena izvēle", "en": "single"},
    "kind_multiple": {"lv": "vairākas izvēles", "en": "multiple"},
    "kind_likert": {"lv": "vērtējuma skala", "en": "likert"},
    "kind_number": {"lv": "skaitlis", "en": "number"},
    "kind_text": {"lv": "brīvs teksts", "en": "text"},
    "kind_share": {"lv": "daļa", "en": "share"},
    "kind_scale": {"lv": "skalas vērtējums", "en": "scale"},
    "kind_threshold": {"lv": "daļa virs sliekšņa", "en": "threshold"},
    # rule definitions
    "def_share": {
        "lv": "to respondentu daļa, kuru atbilde uz jautājumu „{question}” ir [{success}]",
        "en": "share of respondents whose answer to {question} is in [{success}]",
    },
    "def_share_exclude": {
        "lv": "; atbildes ar kodiem [{exclude}] neietilpst saucējā",
        "en": "; answers [{exclude}] leave the denominator",
    },
    "def_share_end": {
        "lv": "; neatbildēti un nerādīti jautājumi neietilpst saucējā",
        "en": "; unanswered and not-shown questions leave the denominator",
    },
    "def_scale": {
        "lv": "nesvērts vidējais no [{items}] (apgriezti kodētie jautājumi pārvērsti); vajag vismaz {min_valid} "
        "derīgas atbildes; „nezinu” (99) nav derīga atbilde",
        "en": "unweighted mean of [{items}] (reverse-coded items flipped); at least {min_valid} valid items; "
        "'don't know' (99) is not valid",
    },
    "def_threshold": {
        "lv": "to respondentu daļa, kuriem {scale} {operator} {cutoff} (sliekšņa pamatojums: {basis})",
        "en": "share of respondents with {scale} {operator} {cutoff} (cut-off basis: {basis})",
    },
    "shown_if": {"lv": "{question} ir viens no [{values}]", "en": "{question} in [{values}]"},
    # notes
    "note_identity": {
        "lv": "Nav identificējošu datu: pirmais mainīgais ir jauns atbildes numurs 1..n (nav datubāzes "
        "identifikators); iesniegšanas diena noapaļota līdz mēnesim; IP adrese, pārlūks, laiks un "
        "piekļuves kods netiek glabāti.",
        "en": "No identifying data: 'response' is a fresh number 1..n (not the database id); the day of "
        "submission is coarsened to the month; no IP address, user agent, time or access code is stored.",
    },
    "note_codes": {
        "lv": "Kodi: viena izvēle — izvēlētās atbildes kods; vērtējuma skalas — izvēlētais punkts; vairākas "
        "izvēles — katrai atbildei savs 0/1 mainīgais (<jautājums>__<atbilde>); 99 = „nezinu” (SPSS failā "
        "lietotāja noteikts trūkstošs kods); tukšs — neatbildēts vai nerādīts.",
        "en": "Codes: single choice = the option's code; rating scales = the point chosen; "
        "multiple choice = one 0/1 variable per option (<question>__<option>); "
        '99 = "don\'t know" (declared user-missing in the SPSS file); empty = unanswered or not shown.',
    },
    "note_release": {
        "lv": "Publiskošanas noteikums: no viena viļņa N atbildēm tiek izmantotas tikai pirmās {k}·⌊N/{k}⌋ "
        "(iesniegšanas secībā), tāpēc divi vienas grupas eksporti atšķiras par veseliem {k} atbilžu soļiem.",
        "en": "Release rule: only the first {k}·⌊N/{k}⌋ responses of a wave (in submission order) are released, "
        "so two exports of the same group differ by whole steps of {k} responses.",
    },
    "note_k_anonymity": {
        "lv": "k-anonimitāte: katru kvaziidentifikatoru ({names}) kombināciju satur vismaz {k} rindas "
        "(mazāk nekā {k} atbildes — eksporta nav); vajadzības gadījumā vērtības ir dzēstas (lokālā "
        "nomākšana) — {done}.",
        "en": "k-anonymity: every combination of the quasi-identifiers ({names}) is shared by at least {k} rows "
        "(fewer than {k} responses: no export); values were blanked (local suppression) where needed — {done}.",
    },
    "design_heading": {"lv": "Izlases dizains kā kods", "en": "Design as code"},
    "design_simple": {
        "lv": "Vienkārša gadījuma izlase: bez svariem, bez stratām, bez klasteriem{why}.",
        "en": "Simple random sample: unweighted, no strata, no clusters{why}.",
    },
    "design_simple_why": {
        "lv": " (kādai skolai nav norādīts pedagogu skaits, tāpēc arī novērtējums izmanto šo dizainu)",
        "en": " (a teacher head-count is missing, so the evaluation uses this too)",
    },
    "design_stratified": {
        "lv": "Skolas ir stratas, pedagogi — vienības, katras skolas pedagogu skaits — galīgās populācijas "
        "korekcija (svari N_h/n_h). Rindas, kurās skolas kods dzēsts (k-anonimitāte), ir apvienotas vienā "
        "stratā „{pooled}” ar neatklāto skolu pedagogu kopskaitu: tuvinājums; publicētais rādītājs izmanto "
        "visas skolas.",
        "en": "Schools as strata, teachers as units, each school's teacher head-count as the finite "
        "population correction (weights N_h/n_h). Rows whose school code is blanked (k-anonymity) "
        "are pooled into one stratum '{pooled}' with the head-counts of the schools never named: an "
        "approximation; the published figure uses every school.",
    },
    "note_blanked_none": {"lv": "nevienai", "en": "none were"},
    "note_blanked": {"lv": "{name}: dzēstas {count} vērtības", "en": "{name}: {count} values blanked"},
    "note_text_included": {
        "lv": "Brīvā teksta atbildes ir iekļautas, kā ievadītas; tikai CSV failā šūnām (vai daļām aiz ';'), kas "
        "sākas ar = + - @ vai tabulāciju, pievienots sākuma ', lai izklājlapas tās neizpildītu kā formulas.",
        "en": "Free-text answers are included as given; only in the CSV file, cells (or parts after a ';') starting "
        "with = + - @ or a tab/CR have a leading ' so spreadsheets do not run them as formulas.",
    },
    "note_text_left_out": {
        "lv": "Brīvā teksta atbildes nav iekļautas (vajadzības gadījumā pieprasiet eksportu ar tām).",
        "en": "Free-text answers are left out (ask for include_text=true if needed).",
    },
}


def word(key: str, lang: Lang, **fields: object) -> str:
    """The codebook's text `key` in `lang` (English when not translated), formatted with `fields`."""
    entry = TEXT[key]
    text = entry.get(lang, entry["en"])
    return text.format(**fields) if fields else text
