"""Which column of an imported file is what: a question, an option tick, the submission id, the
date, a school code — or identifying data that is dropped (or refused when mapped to a question).

Column names are matched as KoboToolbox (``group/question``), ODK Central (``group-question``,
``meta-instanceID``, ``KEY``) and LimeSurvey (``Q1[SQ001]``) write them, after any explicit
mapping. Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from pmp_surveys.instruments.definition import Instrument, MultipleQuestion
from pmp_surveys.responses.import_sources import ImportMapping

Role = Literal["question", "tick", "instance_id", "submitted", "school"]

_ID_COLUMNS = {"instanceid", "meta/instanceid", "meta-instanceid", "key", "_uuid", "uuid", "meta/uuid"}
#: The submission's time, in order of preference (only the day is kept).
_DATE_COLUMNS = ("_submission_time", "submissiondate", "submitdate", "end", "datestamp", "today")
_IDENTIFYING = re.compile(
    r"(^|[^a-z])(name|first_?name|last_?name|surname|full_?name|vards|vārds|uzvārds|uzvards|имя|фамилия|"
    r"e-?mail|e_mail|e-?pasts|mail|phone|phonenumber|tel|telephone|tālrunis|talrunis|telefons|mobile|"
    r"ip|ipaddr|ip_?address|deviceid|device_?id|imei|subscriberid|simserial|username|submitted_by|"
    r"submittername|submitterid|start|end|startdate|datestamp|submission_?time|submissiondate|submitdate|"
    r"today|token|refurl|seed|geolocation|gps|location|audit|address|adrese|personas_?kods|"
    r"personal_?code)($|[^a-z])",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.IGNORECASE)
_PHONE = re.compile(r"^\+?[\d\s()-]{8,}$")
_IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")


@dataclass(frozen=True)
class Target:
    role: Role
    question: str = ""
    option: str = ""


@dataclass
class ColumnPlan:
    """Per column index: its target; plus what was dropped or refused and why."""

    targets: dict[int, Target] = field(default_factory=dict)
    dropped: list[tuple[str, str]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def looks_identifying(name: str) -> bool:
    return bool(_IDENTIFYING.search(name.replace("/", " ").replace("-", " ")))


def identifying_values(values: list[str]) -> str | None:
    """What the values look like when most of them identify someone ("e-mail addresses", …)."""
    filled = [v for v in values if v]
    if not filled:
        return None
    checks = (("e-mail addresses", _EMAIL.search), ("telephone numbers", _PHONE.match), ("IP addresses", _IPV4.match))
    for what, test in checks:
        hits = sum(1 for v in filled if test(v))
        if hits * 2 >= len(filled):
            return what
    return None


def _candidates(column: str) -> list[str]:
    """The names a column may stand for: itself and its last group-path part."""
    names = [column]
    for sep in ("/", "-", "."):
        if sep in column:
            names.append(column.rsplit(sep, 1)[1])
    return names


def _tick(column: str, instrument: Instrument) -> Target | None:
    m = re.match(r"^(?P<q>.+?)(?:__|/|\[)(?P<o>[^\]/]+)\]?$", column)
    if m is None:
        return None
    for name in _candidates(m["q"]):
        try:
            q = instrument.question(name)
        except KeyError:
            continue
        if isinstance(q, MultipleQuestion) and m["o"] in {o.value for o in q.options}:
            return Target("tick", q.id, m["o"])
    return None


def _mapped(target: str, instrument: Instrument) -> Target | None:
    if target in ("instance_id", "submitted", "school"):
        return Target(target)  # type: ignore[arg-type]
    if "__" in target:
        return _tick(target, instrument)
    try:
        return Target("question", instrument.question(target).id)
    except KeyError:
        return None


def plan_columns(
    columns: list[str], rows: list[list[str]], instrument: Instrument, mapping: ImportMapping
) -> tuple[ColumnPlan, list[str]]:
    """The plan for `columns`, and the mapping's own errors (unknown targets)."""
    plan = ColumnPlan()
    errors: list[str] = []
    questions = {q.id for q in instrument.questions}
    seen_date = False
    for i, column in enumerate(columns):
        low = column.strip().lower()
        if column in mapping.columns:
            wanted = mapping.columns[column]
            if not wanted:
                plan.dropped.append((column, "dropped by the mapping"))
                continue
            target = _mapped(wanted, instrument)
            if target is None:
                errors.append(
                    f"mapping: column `{column}` → `{wanted}` is not a question, QUESTION__OPTION, "
                    "school, instance_id or submitted"
                )
                continue
        elif low in _ID_COLUMNS:
            target = Target("instance_id")
        elif low in _DATE_COLUMNS and not seen_date:
            target = Target("submitted")
        elif (name := next((n for n in _candidates(column) if n in questions), None)) is not None:
            target = Target("question", name)
        elif low == "school":
            target = Target("school")
        elif (tick := _tick(column, instrument)) is not None:
            target = tick
        else:
            reason = "identifying, not imported" if looks_identifying(column) else "not a question of the instrument"
            plan.dropped.append((column, reason))
            continue
        if target.role == "submitted":
            seen_date = True
            plan.dropped.append((column, "timestamp: only the day is kept"))
        if target.role in ("question", "tick"):
            values = [row[i] for row in rows]
            what = identifying_values(values)
            if looks_identifying(column) and target.role == "question" and column not in mapping.columns:
                what = what or "an identifying column name"
            if what:
                plan.refused.append((column, f"{what} in a column imported as `{target.question}`"))
                continue
        plan.targets[i] = target
    return plan, errors
