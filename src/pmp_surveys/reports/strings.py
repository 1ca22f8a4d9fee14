"""The report's words in Latvian and English, and number formatting per language.

Latvian writes a decimal comma and a space before "%" (``72,3 %``); English a decimal point and
no space (``72.3%``). Every figure in the HTML report goes through :func:`percent` /
:func:`decimal`, so tests can parse them back.
"""

from __future__ import annotations

from typing import Literal

ReportLang = Literal["lv", "en"]
LANGS: tuple[ReportLang, ...] = ("lv", "en")

_STRINGS: dict[str, tuple[str, str]] = {
    # key: (lv, en)
    "report_title": ("PMP plāna starpposma izvērtējums", "Mid-term evaluation of the PMP plan"),
    "demo_banner": (
        "SINTĒTISKI DEMO DATI — nav īsti rezultāti",
        "SYNTHETIC DEMO DATA — not real results",
    ),
    "demo_campaign": ("DEMO (sintētiski dati) — {survey} {wave}", "DEMO (synthetic data) — {survey} {wave}"),
    "demo_explained": (
        "Šis pārskats ir veidots no demonstrācijas kampaņām ar izdomātām atbildēm.",
        "This report was built from demonstration campaigns with invented answers.",
    ),
    "municipality": ("Pašvaldība", "Municipality"),
    "plan": ("Plāns", "Plan"),
    "wave": ("Izvērtējuma gads (vilnis)", "Evaluation year (wave)"),
    "baseline": ("Bāzes vērtība", "Baseline"),
    "baseline_requested": ("Salīdzinājuma bāze", "Baseline compared with"),
    "baseline_auto": (
        "katram rādītājam — jaunākais iepriekšējais tās pašas anketas vilnis ar mikrodatiem (administratīvajiem "
        "datiem — jaunākais iepriekšējais gads), citādi plānā noteiktā bāzes vērtība",
        "for each indicator, the most recent earlier wave of the same questionnaire with microdata (for "
        "administrative figures, the most recent earlier year), else the plan's baseline",
    ),
    "baseline_plan": ("katra rādītāja bāzes vērtība plānā", "each indicator's baseline in the plan"),
    "baseline_published": ("plānā publicētās vērtības", "the values published in the plan"),
    "generated": ("Sagatavots", "Generated"),
    "confidence": ("Ticamības līmenis", "Confidence level"),
    "suppression": ("Mazo grupu slieksnis", "Small-group threshold"),
    "format_version": ("Rezultātu formāta versija", "Result format version"),
    "catalogue_version": ("Plāna rādītāju kataloga versija", "Plan catalogue version"),
    "catalogue_checksum": ("kontrolsumma", "checksum"),
    "contents": ("Saturs", "Contents"),
    "summary": ("Rādītāju kopsavilkums", "Summary of indicators"),
    "summary_intro": (
        "Katram plāna rādītājam: bāzes vērtība, pašreizējā vērtība ar {cl} ticamības intervālu, "
        "mērķis {wave}. gadam, izmaiņas pret bāzes vērtību un vērtējums.",
        "For every indicator of the plan: baseline, current value with its {cl} confidence interval, "
        "the target for {wave}, the change against the baseline and the verdict.",
    ),
    "chart": ("Rādītāji pret bāzes vērtību un mērķi", "Indicators against baseline and target"),
    "chart_intro": (
        "Punkts — pašreizējā vērtība ar ticamības intervālu; tukšs aplis — bāzes vērtība; "
        "vertikāla svītra — mērķis. Katrai rindai ir sava skala (galējās vērtības norādītas).",
        "Dot — current value with its confidence interval; hollow circle — baseline; vertical tick — "
        "target. Each row has its own scale (its ends are labelled).",
    ),
    "trend": ("Rādītāju dinamika pa viļņiem pret mērķu ceļu", "Trend by wave against the target path"),
    "trend_intro": (
        "Katram rādītājam visi līdz šim izvērtētie viļņi: punkts — vērtība ar ticamības intervālu (pilnam "
        "uzskaitījumam intervāla nav); raustīta līnija — plāna ceļš no bāzes vērtības (tukšs aplis) caur "
        "starpposma mērķi uz gala mērķi (kvadrāti). Vilnis, kurā grupa ir mazāka par slieksni, netiek rādīts.",
        "For every indicator, every wave evaluated so far: dot — value with its confidence interval (a "
        "complete count has none); dashed line — the plan's path from the baseline (hollow circle) through "
        "the mid-term target to the final target (squares). A wave whose group is under the threshold is not shown.",
    ),
    "trend_measured": ("Izmērītā vērtība (ticamības intervāls)", "Measured value (confidence interval)"),
    "trend_path": ("Plāna ceļš: bāzes vērtība un mērķi", "Plan path: baseline and targets"),
    "table_trend": ("Dinamika", "Trend"),
    "col_path": ("Plāna ceļš", "Plan path"),
    "col_code": ("Kods", "Code"),
    "col_indicator": ("Rādītājs", "Indicator"),
    "col_baseline": ("Bāzes vērtība", "Baseline"),
    "col_baseline_year": ("Bāzes gads, avots", "Baseline year, source"),
    "col_value": ("Vērtība {wave}", "Value {wave}"),
    "col_ci": ("{cl} TI", "{cl} CI"),
    "col_target": ("Mērķis (gads)", "Target (year)"),
    "target_year": ("Mērķa gads", "Target year"),
    "data_kind": ("Dati", "Data"),
    "col_change": ("Izmaiņas, p.p.", "Change, p.p."),
    "col_p": ("p vērtība", "p-value"),
    "col_verdict": ("Vērtējums", "Verdict"),
    "col_n": ("n", "n"),
    "ci": ("ticamības intervāls", "confidence interval"),
    "low": ("apakšējā robeža", "low"),
    "high": ("augšējā robeža", "high"),
    "verdict_achieved": ("sasniegts", "achieved"),
    "verdict_not_achieved": ("nav sasniegts", "not achieved"),
    "verdict_not_yet_distinguishable": ("vēl nevar noteikt", "not yet distinguishable"),
    "verdict_no_data": ("nav datu", "no data"),
    "verdict_suppressed": ("< {t} atbildes", "fewer than {t} responses"),
    "verdict_no_target": ("plānā nav mērķa", "no target in the plan"),
    "suppressed": ("< {t} atbildes", "fewer than {t} responses"),
    "withheld": ("slēpts", "withheld"),
    "source_microdata": ("aptaujas dati", "survey data"),
    "source_figures": ("administratīvie dati", "administrative figures"),
    "source_published": ("publicēts plānā", "published in the plan"),
    "source_none": ("nav", "none"),
    "surveys": ("Aptaujas", "Surveys"),
    "survey_empty": ("Šajā vilnī atbilžu nav.", "No responses in this wave."),
    "instrument_parent-satisfaction": ("Vecāku apmierinātības aptauja", "Parent satisfaction survey"),
    "instrument_resident-perception": ("Iedzīvotāju aptauja", "Resident perception survey"),
    "instrument_teacher-self-efficacy": ("Pedagogu pašefektivitātes aptauja", "Teacher self-efficacy survey"),
    "short_parent-satisfaction": ("Vecāki", "Parents"),
    "short_resident-perception": ("Iedzīvotāji", "Residents"),
    "short_teacher-self-efficacy": ("Pedagogi", "Teachers"),
    "sheet_fieldwork": ("Lauka darbs", "Fieldwork"),
    "sheet_rates": ("Atsaucība", "Response rates"),
    "sheet_alpha": ("Alfa", "Alpha"),
    "sheet_nonresponse": ("Neatbildētie", "Non-response"),
    "sheet_distributions": ("Sadalījums", "Distributions"),
    "fieldwork": ("Lauka darbs", "Fieldwork"),
    "col_campaign": ("Kampaņa", "Campaign"),
    "col_opens": ("Sākums", "Opens"),
    "col_closes": ("Beigas", "Closes"),
    "col_status": ("Statuss", "Status"),
    "col_responses": ("Atbildes", "Responses"),
    "not_set": ("nav noteikts", "not set"),
    "col_modes": ("Atbilžu veidi", "Modes"),
    "mode_web": ("tīmeklī", "web"),
    "mode_paper": ("papīra anketas", "paper"),
    "mode_tablet": ("planšetē", "tablet"),
    "mode_phone": ("pa tālruni", "telephone"),
    "mode_other": ("cits rīks", "other tool"),
    "status_open": ("atvērta", "open"),
    "status_closed": ("slēgta", "closed"),
    "status_draft": ("melnraksts", "draft"),
    "responses_total": ("Atbilžu kopā", "Responses in total"),
    "rates": ("Atsaucība pa skolām", "Response rate by school"),
    "rates_intro": (
        "Tikai skaiti: atbildes un pedagogu skaits skolā; atbildes pašas netiek rādītas.",
        "Counts only: responses and the school's teacher head-count; no answers are shown.",
    ),
    "col_school": ("Skola", "School"),
    "col_teachers": ("Pedagogi", "Teachers"),
    "col_rate": ("Atsaucība", "Response rate"),
    "reliability": ("Skalu ticamība (Kronbaha alfa)", "Scale reliability (Cronbach's alpha)"),
    "col_scale": ("Skala", "Scale"),
    "item_quality": ("Skalu jautājumu kvalitāte", "Quality of the scale items"),
    "item_quality_intro": (
        "Katram skalas jautājumam: korelācija ar pārējo jautājumu summu un Kronbaha alfa, ja šo "
        "jautājumu izslēgtu (pilnās atbildes). Zema korelācija vai augstāka alfa bez jautājuma "
        "norāda, ka pielāgotais jautājums neiederas skalā. (R) — apgriezti kodēts jautājums.",
        "For each item of a scale: its correlation with the sum of the other items and Cronbach's "
        "alpha if the item were deleted (complete cases). A low correlation, or a higher alpha "
        "without the item, means the adapted item does not hold together with the scale. "
        "(R) — reverse-coded item.",
    ),
    "sheet_item_quality": ("Jautājumu kvalitāte", "Item quality"),
    "col_item": ("Jautājums", "Item"),
    "col_item_rest_r": ("Korelācija ar pārējiem", "Item–rest r"),
    "col_alpha_if_deleted": ("Alfa bez jautājuma", "Alpha if deleted"),
    "col_items": ("Jautājumi", "Items"),
    "col_alpha": ("Alfa", "Alpha"),
    "col_complete": ("Pilnas atbildes", "Complete cases"),
    "scales": ("Skalu vērtējumi", "Scale scores"),
    "scales_teacher-self-efficacy": ("Pedagogu pašefektivitāte", "Teacher self-efficacy"),
    "sheet_scales": ("Skalas", "Scales"),
    "sheet_scales_teacher-self-efficacy": ("Pašefektivitāte", "Self-efficacy"),
    "scales_intro": (
        "Skalas vērtējums ir jautājumu vidējais (1–9). Vidējais ar {cl} ticamības intervālu un izmaiņas "
        "pret bāzes vilni balstās uz izlases dizainu (kā rādītājiem); Velča t un Hedža g (efekta lielums, "
        "standartizēta vidējo starpība) ir nesvērti. Alfa — Kronbaha alfa šim vilnim.",
        "A scale score is the mean of its items (1–9). The mean with its {cl} confidence interval and the "
        "change against the baseline wave are design-based (as for the indicators); Welch's t and Hedges' g "
        "(the effect size, a standardised difference of means) are unweighted. Alpha: Cronbach's alpha of "
        "this wave.",
    ),
    "col_scale_mean": ("Vidējais {wave}", "Mean {wave}"),
    "col_scale_baseline": ("Bāzes vidējais ({year})", "Baseline mean ({year})"),
    "col_scale_change": ("Izmaiņas, punkti", "Change, points"),
    "col_welch_t": ("Velča t", "Welch's t"),
    "col_welch_p": ("Velča p", "Welch p"),
    "col_hedges_g": ("Hedža g", "Hedges' g"),
    "weighting": ("Svēršana un izlases dizains", "Weighting and design"),
    "design_simple": ("vienkārša izlase, bez svēršanas", "simple sample, unweighted"),
    "design_weighted": (
        "svērts pēc iedzīvotāju sadalījuma (iteratīvā svaru kalibrēšana)",
        "weighted to population margins (raking)",
    ),
    "design_clustered": (
        "pedagogi grupēti skolās (skolas kā slāņi, galīgās populācijas korekcija)",
        "teachers clustered in schools (schools as strata, finite population correction)",
    ),
    "design_administrative": (
        "administratīvie dati, ko katalogs atzīmējis kā izlasi",
        "administrative figures the catalogue marks as a sample",
    ),
    "design_census": (
        "pilnā uzskaite (reģistra dati par visiem): bez izlases intervāla",
        "complete count (a register covering everyone): no sampling interval",
    ),
    "design_super-population": (
        "pilnā uzskaite, vērtēta kā procesa realizācija (superpopulācija)",
        "complete count read as one realisation of a process (super-population)",
    ),
    "design_fallback": ("prasīts: {asked}; izmantots: {used}", "asked: {asked}; used: {used}"),
    "nonresponse": ("Neatbildētie jautājumi", "Item non-response"),
    "col_question": ("Jautājums", "Question"),
    "col_shown": ("Rādīts", "Shown"),
    "col_blank": ("Bez atbildes", "Blank"),
    "col_dont_know": ("Nezinu", "Don't know"),
    "col_blank_share": ("Bez atbildes, %", "Blank, %"),
    "distributions": ("Atbilžu sadalījums", "Distribution of answers"),
    "distributions_intro": (
        "Katra skalas jautājuma atbilžu daļa (procentos no atbildējušajiem).",
        "Share of each answer to each rating item (percent of those who answered).",
    ),
    "dont_know": ("nezinu", "don't know"),
    "methods": ("Metodes", "Methods"),
    "methods_intro": (
        "Šī sadaļa ir izveidota no izvērtējumā faktiski izmantotajām metodēm.",
        "This section is generated from the methods the evaluation actually used.",
    ),
    "methods_per_indicator": ("Metodes pa rādītājiem", "Methods per indicator"),
    "col_design": ("Dizains", "Design"),
    "col_interval": ("Intervāls", "Interval"),
    "col_comparison": ("Salīdzinājums", "Comparison"),
    "col_set_aside": ("Izslēgts no saucēja", "Set aside"),
    "col_notes": ("Piezīmes", "Notes"),
    "comparison_two-sample": ("divas izlases", "two samples"),
    "comparison_against-published-value": ("pret publicētu vērtību", "against a published value"),
    "comparison_none": ("nav", "none"),
    "references": ("Atsauces", "References"),
    "activities": ("Pasākumu rezultāti", "Results of the activities"),
    "activities_sheet": ("Pasākumi", "Activities"),
    "activities_intro": (
        "Plāna pasākumu rezultātu tabula, ko vērtētāji uztur administrēšanas lapā; sasaistītā rādītāja "
        "vērtība ņemta no šī izvērtējuma.",
        "The plan's activities results table, kept by the evaluators in the admin pages; a linked "
        "indicator's value is taken from this evaluation.",
    ),
    "col_year": ("Gads", "Year"),
    "col_goal": ("Mērķis", "Goal"),
    "col_activity": ("Pasākums", "Activity"),
    "col_funding": ("Finansējums", "Funding"),
    "col_planned": ("Plānotais rezultāts", "Planned result"),
    "col_achieved": ("Sasniegtā vērtība", "Achieved"),
    "col_impact": ("Ietekmes novērtējums", "Impact assessment"),
    "col_factors": ("Kas palīdzēja vai traucēja", "What helped or hindered"),
    "linked_value": ("rādītājs {code}: {value}", "indicator {code}: {value}"),
    "about": ("Par šo pārskatu", "About this report"),
    "page": ("lpp.", "page"),
    "table_summary": ("Kopsavilkums", "Summary"),
    "table_methods": ("Metodes", "Methods"),
    "table_about": ("Par pārskatu", "About"),
    "value": ("Vērtība", "Value"),
    "target": ("Mērķis", "Target"),
    "kind_expected_result": ("sagaidāmais rezultāts", "expected result"),
    "multiplicity_note": (
        "Statistiskie testi un to korekcijas ir pielikumā (sadaļā „Metodes“) un XLSX failā.",
        "The statistical tests and their adjustments are in the appendix (section “Methods”) and the XLSX file.",
    ),
    "tests_title": ("Pielikums: statistiskie testi", "Appendix: statistical tests"),
    "tests_intro": (
        "Izmaiņu pret bāzes vērtību un mērķa sasniegšanas testu p vērtības: nekoriģētās un koriģētās visu "
        "rādītāju kopai pēc Holma un pēc Benjamini–Hohberga metodes. Pilnam uzskaitījumam testa nav.",
        "p-values of the change against the baseline and of the target test: unadjusted, and adjusted across "
        "all indicators by Holm's and by the Benjamini–Hochberg method. A complete count has no test.",
    ),
    "table_tests": ("Testi", "Tests"),
    "col_change_p": ("Izmaiņu p vērtība", "p-value of the change"),
    "col_holm": ("Holma koriģētā", "Holm-adjusted"),
    "col_bh": ("Benjamini–Hohberga koriģētā", "Benjamini–Hochberg-adjusted"),
    "col_verdict_test": ("Mērķa tests", "Target test"),
    "col_verdict_p": ("Mērķa testa p vērtība", "p-value of the target test"),
}

