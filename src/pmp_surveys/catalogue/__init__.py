"""Municipalities, schools and indicator catalogues as strict data (``analysis/municipalities/``)."""

from __future__ import annotations

from pmp_surveys.catalogue.admin_figures import (
    AdminFigure,
    admin_figures_frame,
    parse_admin_figures,
    read_admin_figures,
)
from pmp_surveys.catalogue.errors import AdminFiguresError, CatalogueError, Problem, RowProblem
from pmp_surveys.catalogue.loader import (
    DEFAULT_INSTRUMENTS,
    load_catalogue,
    load_municipality_file,
    parse_municipality,
)
from pmp_surveys.catalogue.schema import (
    Baseline,
    Catalogue,
    DataSource,
    Indicator,
    Municipality,
    Names,
    Plan,
    School,
    SurveyMeasure,
    Target,
    render_json_schema,
    target_for,
)

__all__ = [
    "DEFAULT_INSTRUMENTS",
    "AdminFigure",
    "AdminFiguresError",
    "Baseline",
    "Catalogue",
    "CatalogueError",
    "DataSource",
    "Indicator",
    "Municipality",
    "Names",
    "Plan",
    "Problem",
    "RowProblem",
    "School",
    "SurveyMeasure",
    "Target",
    "admin_figures_frame",
    "load_catalogue",
    "load_municipality_file",
    "parse_admin_figures",
    "parse_municipality",
    "read_admin_figures",
    "render_json_schema",
    "target_for",
]
