# Reference values for tests/analysis/test_design.py, test_weighting.py and test_scales.py.
#
# Run from this directory:  Rscript make_design_refs.R
# Needs R with the `survey` package (Debian: r-base-core r-cran-survey) and `psych`
# (r-cran-psych). Writes the data sets as CSV beside this script and every result into
# design_refs.json. R is not a test dependency: the tests read the CSV and JSON files.
#
# Each result records the R call that produced it (`call`), so a test can quote it.

suppressMessages(library(survey))
suppressMessages(library(psych))

# ---------------------------------------------------------------- tiny JSON writer (no jsonlite)
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

# ---------------------------------------------------------------- data: teachers in schools
# 12 schools in 3 regions; school head-counts known; some teachers answered. One school (S12)
# has a single respondent. y = "has learned and uses PMP-risk identification practice" (0/1),
# x = TSES-like score, role = domain, some y missing.
set.seed(20261122)
schools <- data.frame(
  school = sprintf("S%02d", 1:12),
  region = rep(c("A", "B", "C"), each = 4),
  teachers = c(30, 25, 40, 18, 22, 35, 28, 16, 45, 20, 26, 12),
  responded = c(9, 7, 12, 5, 6, 10, 8, 4, 13, 6, 7, 1)
)
rows <- schools[rep(seq_len(nrow(schools)), schools$responded), ]
n <- nrow(rows)
school_effect <- rnorm(12, 0, 0.6)[match(rows$school, schools$school)]
rows$x <- round(pmin(9, pmax(1, 6 + school_effect + rnorm(n, 0, 1.2))), 2)
rows$y <- as.integer(runif(n) < plogis(-0.3 + school_effect))
rows$role <- sample(c("subject", "class_teacher", "support"), n, replace = TRUE,
                    prob = c(0.55, 0.35, 0.10))
rows$w <- round(rows$teachers / rows$responded * runif(n, 0.8, 1.25), 3)
rows$schools_in_region <- c(A = 10, B = 9, C = 11)[rows$region]
rows$y_na <- rows$y
rows$y_na[c(3, 17, 40, 41)] <- NA
rows$zero <- 0L
rownames(rows) <- NULL
teachers <- rows[, c("school", "region", "teachers", "responded", "schools_in_region", "w",
                     "x", "y", "y_na", "role", "zero")]
write.csv(teachers, "teachers.csv", row.names = FALSE)

prop_entry <- function(call, design, var = "y", ...) {
  f <- as.formula(paste0("~", var))
  out <- list(call = call, df = degf(design))
  for (m in c("logit", "beta", "mean")) {
    ci <- svyciprop(f, design, method = m, ...)
    out[[m]] <- arr(as.numeric(attr(ci, "ci")))
  }
  m <- svymean(f, design, deff = TRUE, ...)
  out$estimate <- as.numeric(coef(m))
  out$std_error <- as.numeric(SE(m))
  out$deff <- as.numeric(deff(m))
  out
}
mean_entry <- function(call, design, var = "x", na.rm = FALSE) {
  f <- as.formula(paste0("~", var))
  m <- svymean(f, design, deff = TRUE, na.rm = na.rm)
  list(call = call, estimate = as.numeric(coef(m)), std_error = as.numeric(SE(m)),
       deff = as.numeric(deff(m)), df = degf(design),
       ci = arr(as.numeric(confint(m, df = degf(design)))))
}

options(survey.lonely.psu = "adjust")

d_srs <- svydesign(ids = ~1, data = teachers)
add("srs_prop", prop_entry("svydesign(ids=~1, data=teachers); svyciprop(~y, d, method=m)", d_srs))
add("srs_mean", mean_entry("svymean(~x, svydesign(ids=~1, data=teachers), deff=TRUE)", d_srs))

d_srsf <- svydesign(ids = ~1, fpc = rep(400, nrow(teachers)), data = teachers)
add("srs_fpc_prop", prop_entry("svydesign(ids=~1, fpc=rep(400, n), data=teachers)", d_srsf))

d_w <- svydesign(ids = ~1, weights = ~w, data = teachers)
add("weighted_prop", prop_entry("svydesign(ids=~1, weights=~w, data=teachers)", d_w))
add("weighted_mean", mean_entry("svymean(~x, svydesign(ids=~1, weights=~w), deff=TRUE)", d_w))

d_str <- svydesign(ids = ~1, strata = ~region, weights = ~w, data = teachers)
add("stratified_prop", prop_entry("svydesign(ids=~1, strata=~region, weights=~w)", d_str))
add("stratified_mean", mean_entry("svymean(~x, svydesign(ids=~1, strata=~region, weights=~w))", d_str))