VERDICT_TONE: dict[str, str] = {
    "achieved": "good",
    "not_achieved": "bad",
    "not_yet_distinguishable": "unsure",
    "no_data": "none",
    "suppressed": "none",
    "no_target": "none",
}

_OPS = {"at_least": "≥", "at_most": "≤", "below": "<", "above": ">"}


def _digits(fraction: float) -> int:
    return 1 if fraction == 0.0 or abs(fraction) >= 0.01 else 2


class Strings:
    """``t("key", **fields)`` in one language."""

    def __init__(self, lang: ReportLang) -> None:
        if lang not in LANGS:
            raise ValueError(f"report language must be one of {LANGS}, got {lang!r}")
        self.lang: ReportLang = lang
        self._index = LANGS.index(lang)

    def __call__(self, key: str, **fields: object) -> str:
        pair = _STRINGS.get(key)
        if pair is None:
            return key
        text = pair[self._index]
        return text.format(**fields) if fields else text

    def has(self, key: str) -> bool:
        return key in _STRINGS

    def number(self, value: float, digits: int) -> str:
        text = f"{value:.{digits}f}"
        if text.startswith("-"):
            text = "−" + text[1:]
        return text.replace(".", ",") if self.lang == "lv" else text

    def signed(self, value: float, digits: int) -> str:
        """A difference, always signed (e.g. a change of a mean or an effect size)."""
        text = self.number(value, digits)
        return text if text.startswith("−") else "+" + text

    def percent(self, fraction: float, digits: int | None = None) -> str:
        """A share as a percentage: one decimal, two below 1 % (a 0.05 % target must not read 0.1 %)."""
        sep = "\u00a0" if self.lang == "lv" else ""
        return f"{self.number(fraction * 100.0, _digits(fraction) if digits is None else digits)}{sep}%"

    def points(self, fraction: float, digits: int | None = None) -> str:
        """A change in percentage points, always signed (two decimals below 1 p.p.)."""
        text = self.number(fraction * 100.0, _digits(fraction) if digits is None else digits)
        return text if text.startswith("−") else "+" + text

    def p_value(self, p: float) -> str:
        if p < 0.001:
            return "< " + self.number(0.001, 3)
        return self.number(p, 3)

    def target(self, kind: str, value: float) -> str:
        return f"{_OPS.get(kind, kind)} {self.percent(value)}"

    def target_op(self, op: str, value: float) -> str:
        return f"{op} {self.percent(value)}"

    def method(self, name: str) -> str:
        """An engine method name (interval, comparison or verdict test) in this language."""
        return method_name(name, self.lang)

    def verdict(self, verdict: str, threshold: int) -> str:
        return self(f"verdict_{verdict}", t=threshold)

    def suppressed(self, threshold: int) -> str:
        return self("suppressed", t=threshold)


