"""The demo scenario and synthetic schools as strict data (`scenario.toml`, `riga_schools.toml`).

Both files are SYNTHETIC: invented numbers and invented schools for trying the product. They are
decoded into frozen structs that reject unknown fields, like every other data file of the project.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import msgspec

HERE = Path(__file__).parent
SCENARIO_FILE = HERE / "scenario.toml"
SCHOOL_FILES = (HERE / "riga_schools.toml",)

Share = Annotated[float, msgspec.Meta(ge=0.0, le=1.0)]
Positive = Annotated[int, msgspec.Meta(ge=1)]


class _Strict(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    pass


class ParentEffects(_Strict, frozen=True):
    n: Positive
    #: Share answering 4 or 5 on overall satisfaction.
    top_two: Share


class ResidentEffects(_Strict, frozen=True):
    n: Positive
    #: Share answering 4 or 5 on availability among those who gave a rating (not "don't know").
    top_two: Share
    #: Share answering "don't know" on availability.
    dont_know: Share
    #: Share aware of support services.
    aware: Share


class TeacherEffects(_Strict, frozen=True):
    #: Mean of the latent self-efficacy level (1–9 scale) of teachers who did not attend supervision.
    tses_mean: Annotated[float, msgspec.Meta(ge=1.0, le=9.0)]
    supervision: Share
    learned_identification: Share
    #: Share answering 4 or 5 on perceived support from leadership / from colleagues.
    support_leadership: Share
    support_colleagues: Share


class Wave(_Strict, frozen=True):
    municipality: str
    year: int
    note: str | None = None
    parents: ParentEffects | None = None
    residents: ResidentEffects | None = None
    teachers: TeacherEffects | None = None


class TeacherModel(_Strict, frozen=True):
    response_rate: tuple[Share, Share]
    icc: Annotated[float, msgspec.Meta(ge=0.0, lt=1.0)]
    sd_within: Annotated[float, msgspec.Meta(gt=0.0)]
    sd_item: Annotated[float, msgspec.Meta(ge=0.0)]
    supervision_gain: float
    uses_identification: Share

    @property
    def sd_school(self) -> float:
        """School-level SD giving the intra-class correlation `icc` for a teacher's latent level."""
        return float((self.icc / (1.0 - self.icc)) ** 0.5 * self.sd_within)


class HeadCounts(msgspec.Struct, frozen=True, kw_only=True):
    default_teachers: Positive
    #: municipality → school code → teacher head-count (the rest of the table).
    by_school: dict[str, dict[str, int]] = {}


class AdminModel(_Strict, frozen=True):
    figure_years: list[int]
    noise: Annotated[float, msgspec.Meta(ge=0.0)]
    default_denominator: Positive
    denominators: dict[str, dict[str, Positive]] = {}

    def denominator(self, municipality: str, indicator: str) -> int:
        return self.denominators.get(municipality, {}).get(indicator, self.default_denominator)


class Scenario(_Strict, frozen=True):
    seed: int
    current_wave: int
    teachers: TeacherModel
    waves: list[Wave]
    head_counts: HeadCounts
    admin: AdminModel

    def waves_of(self, municipality: str) -> list[Wave]:
        return sorted((w for w in self.waves if w.municipality == municipality), key=lambda w: w.year)

    def teacher_head_count(self, municipality: str, school_code: str) -> int:
        return self.head_counts.by_school.get(municipality, {}).get(school_code, self.head_counts.default_teachers)


class DemoSchool(_Strict, frozen=True):
    code: Annotated[str, msgspec.Meta(pattern=r"^demo-[a-z0-9-]+$", max_length=64)]
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    kind: str
    students: Annotated[int, msgspec.Meta(ge=0)]
    teachers: Positive


class DemoSchoolFile(_Strict, frozen=True):
    #: Must be true: the file declares itself synthetic.
    synthetic: bool
    municipality: str
    schools: list[DemoSchool]


def load_scenario(path: Path = SCENARIO_FILE) -> Scenario:
    """Decode the scenario; `[head_counts]` mixes a default with per-municipality tables."""
    raw = msgspec.toml.decode(path.read_bytes())
    counts = dict(raw.get("head_counts", {}))
    default = counts.pop("default_teachers", 15)
    raw["head_counts"] = {"default_teachers": default, "by_school": counts}
    return msgspec.convert(raw, Scenario)


def load_demo_schools(paths: tuple[Path, ...] = SCHOOL_FILES) -> list[DemoSchoolFile]:
    """The synthetic school files; each must say `synthetic = true`."""
    files = []
    for path in paths:
        data = msgspec.toml.decode(path.read_bytes(), type=DemoSchoolFile)
        if not data.synthetic:
            raise ValueError(f"{path}: demo school files must declare `synthetic = true`")
        files.append(data)
    return files
