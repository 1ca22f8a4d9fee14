"""Validate submitted answers against an instrument and code them into the storage layout.

Build one `AnswerValidator` per instrument version and reuse it: all per-question work (option
maps, ranges, show-if conditions, array positions) is done once in the constructor, so
`validate` is a single pass over the questions.

JSON answers: single → option value; likert → int 1..points or "dont_know"; multiple → list of
unique option values; number → int/float (not bool); text → str. None means unanswered.
`from_form=True` also accepts HTML-form strings ("4", "3,5") and one-element lists.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from typing import Any, Final

import msgspec

from .coding import DONT_KNOW, DONT_KNOW_CODE, Layout, build_layout
from .definition import (
    Instrument,
    LikertQuestion,
    MultipleQuestion,
    NumberQuestion,
    Question,
    SingleQuestion,
    TextQuestion,
)
from .errors import InstrumentError
from .loader import content_hash
from .localize import localize as localize  # re-exported: callers import it from here
from .messages import ErrorCode, render_message


class FieldError(msgspec.Struct, frozen=True):
    """A problem with the answer to one question (`question_id` as submitted)."""

    question_id: str
    code: ErrorCode
    params: dict[str, Any] = {}

    def message(self, lang: str) -> str:
        """The respondent-facing message in `lang` ("lv", "ru", "uk" or "en")."""
        return render_message(self.code, self.params, lang)


class AnswersInvalid(InstrumentError):
    """Submitted answers failed validation; `errors` holds one entry per problem."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e.question_id}: {e.code}" for e in errors))

    def by_question(self) -> dict[str, list[FieldError]]:
        out: dict[str, list[FieldError]] = {}
        for e in self.errors:
            out.setdefault(e.question_id, []).append(e)
        return out


class CodedAnswers(msgspec.Struct, frozen=True, kw_only=True):
    """Answers coded to the instrument's layout (see `coding.py`).

    `fingerprint` is the sha256 of a canonical encoding of the instrument's content hash and the
    coded values: two submissions with the same fingerprint carry the same answers.
    """

    codes: tuple[int | None, ...]
    numbers: tuple[float | None, ...]
    texts: dict[str, str]
    fingerprint: bytes


class _Invalid(Exception):
    def __init__(self, code: ErrorCode, **params: Any) -> None:
        self.code = code
        self.params = params


_UNANSWERED: Final = object()


def _one(raw: object) -> object:
    """A form field may arrive as a list (repeated key); a single answer wants one value."""
    if isinstance(raw, list | tuple):
        if not raw:
            return _UNANSWERED
        if len(raw) > 1:
            raise _Invalid("wrong_type")
        return raw[0]
    return raw


class _Plan:
    """Per-question validation and coding, prepared once."""

    __slots__ = ("id", "required", "show_ref", "show_values", "slot")

    def __init__(self, q: Question, slot: int) -> None:
        self.id = q.id
        self.required = q.required
        self.show_ref = q.show_if.question if q.show_if else None
        self.show_values = frozenset(q.show_if.in_) if q.show_if else frozenset()
        self.slot = slot

    def parse(self, raw: object, from_form: bool) -> object:
        raise NotImplementedError

    def store(self, value: Any, codes: list[int | None], numbers: list[float | None], texts: dict[str, str]) -> None:
        raise NotImplementedError

    def selection(self, value: Any) -> frozenset[str]:
        raise NotImplementedError


class _Single(_Plan):
    __slots__ = ("code_of",)

    def __init__(self, q: SingleQuestion, slot: int) -> None:
        super().__init__(q, slot)
        self.code_of = {o.value: o.code for o in q.options}

    def parse(self, raw: object, from_form: bool) -> object:
        if from_form:
            raw = _one(raw)
            if isinstance(raw, str):
                raw = raw.strip()
                if not raw:
                    return _UNANSWERED
        if not isinstance(raw, str):
            raise _Invalid("wrong_type", expected="option")
        if raw not in self.code_of:
            raise _Invalid("unknown_option", value=raw[:100])
        return raw

    def store(self, value: Any, codes: list[int | None], numbers: list[float | None], texts: dict[str, str]) -> None:
        codes[self.slot] = self.code_of[value]

    def selection(self, value: Any) -> frozenset[str]:
        return frozenset((value,))


