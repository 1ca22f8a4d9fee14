"""Indicator evaluation: responses and administrative figures → values, changes and target verdicts.

Three ways in, one result (:class:`Evaluation`, format ``FORMAT_VERSION``; see :mod:`.schemas`):

- Python::

      from pmp_surveys.catalogue import load_catalogue
      from pmp_surveys.indicators import evaluate_municipality

      catalogue = load_catalogue(Path("analysis"))
      async with sessions() as session:
          result = await evaluate_municipality(session, catalogue.municipality("bauska"), 2026, baseline=2024)
      result.to_frame()   # polars, one row per indicator;  result.to_json();  result.to_csv()

  :func:`evaluate` is the pure core (polars in, :class:`Evaluation` out) for data already in memory.
- HTTP: ``GET /api/v1/evaluations/{municipality}/{wave}?baseline=2024|published`` (JSON) and
  ``…/{wave}.csv``, for evaluators of that municipality and operators.
- CLI: ``pmp-surveys analyze --municipality bauska --wave 2026 [--baseline 2024] [--out DIR]
  [--format table|json|csv]``; ``pmp-surveys figures import FILE.csv`` for administrative figures
  (:func:`import_figures`: all rows or none).

Names are imported lazily, so importing ``pmp_surveys.indicators.models`` (migrations) stays light.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pmp_surveys.indicators.evaluate import EvaluationInputs, evaluate
    from pmp_surveys.indicators.schemas import (
        FORMAT_VERSION,
        Evaluation,
        IndicatorResult,
        NoteCode,
        ScaleResult,
        result_schema,
    )
    from pmp_surveys.indicators.service import FiguresImported, evaluate_municipality, import_figures

_WHERE = {
    "EvaluationInputs": "evaluate",
    "evaluate": "evaluate",
    "FORMAT_VERSION": "schemas",
    "Evaluation": "schemas",
    "IndicatorResult": "schemas",
    "NoteCode": "schemas",
    "ScaleResult": "schemas",
    "result_schema": "schemas",
    "FiguresImported": "service",
    "evaluate_municipality": "service",
    "import_figures": "service",
}

__all__ = [
    "FORMAT_VERSION",
    "Evaluation",
    "EvaluationInputs",
    "FiguresImported",
    "IndicatorResult",
    "NoteCode",
    "ScaleResult",
    "evaluate",
    "evaluate_municipality",
    "import_figures",
    "result_schema",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"pmp_surveys.indicators.{module}"), name)
