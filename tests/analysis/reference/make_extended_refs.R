# Reference values for the issue-13 modules: multistage designs, contrasts, totals, svyttest,
# svychisq, svyciprop intervals, design effects, linear calibration (tests/analysis/test_extended_design.py),
# simple-sample intervals and tests, p.adjust (test_simple_extras.py) and psych::alpha details
# (test_reliability.py).
#
# Run from this directory:  Rscript make_extended_refs.R
# Needs R with `survey` and `psych` (Debian: r-base-core r-cran-survey r-cran-psych). Reads
# teachers.csv and scale_items.csv (written by make_design_refs.R), writes waves.csv,
# scale_items_na.csv and extended_refs.json. Each result records the R call (`call`).

suppressMessages(library(survey))
suppressMessages(library(psych))
options(survey.lonely.psu = "adjust")

json_value <- function(x) {
  if (is.null(x)) return("null")
  if (is.list(x)) {
    if (!is.null(names(x)) && all(names(x) != "")) {
      parts <- vapply(names(x), function(k) paste0('"', k, '": ', json_value(x[[k]])), "")
      return(paste0("{", paste(parts, collapse = ", "), "}"))
    }
    return(paste0("[", paste(vapply(x, json_value, ""), collapse = ", "), "]"))
  }
  one <- function(v) {
    if (is.character(v)) return(paste0('"', gsub('"', '\\\\"', v), '"'))
    if (is.logical(v)) return(if (is.na(v)) "null" else if (v) "true" else "false")
    if (is.na(v) || !is.finite(v)) return("null")
    formatC(v, digits = 17, format = "g")
  }
  v <- unname(x)
  if (length(v) == 1 && is.null(attr(x, "as_array"))) return(one(v))
  paste0("[", paste(vapply(as.list(v), one, ""), collapse = ", "), "]")
}
arr <- function(x) { attr(x, "as_array") <- TRUE; x }
results <- list()
add <- function(name, value) results[[name]] <<- value

teachers <- read.csv("teachers.csv")
teachers$tid <- seq_len(nrow(teachers))  # teacher id: the row number (1-based)
teachers$n_schools <- 30  # schools in the whole population (unstratified design)

est <- function(call, m, design, df = degf(design)) {
  list(call = call, estimate = as.numeric(coef(m)), std_error = as.numeric(SE(m)), df = df,
       ci = arr(as.numeric(confint(m, df = df))))
}

# ---------------------------------------------------------------- 1. multistage designs
ms <- svydesign(ids = ~school + tid, strata = ~region, fpc = ~schools_in_region + teachers,
                data = teachers)
ms_call <- "svydesign(ids=~school+tid, strata=~region, fpc=~schools_in_region+teachers, data=teachers)"
m <- svymean(~x, ms, deff = TRUE)
e <- est(paste0("svymean(~x, ", ms_call, ", deff=TRUE)"), m, ms)
e$deff <- as.numeric(deff(m))
e$deff_replace <- as.numeric(deff(svymean(~x, ms, deff = "replace")))
e$weights <- arr(as.numeric(weights(ms)))
add("ms_mean_x", e)
sub <- subset(ms, role == "subject")
m <- svymean(~y, sub)
add("ms_mean_y_subject", est(paste0("svymean(~y, subset(", ms_call, ", role=='subject'))"), m, sub))
one <- svydesign(ids = ~school, strata = ~region, fpc = ~schools_in_region, data = teachers)
m <- svymean(~x, one)
add("ms_one_stage_x", est("svymean(~x, svydesign(ids=~school, strata=~region, fpc=~schools_in_region))", m, one))
msw <- svydesign(ids = ~school + tid, fpc = ~n_schools + teachers, weights = ~w, data = teachers)
m <- svymean(~x, msw)
add("ms_weighted_x", est("svymean(~x, svydesign(ids=~school+tid, fpc=~n_schools+teachers, weights=~w))", m, msw))
ms_cert <- svydesign(ids = ~school + tid, strata = ~region, fpc = ~schools_in_region + teachers,
                     data = teachers)
