"""The methods section, generated from what the evaluation actually ran, with its references.

Only methods that produced a figure are listed (an interval method whose indicator had no data,
or a comparison without a baseline, is left out), and only their references.
"""

from __future__ import annotations

import msgspec

from pmp_surveys.reports.model import Report
from pmp_surveys.reports.strings import Strings

__all__ = ["MethodLine", "Methods", "used_methods"]

_LV: dict[str, str] = {
    "simple": "Vilsona ticamības intervāls vienkāršai izlasei.",
    "clustered": "Uz izlases dizainu balstīts novērtējums: skolas kā slāņi, pedagogu skaits skolā kā galīgās "
    "populācijas korekcija; Teilora linearizācija un Korna–Graubarda intervāls.",
    "weighted": "Svēršana pēc iedzīvotāju sadalījuma (iteratīvā svaru kalibrēšana pēc Deminga–Stefana) un "
    "Korna–Graubarda ticamības intervāls.",
    "census": "Administratīvie dati (skaitītājs / saucējs) ir pilnā uzskaite: reģistrs aptver visus "
    "izglītojamos, pedagogus vai skolas, par kuriem runā plāns, tāpēc skaitlis ir pati populācijas vērtība "
    "un tam nav izlases ticamības intervāla. Mērķa sasniegšanu nosaka, salīdzinot skaitli ar mērķi "
    "(sasniegts / nav sasniegts), un izmaiņas pret bāzes vērtību ir vienkārša starpība bez statistiskā "
    "testa. Skolu rindas summētas.",
    "administrative": "Administratīvie dati, ko katalogs atzīmējis kā izlasi no populācijas (piemēram, "
    "importēta aptauja): Vilsona ticamības intervāls un vienas proporcijas testi; skolu rindas summētas.",
    "super-population": "Pilnā uzskaite, ko katalogs liek vērtēt kā viena procesa realizāciju, kura "
    "līmeni plāns grib mainīt (superpopulācijas secinājumi): Vilsona ticamības intervāls un testi.",
    "two-sample": "Divu neatkarīgu izlašu starpība: Ņūkomba hibrīdais ticamības intervāls ar divu proporciju "
    "testu (apvienotā dispersija); izlases dizaina novērtējumiem — t tests ar dizaina brīvības pakāpēm.",
    "against-published-value": "Salīdzinājums ar plānā publicētu vērtību p0 kā zināmu konstanti: vienas "
    "proporcijas tests (dispersija pie p0); izlases dizaina novērtējumiem — t tests.",
    "verdict": "Mērķa sasniegšanu vērtē pēc divpusējā ticamības intervāla; vienpusēja p vērtība hipotēzei "
    "„mērķis nav sasniegts”.",
    "multiplicity": "Vairāku salīdzinājumu korekcija visā rādītāju kopā: Holma un Benjamini–Hohberga metodes.",
    "suppression": "Grupām, kurās mazāk par {t} atbildēm, skaitļi netiek rādīti nevienā izvadē. Lai tos "
    "nevarētu atrēķināt no kopsummām, citām rindām vai citas tabulas, slēpj arī papildu šūnas (sekundārā "
    "slēpšana kā τ-ARGUS: mazākās šūnas, pārbaudītas ar lineāro programmēšanu) — tās apzīmētas „slēpts”. "
    "Rezultāti mainās tikai ar soli {t} atbildes: izmanto pirmās {t}·⌊N/{t}⌋ viļņa atbildes iesniegšanas secībā.",
    "alpha": "Kronbaha alfa pilnajām atbildēm ar Feldta F sadalījuma intervālu.",
    "scales": "Skalu vērtējumi: uz izlases dizainu balstīts vidējais (tāds pats dizains kā anketas rādītājiem) "
    "ar t intervālu.",
    "scale-change": "Skalu vērtējumu izmaiņas: divu neatkarīgu dizaina novērtējumu z starpība; Velča t tests "
    "(nevienādas dispersijas, nesvērts) un efekta lielums — Hedža g ar mazās izlases korekciju J un "
    "intervālu (Hedges & Olkin 1985).",
}

_EN_EXTRA: dict[str, str] = {
    "alpha": "Cronbach's alpha on complete cases with Feldt's F-based interval.",
    "suppression": "No figure for a group of fewer than {t} respondents, in any output. So that none can be "
    "recomputed from totals, other rows or another table, further cells are withheld too (secondary suppression "
    'as in τ-ARGUS: the smallest cells, audited by linear programming), marked "withheld". Results move only in '
    "steps of {t} responses: the first {t}·⌊N/{t}⌋ responses of a wave in order of submission are used.",
    "scales": "Scale scores: design-based mean (the same design as the instrument's indicators) with a t interval.",
    "scale-change": "Change of scale scores: z difference of two independent design-based means; Welch's t test "
    "(unequal variances, unweighted) and the effect size Hedges' g with the small-sample correction J and its "
    "interval (Hedges & Olkin 1985).",
}

