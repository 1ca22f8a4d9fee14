from __future__ import annotations

import time
from collections.abc import Mapping

import pytest

from pmp_surveys.instruments.coding import DONT_KNOW_CODE, build_layout
from pmp_surveys.instruments.definition import (
    LANGUAGES,
    Instrument,
    LikertQuestion,
    MultipleQuestion,
    NumberQuestion,
    SingleQuestion,
)
from pmp_surveys.instruments.loader import load_instrument_file
from pmp_surveys.instruments.messages import ERROR_CODES, TEMPLATES, render_message
from pmp_surveys.instruments.validation import AnswersInvalid, AnswerValidator, CodedAnswers, FieldError

from .conftest import SURVEYS

BASE: dict[str, object] = {"has_kids": "no", "rating": 4, "item_a": 3}


@pytest.fixture(scope="module")
def validator(demo: Instrument) -> AnswerValidator:
    return AnswerValidator(demo)


def errors_of(validator: AnswerValidator, answers: Mapping[str, object], **kw: bool) -> list[tuple[str, str]]:
    with pytest.raises(AnswersInvalid) as info:
        validator.validate(answers, **kw)
    return [(e.question_id, e.code) for e in info.value.errors]


def test_layout_order(demo: Instrument) -> None:
    layout = build_layout(demo)
    assert [v.name for v in layout.codes] == [
        "has_kids",
        "services__school",
        "services__youth",
        "services__other",
        "rating",
        "item_a",
        "item_b",
    ]
    assert [v.name for v in layout.numbers] == ["children", "hours"]
    assert layout.texts == ("comment",)


def test_valid_minimal(validator: AnswerValidator) -> None:
    coded = validator.validate(BASE)
    assert coded.codes == (0, None, None, None, 4, 3, None)
    assert coded.numbers == (None, None)
    assert coded.texts == {}


def test_multiple_choice_coding(validator: AnswerValidator) -> None:
    coded = validator.validate({**BASE, "has_kids": "yes", "services": ["other", "school"]})
    assert coded.codes[:4] == (1, 1, 0, 1)


def test_multiple_required_when_shown(validator: AnswerValidator) -> None:
    assert errors_of(validator, {**BASE, "has_kids": "yes"}) == [("services", "required")]
    assert errors_of(validator, {**BASE, "has_kids": "yes", "services": []}) == [("services", "required")]


def test_condition_not_met(validator: AnswerValidator) -> None:
    assert errors_of(validator, {**BASE, "services": ["youth"]}) == [("services", "condition_not_met")]


def test_hidden_question_not_required(validator: AnswerValidator) -> None:
    validator.validate({**BASE, "has_kids": "no"})


def test_invalid_parent_does_not_cascade(validator: AnswerValidator) -> None:
    assert errors_of(validator, {**BASE, "has_kids": "maybe"}) == [("has_kids", "unknown_option")]
    answers = {**BASE, "has_kids": "maybe", "services": ["youth"]}
    assert errors_of(validator, answers) == [("has_kids", "unknown_option")]


def test_dont_know_coding(validator: AnswerValidator) -> None:
    coded = validator.validate({**BASE, "rating": "dont_know"})
    assert coded.codes[4] == DONT_KNOW_CODE == 99


