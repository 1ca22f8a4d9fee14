# The R code the codebook gives for a teacher survey (exports/design_code.py), run on design-example.csv.
# Run: cd tests/exports/reference && Rscript design_example.R > design_example.out (R 4.2.2, survey 4.1.1)
library(survey)
options(survey.lonely.psu = "adjust")
d <- read.csv("design-example.csv", na.strings = "")
d$school[is.na(d$school)] <- "(small schools)"
teachers <- c("skola-a" = 30, "skola-b" = 12, "(small schools)" = 7)
d$fpc <- unname(teachers[d$school])
des <- svydesign(ids = ~1, strata = ~school, fpc = ~fpc, data = d)
# a share, e.g. of attended_supervision == 1, with the Korn-Graubard interval used by pmp-surveys:
svyciprop(~I(attended_supervision == 1), subset(des, !is.na(attended_supervision)), method = "beta")
est <- svyciprop(~I(attended_supervision == 1), subset(des, !is.na(attended_supervision)), method = "beta")
ci <- attr(est, "ci")
cat(sprintf("estimate=%.15g\nstd_error=%.15g\nci_low=%.15g\nci_high=%.15g\n", coef(est), SE(est), ci[1], ci[2]))
