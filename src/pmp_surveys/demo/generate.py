"""Synthetic survey answers for the demo: plausible, deterministic, and clearly not real.

Everything generated here is SYNTHETIC. The numbers come from `scenario.toml`; this module holds
the response model. Each campaign draws from its own random stream, seeded from the scenario seed
and the campaign's (municipality, instrument, wave), so one campaign's data do not depend on which
other campaigns exist; the same seed always gives the same answers.

Every answer set is built as the API would receive it and passed through the instrument's
`AnswerValidator`, so the stored codes are exactly what a real submission would store.

Parents (indicator 1, share answering 4–5 on overall satisfaction)
    programme (BEA 35 %, CAP 25 %, "Bez pēriena" 15 %, fathers 15 %, other 10 %; half of "other"
    name it); overall satisfaction top-two-box with the wave's `top_two` probability (5 vs 4 about
    45:55; below the top two 1/2/3 as 15/30/55 %); the four aspects follow the overall rating
    ±1; would recommend mostly when satisfied (5 % "don't know"); confidence change tied to
    satisfaction; the child's age band follows the programme (BEA 0–7, CAP 8–17); 8 % comment.

Residents (indicator 2, share answering 4–5 on availability, "don't know" left out)
    aware with probability `aware`, then 1–4 known services; availability "don't know" with
    probability `dont_know` (twice as likely for the unaware), otherwise top-two-box with
    probability `top_two`; school-age children 35 %; the optional age band, sex and place of
    residence skipped by 8 %, 6 % and 10 % (non-response); 5 % comment.

Teachers (clustered in schools; the expected results of goal "teacher competence in PMP work")
    Per school, a share of the teacher head-count answers, drawn uniformly in
    `teachers.response_rate` (schools with few teachers can fall under the suppression
    threshold, as they do in practice). A teacher's latent self-efficacy is
    `tses_mean + u_school + supervision_gain * attended + e`, with `e ~ N(0, sd_within)` and a
    school effect `u_school ~ N(0, sd_school)` fixed across waves, `sd_school` chosen for the
    scenario's intra-class correlation (0.05). Each of the 12 TSES items is the latent level plus
    a small item offset plus `N(0, sd_item)`, rounded and clipped to 1–9. Supervision attendance,
    identification practice (learned; used by 80 % of those who learned it) and perceived support
    (top-two-box on 1–5, higher in schools with a higher school effect) follow the wave's shares.
    Role and experience band follow fixed distributions.
"""

from __future__ import annotations

import datetime as dt
import math
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from pmp_surveys.demo.scenario import ParentEffects, ResidentEffects, Scenario, TeacherEffects
from pmp_surveys.instruments.validation import AnswerValidator, CodedAnswers

PARENTS, RESIDENTS, TEACHERS = "parent-satisfaction", "resident-perception", "teacher-self-efficacy"

#: Synthetic free-text answers: neutral, invented, and labelled as demo text.
COMMENTS = (
    "Demo komentārs: paldies par nodarbībām.",
    "Demo komentārs: gribētu vairāk tikšanos vakaros.",
    "Demo komentārs: noderīgi padomi ikdienai.",
    "Demo komentārs: informācija par pakalpojumiem grūti atrodama.",
    "Demo comment: more groups in Russian, please.",
)
OTHER_PROGRAMMES = ("Demo: skolas vecāku klubs", "Demo: ģimenes atbalsta centrs")

#: Offsets of the 12 TSES items from the teacher's latent level (management items a little lower).
TSES_ITEM_OFFSETS = (-0.15, 0.0, 0.1, 0.05, 0.1, -0.2, -0.1, -0.15, 0.05, 0.2, -0.05, 0.1)


@dataclass(frozen=True)
class SchoolInfo:
    """A school the teacher survey runs in: its database id, code and teacher head-count."""

    id: int
    code: str
    teachers: int


@dataclass(frozen=True)
class GeneratedResponse:
    school_id: int | None
    submitted_on: dt.date
    coded: CodedAnswers


def stream(seed: int, *parts: str | int) -> np.random.Generator:
    """An independent random stream for (seed, parts…), stable across runs and platforms."""
    key = zlib.crc32("/".join(str(p) for p in parts).encode())
    return np.random.default_rng([seed, key])