d_cl <- svydesign(ids = ~school, weights = ~w, data = teachers)
add("clustered_prop", prop_entry("svydesign(ids=~school, weights=~w)", d_cl))
add("clustered_mean", mean_entry("svymean(~x, svydesign(ids=~school, weights=~w))", d_cl))

d_clf <- svydesign(ids = ~school, strata = ~region, fpc = ~schools_in_region, weights = ~w,
                   data = teachers)
add("clustered_fpc_prop", prop_entry(
  "svydesign(ids=~school, strata=~region, fpc=~schools_in_region, weights=~w)", d_clf))
add("clustered_fpc_mean", mean_entry(
  "svymean(~x, svydesign(ids=~school, strata=~region, fpc=~schools_in_region, weights=~w))", d_clf))

# Teacher census design: schools as strata, head-count as fpc, weights N_h/n_h from fpc.
# S12 has a single respondent: a lonely PSU, under each lonely-PSU rule.
for (rule in c("adjust", "certainty", "remove")) {
  options(survey.lonely.psu = rule)
  d_t <- svydesign(ids = ~1, strata = ~school, fpc = ~teachers, data = teachers)
  call <- sprintf("options(survey.lonely.psu='%s'); svydesign(ids=~1, strata=~school, fpc=~teachers)", rule)
  add(paste0("school_strata_prop_", rule), prop_entry(call, d_t))
  add(paste0("school_strata_mean_", rule), mean_entry(call, d_t))
}
options(survey.lonely.psu = "adjust")
d_t <- svydesign(ids = ~1, strata = ~school, fpc = ~teachers, data = teachers)
add("school_strata_weights", list(call = "weights(svydesign(ids=~1, strata=~school, fpc=~teachers))",
                                  weights = arr(as.numeric(weights(d_t)))))

# Missing values: na.rm=TRUE drops the respondent from the design (domain estimation).
add("clustered_na_mean", mean_entry("svymean(~y_na, svydesign(ids=~school, weights=~w), na.rm=TRUE)",
                                    d_cl, var = "y_na", na.rm = TRUE))

# Domains: svyby keeps the whole design.
by_prop <- function(call, design) {
  out <- list(call = call)
  for (m in c("logit", "beta", "mean")) {
    b <- svyby(~y, ~role, design, svyciprop, method = m, vartype = c("se", "ci"))
    out$role <- arr(as.character(b$role))
    out$estimate <- arr(as.numeric(b$y))
    out$std_error <- arr(as.numeric(b$se))
    out[[m]] <- list(low = arr(as.numeric(b$ci_l)), high = arr(as.numeric(b$ci_u)))
  }
  lv <- sort(unique(teachers$role))
  out$df <- arr(vapply(lv, function(r) degf(subset(design, role == r)), 0))
  mb <- svyby(~x, ~role, design, svymean, deff = TRUE)
  out$mean_x <- list(estimate = arr(as.numeric(mb$x)), std_error = arr(as.numeric(mb$se)),
                     deff = arr(as.numeric(mb$DEff.x)))
  out
}
add("clustered_fpc_by_role", by_prop(
  "svyby(~y, ~role, svydesign(ids=~school, strata=~region, fpc=~schools_in_region, weights=~w), svyciprop, method=m)",
  d_clf))
add("school_strata_by_role", by_prop(
  "svyby(~y, ~role, svydesign(ids=~1, strata=~school, fpc=~teachers), svyciprop, method=m) [lonely.psu='adjust']",
  d_t))
# A domain that is all-failure (region C, zero): boundary behaviour.
sub0 <- subset(d_cl, region == "C")
out0 <- list(call = "svyciprop(~zero, subset(svydesign(ids=~school, weights=~w), region=='C'), method=m)")
for (m in c("logit", "beta", "mean")) {
  out0[[m]] <- arr(as.numeric(attr(svyciprop(~zero, sub0, method = m), "ci")))
}
add("boundary_zero", out0)

# ---------------------------------------------------------------- residents: raking, post-stratification
set.seed(7)
nr <- 80
residents <- data.frame(
  age = sample(c("18-34", "35-54", "55+"), nr, replace = TRUE, prob = c(0.2, 0.35, 0.45)),
  sex = sample(c("F", "M"), nr, replace = TRUE, prob = c(0.62, 0.38)),
  district = sample(c("centrs", "pagasti"), nr, replace = TRUE)
)
residents$aware <- as.integer(runif(nr) < 0.4 + 0.2 * (residents$sex == "F"))
residents$base_w <- round(runif(nr, 0.8, 1.5), 3)
write.csv(residents, "residents.csv", row.names = FALSE)
pop_age <- data.frame(age = c("18-34", "35-54", "55+"), Freq = c(3100, 4200, 4700))
pop_sex <- data.frame(sex = c("F", "M"), Freq = c(6300, 5700))
pop_district <- data.frame(district = c("centrs", "pagasti"), Freq = c(7000, 5000))
d_r <- svydesign(ids = ~1, weights = ~base_w, data = residents)
raked <- rake(d_r, list(~age, ~sex, ~district), list(pop_age, pop_sex, pop_district),
              control = list(maxit = 200, epsilon = 1e-12, verbose = FALSE))