def test_dont_know_not_offered(validator: AnswerValidator) -> None:
    assert errors_of(validator, {**BASE, "item_a": "dont_know"}) == [("item_a", "unknown_option")]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"rating": None}, [("rating", "required")]),
        ({"rating": 6}, [("rating", "out_of_range")]),
        ({"rating": 0}, [("rating", "out_of_range")]),
        ({"rating": True}, [("rating", "wrong_type")]),
        ({"rating": 4.0}, [("rating", "wrong_type")]),
        ({"rating": "4"}, [("rating", "wrong_type")]),
        ({"children": 10**400}, [("children", "out_of_range")]),
        ({"has_kids": 1}, [("has_kids", "wrong_type")]),
        ({"has_kids": "perhaps"}, [("has_kids", "unknown_option")]),
        ({"has_kids": "yes", "services": "youth"}, [("services", "wrong_type")]),
        ({"has_kids": "yes", "services": ["youth", "bus"]}, [("services", "unknown_option")]),
        ({"has_kids": "yes", "services": ["youth", "youth"]}, [("services", "duplicate_option")]),
        ({"has_kids": "yes", "services": [1]}, [("services", "wrong_type")]),
        ({"children": 13}, [("children", "out_of_range")]),
        ({"children": -1}, [("children", "out_of_range")]),
        ({"children": 2.5}, [("children", "wrong_type")]),
        ({"children": True}, [("children", "wrong_type")]),
        ({"children": "2"}, [("children", "wrong_type")]),
        ({"hours": 0.25}, [("hours", "out_of_range")]),
        ({"hours": float("nan")}, [("hours", "wrong_type")]),
        ({"comment": "x" * 11}, [("comment", "too_long")]),
        ({"comment": 5}, [("comment", "wrong_type")]),
        ({"shoe_size": 42}, [("shoe_size", "unknown_question")]),
    ],
)
def test_error_codes(validator: AnswerValidator, answers: dict[str, object], expected: list[tuple[str, str]]) -> None:
    assert errors_of(validator, {**BASE, **answers}) == expected


def test_all_errors_reported_at_once(validator: AnswerValidator) -> None:
    got = errors_of(validator, {"rating": 9, "extra": 1})
    assert got == [
        ("extra", "unknown_question"),
        ("has_kids", "required"),
        ("rating", "out_of_range"),
        ("item_a", "required"),
    ]


def test_numbers_and_texts(validator: AnswerValidator) -> None:
    coded = validator.validate({**BASE, "children": 2, "hours": 1.5, "comment": "  ok \x00 "})
    assert coded.numbers == (2.0, 1.5)
    assert coded.texts == {"comment": "ok"}
    assert validator.validate({**BASE, "comment": "   "}).texts == {}
    assert validator.validate({**BASE, "comment": "x" * 10}).texts == {"comment": "x" * 10}


def test_form_mode_conversion(validator: AnswerValidator) -> None:
    form = {
        "has_kids": "yes",
        "services": ["youth", "school"],
        "rating": "5",
        "item_a": ["2"],
        "item_b": "",
        "children": "3",
        "hours": "2,5",
        "comment": "sveiki",
    }
    coded = validator.validate(form, from_form=True)
    json_coded = validator.validate(
        {
            "has_kids": "yes",
            "services": ["school", "youth"],
            "rating": 5,
            "item_a": 2,
            "children": 3,
            "hours": 2.5,
            "comment": "sveiki",
        }
    )
    assert coded == json_coded
    assert coded.codes == (1, 1, 1, 0, 5, 2, None)
    assert coded.numbers == (3.0, 2.5)


def test_form_single_checkbox_and_errors(validator: AnswerValidator) -> None:
    coded = validator.validate(
        {**BASE, "has_kids": "yes", "services": "youth", "rating": "dont_know", "item_a": "3"}, from_form=True
    )
    assert coded.codes[:5] == (1, 0, 1, 0, DONT_KNOW_CODE)
    form = {"has_kids": "no", "rating": "five", "item_a": "3", "children": "2,5", "hours": "abc"}
    assert errors_of(validator, form, from_form=True) == [
        ("rating", "wrong_type"),
        ("children", "wrong_type"),
        ("hours", "wrong_type"),
    ]
    assert errors_of(validator, {**BASE, "has_kids": ["yes", "no"]}, from_form=True) == [("has_kids", "wrong_type")]


def test_json_mode_rejects_form_strings(validator: AnswerValidator) -> None:
    assert errors_of(validator, {**BASE, "item_a": "3"}) == [("item_a", "wrong_type")]


def test_fingerprint(validator: AnswerValidator, demo: Instrument) -> None:
    a = validator.validate({**BASE, "comment": "a"})
    b = validator.validate({"comment": " a ", "item_a": 3, "rating": 4, "has_kids": "no"})
    c = validator.validate({**BASE, "comment": "b"})
    assert isinstance(a, CodedAnswers) and len(a.fingerprint) == 32
    assert a.fingerprint == b.fingerprint
    assert a.fingerprint != c.fingerprint
    assert AnswerValidator(demo).validate({**BASE, "comment": "a"}).fingerprint == a.fingerprint


