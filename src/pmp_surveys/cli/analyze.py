"""`pmp-surveys analyze`: evaluate every indicator of a municipality for a wave, print and save it."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from pmp_surveys.catalogue.errors import CatalogueError
from pmp_surveys.cli.runtime import run_in_session, settings_with_database
from pmp_surveys.indicators.evaluate import BaselineChoice
from pmp_surveys.indicators.schemas import Evaluation, IndicatorResult, ScaleResult


def register(commands: Any) -> None:
    analyze = commands.add_parser(
        "analyze",
        help="evaluate every indicator of a municipality for a wave (value, CI, change, target verdict)",
    )
    analyze.add_argument("--municipality", required=True, help="municipality code, e.g. bauska")
    analyze.add_argument("--wave", required=True, type=int, help="survey wave / figure year, e.g. 2026")
    analyze.add_argument(
        "--baseline",
        metavar="auto|plan|published|YEAR",
        help="auto (default): the most recent earlier wave with data, else the plan's baseline; plan: each "
        "indicator's baseline in the plan; published: the plan's printed figures; or a wave year (e.g. 2024)",
    )
    analyze.add_argument(
        "--catalogue", type=int, metavar="N", help="a stored plan version (default: the latest; /admin/plan lists them)"
    )
    analyze.add_argument("--out", type=Path, help="also write evaluation-<municipality>-<wave>.json and .csv here")
    analyze.add_argument("--format", choices=("table", "json", "csv"), default="table", help="what to print")
    analyze.add_argument("--confidence", type=float, default=0.95, help="confidence level (default 0.95)")
    analyze.add_argument("--quiet", action="store_true", help="no progress messages on stderr")
    analyze.set_defaults(handler=run_analyze)


def parse_baseline(raw: str | None) -> BaselineChoice:
    """``--baseline``: the shared vocabulary (:func:`pmp_surveys.indicators.baseline.parse_baseline`)."""
    from pmp_surveys.indicators.baseline import parse_baseline as parse

    return parse(raw)


def run_analyze(args: argparse.Namespace) -> int:
    from pmp_surveys.cli.prepare import prepare
    from pmp_surveys.indicators.service import evaluate_municipality

    started = time.perf_counter()

    def progress(message: str) -> None:
        if not args.quiet:
            print(f"[{time.perf_counter() - started:5.1f}s] {message}", file=sys.stderr, flush=True)

    try:
        baseline = parse_baseline(args.baseline)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    settings = settings_with_database()
    progress("preparing the database and loading the catalogue")
    try:
        catalogue = prepare(settings)
    except CatalogueError as exc:
        print(exc, file=sys.stderr)
        return 1
    import msgspec

    from pmp_surveys.errors import NotFound
    from pmp_surveys.plans.service import plan_version

    async def work(session: Any) -> Evaluation:
        plan = await plan_version(session, args.municipality, args.catalogue)  # the latest stored version
        evaluation = await evaluate_municipality(
            session,
            plan.municipality,
            args.wave,
            baseline=baseline,
            confidence_level=args.confidence,
            suppression_threshold=settings.suppression_threshold,
            progress=progress,
        )
        return msgspec.structs.replace(evaluation, catalogue_version=plan.ref)

    try:
        evaluation = run_in_session(settings, work)
    except NotFound:
        known = ", ".join(sorted(catalogue.municipalities))
        what = f"version {args.catalogue} of " if args.catalogue else ""
        print(f"unknown municipality or plan version: {what}{args.municipality!r} (known: {known})", file=sys.stderr)
        return 2
    progress("done")
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        stem = args.out / f"evaluation-{evaluation.municipality}-{args.wave}"
        stem.with_suffix(".json").write_bytes(evaluation.to_json(indent=2))
        stem.with_suffix(".csv").write_text(evaluation.to_csv(), encoding="utf-8")
        progress(f"wrote {stem}.json and {stem}.csv")
    if args.format == "json":
        sys.stdout.write(evaluation.to_json(indent=2).decode() + "\n")
    elif args.format == "csv":
        sys.stdout.write(evaluation.to_csv(bom=False))
    else:
        sys.stdout.write(render_table(evaluation))
    return 0


def percent(value: float | None) -> str:
    if value is None:
        return "–"
    digits = 1 if abs(value) >= 0.01 or value == 0 else 3
    return f"{100 * value:.{digits}f}%"


def points(value: float, *, scale: float | None = None) -> str:
    """A difference of shares in percentage points, signed. `scale` (the largest magnitude of a
    change and its interval) picks the digits, so the three numbers are printed alike."""
    size = abs(value) if scale is None else scale
    digits = 1 if size >= 0.01 or size == 0 else 3
    return f"{100 * value:+.{digits}f}"


def _interval(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return ""
    return f" [{percent(low)}, {percent(high)}]"


def _p(value: float | None) -> str:
    if value is None:
        return ""
    return " p<0.001" if value < 0.001 else f" p={value:.3f}"


def row_cells(r: IndicatorResult) -> list[str]:
    if r.suppressed:
        value = "suppressed"
    elif r.value is None:
        value = "no data"
    else:
        value = percent(r.value) + _interval(r.ci_low, r.ci_high)
    if r.baseline_source == "none":
        baseline = "–"
    elif r.baseline_suppressed:
        baseline = f"suppressed ({r.baseline_year})"
    else:
        kind = "published" if r.baseline_source == "published" else str(r.baseline_year)
        baseline = f"{percent(r.baseline_value)} ({kind})" if r.baseline_value is not None else f"– ({kind})"
    if r.change is None:
        change = "–"
    else:
        scale = max(abs(v) for v in (r.change, r.change_ci_low, r.change_ci_high) if v is not None)
        change = f"{points(r.change, scale=scale)} pp"
        if r.change_ci_low is not None and r.change_ci_high is not None:
            change += f" [{points(r.change_ci_low, scale=scale)}, {points(r.change_ci_high, scale=scale)}]"
        change += _p(r.change_p_value)
    symbol = {"at_least": "≥", "at_most": "≤", "below": "<", "above": ">"}
    target = "–" if r.target_value is None else f"{symbol.get(r.target_kind or '', '')}{percent(r.target_value)}"
    if r.target_year is not None:
        target += f" ({r.target_year})"
    verdict = r.verdict.replace("_", " ") + _p(r.verdict_p_value)
    return [r.code, value, baseline, change, target, verdict, "–" if r.n is None else str(r.n)]


def render_table(evaluation: Evaluation) -> str:
    header = ["indicator", "value [95% CI]", "baseline", "change [CI] p", "target", "verdict", "n"]
    if evaluation.confidence_level != 0.95:
        header[1] = f"value [{100 * evaluation.confidence_level:g}% CI]"
    rows = [row_cells(r) for r in evaluation.indicators]
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]
    lines = [
        f"{evaluation.municipality_name} — wave {evaluation.wave}; baseline: {evaluation.baseline or 'auto'}; "
        f"suppression under {evaluation.suppression_threshold}",
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    notes = [(r.code, note) for r in evaluation.indicators for note in r.notes]
    if notes:
        lines.append("")
        lines += [f"  {code}: {note}" for code, note in notes]
    if evaluation.scales:
        lines += ["", *render_scales(evaluation)]
    return "\n".join(lines) + "\n"


def _num(value: float | None, digits: int = 2, *, signed: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"


def _bracket(low: float | None, high: float | None, *, signed: bool = False) -> str:
    if low is None or high is None:
        return ""
    return f" [{_num(low, signed=signed)}, {_num(high, signed=signed)}]"


def scale_cells(s: ScaleResult) -> list[str]:
    if s.suppressed:
        return [s.rule, "suppressed", "–", "–", "–", "–", "–", "–"]
    mean = "no data" if s.mean is None else _num(s.mean) + _bracket(s.ci_low, s.ci_high)
    if s.baseline_year is None:
        baseline = "–"
    elif s.baseline_suppressed:
        baseline = f"suppressed ({s.baseline_year})"
    else:
        baseline = f"{_num(s.baseline_mean)} ({s.baseline_year})"
    change = (
        "–"
        if s.change is None
        else _num(s.change, signed=True)
        + _bracket(s.change_ci_low, s.change_ci_high, signed=True)
        + _p(s.change_p_value)
    )
    welch = "–" if s.welch_t is None else f"t={s.welch_t:.2f} df={_num(s.welch_df, 1)}{_p(s.welch_p_value)}"
    g = (
        "–"
        if s.hedges_g is None
        else _num(s.hedges_g, signed=True) + _bracket(s.hedges_g_ci_low, s.hedges_g_ci_high, signed=True)
    )
    alpha = "–" if s.alpha is None else _num(s.alpha) + _bracket(s.alpha_ci_low, s.alpha_ci_high)
    return [s.rule, mean, "–" if s.n is None else str(s.n), baseline, change, welch, g, alpha]


def render_scales(evaluation: Evaluation) -> list[str]:
    """The scale scores: mean [CI], baseline, design-based change, Welch's t, Hedges' g, alpha."""
    header = [
        "scale",
        "mean [CI]",
        "n",
        "baseline",
        "change [CI] p",
        "Welch t (unweighted)",
        "Hedges g [CI]",
        "alpha [CI]",
    ]
    rows = [scale_cells(s) for s in evaluation.scales]
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]
    lines = [
        "Scale scores",
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    notes = [(s.rule, note) for s in evaluation.scales for note in s.notes]
    if notes:
        lines.append("")
        lines += [f"  {rule}: {note}" for rule, note in notes]
    return lines
