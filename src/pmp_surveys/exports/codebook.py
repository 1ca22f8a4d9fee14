"""The variables of a microdata export and its codebook (JSON, CSV, HTML).

The variable list follows the instrument's storage layout (`instruments.coding`): after the
metadata columns (`response`, `school` for teacher surveys, `wave`, `submitted_month`) come the
coded variables (single → option code; likert → point, 99 = "don't know", declared user-missing;
multiple → one 0/1 variable per option, `<question>__<option>`), the number variables, and — only
when asked — the free-text variables. Labels are in the chosen language. Pure: no database.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence
from typing import Literal

import msgspec

from pmp_surveys.exports.codebook_words import TEXT, word
from pmp_surveys.exports.design_code import POOLED, DesignCode
from pmp_surveys.instruments.coding import DONT_KNOW_CODE, build_layout
from pmp_surveys.instruments.definition import (
    Instrument,
    Lang,
    LikertQuestion,
    MultipleQuestion,
    NumberQuestion,
    Question,
    ScaleRule,
    ScoringRule,
    ShareRule,
    SingleQuestion,
    TextQuestion,
    ThresholdRule,
    kind_of,
)
from pmp_surveys.spreadsheets import Cell, Sheet, csv_text, defuse, xlsx_bytes

FORMAT_VERSION = 2

VarType = Literal["integer", "number", "string"]
Source = Literal["meta", "codes", "numbers", "texts"]
Measure = Literal["nominal", "ordinal", "scale"]

#: Labels of the export's own words, in every supported language.
WORDS: dict[str, dict[Lang, str]] = {
    "response": {
        "lv": "Atbildes numurs šajā eksportā (1..n, nav datubāzes identifikators)",
        "ru": "Номер ответа в этом экспорте (1..n, не идентификатор базы данных)",
        "uk": "Номер відповіді в цьому експорті (1..n, не ідентифікатор бази даних)",
        "en": "Response number in this export (1..n, not a database id)",
    },
    "school": {
        "lv": "Skolas kods (tukšs, kur to slēpj k-anonimitātes dēļ)",
        "ru": "Код школы (пусто, где он скрыт ради k-анонимности)",
        "uk": "Код школи (порожньо, де його приховано задля k-анонімності)",
        "en": "School code (blank where withheld for k-anonymity)",
    },
    "wave": {
        "lv": "Aptaujas kārta (gads)",
        "ru": "Волна опроса (год)",
        "uk": "Хвиля опитування (рік)",
        "en": "Survey wave (year)",
    },
    "submitted_month": {
        "lv": "Iesniegšanas mēnesis (GGGG-MM)",
        "ru": "Месяц отправки (ГГГГ-ММ)",
        "uk": "Місяць надсилання (РРРР-ММ)",
        "en": "Month of submission (YYYY-MM)",
    },
    "selected": {"lv": "Atzīmēts", "ru": "Отмечено", "uk": "Позначено", "en": "Selected"},
    "not_selected": {"lv": "Nav atzīmēts", "ru": "Не отмечено", "uk": "Не позначено", "en": "Not selected"},
    "dont_know": {"lv": "Nezinu", "ru": "Не знаю", "uk": "Не знаю", "en": "Don't know"},
}


class ValueLabel(msgspec.Struct, frozen=True):
    code: int
    label: str


class Variable(msgspec.Struct, frozen=True, kw_only=True):
    """One column of the export."""

    name: str
    label: str
    type: VarType
    measure: Measure
    source: Source
    #: Position in `codes` / `numbers` (0-based), None for metadata and text.
    index: int | None = None
    question_id: str | None = None
    question_kind: str | None = None
    option: str | None = None
    required: bool | None = None
    #: "Shown only if …" for conditional questions (blank = always shown).
    shown_if: str | None = None
    values: list[ValueLabel] = []
    #: Codes declared user-missing (SPSS): 99 = "don't know".
    missing: list[int] = []


class RuleDoc(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    kind: str
    label: str
    definition: str
    description: str | None = None


class Codebook(msgspec.Struct, frozen=True, kw_only=True):
    format_version: int = FORMAT_VERSION
    title: str
    instrument: str
    instrument_version: int
    content_hash: str
    municipality: str
    campaigns: list[str]
    waves: list[int]
    language: Lang
    generated_on: dt.date
    responses: int
    include_text: bool
    suppression_threshold: int
    quasi_identifiers: list[str] = []
    """Variables on which the export is k-anonymous (k = suppression_threshold)."""
    values_blanked: dict[str, int] = {}
    """Per quasi-identifier, how many values were blanked (never which rows)."""
    notes: list[str]
    variables: list[Variable]
    scoring: list[RuleDoc]
    #: The sampling design as runnable R and Python code for the exported CSV.
    design: DesignCode | None = None


def _value_labels(q: SingleQuestion | LikertQuestion, lang: Lang) -> list[ValueLabel]:
    if isinstance(q, SingleQuestion):
        return [ValueLabel(o.code, o.label.get(lang)) for o in q.options]
    values: list[ValueLabel] = []
    if q.labels:
        values = [ValueLabel(i, t.get(lang)) for i, t in enumerate(q.labels, 1)]
    elif q.anchors:
        values = [ValueLabel(a.point, a.label.get(lang)) for a in q.anchors]
    if q.dont_know:
        label = q.dont_know_label.get(lang) if q.dont_know_label else WORDS["dont_know"][lang]
        values.append(ValueLabel(DONT_KNOW_CODE, label))
    return values


def _code_variable(
    q: SingleQuestion | LikertQuestion | MultipleQuestion, name: str, option_value: str | None, index: int, lang: Lang
) -> Variable:
    label = q.label.get(lang)
    values: list[ValueLabel]
    missing: list[int] = []
    measure: Measure = "nominal"
    if isinstance(q, MultipleQuestion):
        option = next(o for o in q.options if o.value == option_value)
        label = f"{label} — {option.label.get(lang)}"
        values = [ValueLabel(0, WORDS["not_selected"][lang]), ValueLabel(1, WORDS["selected"][lang])]
    else:
        values = _value_labels(q, lang)
        if isinstance(q, LikertQuestion):
            measure = "ordinal"
            missing = [DONT_KNOW_CODE] if q.dont_know else []
    return Variable(
        name=name,
        label=label,
        type="integer",
        measure=measure,
        source="codes",
        index=index,
        question_id=q.id,
        question_kind=kind_of(q),
        option=option_value,
        required=q.required,
        shown_if=_shown_if(q, lang),
        values=values,
        missing=missing,
    )


def _shown_if(q: Question, lang: Lang = "en") -> str | None:
    if q.show_if is None:
        return None
    return word("shown_if", lang, question=q.show_if.question, values=", ".join(q.show_if.in_))


def export_variables(instrument: Instrument, lang: Lang, *, with_school: bool, include_text: bool) -> list[Variable]:
    """The export's columns in order (see the module docstring)."""
    out = [Variable(name="response", label=WORDS["response"][lang], type="integer", measure="scale", source="meta")]
    if with_school:
        out.append(
            Variable(name="school", label=WORDS["school"][lang], type="string", measure="nominal", source="meta")
        )
    out.append(Variable(name="wave", label=WORDS["wave"][lang], type="integer", measure="ordinal", source="meta"))
    out.append(
        Variable(
            name="submitted_month",
            label=WORDS["submitted_month"][lang],
            type="string",
            measure="ordinal",
            source="meta",
        )
    )
    layout = build_layout(instrument)
    for i, var in enumerate(layout.codes):
        q = instrument.question(var.question_id)
        assert isinstance(q, SingleQuestion | LikertQuestion | MultipleQuestion)
        out.append(_code_variable(q, var.name, var.option, i, lang))
    for j, nvar in enumerate(layout.numbers):
        nq = instrument.question(nvar.question_id)
        assert isinstance(nq, NumberQuestion)
        out.append(
            Variable(
                name=nvar.name,
                label=nq.label.get(lang),
                type="integer" if nq.integer else "number",
                measure="scale",
                source="numbers",
                index=j,
                question_id=nq.id,
                question_kind="number",
                required=nq.required,
                shown_if=_shown_if(nq),
            )
        )
    if include_text:
        for tid in layout.texts:
            tq = instrument.question(tid)
            assert isinstance(tq, TextQuestion)
            out.append(
                Variable(
                    name=tid,
                    label=tq.label.get(lang),
                    type="string",
                    measure="nominal",
                    source="texts",
                    question_id=tid,
                    question_kind="text",
                    required=tq.required,
                    shown_if=_shown_if(tq),
                )
            )
    return out


