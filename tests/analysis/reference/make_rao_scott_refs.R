# Reference values for tests/analysis/test_rao_scott.py (issue #11).
# Run from this directory:  Rscript make_rao_scott_refs.R > rao_scott_refs.json
# Needs R with `survey` (Debian: r-base-core r-cran-survey). Data: teachers.csv (make_design_refs.R).
suppressMessages(library(survey))
options(survey.lonely.psu = "adjust")  # S12 has one respondent; as SurveyDesign(lonely_psu="adjust")
teachers <- read.csv("teachers.csv")
teachers$role <- factor(teachers$role)
teachers$y <- factor(teachers$y)
num <- function(x) if (is.finite(x)) trimws(formatC(x, digits = 17, format = "g")) else "null"
designs <- list(
  clustered = list(call = "svydesign(ids=~school, strata=~region, weights=~w, data=teachers)",
                   d = svydesign(ids = ~school, strata = ~region, weights = ~w, data = teachers)),
  schools_as_strata = list(call = "svydesign(ids=~1, strata=~school, fpc=~teachers, weights=~teachers/responded)",
                   d = svydesign(ids = ~1, strata = ~school, fpc = ~teachers,
                                 weights = ~I(teachers / responded), data = teachers))
)
out <- c()
for (name in names(designs)) {
  d <- designs[[name]]$d
  f <- svychisq(~y + role, d, statistic = "F")
  x <- svychisq(~y + role, d, statistic = "Chisq")
  out <- c(out, sprintf(
    '"%s": {"call": "%s; svychisq(~y + role, d, statistic=F / Chisq)", "F": %s, "ndf": %s, "ddf": %s, "p_F": %s, "chisq": %s, "df": %s, "p_chisq": %s}',
    name, designs[[name]]$call, num(f$statistic[[1]]), num(f$parameter[[1]]), num(f$parameter[[2]]),
    num(f$p.value), num(x$statistic[[1]]), num(x$parameter[[1]]), num(x$p.value)))
}
cat("{\n", paste(out, collapse = ",\n"), "\n}\n", sep = "")
