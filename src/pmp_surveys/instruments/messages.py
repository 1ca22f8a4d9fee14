"""Respondent-facing texts of answer validation, in every supported language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from .definition import LANGUAGES, Lang, Text

ErrorCode = Literal[
    "required",
    "out_of_range",
    "unknown_option",
    "unknown_question",
    "wrong_type",
    "condition_not_met",
    "too_long",
    "duplicate_option",
]
ERROR_CODES: tuple[ErrorCode, ...] = (
    "required",
    "out_of_range",
    "unknown_option",
    "unknown_question",
    "wrong_type",
    "condition_not_met",
    "too_long",
    "duplicate_option",
)

# Template keys: an error code, optionally with a variant chosen from its parameters.
TEMPLATES: dict[str, dict[Lang, str]] = {
    "required": {
        "lv": "Lūdzu, atbildiet uz šo jautājumu.",
        "ru": "Пожалуйста, ответьте на этот вопрос.",
        "uk": "Будь ласка, дайте відповідь на це запитання.",
        "en": "Please answer this question.",
    },
    "out_of_range": {
        "lv": "Lūdzu, ievadiet vērtību no {min} līdz {max}.",
        "ru": "Пожалуйста, введите значение от {min} до {max}.",
        "uk": "Будь ласка, введіть значення від {min} до {max}.",
        "en": "Please enter a value from {min} to {max}.",
    },
    "out_of_range.min": {
        "lv": "Lūdzu, ievadiet vērtību, kas nav mazāka par {min}.",
        "ru": "Пожалуйста, введите значение не меньше {min}.",
        "uk": "Будь ласка, введіть значення, не менше ніж {min}.",
        "en": "Please enter a value of at least {min}.",
    },
    "out_of_range.max": {
        "lv": "Lūdzu, ievadiet vērtību, kas nav lielāka par {max}.",
        "ru": "Пожалуйста, введите значение не больше {max}.",
        "uk": "Будь ласка, введіть значення, не більше ніж {max}.",
        "en": "Please enter a value of at most {max}.",
    },
    "unknown_option": {
        "lv": "Lūdzu, izvēlieties kādu no piedāvātajām atbildēm.",
        "ru": "Пожалуйста, выберите один из предложенных вариантов.",
        "uk": "Будь ласка, виберіть один із запропонованих варіантів.",
        "en": "Please choose one of the options offered.",
    },
    "unknown_question": {
        "lv": "Šajā anketā nav tāda jautājuma.",
        "ru": "В этой анкете нет такого вопроса.",
        "uk": "У цій анкеті немає такого запитання.",
        "en": "This questionnaire has no such question.",
    },
    "wrong_type": {
        "lv": "Šī atbilde nav derīga. Lūdzu, pārbaudiet to.",
        "ru": "Этот ответ недопустим. Пожалуйста, проверьте его.",
        "uk": "Ця відповідь недійсна. Будь ласка, перевірте її.",
        "en": "This answer is not valid. Please check it.",
    },
    "wrong_type.number": {
        "lv": "Lūdzu, ievadiet skaitli.",
        "ru": "Пожалуйста, введите число.",
        "uk": "Будь ласка, введіть число.",
        "en": "Please enter a number.",
    },
    "wrong_type.integer": {
        "lv": "Lūdzu, ievadiet veselu skaitli.",
        "ru": "Пожалуйста, введите целое число.",
        "uk": "Будь ласка, введіть ціле число.",
        "en": "Please enter a whole number.",
    },
    "condition_not_met": {
        "lv": "Ņemot vērā jūsu iepriekšējo atbildi, uz šo jautājumu nav jāatbild.",
        "ru": "С учётом вашего предыдущего ответа на этот вопрос отвечать не нужно.",
        "uk": "З огляду на вашу попередню відповідь на це запитання відповідати не потрібно.",
        "en": "Given your earlier answer, this question does not apply.",
    },
    "too_long": {
        "lv": "Lūdzu, saīsiniet atbildi līdz {max_length} rakstzīmēm.",
        "ru": "Пожалуйста, сократите ответ до {max_length} символов.",
        "uk": "Будь ласка, скоротіть відповідь до {max_length} символів.",
        "en": "Please shorten your answer to {max_length} characters or fewer.",
    },
    "duplicate_option": {
        "lv": "Katru atbildi var atzīmēt tikai vienu reizi.",
        "ru": "Каждый вариант можно отметить только один раз.",
        "uk": "Кожен варіант можна позначити лише один раз.",
        "en": "Each option can be ticked only once.",
    },
}

#: Label of the "don't know" choice of a likert question that does not give its own.
DEFAULT_DONT_KNOW_LABEL = Text(lv="Nezinu", ru="Не знаю", uk="Не знаю", en="Don't know")


def format_number(x: object, lang: Lang) -> str:
    """A number as respondents write it: whole numbers plainly, decimal comma except in English."""
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    text = f"{x:g}" if isinstance(x, float) else str(x)
    return text if lang == "en" else text.replace(".", ",")


def _template_key(code: str, params: Mapping[str, object]) -> str:
    if code == "out_of_range":
        has_min, has_max = params.get("min") is not None, params.get("max") is not None
        if has_min and not has_max:
            return "out_of_range.min"
        if has_max and not has_min:
            return "out_of_range.max"
    if code == "wrong_type" and params.get("expected") in ("number", "integer"):
        return f"wrong_type.{params['expected']}"
    return code


def render_message(code: str, params: Mapping[str, object], lang: str) -> str:
    """The message for an error code in `lang` (falls back to Latvian for an unknown language)."""
    language: Lang = lang if lang in LANGUAGES else "lv"
    template = TEMPLATES[_template_key(code, params)][language]
    values = {k: format_number(v, language) if isinstance(v, int | float) else v for k, v in params.items()}
    return template.format(**values)
