# Reference values for tests/indicators/test_issue11_statistics.py (issue #11).
#
# Run from this directory:  Rscript make_issue11_refs.R > issue11_refs.json
# Needs R with the `survey` package (Debian: r-base-core r-cran-survey). R is not a test
# dependency: the test reads issue11_refs.json. Each value records the R call that produced it.

suppressMessages(library(survey))
options(digits = 17)

out <- list()
num <- function(x) if (is.finite(x)) trimws(formatC(x, digits = 17, format = "g")) else "null"

# ---------------------------------------------------------------- 1. t on the design df, not z
# Teachers in 4 schools (strata), school head-counts as fpc, weights N_h / n_h, two waves.
schools <- data.frame(school = c("S1", "S2", "S3", "S4"), teachers = c(20, 15, 25, 10))
y2026 <- list(S1 = c(1, 1, 0, 1, 1, 0), S2 = c(1, 1, 1, 0, 1), S3 = c(1, 0, 1, 1, 1, 1, 0, 1), S4 = c(1, 1, 0, 1))
y2024 <- list(S1 = c(0, 1, 0, 0, 1), S2 = c(1, 0, 0, 1, 0), S3 = c(0, 1, 0, 1, 0, 0, 1), S4 = c(0, 1, 0))
stack <- function(ys, wave) {
  do.call(rbind, lapply(names(ys), function(s) {
    n_h <- length(ys[[s]])
    N_h <- schools$teachers[schools$school == s]
    data.frame(wave = wave, school = s, y = ys[[s]], fpc = N_h, w = N_h / n_h)
  }))
}
d <- rbind(stack(y2026, 2026), stack(y2024, 2024))
d$stratum <- paste(d$wave, d$school)
both <- svydesign(ids = ~1, strata = ~stratum, fpc = ~fpc, weights = ~w, data = d)
now <- subset(both, wave == 2026)
# one wave on its own design (degf = n - strata)
one <- svydesign(ids = ~1, strata = ~school, fpc = ~fpc, weights = ~w, data = d[d$wave == 2026, ])
m1 <- svymean(~y, one)
df1 <- degf(one)
t_target <- (coef(m1)[[1]] - 0.5) / SE(m1)[[1]]
out$verdict_t <- sprintf(
  '{"call": "svymean(~y, one); pt((p - 0.5)/SE, degf(one), lower.tail=FALSE)", "estimate": %s, "se": %s, "df": %d, "p_met": %s, "p_met_z": %s}',
  num(coef(m1)[[1]]), num(SE(m1)[[1]]), df1,
  num(pt(t_target, df1, lower.tail = FALSE)), num(pnorm(t_target, lower.tail = FALSE)))
by <- svyby(~y, ~wave, both, svymean)
ctr <- svycontrast(by, c("2024" = -1, "2026" = 1))
dfb <- degf(both)
tc <- coef(ctr)[[1]] / SE(ctr)[[1]]
q <- qt(0.975, dfb)
out$change_t <- sprintf(
  '{"call": "svycontrast(svyby(~y, ~wave, both, svymean), c(-1, 1)); 2*pt(-|t|, degf(both))", "change": %s, "se": %s, "df": %d, "ci_low": %s, "ci_high": %s, "p": %s, "p_z": %s}',
  num(coef(ctr)[[1]]), num(SE(ctr)[[1]]), dfb,
  num(coef(ctr)[[1]] - q * SE(ctr)[[1]]), num(coef(ctr)[[1]] + q * SE(ctr)[[1]]),
  num(2 * pt(-abs(tc), dfb)), num(2 * pnorm(-abs(tc))))

# ---------------------------------------------------------------- 2. never zero-width at 0 or n
# 15 zeros in 3 strata of 5 with fpc 20, 30, 40 (equal weights within a stratum).
z <- data.frame(stratum = rep(c("A", "B", "C"), each = 5), fpc = rep(c(20, 30, 40), each = 5), y = 0)
z$w <- z$fpc / 5
dz <- svydesign(ids = ~1, strata = ~stratum, fpc = ~fpc, weights = ~w, data = z)
logit <- svyciprop(~y, dz, method = "logit")
beta <- suppressWarnings(svyciprop(~y, dz, method = "beta"))
# R's "beta" gives NaN here (deff = 0/0); Korn & Graubard's n* with deff taken as 1:
nz <- 15
dfz <- degf(dz)
n_star <- nz * (qt(0.025, nz - 1) / qt(0.025, dfz))^2
out$zero <- sprintf(
  '{"call_logit": "svyciprop(~y, dz, method=\\"logit\\")", "logit_low": %s, "logit_high": %s, "call_beta": "svyciprop(~y, dz, method=\\"beta\\")", "beta_high_r": %s, "call_kg": "qbeta(0.975, 1, n*) with n* = n (qt(.025, n-1)/qt(.025, degf))^2", "df": %d, "n_star": %s, "kg_high": %s}',
  num(attr(logit, "ci")[[1]]), num(attr(logit, "ci")[[2]]), num(attr(beta, "ci")[[2]]),
  dfz, num(n_star), num(qbeta(0.975, 1, n_star)))

# ---------------------------------------------------------------- 3. NaN is missing
# Three 1-5 items, one answer NaN (a numeric answer that is not a number): complete cases only.
items <- data.frame(a = c(4, 5, 3, 4, 2, 5, 4), b = c(4, 4, 3, 5, 2, 4, NA), c = c(5, 5, 2, 4, 3, 4, 4))
cc <- items[complete.cases(items), ]
k <- ncol(cc)
alpha <- k / (k - 1) * (1 - sum(apply(cc, 2, var)) / var(rowSums(cc)))
out$nan <- sprintf(
  '{"call": "k/(k-1) (1 - sum(apply(cc, 2, var))/var(rowSums(cc))), cc = complete cases", "alpha": %s, "n": %d, "score_row7": %s}',
  num(alpha), nrow(cc), num(mean(c(4, 4))))

cat("{\n", paste(sprintf('"%s": %s', names(out), unlist(out)), collapse = ",\n"), "\n}\n", sep = "")
