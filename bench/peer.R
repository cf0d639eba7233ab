# The peers of issue 18 on a panel of `wijkeval simulate --national`, as an
# analyst writes them: data.table::fread, dcast to one column per
# indicator, then
#   --task twfe: one multi-outcome fixest::feols with area and period fixed
#                effects, CR1 clustered by municipality (fixest's default
#                small-sample correction: fixef.K = "nested", as wijkeval);
#   --task wcr:  fixest::feols of one indicator, then
#                fwildclusterboot::boottest (WCR, Rademacher, B, fe = "area").
# Writes CSV: indicator, estimate, se (twfe) or p_value (wcr), seconds of
# the read and of the fit, and the versions. The whole process is what
# `make bench` times (bench/run.py); the numbers are checked there against
# wijkeval's.
#   Rscript bench/peer.R --data DIR --indicators a,b,... --task twfe|wcr
#           [--reps 9999] [--seed 1] [--threads 2]
opt <- list(data = NULL, indicators = NULL, task = "twfe", reps = "9999",
            seed = "1", threads = "2")
args <- commandArgs(trailingOnly = TRUE)
if (length(args) %% 2 != 0) stop("options come in pairs: --name value")
for (i in seq(1, length(args), by = 2)) {
  key <- sub("^--", "", args[i])
  if (!key %in% names(opt)) stop("unknown option ", args[i])
  opt[[key]] <- args[i + 1]
}
suppressPackageStartupMessages({
  library(data.table)
  library(fixest)
  if (opt$task == "wcr") library(fwildclusterboot)
})
setFixest_nthreads(as.integer(opt$threads))
setDTthreads(as.integer(opt$threads))
indicators <- strsplit(opt$indicators, ",")[[1]]
path <- function(f) file.path(opt$data, f)
t0 <- proc.time()[["elapsed"]]
long <- fread(path("indicators.csv"), colClasses = c("character", "integer",
                                                    "character", "character"))
long <- long[indicator %in% indicators]
long[, value := suppressWarnings(as.numeric(value))]
wide <- dcast(long, area + period ~ indicator, value.var = "value")
areas <- fread(path("areas.csv"), colClasses = "character")
treatment <- fread(path("treatment.csv"),
                   colClasses = c(area = "character", from = "integer"))
wide[areas, municipality := i.municipality, on = "area"]
wide[treatment, from := i.from, on = "area"]
wide[, D := as.numeric(!is.na(from) & period >= from)]
t_read <- proc.time()[["elapsed"]] - t0

t1 <- proc.time()[["elapsed"]]
if (opt$task == "twfe") {
  fml <- as.formula(paste0("c(", paste(indicators, collapse = ","),
                           ") ~ D | area + period"))
  fits <- feols(fml, data = wide, cluster = ~municipality)
  if (length(indicators) == 1) fits <- list(fits)
  rows <- data.frame(
    indicator = indicators,
    estimate = sapply(fits, function(f) coef(f)[["D"]]),
    se = sapply(fits, function(f) se(f)[["D"]]),
    n_obs = sapply(fits, nobs))
} else {
  if (length(indicators) != 1) stop("--task wcr takes one indicator")
  # boottest re-evaluates the fixed effects: factors, and the rows
  # without a value dropped first (as feols would).
  wide <- wide[!is.na(get(indicators))]
  wide[, `:=`(area = factor(area), period = factor(period),
              municipality = factor(municipality))]
  fml <- as.formula(paste0(indicators, " ~ D | area + period"))
  fit <- feols(fml, data = wide, cluster = ~municipality)
  dqrng::dqset.seed(as.integer(opt$seed))
  set.seed(as.integer(opt$seed))
  bt <- boottest(fit, param = "D", clustid = "municipality",
                 B = as.integer(opt$reps), type = "rademacher", fe = "area")
  rows <- data.frame(indicator = indicators, estimate = coef(fit)[["D"]],
                     p_value = pval(bt), n_obs = nobs(fit))
}
t_fit <- proc.time()[["elapsed"]] - t1
rows$seconds_read <- sprintf("%.3f", t_read)
rows$seconds_fit <- sprintf("%.3f", t_fit)
rows$versions <- paste0("R ", getRversion(), " fixest ",
                        packageVersion("fixest"), " data.table ",
                        packageVersion("data.table"),
                        if (opt$task == "wcr")
                          paste0(" fwildclusterboot ",
                                 packageVersion("fwildclusterboot")))
write.csv(rows, stdout(), row.names = FALSE, quote = FALSE)