def _answers(instrument: Instrument | None, question: str, values: Sequence[object], lang: Lang) -> str:
    """Answer values as written in the rule (English) or, in other languages, as their labels."""
    if lang == "en" or instrument is None:
        return ", ".join(map(str, values))
    q = next((q for q in instrument.questions if q.id == question), None)
    labels = {str(o.value): o.label.get(lang) for o in getattr(q, "options", ())}
    dont_know = getattr(q, "dont_know_label", None)
    labels.setdefault("dont_know", dont_know.get(lang) if dont_know else WORDS["dont_know"][lang])
    return ", ".join(f"„{labels[str(v)]}”" if str(v) in labels else str(v) for v in values)


def _rule_definition(rule: ScoringRule, lang: Lang = "en", instrument: Instrument | None = None) -> str:
    if isinstance(rule, ShareRule):
        success = _answers(instrument, rule.question, rule.success, lang)
        text = word("def_share", lang, question=rule.question, success=success)
        if rule.exclude:
            exclude = _answers(instrument, rule.question, rule.exclude, lang)
            text += word("def_share_exclude", lang, exclude=exclude)
        return text + word("def_share_end", lang)
    if isinstance(rule, ScaleRule):
        return word("def_scale", lang, items=", ".join(rule.items), min_valid=rule.min_valid)
    assert isinstance(rule, ThresholdRule)
    cutoff = f"{rule.cutoff:g}" if lang == "en" else f"{rule.cutoff:g}".replace(".", ",")
    return word("def_threshold", lang, scale=rule.scale, operator=rule.operator, cutoff=cutoff, basis=rule.basis)