class _Multiple(_Plan):
    __slots__ = ("options",)

    def __init__(self, q: MultipleQuestion, slot: int) -> None:
        super().__init__(q, slot)
        self.options = tuple(o.value for o in q.options)

    def parse(self, raw: object, from_form: bool) -> object:
        if from_form:
            if isinstance(raw, str):
                raw = [raw]
            if isinstance(raw, list | tuple):
                raw = [v.strip() if isinstance(v, str) else v for v in raw]
                raw = [v for v in raw if v != ""]
        if not isinstance(raw, list | tuple):
            raise _Invalid("wrong_type", expected="list")
        if not raw:
            return _UNANSWERED
        chosen: set[str] = set()
        for v in raw:
            if not isinstance(v, str):
                raise _Invalid("wrong_type", expected="option")
            if v not in self.options:
                raise _Invalid("unknown_option", value=v[:100])
            if v in chosen:
                raise _Invalid("duplicate_option", value=v)
            chosen.add(v)
        return frozenset(chosen)

    def store(self, value: Any, codes: list[int | None], numbers: list[float | None], texts: dict[str, str]) -> None:
        for i, option in enumerate(self.options):
            codes[self.slot + i] = 1 if option in value else 0

    def selection(self, value: Any) -> frozenset[str]:
        return frozenset(value)


class _Likert(_Plan):
    __slots__ = ("dont_know", "points")

    def __init__(self, q: LikertQuestion, slot: int) -> None:
        super().__init__(q, slot)
        self.points = q.points
        self.dont_know = q.dont_know

    def parse(self, raw: object, from_form: bool) -> object:
        if from_form:
            raw = _one(raw)
            if isinstance(raw, str):
                raw = raw.strip()
                if not raw:
                    return _UNANSWERED
                if raw != DONT_KNOW:
                    try:
                        raw = int(raw)
                    except ValueError:
                        raise _Invalid("wrong_type", expected="integer") from None
        if isinstance(raw, str):
            if raw != DONT_KNOW:
                raise _Invalid("wrong_type", expected="integer")
            if not self.dont_know:
                raise _Invalid("unknown_option", value=raw)
            return DONT_KNOW_CODE
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise _Invalid("wrong_type", expected="integer")
        if not 1 <= raw <= self.points:
            raise _Invalid("out_of_range", min=1, max=self.points)
        return raw

    def store(self, value: Any, codes: list[int | None], numbers: list[float | None], texts: dict[str, str]) -> None:
        codes[self.slot] = value


class _Number(_Plan):
    __slots__ = ("integer", "max", "min")

    def __init__(self, q: NumberQuestion, slot: int) -> None:
        super().__init__(q, slot)
        self.min = q.min
        self.max = q.max
        self.integer = q.integer

    def parse(self, raw: object, from_form: bool) -> object:
        expected = "integer" if self.integer else "number"
        if from_form:
            raw = _one(raw)
            if isinstance(raw, str):
                text = raw.strip().replace(",", ".")  # Latvian, Russian and Ukrainian decimal comma
                if not text:
                    return _UNANSWERED
                if len(text) > 40:
                    raise _Invalid("wrong_type", expected=expected)
                try:
                    raw = float(text)
                except ValueError:
                    raise _Invalid("wrong_type", expected=expected) from None
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise _Invalid("wrong_type", expected=expected)
        try:
            x = float(raw)
        except OverflowError:  # an int too large for a float
            raise _Invalid("out_of_range", min=self.min, max=self.max) from None
        if not math.isfinite(x):
            raise _Invalid("wrong_type", expected=expected)
        if self.integer and not x.is_integer():
            raise _Invalid("wrong_type", expected="integer")
        if (self.min is not None and x < self.min) or (self.max is not None and x > self.max):
            raise _Invalid("out_of_range", min=self.min, max=self.max)
        return x

    def store(self, value: Any, codes: list[int | None], numbers: list[float | None], texts: dict[str, str]) -> None:
        numbers[self.slot] = value