add("rake", list(
  call = "rake(svydesign(ids=~1, weights=~base_w), list(~age,~sex,~district), margins, control=list(maxit=200, epsilon=1e-12))",
  margins = list(age = list(levels = arr(pop_age$age), totals = arr(pop_age$Freq)),
                 sex = list(levels = arr(pop_sex$sex), totals = arr(pop_sex$Freq)),
                 district = list(levels = arr(pop_district$district), totals = arr(pop_district$Freq))),
  weights = arr(as.numeric(weights(raked)))))
# Fixed-weight design on the raked weights (what survey_proportion computes).
residents$raked_w <- weights(raked)
d_rw <- svydesign(ids = ~1, weights = ~raked_w, data = residents)
add("raked_weights_prop", prop_entry("svydesign(ids=~1, weights=~raked_w) with raked_w = weights(rake(...))",
                                     d_rw, var = "aware"))
# Calibrated designs: the variance uses the raking / post-stratification residuals.
add("raked_design_prop", prop_entry("svyciprop(~aware, rake(...), method=m); svymean(~aware, rake(...), deff=TRUE)",
                                    raked, var = "aware"))
rb <- svyby(~aware, ~district, raked, svymean, deff = TRUE)
add("raked_design_by_district", list(
  call = "svyby(~aware, ~district, rake(...), svymean, deff=TRUE)",
  district = arr(as.character(rb$district)), estimate = arr(as.numeric(rb$aware)),
  std_error = arr(as.numeric(rb$se)), deff = arr(as.numeric(rb$DEff.aware))))
pop_cells <- data.frame(age = rep(c("18-34", "35-54", "55+"), each = 2), sex = rep(c("F", "M"), 3),
                        Freq = c(1600, 1500, 2200, 2000, 2500, 2200))
ps <- postStratify(d_r, ~age + sex, pop_cells)
add("post_stratify", list(
  call = "postStratify(svydesign(ids=~1, weights=~base_w), ~age+sex, pop_cells)",
  cells = list(age = arr(pop_cells$age), sex = arr(pop_cells$sex), totals = arr(pop_cells$Freq)),
  weights = arr(as.numeric(weights(ps)))))
add("post_stratified_design_prop", prop_entry("svyciprop(~aware, postStratify(...), method=m)", ps, var = "aware"))
pb <- svyby(~aware, ~district, ps, svymean, deff = TRUE)
add("post_stratified_by_district", list(
  call = "svyby(~aware, ~district, postStratify(...), svymean, deff=TRUE)",
  district = arr(as.character(pb$district)), estimate = arr(as.numeric(pb$aware)),
  std_error = arr(as.numeric(pb$se)), deff = arr(as.numeric(pb$DEff.aware))))

# ---------------------------------------------------------------- scales: Cronbach's alpha
set.seed(11)
ns <- 60
latent <- rnorm(ns)
items <- sapply(1:6, function(j) pmin(5, pmax(1, round(3 + 0.8 * latent + rnorm(ns, 0, 0.9)))))
colnames(items) <- paste0("q", 1:6)
items[, "q4"] <- 6 - items[, "q4"]  # reverse-worded item, stored as answered
write.csv(items, "scale_items.csv", row.names = FALSE)
keyed <- items
keyed[, "q4"] <- 6 - keyed[, "q4"]
a <- psych::alpha(as.data.frame(keyed))
ci <- psych::alpha.ci(a$total$raw_alpha, n.obs = ns, n.var = 6, p.val = 0.05, digits = 10)
add("cronbach_alpha", list(
  call = "psych::alpha(items with q4 reversed as 6-q4); psych::alpha.ci(raw_alpha, n.obs=60, n.var=6)",
  raw_alpha = as.numeric(a$total$raw_alpha),
  ci = arr(c(as.numeric(ci$lower.ci), as.numeric(ci$upper.ci))),
  scores = arr(as.numeric(rowMeans(keyed)))))

tt <- t.test(rowMeans(keyed)[1:25], rowMeans(keyed)[26:60], var.equal = FALSE)
add("welch", list(call = "t.test(score[1:25], score[26:60], var.equal=FALSE)",
                  statistic = as.numeric(tt$statistic), df = as.numeric(tt$parameter),
                  p_value = tt$p.value, ci = arr(as.numeric(tt$conf.int))))

add("meta", list(r_version = R.version.string, survey = as.character(packageVersion("survey")),
                 psych = as.character(packageVersion("psych"))))

writeLines(json_value(results), "design_refs.json")
cat("wrote design_refs.json\n")
