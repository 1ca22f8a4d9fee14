"""`pmp-surveys plan`: how many responses the next wave needs (pure arithmetic, no database)."""

from __future__ import annotations

import argparse
from typing import Any

from pmp_surveys.analysis.sample_size import (
    design_effect_from_icc,
    sample_size_for_half_width,
    sample_size_one_sample,
    sample_size_two_samples,
)


def register(commands: Any) -> None:
    plan = commands.add_parser(
        "plan",
        help="responses needed for a CI half-width, or to detect a change from the baseline",
        description=(
            "Either --half-width (precision of one estimate) or --expected (power to detect a change "
            "from --baseline: against a published percentage with --published, else against a baseline "
            "wave). Shares are fractions (0.7 = 70 %). Clustered samples: --deff, or --icc with "
            "--cluster-size."
        ),
    )
    plan.add_argument("--p", type=float, help="expected share, for --half-width (default 0.5, the worst case)")
    plan.add_argument("--half-width", type=float, help="wanted CI half-width, e.g. 0.05 for ±5 points")
    plan.add_argument("--baseline", type=float, help="baseline share, for --expected")
    plan.add_argument("--expected", type=float, help="share expected in the new wave")
    plan.add_argument("--published", action="store_true", help="the baseline is a published figure (one sample)")
    plan.add_argument("--baseline-n", type=int, help="responses of an existing baseline wave (two samples)")
    plan.add_argument("--power", type=float, default=0.8, help="power to detect the change (with --expected)")
    plan.add_argument("--confidence", type=float, default=0.95, help="confidence level (default 0.95)")
    plan.add_argument("--one-sided", action="store_true", help="test only the direction of the plan's target")
    plan.add_argument("--deff", type=float, help="design effect (clustered or weighted samples)")
    plan.add_argument("--icc", type=float, help="intra-cluster correlation, with --cluster-size")
    plan.add_argument("--cluster-size", type=float, help="mean respondents per school, with --icc")
    plan.add_argument("--population", type=int, help="population size, for a finite population correction")
    plan.set_defaults(handler=run_plan)


def _design_effect(args: argparse.Namespace) -> float:
    """The design effect from --deff, or --icc with --cluster-size; a half-given pair is an error
    (a silently ignored --icc printed half the responses a clustered sample needs)."""
    if (args.icc is None) != (args.cluster_size is None):
        raise SystemExit("plan: --icc and --cluster-size go together (design effect 1 + (m − 1)·ICC)")
    if args.deff is not None and args.icc is not None:
        raise SystemExit("plan: give --deff or --icc with --cluster-size, not both")
    if args.deff is not None:
        return float(args.deff)
    if args.icc is not None and args.cluster_size is not None:
        return design_effect_from_icc(args.cluster_size, args.icc)
    return 1.0


def run_plan(args: argparse.Namespace) -> int:
    deff = _design_effect(args)
    try:
        if args.half_width is not None:
            p = 0.5 if args.p is None else args.p
            r = sample_size_for_half_width(
                p,
                args.half_width,
                confidence_level=args.confidence,
                design_effect=deff,
                population_size=args.population,
            )
            print(
                f"{r.n} responses for a {args.confidence:.0%} Wilson interval of ±{100 * args.half_width:.1f} points "
                f"around {p:.0%} (design effect {deff:.2f}"
                + (f", population {args.population}" if args.population else "")
                + ")"
            )
            return 0
        if args.baseline is None or args.expected is None:
            print("give --half-width, or --baseline and --expected")
            return 2
        alternative = ("greater" if args.expected > args.baseline else "less") if args.one_sided else "two-sided"
        common = {
            "power": args.power,
            "confidence_level": args.confidence,
            "alternative": alternative,
            "design_effect": deff,
        }
        if args.published:
            r1 = sample_size_one_sample(args.baseline, args.expected, **common)
            print(
                f"{r1.n} responses to detect {args.expected:.0%} against the published {args.baseline:.0%} "
                f"with {args.power:.0%} power ({alternative}, α = {1 - args.confidence:.2f}, design effect {deff:.2f})"
            )
        else:
            r2 = sample_size_two_samples(args.baseline, args.expected, baseline_n=args.baseline_n, **common)
            per = "in the new wave" if args.baseline_n else "in each wave"
            print(
                f"{r2.n} responses {per} to detect a change from {args.baseline:.0%} to {args.expected:.0%} "
                f"with {args.power:.0%} power ({alternative}, α = {1 - args.confidence:.2f}, design effect {deff:.2f})"
            )
    except ValueError as exc:
        print(f"cannot plan: {exc}")
        return 2
    return 0