class _Text(_Plan):
    __slots__ = ("max_length",)

    def __init__(self, q: TextQuestion, slot: int) -> None:
        super().__init__(q, slot)
        self.max_length = q.max_length

    def parse(self, raw: object, from_form: bool) -> object:
        if from_form:
            raw = _one(raw)
            if raw is _UNANSWERED:
                return raw
        if not isinstance(raw, str):
            raise _Invalid("wrong_type", expected="text")
        text = raw.replace("\x00", "").strip()  # PostgreSQL text cannot hold NUL
        if not text:
            return _UNANSWERED
        if len(text) > self.max_length:
            raise _Invalid("too_long", max_length=self.max_length)
        return text

    def store(self, value: Any, codes: list[int | None], numbers: list[float | None], texts: dict[str, str]) -> None:
        texts[self.id] = value


class AnswerValidator:
    """Validates and codes answers for one instrument version. Build once, reuse; thread-safe."""

    def __init__(self, instrument: Instrument) -> None:
        self.instrument = instrument
        self.layout: Layout = build_layout(instrument)
        self._hash = content_hash(instrument)
        referenced = {q.show_if.question for q in instrument.questions if q.show_if}
        plans: list[_Plan] = []
        n_codes = n_numbers = 0
        for q in instrument.questions:
            plan: _Plan
            if isinstance(q, SingleQuestion):
                plan, n_codes = _Single(q, n_codes), n_codes + 1
            elif isinstance(q, MultipleQuestion):
                plan, n_codes = _Multiple(q, n_codes), n_codes + len(q.options)
            elif isinstance(q, LikertQuestion):
                plan, n_codes = _Likert(q, n_codes), n_codes + 1
            elif isinstance(q, NumberQuestion):
                plan, n_numbers = _Number(q, n_numbers), n_numbers + 1
            else:
                plan = _Text(q, 0)
            plans.append(plan)
        assert n_codes == len(self.layout.codes) and n_numbers == len(self.layout.numbers)
        self._plans = tuple(plans)
        self._referenced = frozenset(referenced)
        self._ids = frozenset(q.id for q in instrument.questions)
        self._n_codes = n_codes
        self._n_numbers = n_numbers

    def validate(self, answers: Mapping[str, object], *, from_form: bool = False) -> CodedAnswers:
        """Check and code `answers`; raise AnswersInvalid listing every problem."""
        errors: list[FieldError] = []
        ids = self._ids
        for key in answers:
            if key not in ids:
                errors.append(FieldError(str(key)[:100], "unknown_question"))
        codes: list[int | None] = [None] * self._n_codes
        numbers: list[float | None] = [None] * self._n_numbers
        texts: dict[str, str] = {}
        chosen: dict[str, frozenset[str]] = {}
        failed: set[str] = set()
        referenced = self._referenced
        for plan in self._plans:
            raw = answers.get(plan.id)
            value: object = _UNANSWERED
            if raw is not None:
                try:
                    value = plan.parse(raw, from_form)
                except _Invalid as e:
                    errors.append(FieldError(plan.id, e.code, e.params))
                    failed.add(plan.id)
                    continue
            ref = plan.show_ref
            if ref is not None:
                if ref in failed:
                    continue  # cannot tell whether it is shown: the earlier answer is already reported
                selected = chosen.get(ref)
                if selected is None or selected.isdisjoint(plan.show_values):
                    if value is not _UNANSWERED:
                        errors.append(FieldError(plan.id, "condition_not_met"))
                        failed.add(plan.id)
                    continue
            if value is _UNANSWERED:
                if plan.required:
                    errors.append(FieldError(plan.id, "required"))
                continue
            plan.store(value, codes, numbers, texts)
            if plan.id in referenced:
                chosen[plan.id] = plan.selection(value)
        if errors:
            raise AnswersInvalid(errors)
        codes_t, numbers_t = tuple(codes), tuple(numbers)
        payload = msgspec.json.encode((self._hash, codes_t, numbers_t, sorted(texts.items())))
        return CodedAnswers(codes=codes_t, numbers=numbers_t, texts=texts, fingerprint=hashlib.sha256(payload).digest())