options(survey.lonely.psu = "certainty")
m <- svymean(~x, ms_cert)
add("ms_certainty_x", est("options(survey.lonely.psu='certainty'); svymean(~x, ms)", m, ms_cert))
options(survey.lonely.psu = "adjust")

# ---------------------------------------------------------------- 3. totals, svyttest, svychisq
m <- svytotal(~y, ms, deff = TRUE)
e <- est(paste0("svytotal(~y, ", ms_call, ", deff=TRUE)"), m, ms, df = Inf)
e$ci <- arr(as.numeric(confint(m)))
e$deff <- as.numeric(deff(m))
e$deff_replace <- as.numeric(deff(svytotal(~y, ms, deff = "replace")))
add("ms_total_y", e)
m <- svytotal(~y, sub)
e <- est("svytotal(~y, subset(ms, role=='subject'))", m, sub, df = Inf)
e$ci <- arr(as.numeric(confint(m)))
add("ms_total_y_subject", e)

teachers$lead <- as.integer(teachers$role == "class_teacher")
ms <- update(ms, lead = as.integer(role == "class_teacher"))
tt <- svyttest(x ~ lead, ms)
add("svyttest", list(call = "svyttest(x ~ lead, ms)  # lead = role=='class_teacher'",
                     estimate = as.numeric(tt$estimate), statistic = as.numeric(tt$statistic),
                     df = as.numeric(tt$parameter), p_value = tt$p.value))
dcl <- svydesign(ids = ~school, weights = ~w, data = teachers)
dcl <- update(dcl, lead = as.integer(role == "class_teacher"))
tt <- svyttest(x ~ lead, dcl)
add("svyttest_clustered", list(call = "svyttest(x ~ lead, svydesign(ids=~school, weights=~w))",
                     estimate = as.numeric(tt$estimate), statistic = as.numeric(tt$statistic),
                     df = as.numeric(tt$parameter), p_value = tt$p.value))

for (s in c("F", "Chisq", "Wald", "adjWald")) {
  for (dn in c("ms", "dcl")) {
    d <- get(dn)
    ch <- svychisq(~role + region, d, statistic = s)
    add(paste0("chisq_", dn, "_", s), list(call = paste0("svychisq(~role+region, ", dn, ", statistic='", s, "')"),
        statistic = as.numeric(ch$statistic), df = arr(as.numeric(ch$parameter)), p_value = ch$p.value))
  }
}

# ---------------------------------------------------------------- 2. contrasts: two waves sharing schools
set.seed(2026)
w2 <- teachers
w2$tid <- w2$tid + 1000L
w2$x <- round(pmin(9, pmax(1, teachers$x + 0.35 + rnorm(nrow(teachers), 0, 0.5))), 2)
w2$y <- as.integer(runif(nrow(teachers)) < ifelse(teachers$y == 1, 0.9, 0.25))
teachers$wave <- 2024L
w2$wave <- 2026L
w2$n_schools <- 30
waves <- rbind(teachers, w2)[, c("school", "region", "schools_in_region", "teachers", "w", "wave", "x", "y", "role")]
write.csv(waves, "waves.csv", row.names = FALSE)
dw <- svydesign(ids = ~school, strata = ~region, fpc = ~schools_in_region, weights = ~w, data = waves)
by <- svyby(~x, ~wave, dw, svymean, covmat = TRUE)
ct <- svycontrast(by, c(-1, 1))
add("contrast_waves_x", list(call = "svycontrast(svyby(~x, ~wave, svydesign(ids=~school, strata=~region, fpc=~schools_in_region, weights=~w, data=waves), svymean, covmat=TRUE), c(-1, 1))",
    estimate = as.numeric(coef(ct)), std_error = as.numeric(SE(ct)), df = degf(dw),
    ci = arr(as.numeric(confint(ct, df = degf(dw)))), covariance = arr(as.numeric(vcov(by))),
    independent_se = sqrt(sum(diag(vcov(by))))))
