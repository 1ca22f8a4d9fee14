"""What the questionnaire template shows: questions resolved to one language, with posted values
and field errors attached. Pure functions of the instrument and the form; no HTTP here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pmp_surveys.instruments.coding import DONT_KNOW
from pmp_surveys.instruments.definition import (
    Instrument,
    Lang,
    LikertQuestion,
    MultipleQuestion,
    NumberQuestion,
    Question,
    SingleQuestion,
    TextQuestion,
    kind_of,
)
from pmp_surveys.instruments.messages import DEFAULT_DONT_KNOW_LABEL
from pmp_surveys.instruments.validation import AnswersInvalid
from pmp_surveys.web.i18n import t

#: Form values as posted: field name → every value sent under it.
FormValues = Mapping[str, Sequence[str]]

#: Quotation marks of each language (Latvian „…”, Russian and Ukrainian «…», English “…”).
QUOTES: dict[Lang, tuple[str, str]] = {"lv": ("„", "”"), "ru": ("«", "»"), "uk": ("«", "»"), "en": ("“", "”")}


@dataclass(frozen=True)
class Choice:
    """One radio button or checkbox."""

    input_id: str
    value: str
    label: str
    checked: bool
    #: Extra words for screen readers only (a likert anchor next to its number).
    hidden_label: str = ""


@dataclass(frozen=True)
class QuestionView:
    id: str
    number: int
    kind: str
    label: str
    help: str | None
    required: bool
    choices: list[Choice] = field(default_factory=list)
    #: likert: "list" (a label per point, stacked) or "scale" (numbered points in one row).
    layout: str = "list"
    anchors: list[tuple[int, str]] = field(default_factory=list)
    dont_know: Choice | None = None
    value: str = ""
    multiline: bool = False
    max_length: int | None = None
    unit: str | None = None
    input_mode: str = "text"
    condition: str | None = None
    show_if_question: str | None = None
    show_if_values: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def first_input_id(self) -> str:
        if self.choices:
            return self.choices[0].input_id
        return f"q-{self.id}-input"

    @property
    def is_group(self) -> bool:
        return self.kind in ("single", "multiple", "likert")

    @property
    def hint_id(self) -> str:
        return f"q-{self.id}-hint"

    @property
    def error_id(self) -> str:
        return f"q-{self.id}-error"

    @property
    def has_hint(self) -> bool:
        return bool(self.help or self.condition or self.kind in ("multiple",) or self.layout == "scale")

    @property
    def described_by(self) -> str:
        ids = [self.hint_id] if self.has_hint else []
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)


@dataclass(frozen=True)
class SummaryItem:
    href: str
    text: str
    #: The question's box id and the bare message, for the script that renumbers the summary
    #: when conditional questions are hidden.
    box_id: str = ""
    message: str = ""


def _option_label(question: Question, value: str, lang: Lang) -> str:
    if isinstance(question, SingleQuestion | MultipleQuestion):
        for option in question.options:
            if option.value == value:
                return option.label.get(lang)
    return value


def build_questions(
    instrument: Instrument,
    lang: Lang,
    posted: FormValues | None = None,
    errors: AnswersInvalid | None = None,
) -> list[QuestionView]:
    posted = posted or {}
    by_question = errors.by_question() if errors else {}
    numbers = {q.id: i for i, q in enumerate(instrument.questions, start=1)}
    views = []
    for number, q in enumerate(instrument.questions, start=1):
        chosen = [v for v in posted.get(q.id, ()) if v != ""]
        condition = None
        show_values = ""
        if q.show_if is not None:
            source = instrument.question(q.show_if.question)
            opening, closing = QUOTES[lang]
            labels = ", ".join(f"{opening}{_option_label(source, v, lang)}{closing}" for v in q.show_if.in_)
            condition = t(lang, "condition", n=numbers[q.show_if.question], values=labels)
            show_values = " ".join(q.show_if.in_)
        base = {
            "id": q.id,
            "number": number,
            "kind": kind_of(q),
            "label": q.label.get(lang),
            "help": q.help.get(lang) if q.help else None,
            "required": q.required,
            "condition": condition,
            "show_if_question": q.show_if.question if q.show_if else None,
            "show_if_values": show_values,
            "errors": [e.message(lang) for e in by_question.get(q.id, [])],
        }
        views.append(_view(q, lang, chosen, base))
    return views


def _view(q: Question, lang: Lang, chosen: list[str], base: dict[str, object]) -> QuestionView:
    if isinstance(q, SingleQuestion | MultipleQuestion):
        choices = [Choice(f"q-{q.id}-{o.value}", o.value, o.label.get(lang), o.value in chosen) for o in q.options]
        return QuestionView(**base, choices=choices)  # type: ignore[arg-type]
    if isinstance(q, LikertQuestion):
        return _likert(q, lang, chosen, base)
    value = chosen[0] if chosen else ""
    if isinstance(q, NumberQuestion):
        return QuestionView(
            **base,  # type: ignore[arg-type]
            value=value,
            unit=q.unit.get(lang) if q.unit else None,
            input_mode="numeric" if q.integer and (q.min is None or q.min >= 0) else "decimal",
        )
    assert isinstance(q, TextQuestion)
    return QuestionView(**base, value=value, multiline=q.multiline, max_length=q.max_length)  # type: ignore[arg-type]


def _likert(q: LikertQuestion, lang: Lang, chosen: list[str], base: dict[str, object]) -> QuestionView:
    dont_know = None
    if q.dont_know:
        label = (q.dont_know_label or DEFAULT_DONT_KNOW_LABEL).get(lang)
        dont_know = Choice(f"q-{q.id}-{DONT_KNOW}", DONT_KNOW, label, DONT_KNOW in chosen)
    if q.labels:
        choices = [
            Choice(f"q-{q.id}-{p}", str(p), q.labels[p - 1].get(lang), str(p) in chosen) for p in range(1, q.points + 1)
        ]
        return QuestionView(**base, choices=choices, layout="list", dont_know=dont_know)  # type: ignore[arg-type]
    anchors = {a.point: a.label.get(lang) for a in q.anchors or []}
    choices = [
        Choice(f"q-{q.id}-{p}", str(p), str(p), str(p) in chosen, anchors.get(p, "")) for p in range(1, q.points + 1)
    ]
    return QuestionView(
        **base,  # type: ignore[arg-type]
        choices=choices,
        layout="scale",
        anchors=sorted(anchors.items()),
        dont_know=dont_know,
    )


def error_summary(questions: Sequence[QuestionView], lang: Lang, extra: Sequence[str] = ()) -> list[SummaryItem]:
    items = [
        SummaryItem(f"#{q.first_input_id}", f"{t(lang, 'question_n', n=q.number)}: {message}", f"q-{q.id}", message)
        for q in questions
        for message in q.errors
    ]
    items.extend(SummaryItem("", message) for message in extra)
    return items


def answers_from_form(instrument: Instrument, form: FormValues) -> dict[str, object]:
    """The answers part of a posted form, shaped for `AnswerValidator.validate(from_form=True)`.

    Only the instrument's question ids are taken (hidden fields are not answers); a question
    sent once becomes a string, a repeated one (checkboxes) a list.
    """
    answers: dict[str, object] = {}
    for q in instrument.questions:
        values = list(form.get(q.id, ()))
        if not values:
            continue
        answers[q.id] = values if isinstance(q, MultipleQuestion) or len(values) > 1 else values[0]
    return answers


def without_unmet_conditions(instrument: Instrument, form: FormValues) -> dict[str, list[str]]:
    """`form` without the answers to questions whose show-if is not met by the form itself.

    Without JavaScript every question is on the page; a respondent who answers a conditional
    question and then changes the answer it depends on cannot untick a radio button. The pages
    therefore drop such answers (they were never asked); the JSON API keeps rejecting them
    (`condition_not_met`). Questions are taken in order, so a chain of conditions (A shows B,
    B shows C) drops C when B is dropped.
    """
    kept = {name: list(values) for name, values in form.items()}
    for q in instrument.questions:
        if q.show_if is None or q.id not in kept:
            continue
        chosen = {v for v in kept.get(q.show_if.question, ()) if v}
        if chosen.isdisjoint(q.show_if.in_):
            del kept[q.id]
    return kept