#: Names of the engine's methods (``method``, ``change_method``, ``verdict_test``) in Latvian and
#: English. Latvian terms: "ticamības intervāls", "standartkļūda", "p vērtība", "izlases dizains",
#: "stratificēta izlase", "pilnā uzskaite" follow the Central Statistical Bureau of Latvia's
#: (CSP, stat.gov.lv) methodology texts; "score" has no established Latvian term, so the score tests
#: are named by what they compare ("vienas proporcijas tests"), never "rezultātu tests".
METHOD_NAMES: dict[str, tuple[str, str]] = {
    "wilson": ("Vilsona", "Wilson"),
    "beta": ("Korna–Graubarda", "Korn–Graubard"),
    "logit": ("logit", "logit"),
    "clopper-pearson": ("Klopera–Pīrsona", "Clopper–Pearson"),
    "jeffreys": ("Džefrija", "Jeffreys"),
    "agresti-coull": ("Agresti–Kūla", "Agresti–Coull"),
    "census": ("salīdzinājums ar mērķi (pilnā uzskaite)", "comparison with the target (complete count)"),
    "newcombe, score-pooled test": (
        "Ņūkomba intervāls; divu proporciju tests ar apvienoto dispersiju",
        "Newcombe interval; two-proportion test with pooled variance",
    ),
    "design-z": ("z tests ar izlases dizaina standartkļūdu", "z test with the design standard error"),
    "design-t": (
        "t tests ar izlases dizaina standartkļūdu un brīvības pakāpēm",
        "t test with the design standard error and degrees of freedom",
    ),
    "one-sample score test vs p0": (
        "vienas proporcijas tests pret plānā publicēto vērtību (dispersija pie p0)",
        "one-proportion test against the plan's published value (variance at p0)",
    ),
    "one-sample exact test vs p0": (
        "precīzais binomiālais tests pret plānā publicēto vērtību",
        "exact binomial test against the plan's published value",
    ),
    "design-z vs p0": (
        "z tests pret plānā publicēto vērtību ar izlases dizaina standartkļūdu",
        "z test against the plan's published value with the design standard error",
    ),
    "design-t vs p0": (
        "t tests pret plānā publicēto vērtību ar izlases dizaina standartkļūdu",
        "t test against the plan's published value with the design standard error",
    ),
    "difference (census)": ("starpība (pilnā uzskaite, bez testa)", "difference (complete count, no test)"),
    "binomial-score": (
        "vienpusējs vienas proporcijas tests (dispersija pie mērķa vērtības)",
        "one-sided one-proportion test (variance at the target)",
    ),
}


def method_name(name: str, lang: ReportLang) -> str:
    """An engine method name in `lang` (the name itself when it has no translation)."""
    pair = METHOD_NAMES.get(name)
    return name if pair is None else pair[LANGS.index(lang)]


def target_operator(kind: str) -> str:
    return _OPS.get(kind, kind)


__all__ = ["LANGS", "METHOD_NAMES", "VERDICT_TONE", "ReportLang", "Strings", "method_name", "target_operator"]
