"""The instrument file format: frozen msgspec structs decoded from `surveys/*.toml`.

Question kinds and scoring rules are tagged unions on the field `kind`. Every struct forbids
unknown fields, so a typo in a file is an error, not a silently ignored key. Cross-field rules
(unique ids, show-if order, rule references, ...) live in `checks.py`; this module only states
shapes. The JSON Schema in `surveys/instrument.schema.json` is generated from these structs.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

Lang = Literal["lv", "ru", "uk", "en"]
#: Supported languages, primary first.
LANGUAGES: tuple[Lang, ...] = ("lv", "ru", "uk", "en")
PRIMARY_LANGUAGE: Lang = "lv"

InstrumentKey = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$", max_length=64)]
#: Question ids become column names, so they are snake case; `__` is reserved for `qid__option`.
QuestionId = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$", max_length=48)]
RuleId = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$", max_length=64)]
OptionValue = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9]+(_[a-z0-9]+)*$", max_length=48)]
OptionCode = Annotated[int, msgspec.Meta(ge=0, le=98)]


class _Strict(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    pass


class Text(_Strict, frozen=True):
    """A human label in every supported language (Latvian primary)."""

    lv: str
    ru: str
    uk: str
    en: str

    def get(self, lang: Lang) -> str:
        return str(getattr(self, lang))


class Option(_Strict, frozen=True):
    """A choice: `value` is what the API sends, `code` what storage and SPSS keep."""

    value: OptionValue
    code: OptionCode
    label: Text


class Anchor(_Strict, frozen=True):
    """A label for one point of a rating scale (for example 1, 5 and 9)."""

    point: int
    label: Text


class ShowIf(_Strict, frozen=True):
    """Show the question only when an earlier single/multiple question has one of these values."""

    question: QuestionId
    in_: list[OptionValue] = msgspec.field(name="in")


class _Question(_Strict, frozen=True, tag_field="kind"):
    id: QuestionId
    label: Text
    help: Text | None = None
    required: bool = True
    show_if: ShowIf | None = None


class SingleQuestion(_Question, frozen=True, kw_only=True, tag="single"):
    """One option out of several."""

    options: list[Option]


class MultipleQuestion(_Question, frozen=True, kw_only=True, tag="multiple"):
    """Any number of options (each coded as its own 0/1 variable)."""

    options: list[Option]


class LikertQuestion(_Question, frozen=True, kw_only=True, tag="likert"):
    """A rating on 1..points, with per-point `labels` or end/intermediate `anchors`.

    `reverse = true` marks a reverse-coded item: scales score it as `points + 1 - answer`;
    the stored code stays the answer as given.
    """

    points: int
    labels: list[Text] | None = None
    anchors: list[Anchor] | None = None
    dont_know: bool = False
    dont_know_label: Text | None = None
    reverse: bool = False


class NumberQuestion(_Question, frozen=True, kw_only=True, tag="number"):
    """A number, optionally bounded and optionally whole."""

    min: float | None = None
    max: float | None = None
    integer: bool = False
    unit: Text | None = None


class TextQuestion(_Question, frozen=True, kw_only=True, tag="text"):
    """Free text, stripped; an empty answer counts as unanswered."""

    max_length: Annotated[int, msgspec.Meta(ge=1, le=10000)] = 500
    multiline: bool = False


Question = SingleQuestion | MultipleQuestion | LikertQuestion | NumberQuestion | TextQuestion
ChoiceQuestion = SingleQuestion | MultipleQuestion

#: A value in a question's answer space: an option value, a likert point, or "dont_know".
AnswerValue = str | int


class _Rule(_Strict, frozen=True, tag_field="kind"):
    id: RuleId
    label: Text
    description: str | None = None


class ShareRule(_Rule, frozen=True, kw_only=True, tag="share"):
    """Share of respondents whose answer to `question` is in `success`.

    Denominator: respondents who answered, minus answers listed in `exclude` (for example
    `["dont_know"]`). Unanswered and not-shown questions always leave the denominator.
    For a multiple-choice question, success means any `success` option was ticked.
    """

    question: QuestionId
    success: list[AnswerValue]
    exclude: list[AnswerValue] = []


class ScaleRule(_Rule, frozen=True, kw_only=True, tag="scale"):
    """Unweighted mean of `items` (reverse-coded likert items flipped first).

    A respondent gets a score only with at least `min_valid` valid item answers
    ("don't know" is not valid).
    """

    items: list[QuestionId]
    min_valid: Annotated[int, msgspec.Meta(ge=1)]
    method: Literal["mean"] = "mean"


class ThresholdRule(_Rule, frozen=True, kw_only=True, tag="threshold"):
    """Share of respondents whose `scale` score satisfies `operator cutoff`.

    `basis` says where the cut-off comes from; `convention` means no official cut-off exists and
    the file states the one chosen (explain it in `description`).
    """

    scale: RuleId
    operator: Literal[">=", ">", "<=", "<"]
    cutoff: float
    basis: Literal["convention", "published"]


ScoringRule = ShareRule | ScaleRule | ThresholdRule


class Instrument(_Strict, frozen=True, kw_only=True):
    """One survey instrument: questions in display order plus its scoring rules."""

    key: InstrumentKey
    version: Annotated[int, msgspec.Meta(ge=1)]
    title: Text
    intro: Text | None = None
    questions: list[Question]
    scoring: list[ScoringRule] = []
    #: Ids of single-choice questions that, with the school, could single a respondent out
    #: (age band, sex, district, role, experience …): every microdata export is k-anonymous on
    #: them (exports.service; README "Disclosure control").
    quasi_identifiers: list[str] = []

    def question(self, question_id: str) -> Question:
        """The question with this id (KeyError when there is none)."""
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def rule(self, rule_id: str) -> ScoringRule:
        """The scoring rule with this id (KeyError when there is none)."""
        for r in self.scoring:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


def kind_of(node: Question | ScoringRule) -> str:
    """The `kind` tag of a question or scoring rule (for example "likert")."""
    return str(type(node).__struct_config__.tag)