def rule_docs(instrument: Instrument, lang: Lang) -> list[RuleDoc]:
    """The scoring rules; the instruments' free descriptions are English, so only the English
    codebook carries them (the definition says the same in every language)."""
    return [
        RuleDoc(
            id=r.id,
            kind=kind_of(r),
            label=r.label.get(lang),
            definition=_rule_definition(r, lang, instrument),
            description=r.description if lang == "en" else None,
        )
        for r in instrument.scoring
    ]


# --- renderers ------------------------------------------------------------------------------------


def neutralize(value: str) -> str:
    """Defuse spreadsheet formulas (CSV only): see :func:`pmp_surveys.spreadsheets.defuse`."""
    return defuse(value)


def _values_text(v: Variable) -> str:
    return "; ".join(f"{x.code}={x.label}" for x in v.values)


def codebook_json(book: Codebook) -> bytes:
    return msgspec.json.format(msgspec.json.encode(book), indent=2)


CSV_COLUMNS = (
    "variable",
    "label",
    "type",
    "measure",
    "question",
    "kind",
    "option",
    "required",
    "shown_if",
    "values",
    "missing",
)


def _csv_rows(book: Codebook) -> list[list[Cell]]:
    return [
        [
            v.name,
            v.label,
            v.type,
            v.measure,
            v.question_id or "",
            v.question_kind or "",
            v.option or "",
            "" if v.required is None else str(v.required).lower(),
            v.shown_if or "",
            _values_text(v),
            ",".join(map(str, v.missing)),
        ]
        for v in book.variables
    ]


def codebook_csv(book: Codebook) -> bytes:
    """One row per variable; value labels as `code=label; …` (UTF-8 with a BOM, formulas defused)."""
    return csv_text(CSV_COLUMNS, _csv_rows(book)).encode()


def codebook_xlsx(book: Codebook) -> bytes:
    """The CSV's table, the scoring rules and the design code as a workbook (text stays text)."""
    sheets = [
        Sheet("variables", CSV_COLUMNS, _csv_rows(book), widths=(24, 60, 9, 9, 20, 9, 12, 9, 24, 60, 8)),
        Sheet(
            "scoring",
            ("rule", "kind", "label", "definition", "description"),
            [[r.id, r.kind, r.label, r.definition, r.description] for r in book.scoring],
            widths=(24, 10, 50, 80, 60),
        ),
        Sheet("notes", ("note",), [[n] for n in book.notes], widths=(120,)),
    ]
    if book.design is not None:
        d = book.design
        rows: list[list[Cell]] = [
            ["design", d.design],
            ["description", design_description(d, book.language)],
            ["R", d.r],
            ["Python", d.python],
        ]
        sheets.append(Sheet("design", ("what", "value"), rows, widths=(14, 120)))
    return xlsx_bytes(sheets, title=f"{book.title} — codebook")


def design_description(design: DesignCode, lang: Lang) -> str:
    """The design's sentence in the codebook's language (ru/uk: English)."""
    if design.design == "stratified":
        return word("design_stratified", lang, pooled=POOLED)
    why = word("design_simple_why", lang) if "head-count is missing" in design.description else ""
    return word("design_simple", lang, why=why)


def _design_html(book: Codebook) -> list[str]:
    """The "Design as code" section of the HTML codebook, in its language (empty without a design)."""
    if book.design is None:
        return []
    e = html.escape
    d = book.design
    return [
        f"<h2>{e(word('design_heading', book.language))}</h2>",
        f"<p>{e(design_description(d, book.language))}</p>",
        "<h3>R (<code>survey</code>)</h3>",
        f"<pre><code>{e(d.r)}</code></pre>",
        "<h3>Python</h3>",
        f"<pre><code>{e(d.python)}</code></pre>",
    ]