by <- svyby(~y, ~wave, dw, svymean, covmat = TRUE)
ct <- svycontrast(by, c(-1, 1))
add("contrast_waves_y", list(call = "svycontrast(svyby(~y, ~wave, dw, svymean, covmat=TRUE), c(-1, 1))",
    estimate = as.numeric(coef(ct)), std_error = as.numeric(SE(ct))))
by <- svyby(~x, ~role, ms, svymean, covmat = TRUE)
ct <- svycontrast(by, c(class_teacher = 1, subject = -1, support = 0))
add("contrast_roles_ms", list(call = "svycontrast(svyby(~x, ~role, ms, svymean, covmat=TRUE), c(class_teacher=1, subject=-1, support=0))",
    estimate = as.numeric(coef(ct)), std_error = as.numeric(SE(ct))))

# ---------------------------------------------------------------- 4. svyciprop intervals, df = Inf
for (dn in c("ms", "dcl")) {
  d <- get(dn)
  out <- list(call = paste0("svyciprop(~y, ", dn, ", method=m[, df=Inf])"))
  for (meth in c("logit", "likelihood", "asin", "beta", "mean")) {
    out[[meth]] <- arr(as.numeric(attr(svyciprop(~y, d, method = meth), "ci")))
    if (meth != "beta")
      out[[paste0(meth, "_inf")]] <- arr(as.numeric(attr(svyciprop(~y, d, method = meth, df = Inf), "ci")))
  }
  # The exact root of the criterion R's likelihood interval interpolates with a spline through
  # profile points: deviance/dispersion of svyglm(y~1, family=quasibinomial) = qt^2 * lambda.
  g <- svyglm(y ~ 1, d, family = quasibinomial)
  lam <- as.numeric(g$cov.unscaled / g$naive.cov); phi <- summary(g)$dispersion
  W <- g$prior.weights; yy <- d$variables$y; p <- sum(W * yy) / sum(W)
  for (q in c(qt(0.025, degf(d)), qnorm(0.025))) {
    f <- function(pi) 2 * sum(W) * (p * log(p / pi) + (1 - p) * log((1 - p) / (1 - pi))) / phi - q^2 * lam
    out[[if (is.finite(q) && q == qnorm(0.025)) "likelihood_exact_inf" else "likelihood_exact"]] <-
      arr(c(uniroot(f, c(1e-9, p), tol = 1e-14)$root, uniroot(f, c(p, 1 - 1e-9), tol = 1e-14)$root))
  }
  add(paste0("ciprop_", dn), out)
}

# a domain: svyglm weights are w/mean(w) over every row of the design, out-of-domain rows included
dsub <- subset(dcl, role == "subject")
out <- list(call = "svyciprop(~y, subset(dcl, role=='subject'), method='likelihood')",
            likelihood = arr(as.numeric(attr(svyciprop(~y, dsub, method = "likelihood"), "ci"))))
g <- svyglm(y ~ 1, dsub, family = quasibinomial)
lam <- as.numeric(g$cov.unscaled / g$naive.cov); phi <- summary(g)$dispersion
W <- g$prior.weights; yy <- model.response(model.frame(g)); p <- sum(W * yy) / sum(W); q <- qt(0.025, degf(dsub))
f <- function(pi) 2 * sum(W) * (p * log(p / pi) + (1 - p) * log((1 - p) / (1 - pi))) / phi - q^2 * lam
out$likelihood_exact <- arr(c(uniroot(f, c(1e-9, p), tol = 1e-14)$root, uniroot(f, c(p, 1 - 1e-9), tol = 1e-14)$root))
add("ciprop_dcl_subject", out)