def wave_window(year: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """Field dates of a wave: mid-September to the end of November, never after `today`."""
    end = min(dt.date(year, 11, 30), today)
    start = min(dt.date(year, 9, 14), end)
    return start, end


def _dates(rng: np.random.Generator, n: int, window: tuple[dt.date, dt.date]) -> list[dt.date]:
    start, end = window
    span = (end - start).days
    offsets = rng.integers(0, span + 1, size=n) if span > 0 else np.zeros(n, dtype=np.int64)
    return [start + dt.timedelta(days=int(d)) for d in offsets]


def _choice(rng: np.random.Generator, values: tuple[Any, ...], probs: tuple[float, ...]) -> Any:
    return values[int(rng.choice(len(values), p=np.asarray(probs) / sum(probs)))]


def _clip(x: float, lo: int, hi: int) -> int:
    return int(min(hi, max(lo, round(x))))


def _top_two(rng: np.random.Generator, p: float, high_share: float = 0.45) -> int:
    """A 1–5 rating that lands in 4–5 with probability `p`."""
    if rng.random() < p:
        return 5 if rng.random() < high_share else 4
    return int(_choice(rng, (1, 2, 3), (0.15, 0.30, 0.55)))


def parent_answers(rng: np.random.Generator, effects: ParentEffects) -> dict[str, Any]:
    programme = _choice(rng, ("bea", "cap", "bez_periena", "fathers", "other"), (0.35, 0.25, 0.15, 0.15, 0.10))
    overall = _top_two(rng, effects.top_two)
    answers: dict[str, Any] = {"programme": programme, "overall_satisfaction": overall}
    if programme == "other" and rng.random() < 0.5:
        answers["programme_other"] = OTHER_PROGRAMMES[int(rng.integers(len(OTHER_PROGRAMMES)))]
    for aspect in ("aspect_topics", "aspect_leader", "aspect_atmosphere", "aspect_skills"):
        answers[aspect] = _clip(overall + _choice(rng, (-1, 0, 0, 1), (1, 1, 1, 1)), 1, 5)
    if rng.random() < 0.05:
        answers["would_recommend"] = "dont_know"
    else:
        answers["would_recommend"] = "yes" if rng.random() < (0.93 if overall >= 4 else 0.45) else "no"
    answers["confidence_change"] = _clip(3 + 0.5 * (overall - 3) + rng.normal(0.3, 0.8), 1, 5)
    ages = {
        "bea": (("age_0_3", "age_4_7"), (0.45, 0.55)),
        "cap": (("age_8_12", "age_13_17"), (0.35, 0.65)),
    }.get(programme, (("age_0_3", "age_4_7", "age_8_12", "age_13_17", "age_18_plus"), (0.15, 0.25, 0.3, 0.27, 0.03)))
    answers["child_age"] = _choice(rng, *ages)
    if rng.random() < 0.08:
        answers["comment"] = COMMENTS[int(rng.integers(len(COMMENTS)))]
    return answers


_DISTRICTS = {
    "riga": (0.22, 0.66, 0.0, 0.0, 0.12),
    "default": (0.20, 0.15, 0.25, 0.38, 0.02),
}


def resident_answers(rng: np.random.Generator, effects: ResidentEffects, municipality: str) -> dict[str, Any]:
    aware = rng.random() < effects.aware
    answers: dict[str, Any] = {"aware": "yes" if aware else "no"}
    if aware:
        services = (
            "school_support",
            "career",
            "interest_education",
            "youth_centres",
            "parent_groups",
            "social_service",
            "other",
        )
        k = int(rng.integers(1, 5))
        picked = rng.choice(len(services), size=k, replace=False, p=np.array([5, 4, 5, 3, 2, 3, 0.5]) / 22.5)
        answers["services_known"] = [services[int(i)] for i in sorted(picked)]
    # "Don't know" twice as likely among the unaware, keeping the overall share at `dont_know`.
    p_dk = effects.dont_know * (2.0 if not aware else 1.0) / (2.0 - effects.aware)
    if rng.random() < min(p_dk, 1.0):
        answers["availability_rating"] = "dont_know"
    else:
        answers["availability_rating"] = _top_two(rng, effects.top_two, high_share=0.35)
    answers["school_age_children"] = "yes" if rng.random() < 0.35 else "no"
    if rng.random() >= 0.08:
        answers["age_band"] = _choice(
            rng,
            ("age_18_24", "age_25_34", "age_35_44", "age_45_54", "age_55_64", "age_65_plus"),
            (0.09, 0.17, 0.20, 0.18, 0.17, 0.19),
        )
    if rng.random() >= 0.06:
        answers["sex"] = _choice(rng, ("female", "male", "prefer_not"), (0.56, 0.41, 0.03))
    if rng.random() >= 0.10:
        probs = _DISTRICTS.get(municipality, _DISTRICTS["default"])
        answers["district"] = _choice(rng, ("city_centre", "city_other", "other_town", "parish", "other"), probs)
    if rng.random() < 0.05:
        answers["comment"] = COMMENTS[int(rng.integers(len(COMMENTS)))]
    return answers


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def teacher_answers(
    rng: np.random.Generator, effects: TeacherEffects, scenario: Scenario, school_effect: float
) -> dict[str, Any]:
    model = scenario.teachers
    attended = rng.random() < effects.supervision
    latent = effects.tses_mean + school_effect + (model.supervision_gain if attended else 0.0)
    latent += rng.normal(0.0, model.sd_within)
    answers: dict[str, Any] = {}
    for i, offset in enumerate(TSES_ITEM_OFFSETS, 1):
        answers[f"tses_{i:02d}"] = _clip(latent + offset + rng.normal(0.0, model.sd_item), 1, 9)
    # Perceived support is higher where the school effect is higher (a shared school climate).
    shift = 1.5 * school_effect / max(model.sd_school, 1e-9) * 0.25
    answers["support_leadership"] = _top_two(rng, _logistic(_logit(effects.support_leadership) + shift))
    answers["support_colleagues"] = _top_two(rng, _logistic(_logit(effects.support_colleagues) + shift))
    learned = rng.random() < effects.learned_identification
    answers["learned_identification"] = "yes" if learned else "no"
    if learned:
        answers["uses_identification"] = "yes" if rng.random() < model.uses_identification else "no"
    answers["attended_supervision"] = "yes" if attended else "no"
    answers["role"] = _choice(
        rng, ("subject_teacher", "class_teacher", "support_staff", "leadership", "other"), (55, 25, 8, 7, 5)
    )
    answers["experience"] = _choice(rng, ("up_to_5", "years_6_15", "years_16_25", "over_25"), (15, 30, 30, 25))
    return answers


def school_effect(scenario: Scenario, seed: int, municipality: str, school_code: str) -> float:
    """The school's random effect on teachers' self-efficacy: the same in every wave."""
    return float(stream(seed, municipality, "school", school_code).normal(0.0, scenario.teachers.sd_school))


def _coded(validator: AnswerValidator, answers: Mapping[str, Any]) -> CodedAnswers:
    return validator.validate(answers)


def generate_campaign(
    *,
    scenario: Scenario,
    seed: int,
    municipality: str,
    instrument_key: str,
    year: int,
    validator: AnswerValidator,
    schools: list[SchoolInfo],
    today: dt.date,
) -> list[GeneratedResponse]:
    """Synthetic responses of one campaign; [] when the scenario has no such wave."""
    wave = next((w for w in scenario.waves_of(municipality) if w.year == year), None)
    if wave is None:
        return []
    rng = stream(seed, municipality, instrument_key, year)
    window = wave_window(year, today)
    if instrument_key == PARENTS and wave.parents is not None:
        parents = wave.parents
        dates = _dates(rng, parents.n, window)
        return [GeneratedResponse(None, d, _coded(validator, parent_answers(rng, parents))) for d in dates]
    if instrument_key == RESIDENTS and wave.residents is not None:
        residents = wave.residents
        dates = _dates(rng, residents.n, window)
        return [
            GeneratedResponse(None, d, _coded(validator, resident_answers(rng, residents, municipality))) for d in dates
        ]
    if instrument_key == TEACHERS and wave.teachers is not None:
        teachers = wave.teachers
        out: list[GeneratedResponse] = []
        lo, hi = scenario.teachers.response_rate
        for school in sorted(schools, key=lambda s: s.code):
            effect = school_effect(scenario, seed, municipality, school.code)
            rate = rng.uniform(lo, hi)
            n = int(rng.binomial(school.teachers, rate))
            for d in _dates(rng, n, window):
                answers = teacher_answers(rng, teachers, scenario, effect)
                out.append(GeneratedResponse(school.id, d, _coded(validator, answers)))
        return out
    return []
