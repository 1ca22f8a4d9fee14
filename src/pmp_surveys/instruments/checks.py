"""Cross-field checks run on every decoded instrument (what a type alone cannot say)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec

from .definition import (
    LANGUAGES,
    AnswerValue,
    Instrument,
    LikertQuestion,
    MultipleQuestion,
    NumberQuestion,
    Question,
    ScaleRule,
    ShareRule,
    SingleQuestion,
    Text,
    ThresholdRule,
    kind_of,
)
from .errors import DefinitionProblem, ProblemKind, Problems

DONT_KNOW = "dont_know"


def answer_values(question: Question) -> list[AnswerValue] | None:
    """The values a share rule may name for this question (None: not countable)."""
    if isinstance(question, SingleQuestion | MultipleQuestion):
        return [o.value for o in question.options]
    if isinstance(question, LikertQuestion):
        values: list[AnswerValue] = list(range(1, question.points + 1))
        if question.dont_know:
            values.append(DONT_KNOW)
        return values
    return None


def scale_range(question: Question) -> tuple[float, float] | None:
    """The numeric range of a scale item (None when it has none)."""
    if isinstance(question, LikertQuestion):
        return (1.0, float(question.points))
    if isinstance(question, NumberQuestion) and question.min is not None and question.max is not None:
        return (question.min, question.max)
    return None


class _Checker:
    def __init__(self, instrument: Instrument, file: Path | str) -> None:
        self.instrument = instrument
        self.file = file
        self.problems: list[DefinitionProblem] = []

    def add(self, problem: ProblemKind, path: str, /, **params: Any) -> None:
        self.problems.append(DefinitionProblem.make(problem, self.file, path, **params))

    def run(self) -> list[DefinitionProblem]:
        self.check_translations(self.instrument, "")
        position = self.check_questions()
        self.check_rules(position)
        self.check_quasi_identifiers()
        return self.problems

    def check_quasi_identifiers(self) -> None:
        questions = {q.id: q for q in self.instrument.questions}
        for i, qid in enumerate(self.instrument.quasi_identifiers):
            if not isinstance(questions.get(qid), SingleQuestion):
                self.add(Problems.QUASI_IDENTIFIER, f"quasi_identifiers[{i}]", question=qid)

    def check_translations(self, node: Any, path: str) -> None:
        if isinstance(node, Text):
            for lang in LANGUAGES:
                if not node.get(lang).strip():
                    self.add(Problems.MISSING_TRANSLATION, f"{path}.{lang}", lang=lang)
        elif isinstance(node, msgspec.Struct):
            for name in node.__struct_fields__:
                key = "in" if name == "in_" else name
                self.check_translations(getattr(node, name), f"{path}.{key}" if path else key)
        elif isinstance(node, list):
            for i, item in enumerate(node):
                self.check_translations(item, f"{path}[{i}]")

    def check_questions(self) -> dict[str, int]:
        position: dict[str, int] = {}
        for i, q in enumerate(self.instrument.questions):
            path = f"questions[{i}]"
            if q.id in position:
                self.add(Problems.DUPLICATE_QUESTION_ID, f"{path}.id", id=q.id, first=position[q.id])
            else:
                position[q.id] = i
            if isinstance(q, SingleQuestion | MultipleQuestion):
                self.check_options(q, path)
            elif isinstance(q, LikertQuestion):
                self.check_likert(q, path)
            elif isinstance(q, NumberQuestion) and q.min is not None and q.max is not None and q.min > q.max:
                self.add(Problems.NUMBER_RANGE, path, min=q.min, max=q.max)
            if q.show_if is not None:
                self.check_show_if(q, i, path, position)
        return position

    def check_options(self, q: SingleQuestion | MultipleQuestion, path: str) -> None:
        if len(q.options) < 2:
            self.add(Problems.TOO_FEW_OPTIONS, f"{path}.options", n=len(q.options))
        values: set[str] = set()
        codes: set[int] = set()
        for j, o in enumerate(q.options):
            if o.value in values:
                self.add(Problems.DUPLICATE_OPTION_VALUE, f"{path}.options[{j}].value", value=o.value)
            if o.code in codes:
                self.add(Problems.DUPLICATE_OPTION_CODE, f"{path}.options[{j}].code", code=o.code)
            values.add(o.value)
            codes.add(o.code)

    def check_likert(self, q: LikertQuestion, path: str) -> None:
        if not 2 <= q.points <= 11:
            self.add(Problems.LIKERT_POINTS, f"{path}.points", points=q.points)
            return
        if q.labels is None and q.anchors is None:
            self.add(Problems.LIKERT_LABELS, path, detail="Neither `labels` nor `anchors` is given.", points=q.points)
        if q.labels is not None and len(q.labels) != q.points:
            detail = f"`labels` has {len(q.labels)} entries for {q.points} points."
            self.add(Problems.LIKERT_LABELS, f"{path}.labels", detail=detail, points=q.points)
        if q.anchors is not None:
            seen: set[int] = set()
            for j, a in enumerate(q.anchors):
                if not 1 <= a.point <= q.points or a.point in seen:
                    self.add(Problems.LIKERT_ANCHOR, f"{path}.anchors[{j}].point", point=a.point, points=q.points)
                seen.add(a.point)
            if not {1, q.points} <= seen:
                detail = "`anchors` must label both ends of the scale."
                self.add(Problems.LIKERT_LABELS, f"{path}.anchors", detail=detail, points=q.points)

    def check_show_if(self, q: Question, index: int, path: str, position: dict[str, int]) -> None:
        assert q.show_if is not None
        ref = q.show_if.question
        spath = f"{path}.show_if.question"
        target = next((t for t in self.instrument.questions if t.id == ref), None)
        if target is None:
            self.add(Problems.SHOW_IF_UNKNOWN_QUESTION, spath, question=ref)
            return
        if ref not in position or position[ref] >= index:
            self.add(Problems.SHOW_IF_LATER_QUESTION, spath, question=ref)
            return
        if not isinstance(target, SingleQuestion | MultipleQuestion):
            self.add(Problems.SHOW_IF_NOT_CHOICE, spath, question=ref, kind=kind_of(target))
            return
        allowed = [o.value for o in target.options]
        for j, value in enumerate(q.show_if.in_):
            if value not in allowed:
                self.add(
                    Problems.SHOW_IF_UNKNOWN_OPTION,
                    f"{path}.show_if.in[{j}]",
                    value=value,
                    question=ref,
                    allowed=", ".join(allowed),
                )

    def check_rules(self, position: dict[str, int]) -> None:
        questions = {q.id: q for q in self.instrument.questions}
        scales = {r.id: r for r in self.instrument.scoring if isinstance(r, ScaleRule)}
        seen: set[str] = set()
        for i, rule in enumerate(self.instrument.scoring):
            path = f"scoring[{i}]"
            if rule.id in seen:
                self.add(Problems.DUPLICATE_RULE_ID, f"{path}.id", id=rule.id)
            seen.add(rule.id)
            if isinstance(rule, ShareRule):
                self.check_share(rule, path, questions)
            elif isinstance(rule, ScaleRule):
                self.check_scale(rule, path, questions)
            else:
                self.check_threshold(rule, path, questions, scales)

    def check_share(self, rule: ShareRule, path: str, questions: dict[str, Question]) -> None:
        q = questions.get(rule.question)
        if q is None:
            self.add(Problems.RULE_UNKNOWN_QUESTION, f"{path}.question", question=rule.question)
            return
        allowed = answer_values(q)
        if allowed is None:
            self.add(Problems.RULE_WRONG_QUESTION_KIND, f"{path}.question", question=q.id, kind=kind_of(q))
            return
        for field, values in (("success", rule.success), ("exclude", rule.exclude)):
            for j, v in enumerate(values):
                # bool is an int in Python; a TOML `true` is never an answer value.
                if isinstance(v, bool) or v not in allowed:
                    self.add(
                        Problems.RULE_UNKNOWN_VALUE,
                        f"{path}.{field}[{j}]",
                        value=v,
                        question=q.id,
                        allowed=", ".join(map(str, allowed)),
                    )

    def check_scale(self, rule: ScaleRule, path: str, questions: dict[str, Question]) -> None:
        ranges: dict[tuple[float, float], str] = {}
        seen: set[str] = set()
        for j, item in enumerate(rule.items):
            ipath = f"{path}.items[{j}]"
            if item in seen:
                self.add(Problems.SCALE_DUPLICATE_ITEM, ipath, question=item)
            seen.add(item)
            q = questions.get(item)
            if q is None:
                self.add(Problems.RULE_UNKNOWN_QUESTION, ipath, question=item)
            elif not isinstance(q, LikertQuestion | NumberQuestion):
                self.add(Problems.SCALE_ITEM_KIND, ipath, question=item, kind=kind_of(q))
            else:
                r = scale_range(q)
                if r is None:
                    self.add(Problems.SCALE_UNBOUNDED_ITEM, ipath, question=item)
                else:
                    ranges.setdefault(r, item)
        if len(ranges) > 1:
            detail = ", ".join(f"{q}: {lo:g}..{hi:g}" for (lo, hi), q in ranges.items())
            self.add(Problems.SCALE_MIXED_RANGE, f"{path}.items", detail=detail)
        if rule.min_valid > len(rule.items):
            self.add(Problems.SCALE_MIN_VALID, f"{path}.min_valid", min_valid=rule.min_valid, n=len(rule.items))

    def check_threshold(
        self, rule: ThresholdRule, path: str, questions: dict[str, Question], scales: dict[str, ScaleRule]
    ) -> None:
        scale = scales.get(rule.scale)
        if scale is None:
            self.add(Problems.THRESHOLD_UNKNOWN_SCALE, f"{path}.scale", scale=rule.scale)
            return
        rng = scale_range_of_rule(scale, questions)
        if rng is not None and not rng[0] <= rule.cutoff <= rng[1]:
            self.add(
                Problems.THRESHOLD_OUT_OF_RANGE,
                f"{path}.cutoff",
                cutoff=f"{rule.cutoff:g}",
                low=f"{rng[0]:g}",
                high=f"{rng[1]:g}",
                scale=scale.id,
            )


def scale_range_of_rule(rule: ScaleRule, questions: dict[str, Question]) -> tuple[float, float] | None:
    """The range of a scale score (None when its items are broken or unbounded)."""
    ranges = {scale_range(questions[i]) if i in questions else None for i in rule.items}
    if len(ranges) != 1 or None in ranges:
        return None
    return ranges.pop()


def check_instrument(instrument: Instrument, file: Path | str) -> list[DefinitionProblem]:
    """Every cross-field problem of a decoded instrument, in file order (empty when fine)."""
    return _Checker(instrument, file).run()
