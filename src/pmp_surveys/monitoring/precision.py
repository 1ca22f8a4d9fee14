"""Precision reached at the current number of responses against what the plan needs. Pure.

For each survey indicator measured by the campaign's instrument: the Wilson interval half-width
at the anticipated share p with n responses (z·sqrt(n·p·q + z²/4)/(n + z²), Wilson 1927; the
formula inverted by :func:`pmp_surveys.analysis.sample_size.sample_size_for_half_width`), and
the responses that function says are needed for the wanted half-width (default ±5 points).
p is the indicator's target for the wave (else its baseline, else 0.5, the worst case). Simple
random sampling is assumed (design effect 1): clustered and weighted designs need more.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pmp_surveys.analysis.proportions import normal_quantile
from pmp_surveys.analysis.sample_size import sample_size_for_half_width
from pmp_surveys.catalogue.schema import Indicator, Municipality

__all__ = ["PrecisionRow", "precision_rows", "wilson_half_width"]

WANTED_HALF_WIDTH = 0.05


@dataclass(frozen=True)
class PrecisionRow:
    code: str
    names: dict[str, str]
    p: float
    n: int
    #: Half-width reached now (None with no responses), as a share (0.05 = ±5 points).
    reached: float | None
    wanted: float
    needed: int

    @property
    def more(self) -> int:
        return max(self.needed - self.n, 0)


def wilson_half_width(p: float, n: int, confidence_level: float = 0.95) -> float | None:
    """Half-width of the Wilson interval at p̂ = p with n responses; None for n = 0."""
    if n <= 0:
        return None
    z = normal_quantile(confidence_level)
    return z * math.sqrt(n * p * (1 - p) + z * z / 4) / (n + z * z)


def anticipated_share(indicator: Indicator, wave: int) -> float:
    target = indicator.target_for(wave)
    if target is not None and target.value is not None and 0 < target.value < 1:
        return float(target.value)
    if indicator.baseline is not None and indicator.baseline.value is not None and 0 < indicator.baseline.value < 1:
        return float(indicator.baseline.value)
    return 0.5


def precision_rows(
    municipality: Municipality, instrument: str, wave: int, n: int, *, wanted: float = WANTED_HALF_WIDTH
) -> list[PrecisionRow]:
    rows = []
    for ind in municipality.indicators:
        if ind.survey is None or ind.survey.instrument != instrument:
            continue
        p = anticipated_share(ind, wave)
        rows.append(
            PrecisionRow(
                code=ind.code,
                names={"lv": ind.names.lv, "en": ind.names.en},
                p=p,
                n=n,
                reached=wilson_half_width(p, n),
                wanted=wanted,
                needed=sample_size_for_half_width(p, wanted).n,
            )
        )
    return rows
