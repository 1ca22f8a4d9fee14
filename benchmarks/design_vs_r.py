"""Design-based estimation with domains on a million rows: this package against R `survey`.

    .venv/bin/python benchmarks/design_vs_r.py [--rows 1000000] [--repeat 3] [--no-r] [--two-stage-r]

Builds a seeded synthetic sample (40 regions as strata, 2,000 schools as PSUs with a region fpc,
teachers within schools with a school head-count, weights, a 0/1 and a numeric variable, a
4-level domain) and times, on identical data:

1. ours: ``survey_mean_by`` (single stage) — prepare + four domain means with SEs;
   ``domain_means`` (the covariance of the four domain means, :mod:`.contrasts`) on the
   single-stage design and on the two-stage design (schools, then teachers, each with its fpc);
2. R (when ``Rscript`` with ``survey`` is installed): ``svydesign(ids=~school, strata=~region,
   fpc=~N1, weights=~w)`` then ``svyby(~x, ~dom, d, svymean)``, timed inside R with
   ``system.time`` (reading the CSV is not timed), and the two-stage ``svydesign(ids=~school+tid,
   fpc=~N1+N2)`` with ``svyby(..., covmat=TRUE)`` only with ``--two-stage-r`` (R's recursion over
   the schools takes minutes already at 100,000 rows).

Prints the best of ``--repeat`` runs for ours, R's elapsed seconds, the ratio R/ours, and the
largest relative difference of the standard errors between the two (agreement check).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pmp_surveys.analysis.contrasts import domain_means  # noqa: E402
from pmp_surveys.analysis.design import SurveyDesign, survey_mean_by  # noqa: E402
from pmp_surveys.analysis.multistage import MultistageDesign, Stage  # noqa: E402

LEVELS = ["a", "b", "c", "d"]

R_SCRIPT = r"""
suppressMessages(library(survey))
args <- commandArgs(TRUE)
df <- read.csv(args[1])
t1 <- system.time(d <- svydesign(ids = ~school, strata = ~region, fpc = ~N1, weights = ~w, data = df))
t2 <- system.time(b <- svyby(~x, ~dom, d, svymean))
cat("one_stage", t1[["elapsed"]], t2[["elapsed"]], formatC(SE(b), digits = 17, format = "g"), "\n")
if (length(args) > 1) {
  t3 <- system.time(d2 <- svydesign(ids = ~school + tid, strata = ~region, fpc = ~N1 + N2, data = df))
  t4 <- system.time(b2 <- svyby(~x, ~dom, d2, svymean, covmat = TRUE))
  cat("two_stage", t3[["elapsed"]], t4[["elapsed"]], formatC(SE(b2), digits = 17, format = "g"), "\n")
}
"""


def make_frame(rows: int, seed: int = 13) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    n_schools = 2000
    school = np.sort(rng.integers(0, n_schools, rows))
    region = school % 40
    school_effect = rng.normal(0, 0.5, n_schools)[school]
    head_count = np.bincount(school, minlength=n_schools)
    return pl.DataFrame(
        {
            "region": region,
            "school": school,
            "tid": np.arange(rows),
            "N1": np.full(rows, 200),  # schools per region in the population (50 sampled)
            "N2": (np.ceil(head_count * 1.3)).astype(np.int64)[school],
            "w": rng.uniform(50, 150, rows),
            "x": 6 + school_effect + rng.normal(0, 1.2, rows),
            "y": (rng.random(rows) < 0.4).astype(np.int64),
            "dom": np.array(LEVELS)[rng.integers(0, 4, rows)],
        }
    )


def best_of(repeat: int, run: Callable[[], object]) -> tuple[float, object]:
    times = []
    result: object = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-r", action="store_true", help="skip R even if it is installed")
    parser.add_argument(
        "--two-stage-r", action="store_true", help="also time R's two-stage design (very slow: minutes at 100k rows)"
    )
    args = parser.parse_args()
    frame = make_frame(args.rows)
    one = SurveyDesign(clusters="school", strata="region", fpc="N1", weights="w")
    two = MultistageDesign(stages=(Stage(clusters="school", strata="region", fpc="N1"), Stage(fpc="N2")))
    t_by, table = best_of(args.repeat, lambda: survey_mean_by(frame, "x", one, "dom"))
    t_cov, _ = best_of(args.repeat, lambda: domain_means(frame, "x", one, "dom", LEVELS))
    t_two, two_result = best_of(args.repeat, lambda: domain_means(frame, "x", two, "dom", LEVELS))
    assert isinstance(table, pl.DataFrame)
    ours_se = table.sort("dom").get_column("std_error").to_numpy()
    two_se = np.sqrt(np.diag(two_result[1]))  # type: ignore[index]
    print(f"rows: {args.rows:,}", flush=True)
    print(f"ours  survey_mean_by, 4 domains (one stage):          {t_by:8.3f} s")
    print(f"ours  domain_means + covariance (one stage):          {t_cov:8.3f} s")
    print(f"ours  domain_means + covariance (two stages, 2 fpcs): {t_two:8.3f} s")
    if args.no_r or shutil.which("Rscript") is None:
        print("R: not run (Rscript not found or --no-r)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "design.csv"
        script = Path(tmp) / "bench.R"
        frame.write_csv(csv)
        script.write_text(R_SCRIPT)
        command = ["Rscript", str(script), str(csv)] + (["two"] if args.two_stage_r else [])
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    for line in output.splitlines():
        parts = line.split()
        if not parts:
            continue
        build, by = float(parts[1]), float(parts[2])
        r_se = np.array([float(v) for v in parts[3:]])
        ours, mine = (t_by, ours_se) if parts[0] == "one_stage" else (t_two, two_se)
        diff = float(np.max(np.abs(r_se / mine - 1.0)))
        print(
            f"R     {parts[0]}: svydesign {build:.2f} s + svyby {by:.2f} s = {build + by:.2f} s;"
            f" ratio R/ours = {(build + by) / ours:,.0f}x; max rel. SE difference {diff:.1e}"
        )


if __name__ == "__main__":
    main()