# ---------------------------------------------------------------- 5. linear (GREG) calibration
d0 <- svydesign(ids = ~school, strata = ~region, fpc = ~schools_in_region, weights = ~w, data = teachers)
pop <- c(`(Intercept)` = 330, regionB = 105, regionC = 120, x = 2000)
cal <- calibrate(d0, ~region + x, population = pop, calfun = "linear")
m <- svymean(~y, cal)
add("greg_mean_y", list(call = "calibrate(svydesign(ids=~school, strata=~region, fpc=~schools_in_region, weights=~w), ~region+x, population=c(330, regionB=105, regionC=120, x=2000), calfun='linear'); svymean(~y, cal)",
    estimate = as.numeric(coef(m)), std_error = as.numeric(SE(m)), weights = arr(as.numeric(weights(cal)))))
m <- svytotal(~y, cal)
add("greg_total_y", list(call = "svytotal(~y, cal)", estimate = as.numeric(coef(m)), std_error = as.numeric(SE(m))))
m <- svymean(~y, subset(cal, role == "subject"))
add("greg_mean_y_subject", list(call = "svymean(~y, subset(cal, role=='subject'))", estimate = as.numeric(coef(m)), std_error = as.numeric(SE(m))))

# ---------------------------------------------------------------- 6. simple samples
z <- qnorm(0.975)
pt_ <- prop.test(81, 263, correct = TRUE)
add("wilson_cc", list(call = "prop.test(81, 263, correct=TRUE)$conf.int", ci = arr(as.numeric(pt_$conf.int))))
pt_ <- prop.test(0, 10, correct = TRUE)
add("wilson_cc_zero", list(call = "prop.test(0, 10, correct=TRUE)$conf.int", ci = arr(as.numeric(pt_$conf.int))))
ph <- 81 / 263
add("wald_cc", list(call = "81/263 ± (qnorm(.975)*sqrt(p(1-p)/263) + 1/(2*263))  (Newcombe 1998a method 2)",
    ci = arr(c(ph - z * sqrt(ph * (1 - ph) / 263) - 1 / 526, ph + z * sqrt(ph * (1 - ph) / 263) + 1 / 526))))
nc11 <- function(x1, n1, x2, n2) {
  a <- prop.test(x1, n1, correct = TRUE)$conf.int; b <- prop.test(x2, n2, correct = TRUE)$conf.int
  p1 <- x1 / n1; p2 <- x2 / n2; d <- p1 - p2
  c(d - sqrt((p1 - a[1])^2 + (b[2] - p2)^2), d + sqrt((a[2] - p1)^2 + (p2 - b[1])^2))
}
add("newcombe11", list(call = "Newcombe (1998b) method 11 from prop.test(correct=TRUE) limits; 56/70 vs 48/80",
    ci = arr(nc11(56, 70, 48, 80)), published = arr(c(0.0428, 0.3422))))