def test_messages_exist_in_every_language() -> None:
    params_for: dict[str, list[dict[str, object]]] = {
        "out_of_range": [{"min": 1, "max": 5}, {"min": 0.5, "max": None}, {"min": None, "max": 12}],
        "too_long": [{"max_length": 10}],
        "wrong_type": [{}, {"expected": "number"}, {"expected": "integer"}],
    }
    for code in ERROR_CODES:
        for params in params_for.get(code, [{}]):
            texts = [FieldError("q", code, params).message(lang) for lang in LANGUAGES]
            assert all(texts) and len(set(texts)) == 4, (code, texts)
            assert all("{" not in text for text in texts)
    for key, by_lang in TEMPLATES.items():
        assert set(by_lang) == set(LANGUAGES), key


def test_message_content() -> None:
    assert FieldError("q", "required").message("lv") == "Lūdzu, atbildiet uz šo jautājumu."
    assert render_message("out_of_range", {"min": 0.5, "max": None}, "lv") == (
        "Lūdzu, ievadiet vērtību, kas nav mazāka par 0,5."
    )
    assert render_message("out_of_range", {"min": 1, "max": 9}, "en") == "Please enter a value from 1 to 9."
    assert render_message("required", {}, "xx") == render_message("required", {}, "lv")


def test_real_teacher_instrument_is_fast_enough() -> None:
    inst = load_instrument_file(SURVEYS / "teacher-self-efficacy.toml").instrument
    v = AnswerValidator(inst)
    answers: dict[str, object] = {f"tses_{i:02d}": 7 for i in range(1, 13)}
    answers |= {
        "support_leadership": 4,
        "support_colleagues": 5,
        "learned_identification": "yes",
        "uses_identification": "no",
        "attended_supervision": "yes",
        "role": "class_teacher",
        "experience": "years_6_15",
    }
    coded = v.validate(answers)
    assert coded.codes[12:] == (4, 5, 1, 0, 1, 2, 2)
    # Not a timing test (benchmarks live in benchmarks/): only guards against an accidental
    # per-call rebuild, which would be orders of magnitude slower.
    n = 200
    start = time.perf_counter()
    for _ in range(n):
        v.validate(answers)
    assert (time.perf_counter() - start) / n < 0.005


@pytest.mark.parametrize("name", ["parent-satisfaction", "resident-perception", "teacher-self-efficacy"])
def test_real_instruments_accept_a_complete_answer_set(name: str) -> None:
    inst = load_instrument_file(SURVEYS / f"{name}.toml").instrument
    answers: dict[str, object] = {}
    for q in inst.questions:
        if q.show_if is not None:
            given = answers.get(q.show_if.question)
            given_set = set(given) if isinstance(given, list) else {given}
            if given_set.isdisjoint(q.show_if.in_):
                continue
        if isinstance(q, SingleQuestion):
            answers[q.id] = q.options[0].value
        elif isinstance(q, MultipleQuestion):
            answers[q.id] = [q.options[0].value, q.options[-1].value]
        elif isinstance(q, LikertQuestion):
            answers[q.id] = "dont_know" if q.dont_know else q.points
        elif isinstance(q, NumberQuestion):
            answers[q.id] = q.min if q.min is not None else 0
        else:
            answers[q.id] = "Paldies!"
    v = AnswerValidator(inst)
    coded = v.validate(answers)
    assert len(coded.codes) == len(v.layout.codes)
    assert None not in coded.codes or any(q.show_if for q in inst.questions)
    if name == "resident-perception":
        assert coded.codes[v.layout.code_index("availability_rating")] == DONT_KNOW_CODE
        assert coded.codes[v.layout.code_index("services_known__school_support")] == 1
        assert coded.codes[v.layout.code_index("services_known__career")] == 0
