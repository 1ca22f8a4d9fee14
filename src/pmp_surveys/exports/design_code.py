"""The sampling design of an export as code an analyst can run: R ``survey`` and Python.

The codebook carries it so that a published indicator can be reproduced outside the system
from the exported file alone. Pure: the caller passes the head-counts.

* Teacher surveys (a ``school`` column): every school is invited, so the design is **schools as
  strata, teachers as units, the school's teacher head-count as the stratum's finite population
  correction** — what the evaluation uses (``pmp_surveys.analysis.design``, module notes; R:
  ``svydesign(ids=~1, strata=~school, fpc=~fpc)``, weights N_h/n_h implied). Schools blanked by
  the small-cell rule are pooled into one stratum ``(small schools)`` whose fpc is the sum of
  their head-counts (an approximation the codebook states; the evaluation itself uses every
  school). Without a head-count for every school the evaluation falls back to ``simple`` and so
  does the code.
* Otherwise ``simple``: an unweighted sample, Wilson intervals for shares (R ``prop.test(...,
  correct=FALSE)``, Python ``statsmodels ... proportion_confint(method="wilson")``). The
  resident survey's raking needs population margins, which neither catalogue has yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import msgspec

POOLED = "(small schools)"


class DesignCode(msgspec.Struct, frozen=True, kw_only=True):
    """The design of one export: its name, a sentence, and the R and Python code for the CSV file."""

    design: Literal["simple", "stratified"]
    description: str
    r: str
    python: str
    #: Exported school code (or "(small schools)") → teacher head-count (the fpc).
    strata_sizes: dict[str, int] = {}


def _r_vector(sizes: Mapping[str, int]) -> str:
    items = ", ".join(f'"{k}" = {v}' for k, v in sizes.items())
    return f"c({items})"


def _py_dict(sizes: Mapping[str, int]) -> str:
    items = ", ".join(f'"{k}": {v}' for k, v in sizes.items())
    return "{" + items + "}"


def design_code(
    file_stem: str,
    example: str,
    *,
    headcounts: Mapping[str, int | None] | None,
    blanked_headcounts: list[int | None] = [],  # noqa: B006 - read only
) -> DesignCode:
    """The design code for `file_stem`.csv; `example` names a 0/1-able coded variable for the demo call.

    `headcounts`: exported school code → teacher head-count (None = unknown) for a teacher
    survey, None for any other survey; `blanked_headcounts`: head-counts of the schools whose
    code the export blanks.
    """
    csv_name = f"{file_stem}.csv"
    known = headcounts is not None and all(v for v in headcounts.values()) and all(blanked_headcounts)
    if headcounts is None or not headcounts or not known:
        why = "" if headcounts is None else " (a teacher head-count is missing, so the evaluation uses this too)"
        r = (
            f'd <- read.csv("{csv_name}", na.strings = "")\n'
            f"# a share, e.g. of {example} == 1, with the Wilson interval used by pmp-surveys:\n"
            f"y <- d${example}[!is.na(d${example})]\n"
            "prop.test(sum(y == 1), length(y), correct = FALSE)$conf.int\n"
            "# the same as a survey design object:\n"
            "library(survey)\n"
            "des <- svydesign(ids = ~1, data = d)\n"
        )
        python = (
            "import polars as pl\n"
            "from statsmodels.stats.proportion import proportion_confint\n"
            f'd = pl.read_csv("{csv_name}")\n'
            f'y = d["{example}"].drop_nulls()\n'
            'proportion_confint(int((y == 1).sum()), y.len(), method="wilson")\n'
        )
        return DesignCode(
            design="simple",
            description="Simple random sample: unweighted, no strata, no clusters" + why + ".",
            r=r,
            python=python,
        )
    sizes: dict[str, int] = {k: int(v) for k, v in sorted(headcounts.items()) if v}
    if blanked_headcounts:
        sizes[POOLED] = sum(int(v) for v in blanked_headcounts if v)
    r = (
        "library(survey)\n"
        'options(survey.lonely.psu = "adjust")\n'
        f'd <- read.csv("{csv_name}", na.strings = "")\n'
        f'd$school[is.na(d$school)] <- "{POOLED}"\n'
        f"teachers <- {_r_vector(sizes)}\n"
        "d$fpc <- unname(teachers[d$school])\n"
        "des <- svydesign(ids = ~1, strata = ~school, fpc = ~fpc, data = d)\n"
        f"# a share, e.g. of {example} == 1, with the Korn-Graubard interval used by pmp-surveys:\n"
        f'svyciprop(~I({example} == 1), subset(des, !is.na({example})), method = "beta")\n'
    )
    python = (
        "import polars as pl\n"
        "from pmp_surveys.analysis import SurveyDesign, survey_proportion\n"
        f"teachers = {_py_dict(sizes)}\n"
        f'd = pl.read_csv("{csv_name}", schema_overrides={{"school": pl.String}})\n'
        f'd = d.with_columns(pl.col("school").fill_null("{POOLED}"))\n'
        'd = d.with_columns(pl.col("school").replace_strict(teachers).alias("fpc"),\n'
        f'                  (pl.col("{example}") == 1).alias("y"))\n'
        'design = SurveyDesign(strata="school", fpc="fpc")\n'
        'survey_proportion(d, "y", design, method="beta")\n'
    )
    return DesignCode(
        design="stratified",
        description=(
            "Schools as strata, teachers as units, each school's teacher head-count as the finite "
            "population correction (weights N_h/n_h). Rows whose school code is blanked (k-anonymity) "
            f"are pooled into one stratum '{POOLED}' with the head-counts of the schools never named: an "
            "approximation; the published figure uses every school."
        ),
        r=r,
        python=python,
        strata_sizes=sizes,
    )