def codebook_html(book: Codebook) -> bytes:
    """A readable, self-contained page in the codebook's language: notes, variables with labels,
    scoring rules. Identifiers (variable names, rule ids) are in <code>."""
    e = html.escape
    lang = book.language

    def w(key: str, **fields: object) -> str:
        return e(word(key, lang, **fields))

    def term(prefix: str, value: str) -> str:
        return w(f"{prefix}_{value}") if f"{prefix}_{value}" in TEXT else e(value)

    parts = [
        "<!doctype html>",
        f'<html lang="{e(lang)}"><head><meta charset="utf-8">',
        f"<title>{e(book.title)} — {w('codebook')}</title>",
        "<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:75rem}"
        "table{border-collapse:collapse;width:100%}th,td{border:1px solid #bbb;padding:.3rem .5rem;"
        "text-align:left;vertical-align:top}th{background:#eee}code{font-size:.95em}</style></head><body>",
        f"<h1>{e(book.title)}</h1>",
        "<dl>",
    ]
    version = w("version_hash", version=book.instrument_version, hash=book.content_hash[:12])
    facts = [
        (w("instrument"), f"<code>{e(book.instrument)}</code> {version}"),
        (w("municipality"), f"<code>{e(book.municipality)}</code>"),
        (w("campaigns"), ", ".join(f"<code>{e(c)}</code>" for c in book.campaigns)),
        (w("waves"), e(", ".join(map(str, book.waves)))),
        (w("language"), e(book.language)),
        (w("responses"), e(str(book.responses))),
        (w("generated"), e(book.generated_on.isoformat())),
    ]
    parts += [f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts]
    names = sorted({v.name for v in book.variables} | {r.id for r in book.scoring}, key=len, reverse=True)
    ident = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b") if names else None

    def marked(text: str) -> str:
        """Escaped text with the variables and rules it names set as <code>."""
        escaped = e(text)
        return ident.sub(r"<code>\1</code>", escaped) if ident else escaped

    parts.append(f"</dl><h2>{w('notes')}</h2><ul>")
    parts += [f"<li>{marked(n)}</li>" for n in book.notes]  # variable names as <code>
    parts.append(f"</ul><h2>{w('variables')}</h2><table><thead><tr>")
    headers = ("col_variable", "col_label", "col_type", "col_values", "col_missing", "col_question", "col_shown_if")
    parts += [f"<th>{w(h)}</th>" for h in headers]
    parts.append("</tr></thead><tbody>")
    for v in book.variables:
        values = "<br>".join(f"{x.code} = {e(x.label)}" for x in v.values)
        question = (
            "" if v.question_id is None else f"<code>{e(v.question_id)}</code> ({term('kind', v.question_kind or '')})"
        )
        shown_if = "" if v.shown_if is None else f"<code>{e(v.shown_if)}</code>"
        parts.append(
            f"<tr><td><code>{e(v.name)}</code></td><td>{e(v.label)}</td>"
            f"<td>{term('type', v.type)}, {term('measure', v.measure)}</td>"
            f"<td>{values}</td><td>{e(', '.join(map(str, v.missing)))}</td><td>{question}</td>"
            f"<td>{shown_if}</td></tr>"
        )
    parts.append(f"</tbody></table><h2>{w('scoring')}</h2><table><thead><tr>")
    rule_headers = ("col_rule", "col_kind", "col_label", "col_definition", "col_description")
    parts += [f"<th>{w(h)}</th>" for h in rule_headers]
    parts.append("</tr></thead><tbody>")
    for r in book.scoring:
        parts.append(
            f"<tr><td><code>{e(r.id)}</code></td><td>{term('kind', r.kind)}</td><td>{e(r.label)}</td>"
            f"<td>{marked(r.definition)}</td><td>{e(r.description or '')}</td></tr>"
        )
    parts.append("</tbody></table>")
    parts += _design_html(book)
    parts.append("</body></html>\n")
    return "\n".join(parts).encode()


CodebookFormat = Literal["json", "csv", "html", "xlsx"]


def render_codebook(book: Codebook, fmt: CodebookFormat) -> bytes:
    if fmt == "json":
        return codebook_json(book)
    if fmt == "csv":
        return codebook_csv(book)
    if fmt == "xlsx":
        return codebook_xlsx(book)
    return codebook_html(book)