add("newcombe11_b", list(call = "method 11, 9/10 vs 3/10", ci = arr(nc11(9, 10, 3, 10))))
pt2 <- prop.test(c(56, 48), c(70, 80), correct = TRUE)
add("yates_two", list(call = "prop.test(c(56, 48), c(70, 80), correct=TRUE)", statistic = as.numeric(pt2$statistic), p_value = pt2$p.value))
pt1 <- prop.test(81, 263, p = 0.25, correct = TRUE)
add("yates_one", list(call = "prop.test(81, 263, p=0.25, correct=TRUE)", statistic = as.numeric(pt1$statistic), p_value = pt1$p.value))
ft <- fisher.test(matrix(c(3, 1, 1, 3), 2))
add("fisher_tea", list(call = "fisher.test(matrix(c(3,1,1,3),2))  # Fisher's tea tasting", p_value = ft$p.value))
ft <- fisher.test(matrix(c(56, 14, 48, 32), 2))
add("fisher_56", list(call = "fisher.test(matrix(c(56,14,48,32),2))", p_value = ft$p.value))
ft <- fisher.test(matrix(c(56, 14, 48, 32), 2), alternative = "greater")
add("fisher_56_greater", list(call = "fisher.test(..., alternative='greater')", p_value = ft$p.value))
wz <- (ph - 0.25) / sqrt(ph * (1 - ph) / 263)
add("wald_z", list(call = "(81/263 - 0.25)/sqrt(p(1-p)/263); 2*pnorm(-|z|)", statistic = wz, p_value = 2 * pnorm(-abs(wz))))
mee <- function(x1, n1, x2, n2, level = 0.95) {
  p1 <- x1 / n1; p2 <- x2 / n2; z <- qnorm(1 - (1 - level) / 2)
  stat <- function(delta) {  # Farrington-Manning restricted MLE (Miettinen & Nurminen 1985 app.)
    theta <- n2 / n1; a <- 1 + theta; b <- -(1 + theta + p1 + theta * p2 + delta * (theta + 2))
    c <- delta^2 + delta * (2 * p1 + theta + 1) + p1 + theta * p2; d <- -p1 * delta * (1 + delta)
    v <- b^3 / (27 * a^3) - b * c / (6 * a^2) + d / (2 * a); u <- sign(v) * sqrt(b^2 / (9 * a^2) - c / (3 * a))
    w <- (pi + acos(max(-1, min(1, v / u^3)))) / 3
    q1 <- 2 * u * cos(w) - b / (3 * a); q2 <- q1 - delta
    (p1 - p2 - delta) / sqrt(q1 * (1 - q1) / n1 + q2 * (1 - q2) / n2)
  }
  d <- p1 - p2
  c(uniroot(function(t) stat(t) - z, c(-0.99, d), tol = 1e-14)$root,
    uniroot(function(t) stat(t) + z, c(d, 0.99), tol = 1e-14)$root)
}
add("mee", list(call = "Mee (1984) score interval by uniroot on the Farrington-Manning restricted MLE; 56/70 vs 48/80",
    ci = arr(mee(56, 70, 48, 80))))
pv <- c(0.01, 0.04, 0.03, 0.005, 0.2, 0.5, 0.045, 0.02)
add("p_adjust", list(call = "p.adjust(c(0.01,0.04,0.03,0.005,0.2,0.5,0.045,0.02), method=m)", p = arr(pv),
    bonferroni = arr(p.adjust(pv, "bonferroni")), hochberg = arr(p.adjust(pv, "hochberg")),
    hommel = arr(p.adjust(pv, "hommel")), BY = arr(p.adjust(pv, "BY"))))

# ---------------------------------------------------------------- 7. reliability (psych::alpha)
items <- read.csv("scale_items.csv")
items$q4 <- 6 - items$q4
rel <- function(call, it, ...) {
  a <- psych::alpha(it, warnings = FALSE, ...)
  list(call = call, raw_alpha = a$total$raw_alpha, std_alpha = a$total$std.alpha,
       average_r = a$total$average_r,
       alpha_drop = arr(as.numeric(a$alpha.drop$raw_alpha)), std_alpha_drop = arr(as.numeric(a$alpha.drop$std.alpha)),
       r_drop = arr(as.numeric(a$item.stats$r.drop)), r_cor = arr(as.numeric(a$item.stats$r.cor)),
       cor = arr(as.numeric(cor(it, use = "pairwise"))))
}
add("alpha_complete", rel("psych::alpha(scale_items with q4 keyed as 6-q4)", items))
set.seed(7)
items_na <- items
items_na[cbind(sample(60, 12), sample(6, 12, replace = TRUE))] <- NA
write.csv(items_na, "scale_items_na.csv", row.names = FALSE)
add("alpha_pairwise", rel("psych::alpha(scale_items_na)  # pairwise (psych's default)", items_na))
add("alpha_listwise", rel("psych::alpha(na.omit(scale_items_na))  # listwise", na.omit(items_na)))

add("meta", list(r_version = R.version.string, survey = as.character(packageVersion("survey")),
                 psych = as.character(packageVersion("psych"))))
writeLines(json_value(results), "extended_refs.json")
cat("wrote extended_refs.json\n")