REFERENCES: dict[str, str] = {
    "wilson": "Wilson EB (1927). Probable inference, the law of succession, and statistical inference. "
    "Journal of the American Statistical Association 22:209–212.",
    "newcombe_a": "Newcombe RG (1998a). Two-sided confidence intervals for the single proportion: comparison "
    "of seven methods. Statistics in Medicine 17:857–872.",
    "newcombe_b": "Newcombe RG (1998b). Interval estimation for the difference between independent "
    "proportions: comparison of eleven methods. Statistics in Medicine 17:873–890.",
    "korn_graubard": "Korn EL, Graubard BI (1998). Confidence intervals for proportions with small expected "
    "number of positive counts estimated from survey data. Survey Methodology 24:193–201.",
    "lumley": "Lumley T (2004). Analysis of complex survey samples. Journal of Statistical Software 9(8); "
    "R package survey (svyciprop).",
    "deming_stephan": "Deming WE, Stephan FF (1940). On a least squares adjustment of a sampled frequency table "
    "when the expected marginal totals are known. Annals of Mathematical Statistics 11:427–444.",
    "holm": "Holm S (1979). A simple sequentially rejective multiple test procedure. Scandinavian Journal of "
    "Statistics 6:65–70.",
    "bh": "Benjamini Y, Hochberg Y (1995). Controlling the false discovery rate. Journal of the Royal "
    "Statistical Society B 57:289–300.",
    "cronbach": "Cronbach LJ (1951). Coefficient alpha and the internal structure of tests. Psychometrika 16:297–334.",
    "feldt": "Feldt LS (1965). The approximate sampling distribution of Kuder-Richardson reliability "
    "coefficient twenty. Psychometrika 30:357–370.",
    "welch": 'Welch BL (1947). The generalization of "Student\'s" problem when several different population '
    "variances are involved. Biometrika 34:28–35.",
    "hedges_olkin": "Hedges LV, Olkin I (1985). Statistical Methods for Meta-Analysis. Orlando: Academic Press.",
    "tses": "Tschannen-Moran M, Woolfolk Hoy A (2001). Teacher efficacy: capturing an elusive construct. "
    "Teaching and Teacher Education 17:783–805.",
}

_REFS_OF: dict[str, tuple[str, ...]] = {
    "simple": ("wilson", "newcombe_a"),
    "administrative": ("wilson", "newcombe_a"),
    "super-population": ("wilson", "newcombe_a"),
    "clustered": ("korn_graubard", "lumley"),
    "weighted": ("korn_graubard", "lumley", "deming_stephan"),
    "two-sample": ("newcombe_b",),
    "against-published-value": ("wilson",),
    "multiplicity": ("holm", "bh"),
    "alpha": ("cronbach", "feldt"),
    "scales": ("lumley",),
    "scale-change": ("welch", "hedges_olkin"),
    "tses": ("tses",),
}


class MethodLine(msgspec.Struct, frozen=True):
    key: str
    text: str
    technical: str | None


class Methods(msgspec.Struct, frozen=True):
    lines: tuple[MethodLine, ...]
    references: tuple[str, ...]


def used_keys(report: Report) -> list[str]:
    """Method keys that produced a figure in this report, in a fixed order."""
    results = report.evaluation.indicators
    used: set[str] = {"suppression"}
    for r in results:
        if r.method is not None and r.design_used:
            used.add(r.design_used)
        if r.change_method is not None and r.comparison != "none" and r.inference != "census":
            used.add(r.comparison)
        if r.verdict_test is not None:
            used.add("verdict")
        if r.change_p_holm is not None or r.verdict_p_holm is not None:
            used.add("multiplicity")
    if any(a.estimate is not None for s in report.surveys for a in s.reliability):
        used.add("alpha")
    scales = report.evaluation.scales
    if any(s.mean is not None for s in scales):
        used.add("scales")
    if any(s.welch_t is not None or s.hedges_g is not None for s in scales):
        used.add("scale-change")
    if any(s.alpha is not None for s in scales):
        used.add("alpha")
    order = [
        "simple",
        "clustered",
        "weighted",
        "census",
        "administrative",
        "super-population",
        "two-sample",
        "against-published-value",
        "verdict",
        "multiplicity",
        "scales",
        "scale-change",
        "alpha",
        "suppression",
    ]
    return [k for k in order if k in used]


def used_methods(report: Report, t: Strings) -> Methods:
    """The methods section of `report` in `t`'s language."""
    engine = report.evaluation.methods
    threshold = report.threshold
    lines = []
    for key in used_keys(report):
        if t.lang == "lv":
            # The engine's technical line is English: the Latvian text stands alone.
            text, technical = _LV.get(key, engine.get(key, key)), None
        else:
            text, technical = _EN_EXTRA.get(key) or engine.get(key, key), None
        lines.append(MethodLine(key=key, text=text.replace("{t}", str(threshold)), technical=technical))
    keys = used_keys(report)
    if any(
        s.instrument == "teacher-self-efficacy" and not s.suppressed and (s.responses or 0) > 0 for s in report.surveys
    ):
        keys.append("tses")
    refs: list[str] = []
    for key in keys:
        for ref in _REFS_OF.get(key, ()):
            if REFERENCES[ref] not in refs:
                refs.append(REFERENCES[ref])
    return Methods(lines=tuple(lines), references=tuple(sorted(refs)))
