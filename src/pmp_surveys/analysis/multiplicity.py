"""Multiple-comparison adjustment of p-values across an indicator set.

References
----------
- Holm S (1979). A simple sequentially rejective multiple test procedure. Scandinavian Journal
  of Statistics 6:65–70.
- Benjamini Y, Hochberg Y (1995). Controlling the false discovery rate: a practical and powerful
  approach to multiple testing. JRSS B 57:289–300.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal, get_args

AdjustMethod = Literal["holm", "benjamini-hochberg", "bonferroni", "hochberg", "hommel", "benjamini-yekutieli"]
ADJUST_METHODS: tuple[AdjustMethod, ...] = get_args(AdjustMethod)
_STATSMODELS = {
    "bonferroni": "bonferroni",
    "hochberg": "simes-hochberg",
    "hommel": "hommel",
    "benjamini-yekutieli": "fdr_by",
}


def _is_missing(value: float | None) -> bool:
    return value is None or math.isnan(value)


def adjust_p_values(p_values: Sequence[float | None], *, method: AdjustMethod = "holm") -> list[float | None]:
    r"""Adjusted p-values, in the input order; missing entries stay missing in place.

    Only the m non-missing p-values form the family (None stays None, NaN stays NaN). With
    p_(1) ≤ … ≤ p_(m) sorted ascending:

    - ``holm`` (family-wise error): p̃_(i) = max_{j ≤ i} min(1, (m − j + 1)·p_(j)).
    - ``benjamini-hochberg`` (false discovery rate, independent or positively dependent tests):
      p̃_(i) = min_{j ≥ i} min(1, m·p_(j)/j).

    - ``bonferroni``: min(1, m·p); ``hochberg`` (Hochberg 1988, step-up, independent tests);
      ``hommel`` (Hommel 1988, closed Simes tests); ``benjamini-yekutieli`` (BY 2001, FDR under
      any dependence: BH × Σ_{i≤m} 1/i). Computed by statsmodels ``multipletests`` (methods
      "bonferroni", "simes-hochberg", "hommel", "fdr_by"); equal to R ``p.adjust`` with
      "bonferroni", "hochberg", "hommel", "BY" (tests/analysis/test_small_samples.py).

    Equal to R ``p.adjust(p, "holm")`` / ``p.adjust(p, "BH")`` and statsmodels
    ``multipletests(method="holm" | "fdr_bh")`` on the non-missing values. Reject at level α
    where the adjusted value ≤ α. Raises ValueError for a p-value outside [0, 1].
    """
    if method not in ADJUST_METHODS:
        raise ValueError(f"method must be one of {ADJUST_METHODS}, got {method!r}")
    present: list[tuple[int, float]] = []
    for index, value in enumerate(p_values):
        if _is_missing(value):
            continue
        p = float(value)  # type: ignore[arg-type]
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"p-values must lie in [0, 1], got {value!r} at position {index}")
        present.append((index, p))
    result: list[float | None] = [None if v is None else float(v) for v in p_values]
    m = len(present)
    if m == 0:
        return result
    if method in _STATSMODELS:
        from statsmodels.stats.multitest import multipletests

        values = multipletests([p for _, p in present], method=_STATSMODELS[method])[1]
        for (index, _), value in zip(present, values, strict=True):
            result[index] = min(1.0, float(value))
        return result
    ordered = sorted(present, key=lambda item: item[1])
    adjusted = [0.0] * m
    if method == "holm":
        running = 0.0
        for rank, (_, p) in enumerate(ordered):
            running = max(running, min(1.0, (m - rank) * p))
            adjusted[rank] = running
    else:
        running = 1.0
        for rank in range(m - 1, -1, -1):
            p = ordered[rank][1]
            running = min(running, min(1.0, m * p / (rank + 1)))
            adjusted[rank] = running
    for rank, (index, _) in enumerate(ordered):
        result[index] = adjusted[rank]
    return result
