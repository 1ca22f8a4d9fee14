"""Pure, synchronous statistics for indicator evaluation.

Nothing in this package imports the web framework or the database: polars frames and plain
numbers go in, frozen result objects come out (see `results`). Every interval function takes
`confidence_level`, returns `estimate`, `std_error`, `ci_low`, `ci_high`, `n`, `method`, and
every test takes `alternative` in {"two-sided", "greater", "less"}.

    >>> from pmp_surveys.analysis import proportion_ci
    >>> r = proportion_ci(81, 263)
    >>> round(r.ci_low, 4), round(r.ci_high, 4)
    (0.2553, 0.3662)
"""

from pmp_surveys.analysis.contrasts import ContrastResult, design_contrast, design_ttest
from pmp_surveys.analysis.design import (
    DESIGN_FIGURE_COLUMNS,
    DesignEstimate,
    SurveyDesign,
    suppress_design_estimate,
    survey_mean,
    survey_mean_by,
    survey_proportion,
    survey_proportion_by,
)
from pmp_surveys.analysis.design_estimates import DesignBasedEstimate, design_mean, design_proportion, design_total
from pmp_surveys.analysis.differences import DifferenceResult, difference_ci
from pmp_surveys.analysis.greg import greg_calibrate
from pmp_surveys.analysis.multiplicity import adjust_p_values
from pmp_surveys.analysis.multistage import MultistageDesign, Stage
from pmp_surveys.analysis.one_sample import OneSampleResult, one_sample_test
from pmp_surveys.analysis.paired import PairedDifferenceResult, mcnemar_test, paired_difference_ci
from pmp_surveys.analysis.prepared import PreparedDesign, prepare_design
from pmp_surveys.analysis.proportions import proportion_ci
from pmp_surveys.analysis.reliability import ItemStatistics, Reliability, scale_reliability
from pmp_surveys.analysis.results import (
    DEFAULT_SUPPRESSION_THRESHOLD,
    Estimate,
    Result,
    TestResult,
)
from pmp_surveys.analysis.sample_size import (
    HalfWidthSampleSize,
    PowerSampleSize,
    design_effect_from_icc,
    sample_size_for_half_width,
    sample_size_one_sample,
    sample_size_two_samples,
)
from pmp_surveys.analysis.scales import (
    AlphaEstimate,
    EffectSize,
    WelchResult,
    cronbach_alpha,
    hedges_g,
    scale_score_expr,
    scale_scores,
    share_above,
    welch_t,
)
from pmp_surveys.analysis.small_samples import (
    difference_ci_mee,
    difference_ci_newcombe_cc,
    fisher_exact_test,
    proportion_ci_corrected,
    wald_z_test,
    yates_test_one_sample,
    yates_test_two_samples,
)
from pmp_surveys.analysis.suppression import is_small, suppress_difference_if_small, suppress_frame, suppress_if_small
from pmp_surveys.analysis.tables import TableTest, design_chisq
from pmp_surveys.analysis.verdicts import Target, Verdict, target_verdict
from pmp_surveys.analysis.weighting import KishDesignEffect, WeightingReport, kish_design_effect, post_stratify, rake

__all__ = [
    "DEFAULT_SUPPRESSION_THRESHOLD",
    "DESIGN_FIGURE_COLUMNS",
    "AlphaEstimate",
    "DesignEstimate",
    "DifferenceResult",
    "EffectSize",
    "Estimate",
    "HalfWidthSampleSize",
    "KishDesignEffect",
    "OneSampleResult",
    "PairedDifferenceResult",
    "PowerSampleSize",
    "PreparedDesign",
    "Result",
    "SurveyDesign",
    "Target",
    "TestResult",
    "Verdict",
    "WeightingReport",
    "WelchResult",
    "adjust_p_values",
    "cronbach_alpha",
    "design_effect_from_icc",
    "difference_ci",
    "hedges_g",
    "is_small",
    "kish_design_effect",
    "mcnemar_test",
    "one_sample_test",
    "paired_difference_ci",
    "post_stratify",
    "prepare_design",
    "proportion_ci",
    "rake",
    "sample_size_for_half_width",
    "sample_size_one_sample",
    "sample_size_two_samples",
    "scale_score_expr",
    "scale_scores",
    "share_above",
    "suppress_design_estimate",
    "suppress_difference_if_small",
    "suppress_frame",
    "suppress_if_small",
    "survey_mean",
    "survey_mean_by",
    "survey_proportion",
    "survey_proportion_by",
    "target_verdict",
    "welch_t",
]

# Survey statistics on a par with R's survey and psych (issue 13).
__all__ += [
    "ContrastResult",
    "DesignBasedEstimate",
    "ItemStatistics",
    "MultistageDesign",
    "Reliability",
    "Stage",
    "TableTest",
    "design_chisq",
    "design_contrast",
    "design_mean",
    "design_proportion",
    "design_total",
    "design_ttest",
    "difference_ci_mee",
    "difference_ci_newcombe_cc",
    "fisher_exact_test",
    "greg_calibrate",
    "proportion_ci_corrected",
    "scale_reliability",
    "wald_z_test",
    "yates_test_one_sample",
    "yates_test_two_samples",
]
