"""The coded layout of an instrument's answers: which variable sits at which array position.

Storage keeps answers as typed arrays, so every instrument version has a fixed layout:

* `codes` (integers): single → the option's `code`; likert → the point 1..points, or
  `DONT_KNOW_CODE` for "don't know"; multiple → one 0/1 variable per option, named
  `<question>__<option value>`, in option order.
* `numbers` (floats): one per number question.
* `texts`: free-text answers by question id (not in an array).

A question that was not answered or not shown is None in every variable it owns. A multiple-choice
question answered with at least one option has all its variables set (1 ticked, 0 not ticked).
The layout depends only on the instrument, so it is the same for every response of a version.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from .definition import (
    Instrument,
    LikertQuestion,
    MultipleQuestion,
    NumberQuestion,
    ScaleRule,
    ShareRule,
    SingleQuestion,
    TextQuestion,
)

#: Code stored for a "don't know" answer to a likert question (outside every scale range).
DONT_KNOW_CODE = 99
DONT_KNOW = "dont_know"


class CodeVar(msgspec.Struct, frozen=True, kw_only=True):
    """One integer variable; `option` is set only for a multiple-choice 0/1 variable."""

    name: str
    question_id: str
    kind: Literal["single", "likert", "multiple"]
    option: str | None = None


class NumberVar(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    question_id: str


class Layout(msgspec.Struct, frozen=True, kw_only=True):
    """Variables in storage order. Positions in `codes`/`numbers` are array indices."""

    instrument_key: str
    codes: tuple[CodeVar, ...]
    numbers: tuple[NumberVar, ...]
    texts: tuple[str, ...]

    def code_index(self, name: str) -> int:
        """Position of the code variable `name` (ValueError when there is none)."""
        for i, v in enumerate(self.codes):
            if v.name == name:
                return i
        raise ValueError(f"no code variable {name!r} in {self.instrument_key}")

    def number_index(self, name: str) -> int:
        for i, v in enumerate(self.numbers):
            if v.name == name:
                return i
        raise ValueError(f"no number variable {name!r} in {self.instrument_key}")


def multiple_var_name(question_id: str, option_value: str) -> str:
    return f"{question_id}__{option_value}"


def build_layout(instrument: Instrument) -> Layout:
    """The fixed variable layout of a (checked) instrument."""
    codes: list[CodeVar] = []
    numbers: list[NumberVar] = []
    texts: list[str] = []
    for q in instrument.questions:
        if isinstance(q, SingleQuestion):
            codes.append(CodeVar(name=q.id, question_id=q.id, kind="single"))
        elif isinstance(q, LikertQuestion):
            codes.append(CodeVar(name=q.id, question_id=q.id, kind="likert"))
        elif isinstance(q, MultipleQuestion):
            codes.extend(
                CodeVar(name=multiple_var_name(q.id, o.value), question_id=q.id, kind="multiple", option=o.value)
                for o in q.options
            )
        elif isinstance(q, NumberQuestion):
            numbers.append(NumberVar(name=q.id, question_id=q.id))
        else:
            assert isinstance(q, TextQuestion)
            texts.append(q.id)
    return Layout(instrument_key=instrument.key, codes=tuple(codes), numbers=tuple(numbers), texts=tuple(texts))


class ShareCoding(msgspec.Struct, frozen=True, kw_only=True):
    """A share rule resolved to code positions.

    A respondent is in the denominator when any variable at `indices` is not None and its code is
    not in `exclude`; a success when a code at `indices` is in `success`. For a multiple-choice
    question `indices` are the 0/1 variables of the success options and `success` is {1}.
    """

    rule_id: str
    indices: tuple[int, ...]
    success: frozenset[int]
    exclude: frozenset[int]


class ScaleItem(msgspec.Struct, frozen=True, kw_only=True):
    """Where a scale item lives; `reverse_points` set means score `reverse_points + 1 - code`."""

    question_id: str
    array: Literal["codes", "numbers"]
    index: int
    reverse_points: int | None = None


class ScaleCoding(msgspec.Struct, frozen=True, kw_only=True):
    rule_id: str
    items: tuple[ScaleItem, ...]
    min_valid: int


def _code_of(q: SingleQuestion | MultipleQuestion | LikertQuestion, value: str | int) -> int:
    if isinstance(q, LikertQuestion):
        return DONT_KNOW_CODE if value == DONT_KNOW else int(value)
    return next(o.code for o in q.options if o.value == value)


def share_coding(instrument: Instrument, layout: Layout, rule: ShareRule) -> ShareCoding:
    """Resolve a share rule of a checked instrument to code positions and code sets."""
    q = instrument.question(rule.question)
    if isinstance(q, MultipleQuestion):
        indices = tuple(layout.code_index(multiple_var_name(q.id, str(v))) for v in rule.success)
        return ShareCoding(rule_id=rule.id, indices=indices, success=frozenset({1}), exclude=frozenset())
    assert isinstance(q, SingleQuestion | LikertQuestion)
    return ShareCoding(
        rule_id=rule.id,
        indices=(layout.code_index(q.id),),
        success=frozenset(_code_of(q, v) for v in rule.success),
        exclude=frozenset(_code_of(q, v) for v in rule.exclude),
    )


def scale_coding(instrument: Instrument, layout: Layout, rule: ScaleRule) -> ScaleCoding:
    """Resolve a scale rule of a checked instrument to item positions."""
    items: list[ScaleItem] = []
    for item in rule.items:
        q = instrument.question(item)
        if isinstance(q, LikertQuestion):
            reverse = q.points if q.reverse else None
            items.append(
                ScaleItem(question_id=item, array="codes", index=layout.code_index(item), reverse_points=reverse)
            )
        else:
            items.append(ScaleItem(question_id=item, array="numbers", index=layout.number_index(item)))
    return ScaleCoding(rule_id=rule.id, items=tuple(items), min_valid=rule.min_valid)


def scale_score(coding: ScaleCoding, codes: tuple[int | None, ...], numbers: tuple[float | None, ...]) -> float | None:
    """One respondent's scale score: unweighted mean of valid items, None below `min_valid`.

    "Don't know" (`DONT_KNOW_CODE`) and unanswered items are not valid.
    """
    total = 0.0
    n = 0
    for item in coding.items:
        if item.array == "codes":
            code = codes[item.index]
            if code is None or code == DONT_KNOW_CODE:
                continue
            total += (item.reverse_points + 1 - code) if item.reverse_points is not None else code
        else:
            x = numbers[item.index]
            if x is None:
                continue
            total += x
        n += 1
    return total / n if n >= coding.min_valid else None
