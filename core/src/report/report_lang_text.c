/* The words of the HTML report, English and Dutch side by side. The
 * Erkenningscommissie labels (goede aanwijzingen, ...) and "nulmeting"
 * are Dutch terms of art and stay Dutch in the English report. */
#include "report/report_lang.h"

/* The comma after each E(...) is in the table, not in the macro: so the
 * table reads (and clang-formats) as a list, one text per entry. */
#define E(id, en, nl) [id] = {en, nl}

static const char *const texts[WE_TEXT_COUNT_][2] = {
    E(T_REPORT, "Evaluation report", "Evaluatierapport"),
    E(T_CONTENTS, "Contents", "Inhoud"),
    E(T_DATA, "Data", "Gegevens"),
    E(T_AREAS, "areas", "gebieden"),
    E(T_PERIODS, "periods", "perioden"),
    E(T_BASELINE, "Baseline (nulmeting)", "Nulmeting"),
    E(T_BASELINE_SHORT, "baseline", "nulmeting"),
    E(T_FOLLOWUP, "follow-up", "vervolgmetingen"),
    E(T_DESIGN, "Design", "Opzet"),
    E(T_TREATED_WIJKEN, "treated wijken", "aangepakte wijken"),
    E(T_COMPARISON_WIJKEN, "comparison wijken", "vergelijkingswijken"),
    E(T_WAVES, "treatment starts", "start van de aanpak"),
    E(T_CLUSTERED,
      "standard errors clustered by",
      "standaardfouten geclusterd per"),
    E(T_BY_MUNICIPALITY, "municipality", "gemeente"),
    E(T_BY_AREA, "area", "gebied"),
    E(T_VERDICTS, "Verdict per experiment", "Oordeel per experiment"),
    E(T_BETTER, "better", "beter"),
    E(T_WORSE, "worse", "slechter"),
    E(T_UNCLEAR, "unclear", "onduidelijk"),
    E(T_FAILED, "failed", "mislukt"),
    E(T_PRETREND_REJECTED, "pre-trends rejected", "pre-trends verworpen"),
    E(T_NO_ESTIMATE, "no estimate", "geen schatting"),
    E(T_FOREST_TITLE,
      "Standardised effect on each experiment's primary indicator",
      "Gestandaardiseerd effect op de primaire indicator van elk experiment"),
    E(T_FOREST_AXIS,
      "Standardised effect (Glass's \xce\x94)",
      "Gestandaardiseerd effect (Glass' \xce\x94)"),
    E(T_FOREST_CAPTION,
      "Each row is one experiment. The point is the effect on its primary "
      "indicator divided by the spread of that indicator between comparison "
      "wijken at the baseline (Glass's \xce\x94); the line is its confidence "
      "interval. Positive is an improvement, whatever the indicator's "
      "direction, so better is to the right. Ordered by effect; colour and "
      "marker shape show the evidence level (Maryland Scientific Methods "
      "Scale).",
      "Elke rij is een experiment. De stip is het effect op de primaire "
      "indicator, gedeeld door de spreiding van die indicator tussen de "
      "vergelijkingswijken bij de nulmeting (Glass' \xce\x94); de lijn is het "
      "betrouwbaarheidsinterval. Positief is een verbetering, welke kant de "
      "indicator ook op moet, dus beter is naar rechts. Geordend naar effect; "
      "kleur en vorm geven het bewijsniveau (Maryland Scientific Methods "
      "Scale)."),
    E(T_NO_LEVEL, "no level", "geen niveau"),
    E(T_CI, "CI", "BI"),
    E(T_EVIDENCE, "Evidence", "Bewijskracht"),
    E(T_INDICATORS, "Indicators", "Indicatoren"),
    E(T_INDICATOR, "Indicator", "Indicator"),
    E(T_UNIT, "Unit", "Eenheid"),
    E(T_DIRECTION, "Good direction", "Gewenste richting"),
    E(T_ROLE, "Role", "Rol"),
    E(T_PRIMARY, "primary", "primair"),
    E(T_SECONDARY, "secondary", "secundair"),
    E(T_HIGHER_BETTER, "higher is better", "hoger is beter"),
    E(T_LOWER_BETTER, "lower is better", "lager is beter"),
    E(T_HEADLINE, "Headline", "Kernresultaat"),
    E(T_HEADLINE_NOTE, "on the primary indicator", "op de primaire indicator"),
    E(T_EFFECT, "Effect", "Effect"),
    E(T_STD_EFFECT, "Standardised effect", "Gestandaardiseerd effect"),
    E(T_POSITIVE_BETTER,
      "positive is an improvement",
      "positief is een verbetering"),
    E(T_CR1,
      "Analytic CR1 instead of the bootstrap",
      "Analytisch CR1 in plaats van de bootstrap"),
    E(T_RI, "Randomisation inference", "Randomisatie-inferentie"),
    E(T_PERMUTATIONS,
      "permutations of the treatment paths",
      "permutaties van de behandelpaden"),
    E(T_WITHIN_MUNI, "within municipalities", "binnen gemeenten"),
    E(T_MDE, "Minimum detectable effect", "Minimaal detecteerbaar effect"),
    E(T_MDE_NA,
      "not available for this indicator",
      "niet beschikbaar voor deze indicator"),
    E(T_POWER, "power", "onderscheidend vermogen"),
    E(T_MDE_SIM,
      "by simulation with the design's own estimator",
      "door simulatie met de schatter van het ontwerp zelf"),
    E(T_MDE_ANALYTIC, "analytic, TWFE with CR1", "analytisch, TWFE met CR1"),
    E(T_MDE_NONE,
      "none: no effect is detectable, since the smallest "
      "placebo p-value this design can attain exceeds alpha",
      "geen: geen effect is aantoonbaar, want de kleinste placebo-p die dit "
      "ontwerp kan halen ligt boven alfa"),
    E(T_DESCRIPTIVE,
      "Descriptive only (no evidence level): too few treated "
      "municipalities for this method's p-value and interval",
      "Alleen beschrijvend (geen bewijsniveau): te weinig behandelde "
      "gemeenten voor de p-waarde en het interval van deze methode"),
    E(T_WARNING, "Warning", "Waarschuwing"),
    E(T_WARN_PRETREND,
      "the treated wijken already diverged from the comparison wijken before "
      "the start; the effect is not credible.",
      "de aangepakte wijken liepen al v\xc3\xb3\xc3\xb3r de start uiteen met "
      "de vergelijkingswijken; het effect is niet geloofwaardig."),
    E(T_WARN_POWER1,
      "underpowered: the estimate",
      "te weinig onderscheidend vermogen: de schatting"),
    E(T_WARN_POWER2,
      "is smaller than the minimum detectable effect",
      "is kleiner dan het minimaal detecteerbare effect"),
    E(T_WARN_POWER3,
      "and not significant: this design would usually miss a true effect of "
      "that size, so the result does not rule out a small effect.",
      "en niet significant: deze opzet zou een echt effect van die omvang "
      "meestal missen, dus de uitkomst sluit een klein effect niet uit."),
    E(T_TREND_TITLE,
      "Trend of the primary indicator",
      "Verloop van de primaire indicator"),
    E(T_TREATED_MEAN, "Treated wijken", "Aangepakte wijken"),
    E(T_COMPARISON_MEAN, "Comparison wijken", "Vergelijkingswijken"),
    E(T_START, "start", "start"),
    E(T_TREND_CAPTION,
      "Mean of the treated and of the comparison wijken per period, with the",
      "Gemiddelde van de aangepakte en van de vergelijkingswijken per periode, "
      "met de"),
    E(T_TREND_CAPTION2,
      "band of each mean (mean \xc2\xb1 t \xc2\xb7 SE across wijken). Dashed "
      "line: the baseline; solid lines: the start of the treatment (per "
      "wave).",
      "band van elk gemiddelde (gemiddelde \xc2\xb1 t \xc2\xb7 SE over de "
      "wijken). Gestreepte lijn: de nulmeting; doorgetrokken lijnen: de start "
      "van de aanpak (per golf)."),
    E(T_EVENT_TITLE, "Event study", "Effect per periode"),
    E(T_EVENT_X,
      "Periods since the start (event time)",
      "Perioden sinds de start"),
    E(T_REFERENCE, "reference", "referentie"),
    E(T_BEFORE_START, "before the start", "v\xc3\xb3\xc3\xb3r de start"),
    E(T_AFTER_START, "from the start", "vanaf de start"),
    E(T_EVENT_CAPTION,
      "Effect per period relative to the start, against the period just "
      "before it (the reference). The points before the start test parallel "
      "trends: they should lie around zero.",
      "Effect per periode ten opzichte van de start, vergeleken met de periode "
      "ervoor (de referentie). De punten v\xc3\xb3\xc3\xb3r de start toetsen "
      "parallelle trends: ze horen rond nul te liggen."),
    E(T_PRETREND_TEST,
      "Pre-trend test (all leads zero)",
      "Pre-trendtoets (alle leads nul)"),
    E(T_WILD, "wild cluster bootstrap", "wild cluster bootstrap"),
    E(T_NOT_AVAILABLE, "not available", "niet beschikbaar"),
    E(T_NOTE, "Note", "Opmerking"),
    E(T_DRAWS, "draws", "trekkingen"),
    E(T_ALL_SIGNS, "all sign vectors", "alle tekenvectoren"),
    E(T_RESULTS, "Results", "Resultaten"),
    E(T_METHOD, "Method", "Methode"),
    E(T_ESTIMATE, "Estimate", "Schatting"),
    E(T_ADJ_P, "Adjusted p", "Gecorrigeerde p"),
    E(T_N, "Treated / comparison", "Aangepakt / vergelijking"),
    E(T_M_PRE_POST, "before/after", "voor/na"),
    E(T_M_GAP, "gap", "achterstand"),
    E(T_M_DID, "DiD 2\xc3\x97" "2", "DiD 2\xc3\x97" "2"),
    E(T_M_TWFE, "TWFE", "TWFE"),
    E(T_M_CS,
      "Callaway\xe2\x80\x93Sant'Anna",
      "Callaway\xe2\x80\x93Sant'Anna"),
    E(T_M_SC, "synthetic control", "synthetische controle"),
    E(T_M_SDID, "synthetic DiD", "synthetische DiD"),
    E(T_CLOSING, "closing", "loopt in"),
    E(T_NOT_CLOSING, "not closing", "loopt niet in"),
    E(T_METRICS, "Domain metrics", "Domeinmaten"),
    E(T_METRIC, "Metric", "Maat"),
    E(T_VALUE, "Value", "Waarde"),
    E(T_DESCRIPTION, "Description", "Omschrijving"),
    E(T_NO_RESULTS,
      "No results were reported.",
      "Er zijn geen resultaten gerapporteerd."),
    E(T_FAILED_LONG, "This experiment failed", "Dit experiment is mislukt"),
    E(T_PER_WIJK, "Per wijk", "Per wijk"),
    E(T_GAP_MUNI,
      "gap to the rest of its municipality",
      "achterstand tot de rest van de gemeente"),
    E(T_GAP_NATIONAL,
      "gap to the mean of all areas",
      "achterstand tot het gemiddelde van alle gebieden"),
    E(T_WIJK, "Wijk", "Wijk"),
    E(T_MUNICIPALITY, "Municipality", "Gemeente"),
    E(T_TREATED_FROM, "Treated from", "Aanpak vanaf"),
    E(T_GAP, "Gap", "Achterstand"),
    E(T_CHANGE, "Change", "Verandering"),
    E(T_COURSE, "Course", "Verloop"),
    E(T_STATUS, "Status", "Status"),
    E(T_NO_DEFICIT, "no deficit", "geen achterstand"),
    E(T_WIJK_NOTE,
      "The gap is the wijk's value minus the reference, signed so that a "
      "negative gap means the wijk is behind. The bar runs from the gap at "
      "the baseline (open circle) to the latest (arrow); the vertical line is "
      "no gap. Closing: a deficit at the baseline that has become smaller.",
      "De achterstand is de waarde van de wijk min de referentie, met het "
      "teken zo dat een negatieve waarde betekent dat de wijk achterloopt. De "
      "balk loopt van de achterstand bij de nulmeting (open cirkel) naar de "
      "laatste (pijl); de verticale lijn is geen achterstand. Loopt in: een "
      "achterstand bij de nulmeting die kleiner is geworden."),
    E(T_NO_DESIGN,
      "Not available: this report was built without the run's " "design.",
      "Niet beschikbaar: dit rapport is gemaakt zonder de opzet van "
      "de run."),
    E(T_NO_PRIMARY,
      "No primary indicator with data.",
      "Geen primaire indicator met " "gegevens."),
    E(T_APPENDIX, "Method appendix", "Methodologische " "bijlage"),
    E(T_DESIGNS, "Designs", "Ontwerpen"),
    E(T_D_PRE_POST,
      "change of the "
      "treated wijken's "
      "mean from the "
      "baseline to the "
      "latest "
      "follow-up; no "
      "comparison group, "
      "so it shows change, "
      "not effect.",
      "verandering van het "
      "gemiddelde van de "
      "aangepakte wijken "
      "van de "
      "nulmeting tot de "
      "laatste "
      "vervolgmeting; "
      "zonder "
      "vergelijkingsgroep, "
      "dus "
      "verandering en geen "
      "effect."),
    E(T_D_GAP,
      "change of the treated "
      "wijken's gap to the "
      "reference mean from the "
      "baseline to the latest "
      "follow-up; catching up, not "
      "a causal effect.",
      "verandering van de "
      "achterstand van de "
      "aangepakte wijken tot het "
      "referentiegemiddelde van de "
      "nulmeting tot de laatste "
      "vervolgmeting; "
      "inlopen, geen causaal "
      "effect."),
    E(T_D_DID,
      "change of the "
      "treated wijken "
      "minus the "
      "change of the "
      "comparison "
      "wijken, "
      "baseline "
      "against the "
      "mean of the "
      "follow-up "
      "periods.",
      "verandering van "
      "de aangepakte "
      "wijken min die "
      "van de "
      "vergelijkingswij"
      "ken, nulmeting "
      "tegen het "
      "gemiddelde van "
      "de "
      "vervolgmetingen"
      "."),
    E(T_D_TWFE,
      "two-way fixed-effects "
      "difference-in-"
      "differences over all "
      "periods up to "
      "the latest follow-up, "
      "with cluster-robust "
      "standard errors; its "
      "event "
      "study tests the "
      "pre-trends behind every "
      "headline.",
      "verschil-in-verschillen "
      "met vaste effecten voor "
      "wijk en periode over "
      "alle perioden tot de "
      "laatste vervolgmeting, "
      "met clusterrobuuste "
      "standaardfouten; de "
      "event study ervan toetst "
      "de pre-trends achter elk "
      "kernresultaat."),
    E(T_D_CS,
      "Callaway and "
      "Sant'Anna: the effect "
      "of each treatment wave "
      "in each "
      "period against wijken "
      "not yet treated, "
      "averaged over waves "
      "and "
      "periods; made for "
      "treatment that starts "
      "in waves.",
      "Callaway en Sant'Anna: "
      "het effect van elke "
      "golf in elke periode "
      "tegen "
      "wijken die nog niet "
      "zijn aangepakt, "
      "gemiddeld over golven "
      "en perioden; "
      "bedoeld voor een "
      "aanpak die in golven "
      "start."),
    E(T_D_SC,
      "synthetic control: "
      "a weighted mix of "
      "comparison wijken "
      "that follows "
      "the treated wijken "
      "before the start; "
      "the effect is the "
      "difference "
      "after it.",
      "synthetische "
      "controle: een "
      "gewogen mix van "
      "vergelijkingswijken"
      " die de "
      "aangepakte wijken "
      "v\xc3\xb3\xc3\xb3r "
      "de start volgt; "
      "het effect is "
      "het verschil "
      "daarna."),
    E(T_D_SDID,
      "synthe"
      "tic "
      "differ"
      "ence-"
      "in-"
      "differ"
      "ences:"
      " weigh"
      "ts "
      "for "
      "compar"
      "ison "
      "wijken"
      " and "
      "for "
      "pre-"
      "period"
      "s, "
      "then "
      "differ"
      "ence-"
      "in-"
      "differ"
      "ences"
      ".",
      "synthe"
      "tische"
      " versc"
      "hil-"
      "in-"
      "versch"
      "illen:"
      " gewic"
      "hten "
      "voor "
      "vergel"
      "ijking"
      "swijke"
      "n en "
      "voorpe"
      "rioden"
      ", dan "
      "versch"
      "il-in-"
      "versch"
      "illen"
      "."),
    E(T_DESIGN_USED,
      "Design of " "the headline",
      "Ontwerp van " "het " "kernresultaa" "t"),
    E(T_INFERENCE, "Infere" "nce", "Infere" "ntie"),
    E(T_TWFE_INF,
      "Inference " "of the " "TWFE " "effect",
      "Inferentie " "van het " "TWFE-" "effect"),
    E(T_OTHER_INF, "Other methods", "Overige methoden"),
    E(T_ADJUSTMENT,
      "Adjuste" "d " "p-" "values",
      "Gecorri" "geerde " "p-" "waarde" "n"),
    E(T_ADJ_TEXT,
      "wit"
      "hin"
      " ea"
      "ch "
      "exp"
      "eri"
      "men"
      "t "
      "and"
      " me"
      "tho"
      "d; "
      "rep"
      "ort"
      ".js"
      "on "
      "and"
      " re"
      "sul"
      "ts."
      "csv"
      " al"
      "so "
      "giv"
      "e "
      "the"
      " ot"
      "her"
      " ad"
      "jus"
      "tme"
      "nt "
      "and"
      " bo"
      "th "
      "acr"
      "oss"
      " th"
      "e "
      "who"
      "le "
      "rep"
      "ort"
      ".",
      "bin"
      "nen"
      " el"
      "k "
      "exp"
      "eri"
      "men"
      "t "
      "en "
      "elk"
      "e "
      "met"
      "hod"
      "e; "
      "rep"
      "ort"
      ".js"
      "on "
      "en "
      "res"
      "ult"
      "s."
      "csv"
      " "
      "gev"
      "en "
      "ook"
      " de"
      " an"
      "der"
      "e "
      "cor"
      "rec"
      "tie"
      " en"
      " be"
      "ide"
      " ov"
      "er "
      "het"
      " he"
      "le "
      "rap"
      "por"
      "t."),
    E(T_EFFECT_SIZES, "Standardised effects", "Gestandaardiseerde effecten"),
    E(T_ES_TEXT,
      "Glass's \xce\x94 (the comparison wijken's spread at the baseline) and "
      "Hedges' g (the pooled spread); their intervals treat the spread as "
      "fixed.",
      "Glass' \xce\x94 (de spreiding van de vergelijkingswijken bij de "
      "nulmeting) en Hedges' g (de gepoolde spreiding); de intervallen nemen "
      "de spreiding als vast."),
    E(T_EVENT_STUDY, "Event study", "Effect per periode"),
    E(T_WINDOW, "event times", "perioden rond de start"),
    E(T_MDE_TEXT,
      "from pre-period variance components, at alpha",
      "uit variantiecomponenten van de voorperiode, bij alfa"),
    E(T_SIMULATIONS,
      "simulations check its power",
      "simulaties controleren het vermogen"),
    E(T_LEVELS, "Evidence levels", "Bewijsniveaus"),
    E(T_LEVELS_TEXT,
      "Maryland Scientific Methods Scale (1 to 5; level 3 needs a comparison "
      "group whose own pre-period check did not reject and had enough power "
      "to see a trend as large as the MDE) and the Erkenningscommissie "
      "label (eerste, goede or sterke aanwijzingen), by the rules of "
      "docs/evidence.md. A before/after change or a gap earns no label on "
      "its own.",
      "Maryland Scientific Methods Scale (1 tot 5; niveau 3 vraagt een "
      "vergelijkingsgroep waarvan de eigen voortoets niet verwierp en genoeg "
      "onderscheidend vermogen had om een trend zo groot als het MDE te zien) "
      "en het label van de Erkenningscommissie (eerste, goede of sterke "
      "aanwijzingen), volgens de regels in docs/evidence.md. Een verandering "
      "voor/na of een achterstand levert op zichzelf geen label op."),
    E(T_PRETEST_POWER,
      "Power of the pre-period check",
      "Onderscheidend vermogen van de voortoets"),
    E(T_PRETEST_TEXT,
      "against a linear pre-trend that would bias the estimate by the MDE at "
      "the last period; level 3 needs at least",
      "tegen een lineaire pre-trend die de schatting in de laatste periode "
      "met het MDE zou vertekenen; niveau 3 vraagt minstens"),
    E(T_PRETEST_BORROWED,
      "not computed: this design has no pre-period check of its own here, so "
      "it cannot reach level 3",
      "niet berekend: deze opzet heeft hier geen eigen voortoets en kan dus "
      "niveau 3 niet halen"),
    E(T_SENSITIVITY,
      "Sensitivity to trend violations",
      "Gevoeligheid voor trendafwijkingen"),
    E(T_SENS_CI,
      "robust interval at M\u0304 = 1",
      "robuust interval bij M\u0304 = 1"),
    E(T_SENS_SURVIVES1,
      "the conclusion survives trend violations up to",
      "de conclusie blijft staan bij trendafwijkingen tot"),
    E(T_SENS_SURVIVES2,
      "times the largest pre-period one",
      "keer de grootste in de voorperiode"),
    E(T_SENS_NONE,
      "the interval contains 0 even without trend violations (C-LF test, "
      "as HonestDiD), so there is no conclusion to break",
      "het interval bevat 0 al zonder trendafwijkingen (C-LF-toets, als "
      "HonestDiD), "
      "dus er is geen conclusie die kan breken"),
    E(T_SENS_UNBOUNDED,
      "the conclusion survives violations of 64 or more times the largest "
      "pre-period one",
      "de conclusie blijft staan bij afwijkingen van 64 keer de grootste in de "
      "voorperiode of meer"),
    E(T_SENS_BORROWED,
      "from the TWFE event study of the same indicator",
      "uit de TWFE-event study van dezelfde indicator"),
    E(T_ADJ_HEADLINES,
      "p adjusted across all headlines",
      "p gecorrigeerd over alle hoofdresultaten"),
    E(T_ADJ_WITHIN, "within the experiment", "binnen het experiment"),
    E(T_PROVENANCE, "Provenance", "Herkomst"),
    E(T_VERSION, "wijkeval version", "wijkeval-versie"),
    E(T_CONFIG, "Configuration", "Configuratie"),
    E(T_CONFIG_SHA, "Configuration SHA-256", "SHA-256 van de configuratie"),
    E(T_DATA_SHA, "Data SHA-256", "SHA-256 van de gegevens"),
    E(T_SEED, "Seed", "Seed"),
    E(T_STARTED, "Started", "Gestart"),
    E(T_FINISHED, "Finished", "Klaar"),
    E(T_UNSANDBOXED, "Plugins not sandboxed", "Plugins zonder sandbox"),
    E(T_UNKNOWN, "unknown", "onbekend"),
    E(T_LANGUAGE, "Language", "Taal"),
    E(T_ALPHA, "alpha", "alfa"),
    E(T_OFF, "off", "uit"),
    E(T_INF_AUTO,
      "the wild cluster bootstrap with fewer than 42 clusters, " "else CR1",
      "de wild cluster bootstrap bij minder dan 42 clusters, " "anders CR1"),
    E(T_INF_CR1, "CR1 cluster-robust, t(G-1)", "CR1 clusterrobuust, t(G-1)"),
    E(T_INF_WILD,
      "wild cluster bootstrap (WCR)",
      "wild cluster bootstrap (WCR)"),
    E(T_NO_TWFE,
      "no TWFE result in this run",
      "geen TWFE-resultaat in deze run"),
    E(T_REPLICATIONS, "replications", "replicaties"),
    E(T_EXACT, "exact", "exact"),
    E(T_OTHER_INF_TEXT,
      "DiD 2\xc3\x97"
      "2: CR1 cluster-robust, t(G-1); before/after and gap: "
      "paired t with n-1 degrees of freedom.",
      "DiD 2\xc3\x97"
      "2: CR1 clusterrobuust, t(G-1); voor/na en achterstand: "
      "gepaarde t met n-1 vrijheidsgraden."),
    E(T_QUESTION, "Question", "Vraag"),
    E(T_PRINT_NOTE,
      "The per-wijk tables are folded; open them before printing "
      "to include them.",
      "De tabellen per wijk zijn ingeklapt; klap ze open "
      "voor het afdrukken om ze mee te nemen."),
    E(T_OF, "of", "van"),
    E(T_BEHIND,
      "wijken behind at the baseline",
      "wijken met een achterstand bij de nulmeting"),
    E(T_EXPERIMENTS, "Experiments", "Experimenten"),
    E(T_POLICY_TITLE, "Policy return (beleidsrendement)", "Beleidsrendement"),
    E(T_POLICY_NOTE,
      "Cost per resident: the experiment's total cost over the residents of "
      "all its treated wijken (wijken without cost rows count as costing "
      "nothing). Cost per unit: cost per resident divided by the headline "
      "effect on the primary indicator, in its unit and good direction; per "
      "SD: divided by the standardised effect (Glass's \xce\x94), the scale on "
      "which experiments compare. The intervals come from the effect's "
      "interval; the costs are taken as known. When the effect's interval "
      "includes zero, the cost per unit of effect is undefined.",
      "Kosten per bewoner: de totale kosten van het experiment gedeeld door "
      "de bewoners van al zijn aangepakte wijken (wijken zonder kostenregels "
      "tellen als kosteloos). Kosten per eenheid: kosten per bewoner gedeeld "
      "door het kerneffect op de primaire indicator, in haar eenheid en goede "
      "richting; per SD: gedeeld door het gestandaardiseerde effect (Glass' "
      "\xce\x94), de schaal waarop experimenten vergelijkbaar zijn. De "
      "intervallen volgen uit het interval van het effect; de kosten gelden "
      "als bekend. Als het interval van het effect nul bevat, zijn de kosten "
      "per eenheid effect niet gedefinieerd."),
    E(T_EXPERIMENT, "Experiment", "Experiment"),
    E(T_TOTAL_COST, "Total cost (EUR)", "Totale kosten (EUR)"),
    E(T_COSTED_WIJKEN,
      "Treated wijken with costs",
      "Aangepakte wijken met kosten"),
    E(T_RESIDENTS, "Residents", "Bewoners"),
    E(T_PER_RESIDENT, "Cost per resident (EUR)", "Kosten per bewoner (EUR)"),
    E(T_PER_UNIT,
      "Cost per unit of effect (EUR per resident per unit of " "effect)",
      "Kosten per eenheid effect (EUR per bewoner per eenheid " "effect)"),
    E(T_PER_SD,
      "Cost per SD (EUR per resident)",
      "Kosten per SD (EUR per bewoner)"),
    E(T_RANK, "Rank", "Rang"),
    E(T_RANKING,
      "Ranking by cost per SD, cheapest first; only experiments "
      "whose verdict is better (the effect interval on the good side of zero, "
      "significant after the adjustment, credible)",
      "Rangorde naar kosten per SD, goedkoopste eerst; alleen experimenten "
      "met het oordeel beter (het interval van het effect aan de goede kant "
      "van nul, significant na de correctie, geloofwaardig)"),
    E(T_NOT_DISTINCT, "not distinguishable from", "niet te onderscheiden van"),
    E(T_DISTINCT_ALL,
      "distinguishable from every other ranked experiment",
      "te onderscheiden van elk ander gerangschikt experiment"),
    E(T_NO_RANKING,
      "No experiment has a cost per unit of effect, so none can "
      "be ranked by cost.",
      "Geen experiment heeft kosten per eenheid effect; "
      "er is dus geen rangorde naar kosten."),
    E(T_CPE_ZERO,
      "undefined: the effect's interval includes zero",
      "niet gedefinieerd: het interval van het effect bevat nul"),
    E(T_CPE_HARMFUL,
      "undefined: the effect is harmful",
      "niet gedefinieerd: het effect is schadelijk"),
    E(T_CPE_NO_ESTIMATE,
      "undefined: no headline estimate",
      "niet gedefinieerd: geen kernschatting"),
    E(T_CPE_NO_COSTS, "no costs given", "geen kosten opgegeven"),
    E(T_CPE_NO_RESIDENTS,
      "undefined: a treated wijk has no population",
      "niet gedefinieerd: een aangepakte wijk heeft geen inwonertal"),
    E(T_TARGETS_TITLE,
      "Self-named targets per wijk",
      "Zelfgekozen doelen per wijk"),
    E(T_TARGETS_NOTE,
      "Met: the latest value at or before the deadline reaches the target (an "
      "item: realised). For a deadline after the data: on track when the "
      "yearly change since the baseline, continued, reaches the target in "
      "time; off track when it does not; open when there is no such trend. "
      "Missed: the deadline has passed.",
      "Gehaald: de laatste waarde op of voor de termijn haalt het doel (een "
      "punt: gerealiseerd). Bij een termijn na de gegevens: op koers als de "
      "jaarlijkse verandering sinds de nulmeting, doorgetrokken, het doel op "
      "tijd haalt; uit koers als dat niet zo is; open als er geen trend is. "
      "Gemist: de termijn is verstreken."),
    E(T_TARGET, "Target", "Doel"),
    E(T_DEADLINE, "Deadline", "Termijn"),
    E(T_CURRENT, "Current value", "Huidige waarde"),
    E(T_NEEDED, "Needed per year", "Nodig per jaar"),
    E(T_OBSERVED, "Observed per year", "Waargenomen per jaar"),
    E(T_TARGETS_N, "Targets", "Doelen"),
    E(T_ALL, "All", "Alle"),
    E(T_G_MET, "met", "gehaald"),
    E(T_G_ON_TRACK, "on track", "op koers"),
    E(T_G_OFF_TRACK, "off track", "uit koers"),
    E(T_G_OPEN, "open", "open"),
    E(T_G_MISSED, "missed", "gemist"),
    E(T_G_NO_DATA, "no data", "geen gegevens"),
    E(T_REALISED, "realised", "gerealiseerd"),
    E(T_NOT_REALISED, "not realised", "niet gerealiseerd"),
    E(T_ITEM, "item", "punt"),
    E(T_PER_MUNI, "Per municipality", "Per gemeente"),
    E(T_AS_OF,
      "judged on the data up to",
      "beoordeeld op de gegevens tot en met"),
    E(T_EW_TITLE,
      "Early warning: wijken sliding against the national trend",
      "Vroegsignalering: wijken die afglijden ten opzichte van het land"),
    E(T_EW_NOTE,
      "Every area in the data, treated or not. The composite is the weighted "
      "mean of the indicators' z-scores, signed so that higher is better, "
      "minus the national mean of the same period, so that shocks common to "
      "all areas cancel. Its slope over the window is the Theil-Sen slope "
      "(the median of the slopes between any two periods). An area is on the "
      "watch list when that slope falls significantly, with a "
      "Benjamini-Hochberg q-value at or below the false discovery rate. A "
      "signal to look closer, not a cause: the drivers are the indicators "
      "whose own relative slope adds most to the decline.",
      "Alle gebieden in de gegevens, aangepakt of niet. De samengestelde "
      "score is het gewogen gemiddelde van de z-scores van de indicatoren, "
      "zo gericht dat hoger beter is, min het landelijke gemiddelde van "
      "dezelfde periode, zodat schokken die alle gebieden treffen wegvallen. "
      "De helling over het venster is de Theil-Sen-helling (de mediaan van "
      "de hellingen tussen elk paar perioden). Een gebied staat op de lijst "
      "als die helling significant daalt, met een Benjamini-Hochberg "
      "q-waarde op of onder de false discovery rate. Een signaal om beter te "
      "kijken, geen oorzaak: de drijvers zijn de indicatoren waarvan de "
      "eigen relatieve helling het meest bijdraagt aan de daling."),
    E(T_EW_TEST_NULL,
      "Test: the slope against those of all areas (empirical null): its "
      "distance from their median in units of 1.4826 times their median "
      "absolute deviation, one-sided normal p-value.",
      "Toets: de helling tegen die van alle gebieden (empirische nulverdeling): "
      "de afstand tot hun mediaan in eenheden van 1,4826 maal hun mediane "
      "absolute afwijking, eenzijdige normale p-waarde."),
    E(T_EW_TEST_MK,
      "Test: one-sided Mann-Kendall trend test per area (normal "
      "approximation with ties and continuity correction).",
      "Toets: eenzijdige Mann-Kendall-trendtoets per gebied (normale "
      "benadering met knopen en continuiteitscorrectie)."),
    E(T_EW_TESTED, "areas tested", "gebieden getoetst"),
    E(T_EW_FLAGGED, "on the watch list", "op de signaleringslijst"),
    E(T_EW_NONE,
      "No area slides significantly against the national trend at this false "
      "discovery rate.",
      "Geen gebied glijdt significant af ten opzichte van het land bij deze "
      "false discovery rate."),
    E(T_EW_SLOPE, "Slope (SD per year)", "Helling (SD per jaar)"),
    E(T_EW_DRIVERS, "Driven by", "Vooral door"),
    E(T_EW_TREATED, "treated", "aangepakt"),
    E(T_EW_CHARTS,
      "Composite relative to the national mean (0, dashed), in standard "
      "deviations; the shaded periods are the window tested. All panels "
      "share one scale.",
      "Samengestelde score ten opzichte van het landelijke gemiddelde (0, "
      "gestreept), in standaarddeviaties; de gearceerde perioden zijn het "
      "getoetste venster. Alle panelen hebben dezelfde schaal."),
    E(T_EW_MORE, "Charts for the first", "Grafieken voor de eerste"),
    E(T_EW_WINDOW, "window", "venster"),
    E(T_EW_COMPOSITE, "Composite of", "Samengesteld uit"),
    E(T_EW_FDR, "false discovery rate", "false discovery rate"),
    E(T_DP_TITLE,
      "Displacement: do problems move to the neighbouring wijken?",
      "Verplaatsing (waterbedeffect): schuiven problemen door naar de "
      "buurwijken?"),
    E(T_DP_NOTE,
      "The ring is every untreated wijk next to a treated one, treated here "
      "from the earliest start among its treated neighbours; it is compared "
      "with the untreated wijken further away by a two-way fixed effects DiD "
      "with the run's inference. The ring is left out of the comparison group "
      "of every experiment, so that a spill-over cannot bias their estimates. "
      "Effects in the indicator's own unit: displacement when the interval "
      "excludes zero on the bad side.",
      "De ring is elke niet-aangepakte wijk naast een aangepakte wijk, hier "
      "behandeld vanaf de vroegste start van haar aangepakte buren; ze wordt "
      "vergeleken met de niet-aangepakte wijken verder weg met een DiD met "
      "vaste effecten voor wijk en jaar en dezelfde inferentie als de rest. "
      "De ring telt in geen enkel experiment mee als vergelijkingsgroep, "
      "zodat uitstraling de schattingen daar niet vertekent. Effecten in de "
      "eenheid van de indicator: verplaatsing als het interval nul aan de "
      "slechte kant uitsluit."),
    E(T_DP_RING, "wijken in the ring", "wijken in de ring"),
    E(T_DP_FAR, "further away", "verder weg"),
    E(T_DP_EFFECT, "Effect in the ring", "Effect in de ring"),
    E(T_DP_NO_EVIDENCE,
      "no evidence of displacement",
      "geen aanwijzing voor verplaatsing"),
    E(T_DP_DISPLACEMENT,
      "displacement: the ring worsened",
      "verplaatsing: de ring ging achteruit"),
    E(T_DP_SPILLOVER,
      "spill-over of improvement: the ring improved too",
      "uitstraling van de verbetering: ook de ring ging vooruit"),
    E(T_DP_NOT_ESTIMABLE, "not estimable", "niet te schatten"),
    E(T_DP_BY_ADJACENCY,
      "neighbours from the adjacency file",
      "buren volgens het buurbestand"),
    E(T_DP_BY_CENTROIDS,
      "neighbours: centroids within",
      "buren: zwaartepunten binnen"),
    E(T_DP_VERDICT, "Verdict", "Oordeel"),
    E(T_ANSWERS, "What this number answers", "Wat dit getal beantwoordt"),
    E(T_Q_ADDED,
      "the added value of the experiment on top of the "
      "wijkenaanpak: its wijken against programme wijken outside the "
      "experiment (wijken outside the programme are left out)",
      "de meerwaarde van het experiment bovenop de wijkenaanpak: de wijken van "
      "het experiment tegen aandachtswijken buiten het experiment (wijken "
      "buiten de wijkenaanpak tellen niet mee)"),
    E(T_Q_TOGETHER,
      "programme and experiment together: its wijken against "
      "wijken outside the programme; this is not the experiment's own "
      "contribution",
      "wijkenaanpak en experiment samen: de wijken van het experiment tegen "
      "wijken buiten de wijkenaanpak; dit is niet de bijdrage van het "
      "experiment alleen"),
    E(T_Q_MATCHED,
      "programme and experiment together, against matched "
      "comparison wijken; this is not the experiment's own contribution",
      "wijkenaanpak en experiment samen, tegen gematchte vergelijkingswijken; "
      "dit is niet de bijdrage van het experiment alleen"),
    E(T_OVERLAP,
      "wijken of this experiment are also in another experiment; "
      "there the experiments cannot be told apart",
      "wijken van dit experiment doen ook mee aan een ander experiment; daar "
      "zijn de experimenten niet van elkaar te scheiden"),
    E(T_PROGRAMME_TITLE,
      "The wijkenaanpak as a whole",
      "De wijkenaanpak als geheel"),
    E(T_PROGRAMME_NOTE,
      "Did the wijkenaanpak work? The programme wijken "
      "against wijken outside the programme, on the monitor's headline "
      "indicators, with the same designs and inference as the experiments. "
      "The experiments below answer another question: what each added.",
      "Werkte de wijkenaanpak? De aandachtswijken tegen wijken buiten de "
      "wijkenaanpak, op de kernindicatoren van de monitor, met dezelfde "
      "ontwerpen en inferentie als de experimenten. De experimenten hieronder "
      "beantwoorden een andere vraag: wat elk daaraan toevoegde."),
    E(T_SAME_TOTALS,
      "Every experiment has the same total cost: the totals "
      "do not tell the experiments apart, and the ranking follows the effects "
      "alone.",
      "Elk experiment heeft dezelfde totale kosten: de totalen onderscheiden "
      "de experimenten niet, en de rangorde volgt alleen de effecten."),
    E(T_EVEN_SPLIT,
      "The costs are one budget split evenly over the "
      "experiments (the same amount for the same wijken and years): they are "
      "not what each experiment spent.",
      "De kosten zijn een budget dat gelijk over de experimenten is verdeeld "
      "(hetzelfde bedrag voor dezelfde wijken en jaren): het is niet wat elk "
      "experiment uitgaf."),
    E(T_MISSING_ZERO,
      "wijk(en) of the experiments have no cost rows and "
      "count as costing nothing (costs.missing = \"zero\")",
      "wijk(en) van de experimenten hebben geen kostenregels en tellen als "
      "kosteloos (costs.missing = \"zero\")"),
    E(T_PER_UNIT_OF, "EUR per resident per", "EUR per bewoner per"),
    E(T_COSTS_DECLARED,
      "Counts and totals use the cost rows as declared in",
      "Aantallen en totalen gebruiken de kostenregels zoals opgegeven in"),
    E(T_COMPARED_WITH,
      "treated / comparison wijken",
      "behandelde / " "vergelijkingswijken"),
    E(T_PLUGIN_WARNINGS,
      "Warnings from the plugin",
      "Waarschuwingen van de plugin"),
    E(T_PLUGIN_WARNINGS_NOTE,
      "What the experiment's plugin reported while it computed: a number it "
      "could not compute, or data it left out.",
      "Wat de plugin van het experiment meldde tijdens het rekenen: een getal "
      "dat niet te berekenen was, of gegevens die buiten beschouwing bleven."),
    E(T_AREA_METRICS,
      "Per wijk, from the plugin",
      "Per wijk, volgens de plugin"),
    E(T_AREA_METRICS_NOTE,
      "Computed by the experiment's plugin for each wijk; a dash where it "
      "does not apply.",
      "Per wijk berekend door de plugin van het experiment; een streepje waar "
      "het niet van toepassing is."),
    E(T_SP_TITLE, "Since the previous report", "Sinds de vorige rapportage"),
    E(T_SP_INTRO, "Compared with run", "Vergeleken met run"),
    E(T_SP_DATA, "data", "gegevens"),
    E(T_SP_NEW, "new in this report", "nieuw in deze rapportage"),
    E(T_SP_GONE, "not in this report", "niet in deze rapportage"),
    E(T_SP_WHY, "What changed", "Wat is er veranderd"),
    E(T_SP_PERIODS, "new periods of data", "nieuwe perioden met gegevens"),
    E(T_SP_REVISED, "revised data", "herziene gegevens"),
    E(T_SP_CELLS, "cells", "cellen"),
    E(T_SP_METHOD,
      "changed method or config",
      "andere methode of configuratie"),
    E(T_SP_CONFIG,
      "the config file changed, not the method",
      "het configuratiebestand is gewijzigd, de methode niet"),
    E(T_SP_NOTHING,
      "nothing: same data, periods and config",
      "niets: dezelfde gegevens, perioden en configuratie"),
    E(T_SP_WAS, "previous report", "vorig rapport"),
    E(T_SP_TARGETS,
      "targets newly met or missed",
      "doelen die nu wel of niet meer gehaald zijn"),
    E(T_SP_REV_MARK, "indicator revised", "indicator herzien"),
    E(T_SP_LEGEND,
      "\xe2\x96\xb2 verdict improved or evidence rose, \xe2\x96\xbc the "
      "reverse, \xe2\x97\x86 changed otherwise, = unchanged",
      "\xe2\x96\xb2 oordeel verbeterd of bewijs sterker, \xe2\x96\xbc "
      "het omgekeerde, \xe2\x97\x86 anders veranderd, = gelijk"),
    E(T_SIMULATED_BANNER, "Simulated data", "Gesimuleerde gegevens"),
    E(T_SIM_TEXT,
      "The data of this report are simulated (data.simulated in the "
      "configuration): the numbers show how the method works, not what "
      "happened in these wijken.",
      "De gegevens van dit rapport zijn gesimuleerd (data.simulated in de "
      "configuratie): de getallen laten zien hoe de methode werkt, niet wat "
      "er in deze wijken gebeurde."),
    E(T_REPORT_DATE, "Report date", "Rapportdatum"),
    E(T_VINTAGE, "Data vintage", "Stand van de gegevens"),
    E(T_DATA_UNTIL, "up to", "tot en met"),
    E(T_FILES_OF, "files dated", "bestanden van"),
    E(T_GLOSSARY, "Terms used", "Begrippen"),
    E(T_GLOSS_SMS,
      "SMS 1\xe2\x80\x93"
      "5: the Maryland Scientific Methods Scale, how strong "
      "the design is. 1: before/after only; 2: a comparison group that was "
      "not comparable before the start; 3: comparison wijken that moved in "
      "step before the start; 4: quasi-random variation; 5: randomised.",
      "SMS 1\xe2\x80\x93"
      "5: de Maryland Scientific Methods Scale, hoe sterk de "
      "opzet is. 1: alleen voor/na; 2: een vergelijkingsgroep die v\xc3\xb3\xc3\xb3r de "
      "start niet vergelijkbaar was; 3: vergelijkingswijken die v\xc3\xb3\xc3\xb3r de "
      "start gelijk opliepen; 4: quasi-willekeurige variatie; 5: "
      "gerandomiseerd."),
    E(T_GLOSS_ERK,
      "Eerste, goede, sterke aanwijzingen: the Erkenningscommissie "
      "Interventies labels for first, good and strong indications that an "
      "intervention works; geen aanwijzingen: no indication (not "
      "significant, or the wrong direction).",
      "Eerste, goede, sterke aanwijzingen: de labels van de "
      "Erkenningscommissie Interventies voor hoe sterk de aanwijzingen zijn "
      "dat een interventie werkt; geen aanwijzingen: het effect is niet "
      "significant of in de verkeerde richting."),
    E(T_GLOSS_GLASS,
      "Glass's \xce\x94: the effect divided by how much the indicator differs "
      "between comparison wijken at the baseline, so that effects on "
      "different indicators can be compared; 0.2 is small, 0.5 medium, 0.8 "
      "large.",
      "Glass' \xce\x94: het effect gedeeld door hoeveel de indicator verschilt "
      "tussen vergelijkingswijken bij de nulmeting, zodat effecten op "
      "verschillende indicatoren vergelijkbaar zijn; 0,2 is klein, 0,5 "
      "middelgroot, 0,8 groot."),
    E(T_GLOSS_CI,
      "Interval [a, b]: the confidence interval; the effect lies there with "
      "the stated confidence. An interval wholly on one side of zero is a "
      "clear effect.",
      "Interval [a; b]: het betrouwbaarheidsinterval; het effect ligt daar "
      "met de genoemde zekerheid. Een interval helemaal aan \xc3\xa9\xc3\xa9n kant van "
      "nul is een duidelijk effect."),
    E(T_PRINT_WIJK,
      "The folded tables per wijk are left out of the printed report; open "
      "them in the HTML file.",
      "De ingeklapte tabellen per wijk staan niet in het afgedrukte rapport; "
      "open ze in het HTML-bestand."),
    E(T_COST_LINE, "Costs", "Kosten"),
    E(T_COST_PER_RES, "per resident", "per bewoner"),
    E(T_COST_PER_SD,
      "per resident per SD of effect",
      "per bewoner per SD effect"),
    E(T_COST_NO_SD,
      "no cost per unit of effect (no clear effect)",
      "geen kosten per eenheid effect (geen duidelijk effect)"),
    E(T_COST_RANK, "cost rank", "kostenrang"),
    E(T_COST_NOT_RANKED, "not ranked", "niet gerangschikt"),
    E(T_SECTIONS_EXPERIMENTS, "Experiments", "Experimenten"),
    E(T_MUNI_TITLE, "Per municipality", "Per gemeente"),
    E(T_MUNI_NOTE,
      "Each municipality with treated wijken: how many, and per experiment "
      "how many of its treated wijken that were behind at the baseline "
      "closed their gap on the experiment's primary indicator (closing / "
      "behind at the baseline). The self-named targets per municipality are "
      "in the targets section.",
      "Elke gemeente met aangepakte wijken: hoeveel, en per experiment "
      "hoeveel van haar aangepakte wijken met een achterstand bij de "
      "nulmeting die achterstand op de primaire indicator inliepen (loopt "
      "in / achterstand bij de nulmeting). De zelfgekozen doelen per gemeente "
      "staan bij de doelen."),
    E(T_MUNI_TREATED, "Treated wijken", "Aangepakte wijken"),
    /* Verdicts, their reasons, the plain-words sentence and the side effects
     * (report_verdict.c). {1}, {2}, ... are filled in there. */
    E(T_HV_BETTER, "better", "beter"),
    E(T_HV_WORSE, "worse", "slechter"),
    E(T_HV_NO_EFFECT, "no effect", "geen effect"),
    E(T_HV_INCONCLUSIVE, "inconclusive", "onbeslist"),
    E(T_HV_NOT_CREDIBLE, "not credible", "niet geloofwaardig"),
    E(T_WHY_NONE,
      "Inconclusive: there is no headline estimate with an "
      "interval to judge.",
      "Onbeslist: er is geen kernschatting met een "
      "interval om te beoordelen."),
    E(T_WHY_PRETREND,
      "Not credible: the treated wijken "
      "already moved apart "
      "from the comparison wijken before "
      "the start (pre-trend test {1}), so "
      "the effect cannot be attributed to "
      "the experiment.",
      "Niet geloofwaardig: de aangepakte "
      "wijken liepen al "
      "v\xc3\xb3\xc3\xb3r de "
      "start uiteen met de "
      "vergelijkingswijken "
      "(pre-trendtoets {1}), dus het "
      "effect is niet aan het experiment "
      "toe te schrijven."),
    E(T_WHY_EVIDENCE,
      "Not credible: the design reaches evidence level SMS "
      "{1}, below the minimum of SMS {2} "
      "(report.min_evidence_level).",
      "Niet geloofwaardig: de opzet haalt bewijsniveau SMS {1}, "
      "onder het "
      "minimum van SMS {2} (report.min_evidence_level)."),
    E(T_WHY_GOOD,
      "Better: the {1}% interval {2} lies entirely on the good "
      "side of zero.",
      "Beter: het {1}%-interval {2} ligt helemaal aan de "
      "goede kant van nul."),
    E(T_WHY_BAD,
      "Worse: the {1}% interval {2} lies "
      "entirely on the bad side "
      "of zero.",
      "Slechter: het {1}%-interval {2} "
      "ligt helemaal aan de "
      "slechte kant van nul."),
    E(T_WHY_WITHIN,
      "No effect: the {1}% interval {2} lies within "
      "\xc2\xb1{3}{4}, the smallest effect of interest ({5}), "
      "so a relevant "
      "effect is ruled out.",
      "Geen effect: het {1}%-interval {2} ligt binnen "
      "\xc2\xb1{3}{4}, het kleinste relevante effect ({5}), "
      "dus een relevant "
      "effect is uitgesloten."),
    E(T_WHY_WIDE,
      "Inconclusive: the {1}% "
      "interval {2} includes zero "
      "but also "
      "effects beyond "
      "\xc2\xb1{3}{4}, the "
      "smallest effect of "
      "interest ({5}); "
      "the data cannot tell.",
      "Onbeslist: het "
      "{1}%-interval {2} bevat "
      "nul, "
      "maar ook effecten voorbij "
      "\xc2\xb1{3}{4}, het "
      "kleinste relevante "
      "effect ({5}); de gegevens "
      "kunnen het niet zeggen."),
    E(T_WHY_POWER,
      "Inconclusive \xe2\x80\x94 power unknown: the "
      "{1}% interval "
      "{2} includes zero, and without a minimum "
      "detectable effect or a "
      "configured smallest effect of interest no effect "
      "cannot be told from "
      "too little data.",
      "Onbeslist \xe2\x80\x94 onderscheidend vermogen "
      "onbekend: het {1}%-interval {2} bevat nul, en "
      "zonder minimaal "
      "detecteerbaar effect of ingesteld kleinste "
      "relevant effect is geen "
      "effect niet te onderscheiden van te weinig "
      "gegevens."),
    E(T_WHY_NODIR,
      "Inconclusive: the {1}% interval "
      "{2} excludes zero, but "
      "the catalogue gives the indicator "
      "no good direction.",
      "Onbeslist: het {1}%-interval {2} "
      "sluit nul uit, maar de catalogus "
      "geeft de indicator geen goede "
      "richting."),
    E(T_SRC_MDE,
      "the minimum detectable effect",
      "het minimaal " "detecteerbare " "effect"),
    E(T_SRC_INDICATOR,
      "as configured for this indicator",
      "zoals " "ingeste" "ld " "voor " "deze " "indicat" "or"),
    E(T_SRC_EXPERIMENT,
      "as configured for this experiment",
      "zoals ingesteld voor dit experiment"),
    E(T_PLAIN_UP,
      "{1}: rose by about {2}{3} more than in "
      "comparable wijken "
      "({4}%: {5} to {6}).",
      "{1}: steeg met ongeveer {2}{3} meer dan in "
      "vergelijkbare wijken ({4}%: {5} tot {6})."),
    E(T_PLAIN_DOWN,
      "{1}: fell by about {2}{3} more than in "
      "comparable wijken "
      "({4}%: {5} to {6}).",
      "{1}: daalde met ongeveer {2}{3} meer dan "
      "in "
      "vergelijkbare wijken ({4}%: {5} tot {6})."),
    E(T_PLAIN_SAME,
      "{1}: no clear difference from comparable wijken; the "
      "estimate is about {2}{3} ({4}%: {5} to {6}).",
      "{1}: geen duidelijk "
      "verschil met vergelijkbare wijken; de schatting is ongeveer {2}{3} "
      "({4}%: {5} tot {6})."),
    E(T_PLAIN_UP_PRE,
      "{1}: rose by about {2}{3} since the baseline, without "
      "a comparison group ({4}%: {5} to {6}).",
      "{1}: steeg met ongeveer "
      "{2}{3} sinds de nulmeting, zonder vergelijkingsgroep ({4}%: {5} tot "
      "{6})."),
    E(T_PLAIN_DOWN_PRE,
      "{1}: fell by about {2}{3} since the "
      "baseline, "
      "without a comparison group ({4}%: "
      "{5} to {6}).",
      "{1}: daalde met "
      "ongeveer {2}{3} sinds de nulmeting, "
      "zonder vergelijkingsgroep ({4}%: "
      "{5} tot {6})."),
    E(T_PLAIN_SAME_PRE,
      "{1}: no clear "
      "change since the "
      "baseline, without "
      "a "
      "comparison group; "
      "the estimate is "
      "about {2}{3} "
      "({4}%: {5} to "
      "{6}).",
      "{1}: geen "
      "duidelijke "
      "verandering sinds "
      "de nulmeting, "
      "zonder "
      "vergelijkingsgroep"
      "; de schatting is "
      "ongeveer {2}{3} "
      "({4}%: {5} tot "
      "{6})."),
    E(T_SIDE_SECONDARY,
      "{2}: {1} got worse, {3}{4} {5} ({6}, adjusted {7}).",
      "{2}: {1} verslechterde, {3}{4} {5} ({6}, gecorrigeerde {7})."),
    E(T_SIDE_DISPLACEMENT,
      "Displacement (waterbed effect): "
      "{1} got worse in "
      "the ring around the treated "
      "wijken, {3}{4} {5} ({6}, {7}).",
      "Verplaatsing (waterbedeffect): {1} "
      "verslechterde in de ring rond de "
      "aangepakte wijken, {3}{4} {5} "
      "({6}, {7})."),
    E(T_SIDE_TITLE, "Side effects", "Bijwerkingen"),
    E(T_SIDE_NONE,
      "No side effects found: no "
      "secondary indicator got "
      "significantly worse after "
      "the adjustment, and no "
      "displacement to "
      "neighbouring wijken was "
      "found.",
      "Geen bijwerkingen gevonden: "
      "geen "
      "secundaire indicator werd "
      "significant slechter na de "
      "correctie, en er "
      "is geen verplaatsing naar "
      "buurwijken gevonden."),
    E(T_SIDE_NOTE,
      "A side effect is a "
      "secondary indicator that "
      "got "
      "significantly worse after "
      "the report's adjustment "
      "for multiple "
      "testing, or a displacement "
      "of problems to the "
      "untreated neighbouring "
      "wijken.",
      "Een bijwerking is een "
      "secundaire indicator die "
      "na de "
      "correctie voor meervoudig "
      "toetsen significant "
      "slechter werd, of een "
      "verplaatsing van problemen "
      "naar de niet-aangepakte "
      "buurwijken."),
    E(T_WHY_ADJUSTED,
      "Inconclusive: the {1}% interval {2} excludes zero, but the effect is "
      "not significant after the adjustment for multiple testing ({3}: {4} "
      "within the experiment, {6} across the report's {5} headlines; alpha "
      "{7}), so it is not called better or worse.",
      "Onbeslist: het {1}%-interval {2} sluit nul uit, maar het effect is "
      "niet significant na de correctie voor meervoudig toetsen ({3}: {4} "
      "binnen het experiment, {6} over de {5} kernresultaten van het rapport; "
      "alfa {7}), dus het heet niet beter of slechter."),
    E(T_WHY_NOLABEL,
      "Inconclusive: the {1}% interval {2} lies on the good side of zero, but "
      "its design (SMS level {3}) earns no Erkenningscommissie label, so it is "
      "not called better.",
      "Onbeslist: het {1}%-interval {2} ligt aan de goede kant van nul, maar "
      "de opzet (SMS-niveau {3}) verdient geen label van de "
      "Erkenningscommissie, dus het heet niet beter."),
    E(T_ADJ_HOLM, "Holm", "Holm"),
    E(T_ADJ_BH, "Benjamini-Hochberg", "Benjamini-Hochberg"),
    E(T_NOT_RANKED_CREDIBLE,
      "Not ranked, because the effect is not " "credible (see its verdict)",
      "Niet gerangschikt, omdat het effect niet "
      "geloofwaardig is (zie het oordeel)"),
    E(T_HV_NOTE,
      "Better or worse: the interval of the headline effect lies entirely "
      "on the good or the bad side of zero and the effect is significant "
      "after the adjustment for multiple testing (within the experiment and "
      "across the headlines); better also has an Erkenningscommissie label. "
      "No effect: the interval lies within plus and minus the smallest "
      "effect of interest (by default the minimum detectable effect), so a "
      "relevant effect is ruled out. Inconclusive: the data cannot tell. "
      "Not credible: the pre-trends were rejected or the evidence level is "
      "below the minimum; such an effect is never called better and is not "
      "ranked by cost.",
      "Beter of slechter: het interval van het kerneffect ligt helemaal aan "
      "de goede of de slechte kant van nul en het effect is significant na "
      "de correctie voor meervoudig toetsen (binnen het experiment en over "
      "de kernresultaten); beter heeft ook een label van de "
      "Erkenningscommissie. Geen effect: het interval ligt binnen plus en "
      "min het kleinste relevante effect (standaard het minimaal "
      "detecteerbare effect), dus een relevant effect is uitgesloten. "
      "Onbeslist: de gegevens kunnen het niet zeggen. Niet geloofwaardig: "
      "de pre-trends zijn verworpen of het bewijsniveau ligt onder het "
      "minimum; zo'n effect heet nooit beter en wordt niet op kosten "
      "gerangschikt."),
    E(T_MARK_NOTE,
      "Each row is marked by the indicator's good direction: "
      "\xe2\x9c\x93 better, \xe2\x9c\x97 worse, ? unclear (the interval "
      "includes zero).",
      "Elke rij is gemarkeerd naar de goede richting van "
      "de indicator: \xe2\x9c\x93 beter, \xe2\x9c\x97 slechter, ? onduidelijk "
      "(het interval bevat nul)."),
    E(T_MD_GLANCE,
      "Experiments at " "a glance",
      "Experimenten " "in " "\xc3\xa9\xc3" "\xa9n " "oogopslag"),
    E(T_MD_PRIMARY, "Primary " "indicato" "r", "Primaire " "indicato" "r"),
    E(T_MD_WHAT, "What happened", "Wa" "t " "er" " g" "eb" "eu" "rd" "e"),
    E(T_MD_READ,
      "How to "
      "read "
      "this "
      "table: "
      "the "
      "experim"
      "ents "
      "are "
      "ordered"
      " by "
      "the "
      "standar"
      "dised "
      "effect,"
      " best "
      "first; "
      "those "
      "without"
      " one "
      "come "
      "last. "
      "*Design"
      "* is "
      "the "
      "design "
      "of the "
      "headlin"
      "e: "
      "Callawa"
      "y\xe2"
      "\x80"
      "\x93San"
      "t'Anna "
      "when "
      "treatme"
      "nt "
      "starts "
      "in "
      "several"
      " waves,"
      " synthe"
      "tic "
      "DiD "
      "with "
      "fewer "
      "than 5 "
      "treated"
      " wijken"
      ", else "
      "TWFE "
      "(or "
      "what "
      "the "
      "config "
      "asks). "
      "*Effect"
      "* is "
      "that "
      "design'"
      "s "
      "estimat"
      "e on "
      "the "
      "primary"
      " indica"
      "tor in "
      "the "
      "indicat"
      "or's "
      "own "
      "unit, "
      "with "
      "its "
      "{1}% "
      "interva"
      "l. "
      "*Standa"
      "rdised "
      "effect*"
      " is "
      "Glass'"
      "s "
      "\xce"
      "\x94: "
      "the "
      "effect "
      "divided"
      " by "
      "the "
      "spread "
      "of the "
      "indicat"
      "or "
      "between"
      " "
      "compari"
      "son "
      "wijken "
      "at the "
      "baselin"
      "e, "
      "signed "
      "so "
      "that a "
      "positiv"
      "e "
      "value "
      "is "
      "an "
      "improve"
      "ment. "
      "*Adjust"
      "ed p* "
      "is the "
      "p-"
      "value "
      "after "
      "the "
      "{2} "
      "adjustm"
      "ent. "
      "*Eviden"
      "ce* is "
      "the "
      "Marylan"
      "d "
      "Scienti"
      "fic "
      "Methods"
      " Scale "
      "level "
      "(1 to "
      "5) and "
      "the "
      "Erkenni"
      "ngscomm"
      "issie "
      "label "
      "(eerste"
      ", "
      "goede "
      "or "
      "sterke "
      "aanwijz"
      "ingen)"
      ".",
      "Zo "
      "leest "
      "u deze "
      "tabel: "
      "de "
      "experim"
      "enten "
      "staan "
      "op "
      "volgord"
      "e van "
      "het "
      "gestand"
      "aardise"
      "erde "
      "effect,"
      " het "
      "beste "
      "eerst; "
      "die "
      "zonder "
      "komen "
      "achtera"
      "an. "
      "*Opzet*"
      " is de "
      "opzet "
      "van "
      "het "
      "kerneff"
      "ect: "
      "Callawa"
      "y\xe2"
      "\x80"
      "\x93San"
      "t'Anna "
      "als de "
      "aanpak "
      "in "
      "meerder"
      "e "
      "golven "
      "start, "
      "synthet"
      "ische "
      "DiD "
      "bij "
      "minder "
      "dan 5 "
      "aangepa"
      "kte "
      "wijken,"
      " anders"
      " TWFE "
      "(of "
      "wat de "
      "configu"
      "ratie "
      "vraagt)"
      ". "
      "*Effect"
      "* is "
      "de "
      "schatti"
      "ng van "
      "die "
      "opzet "
      "op "
      "de "
      "primair"
      "e "
      "indicat"
      "or, in "
      "de "
      "eenheid"
      " van "
      "de "
      "indicat"
      "or, "
      "met "
      "het "
      "{1}%-"
      "interva"
      "l. "
      "*Gestan"
      "daardis"
      "eerd "
      "effect*"
      " is "
      "Glass'"
      "s "
      "\xce"
      "\x94: "
      "het "
      "effect "
      "gedeeld"
      " door "
      "de "
      "spreidi"
      "ng van "
      "de "
      "indicat"
      "or "
      "tussen "
      "de "
      "vergeli"
      "jkingsw"
      "ijken "
      "bij de "
      "nulmeti"
      "ng, zo "
      "geteken"
      "d dat "
      "positie"
      "f een "
      "verbete"
      "ring "
      "is. "
      "*Gecorr"
      "igeerde"
      " p* is "
      "de "
      "p-"
      "waarde "
      "na de "
      "{2}-"
      "correct"
      "ie. "
      "*Bewijs"
      "kracht*"
      " is "
      "het "
      "niveau "
      "op de "
      "Marylan"
      "d "
      "Scienti"
      "fic "
      "Methods"
      " Scale "
      "(1 tot "
      "5) en "
      "het "
      "label "
      "van de "
      "Erkenni"
      "ngscomm"
      "issie "
      "(eerste"
      ", "
      "goede "
      "of "
      "sterke "
      "aanwijz"
      "ingen)"
      "."),
    /* The terminal summary (cli/terminal.c): lower case, short. */
    E(T_T_EXPERIMENT, "experiment", "experiment"),
    E(T_T_PRIMARY, "primary indicator", "primaire indicator"),
    E(T_T_DESIGN, "design", "opzet"),
    E(T_T_EFFECT, "effect", "effect"),
    E(T_T_CI, "CI", "BI"),
    E(T_T_EVIDENCE, "evidence", "bewijs"),
    E(T_T_STATUS, "status", "status"),
    E(T_T_VERDICT, "verdict", "oordeel"),
    E(T_T_FAILED, "FAILED", "MISLUKT"),
    E(T_T_SIDE, "side effects", "bijwerkingen"),
    E(T_T_WHAT, "what happened", "wat er gebeurde"),
    E(T_MD_VERDICT, "Verdict", "Oordeel"),
    E(T_MD_PRETREND_W1,
      "> **Warning:** pre-trends rejected (",
      "> **Waarschuwing:** pre-trends " "verworpen ("),
    E(T_MD_PRETREND_W2,
      "): the treated wijken already "
      "diverged before the start; the "
      "effect is not credible.\n\n",
      "): de aangepakte wijken liepen al "
      "v\xc3\xb3\xc3\xb3r de start "
      "uiteen; het effect is niet "
      "geloofwaardig.\n\n"),
    E(T_MD_ES1,
      "- Standardised effect: Glass's " "\xce\x94",
      "- Gestandaardiseerd effect: " "Glass' \xce\x94"),
    E(T_MD_ES2,
      " (positive is an improvement).\n",
      " (" "positief " "is een " "verbeterin" "g).\n"),
    E(T_MD_CR1,
      "- Analytic CR1 instead of the bootstrap: ",
      "- Analytisch CR1 in plaats van de bootstrap: "),
    E(T_MD_MDE_NONE1,
      "- Minimum detectable effect: none; no effect is detectable, since the smallest placebo p-value this design can attain exceeds alpha (simulated from the ",
      "- Minimaal detecteerbaar effect: geen; geen effect is aantoonbaar, want de kleinste placebo-p die deze opzet kan halen ligt boven alfa (gesimuleerd met de schatter "),
    E(T_MD_MDE_NONE2, " estimator).\n", ").\n"),
    E(T_MD_MDE1,
      "- This design could only detect effects larger than ",
      "- Deze opzet kan alleen effecten aantonen groter dan "),
    E(T_MD_MDE2,
      " (in the indicator's unit) with ",
      " (in de eenheid van de indicator) met "),
    E(T_MD_MDE3, " power", " onderscheidend vermogen"),
    E(T_MD_MDE_SIM1,
      " (by simulation: the spread of the ",
      " (door simulatie: de spreiding van de "),
    E(T_MD_MDE_SIM2, " estimate over ", "-schatting over "),
    E(T_MD_MDE_SIM3,
      " simulated panels without an effect).\n",
      " gesimuleerde panels zonder effect).\n"),
    E(T_MD_MDE_ANALYTIC,
      " (analytic, for TWFE with CR1).\n",
      " (analytisch, voor TWFE met CR1).\n"),
    E(T_MD_INF_FROM,
      "- p-value and interval from: ",
      "- p-waarde en interval uit: "),
    E(T_MD_INTERVAL, "- Interval ", "- Interval "),
    E(T_H_INTERVAL, "Interval ", "Interval "),
    /* The sensitivity of a headline whose verdict is not better or worse:
     * there is no conclusion to survive, only the unadjusted interval. */
    E(T_SENS_EXCL1,
      "the unadjusted interval excludes 0 for trend violations up to",
      "het ongecorrigeerde interval sluit 0 uit bij trendafwijkingen tot"),
    E(T_SENS_EXCL_ANY,
      "the unadjusted interval excludes 0 even for violations of 64 or more "
      "times the largest pre-period one",
      "het ongecorrigeerde interval sluit 0 uit, ook bij afwijkingen van 64 "
      "keer de grootste in de voorperiode of meer"),
    E(T_MD_SENS_EXCL1,
      "; the unadjusted interval excludes 0 for trend violations up to "
      "Mbar* = ",
      "; het ongecorrigeerde interval sluit 0 uit bij trendafwijkingen tot "
      "Mbar* = "),
    E(T_MD_SENS_EXCL_ANY,
      "; the unadjusted interval excludes 0 even for violations of 64 or "
      "more times the largest pre-period one.\n",
      "; het ongecorrigeerde interval sluit 0 uit, ook bij afwijkingen van 64 "
      "keer de grootste in de voorperiode of meer.\n"),
    E(T_MD_DESCRIPTIVE,
      "- Descriptive only, no evidence level: ",
      "- Alleen beschrijvend, geen bewijsniveau: "),
    E(T_MD_POWER2,
      "is smaller than the minimum detectable effect",
      "is kleiner dan het minimaal detecteerbare effect"),
    E(T_MD_POWER3, "and not significant", "en niet significant"),
    E(T_MD_POWER4,
      "): this design would usually miss a true effect of that size, so the result does not rule out a small effect.\n\n",
      "): deze opzet zou een echt effect van die omvang meestal missen, dus de uitkomst sluit een klein effect niet uit.\n\n"),
    E(T_MD_PRETEST1,
      "- Power of the pre-period check against a linear pre-trend that would bias the estimate by the MDE at the last period: ",
      "- Onderscheidend vermogen van de voortoets tegen een lineaire pre-trend die de schatting in de laatste periode met het MDE zou vertekenen: "),
    E(T_MD_PRETEST2,
      " (level 3 needs at least ",
      " (niveau 3 vraagt minstens "),
    E(T_MD_PRETEST_BORROWED,
      "- Power of the pre-period check: not computed; this design has no pre-period check of its own here, so it cannot reach level 3.\n",
      "- Onderscheidend vermogen van de voortoets: niet berekend; deze opzet heeft hier geen eigen voortoets en kan dus niveau 3 niet halen.\n"),
    E(T_MD_SENS1,
      "- Sensitivity to parallel-trend violations (Rambachan-Roth relative magnitudes, C-LF test as HonestDiD",
      "- Gevoeligheid voor afwijkingen van parallelle trends (Rambachan-Roth, relatieve omvang, C-LF-toets als HonestDiD"),
    E(T_MD_SENS2,
      "): robust interval at Mbar = 1: ",
      "): robuust interval bij Mbar = 1: "),
    E(T_MD_SENS_NONE,
      "; the interval contains 0 even without violations.\n",
      "; het interval bevat 0 al zonder afwijkingen.\n"),
    E(T_MD_SENS_ANY,
      "; the conclusion survives violations of 64 or more times the largest pre-period one.\n",
      "; de conclusie blijft staan bij afwijkingen van 64 keer de grootste in de voorperiode of meer.\n"),
    E(T_MD_SENS_UPTO1,
      "; the conclusion survives trend violations up to Mbar* = ",
      "; de conclusie blijft staan bij trendafwijkingen tot Mbar* = "),
    E(T_MD_SENS_UPTO2,
      " times the largest pre-period one.\n",
      " keer de grootste in de voorperiode.\n"),
    E(T_MD_ADJ_ALL,
      "- Adjusted across all " "headlines of the report: " "Holm ",
      "- Gecorrigeerd over alle " "hoofdresultaten van het " "rapport: Holm "),
    E(T_MD_ADJ_WITHIN,
      " (within the experiment: ",
      " (binnen het experiment: "),
    E(T_MD_HEADLINE1, "Headline: ", "Kernresultaat: "),
    E(T_MD_HEADLINE2, " on ", " op "),
    E(T_MD_CLOSING, "closing", "sluit"),
    E(T_MD_NOT_CLOSING, "not closing", "sluit niet"),
    E(T_MD_RESULTS_H1,
      "| Mark | " "Indicator | Role " "| Method | " "Estimate | ",
      "| Teken | " "Indicator | Rol " "| Methode | " "Schatting | "),
    E(T_MD_RESULTS_H2,
      "% CI | p | " "Adjusted p | " "Evidence | " "Treated / " "control |\n",
      "% BI | p | "
      "Gecorrigeerde "
      "p | "
      "Bewijskracht | "
      "Aangepakt / "
      "vergelijking "
      "|\n"),
    E(T_MD_PRETREND_TEST, "Pre-trend " "test: ", "Pre-" "trendtoets:" " "),
    E(T_MD_ALL, "all", "alle"),
    E(T_MD_SIGN_VECTORS, "sign " "vector" "s", "tekenve" "ctoren"),
    E(T_MD_EVENT1,
      "Event study of the headline (event time 0 is the first treated period; -1, the period before, is the reference):\n\n| Event time | Estimate | ",
      "Event study van het kernresultaat (periode 0 is de eerste periode met de aanpak; -1, de periode ervoor, is de referentie):\n\n| Periode t.o.v. start | Schatting | "),
    E(T_MD_EVENT2, "% CI | Treated |\n", "% BI | Aangepakt |\n"),
    E(T_MD_VERSION, ", version ", ", versie "),
    E(T_MD_FAILED, "**Failed:** ", "**Mislukt:** "),
    E(T_MD_NO_MESSAGE, "no message", "geen melding"),
    E(T_T_WRITTEN, "report written to", "rapport geschreven naar"),
    E(T_MD_DESC_REASON,
      "too few treated municipalities for this method's p-value and interval",
      "te weinig behandelde gemeenten voor de p-waarde en het interval van deze methode"),
    E(T_MD_RUN, "\n\nRun: ", "\n\nRun: "),
    E(T_MD_UNKNOWN, "unknown", "onbekend"),
    E(T_MD_DATA, "Data: ", "Gegevens: "),
    E(T_MD_AREAS, " areas", " gebieden"),
    E(T_MD_PERIODS, ", periods ", ", perioden "),
    E(T_MD_BASELINE, ", baseline (nulmeting) ", ", nulmeting "),
    E(T_MD_FOLLOWUP, "; follow-up ", "; vervolgmetingen "),
    E(T_MD_CMP_SAME,
      "untreated areas in municipalities with a treated area",
      "niet-aangepakte gebieden in gemeenten met een aangepakt gebied"),
    E(T_MD_CMP_LIST,
      "a listed set of areas",
      "een opgegeven lijst van gebieden"),
    E(T_MD_CMP_ALL, "all untreated areas", "alle niet-aangepakte gebieden"),
    E(T_MD_DESIGN1,
      "Design: comparison group: ",
      "Opzet: vergelijkingsgroep: "),
    E(T_MD_DESIGN2, "; gap reference: ", "; referentie voor de achterstand: "),
    E(T_MD_NATIONAL_MEAN, "national mean", "landelijk gemiddelde"),
    E(T_MD_MUNI_MEAN, "municipality mean", "gemeentelijk gemiddelde"),
    E(T_MD_DESIGN3,
      "; standard errors clustered by ",
      "; standaardfouten geclusterd per "),
    E(T_MD_DESIGN4, "% intervals.\n\n", "%-intervallen.\n\n"),
    E(T_MD_MUNI, "municipality", "gemeente"),
    E(T_MD_AREA, "area", "gebied"),
    E(T_MD_AUTO,
      "inference.method = auto: the bootstrap with fewer than 42 clusters, else CR1",
      "inference.method = auto: de bootstrap bij minder dan 42 clusters, anders CR1"),
    E(T_MD_TWFE_INF,
      "- Inference of the TWFE effect: ",
      "- Inferentie van het TWFE-effect: "),
    E(T_MD_NO_TWFE,
      "no TWFE result in this run",
      "geen TWFE-resultaat in deze run"),
    E(T_MD_OTHER_INF1,
      "- Inference of the other methods: DiD 2\303\2272 CR1 cluster-robust by ",
      "- Inferentie van de andere methoden: DiD 2\303\2272 CR1 clusterrobuust per "),
    E(T_MD_OTHER_INF2,
      ", t(G-1); before/after and gap paired t with n-1 df.\n",
      ", t(G-1); voor/na en achterstand gepaarde t met n-1 vrijheidsgraden.\n"),
    E(T_MD_ADJ1, "- Adjusted p: ", "- Gecorrigeerde p: "),
    E(T_MD_ADJ2,
      " within each experiment and method; report.json and results.csv also give the other adjustment and both across the whole report.\n",
      " binnen elk experiment en elke methode; report.json en results.csv geven ook de andere correctie en beide over het hele rapport.\n"),
    E(T_MD_ES_METHOD,
      "- Standardised effects: Glass's \xce\x94 (the comparison wijken's baseline spread) and Hedges' g (the pooled spread); their intervals treat the spread as fixed.\n",
      "- Gestandaardiseerde effecten: Glass' \xce\x94 (de spreiding tussen de vergelijkingswijken bij de nulmeting) en Hedges' g (de gepoolde spreiding); hun intervallen nemen de spreiding als vast.\n"),
    E(T_MD_EVENT_M1,
      "- Event study: event times ",
      "- Event study: perioden t.o.v. de start "),
    E(T_MD_TO, " to ", " tot "),
    E(T_MD_EVENT_M2,
      " (the ends bin the times beyond), reference -1; pre-trend test: F test of the leads and a wild cluster bootstrap with ",
      " (de uiteinden nemen de verdere perioden samen), referentie -1; pre-trendtoets: F-toets van de leads en een wild cluster bootstrap met "),
    E(T_MD_EVENT_M3,
      " draws, whose p the evidence level uses when the TWFE effect was bootstrapped.\n",
      " trekkingen, waarvan het bewijsniveau de p gebruikt als het TWFE-effect met de bootstrap is geschat.\n"),
    E(T_MD_RI_M,
      "- Randomisation inference (primary TWFE): ",
      "- Randomisatie-inferentie (primaire TWFE): "),
    E(T_MD_MDE_M1,
      "- Minimum detectable effect (primary TWFE): ",
      "- Minimaal detecteerbaar effect (primaire TWFE): "),
    E(T_MD_MDE_M2, "% power at alpha ", "% onderscheidend vermogen bij alfa "),
    E(T_MD_MDE_M3,
      ", from pre-period variance components",
      ", uit variantiecomponenten van de voorperiode"),
    E(T_MD_MDE_M4,
      ", its power checked with ",
      ", het onderscheidend vermogen gecontroleerd met "),
    E(T_MD_MDE_M5, " simulations", " simulaties"),
    E(T_MD_LEVELS_M,
      "- Evidence levels: Maryland Scientific Methods Scale and Erkenningscommissie label, by the rules of docs/evidence.md.\n\n",
      "- Bewijsniveaus: Maryland Scientific Methods Scale en label van de Erkenningscommissie, volgens de regels van docs/evidence.md.\n\n"),
    E(T_MD_METHODS,
      "## Methods\n\n- *before/after* (pre_post): change of the treated areas' mean from the baseline to the latest follow-up; no comparison group, so it shows change, not effect.\n- *gap* (gap): change of the treated areas' gap to the reference mean from the baseline to the latest follow-up; *closing* when a deficit shrinks. Catching up, not a causal effect.\n- *DiD 2\303\2272* (did_2x2): change of the treated areas minus the change of the comparison areas, baseline against the mean of the follow-up periods.\n- *TWFE* (twfe): two-way fixed-effects difference-in-differences over all periods up to the latest follow-up, with cluster-robust standard errors.\n",
      "## Methoden\n\n- *voor/na* (pre_post): verandering van het gemiddelde van de aangepakte gebieden van de nulmeting tot de laatste vervolgmeting; geen vergelijkingsgroep, dus het toont verandering, geen effect.\n- *achterstand* (gap): verandering van de achterstand van de aangepakte gebieden op het referentiegemiddelde van de nulmeting tot de laatste vervolgmeting; *sluit* als een achterstand kleiner wordt. Inhalen, geen causaal effect.\n- *DiD 2\303\2272* (did_2x2): verandering van de aangepakte gebieden min die van de vergelijkingsgebieden, nulmeting tegen het gemiddelde van de vervolgmetingen.\n- *TWFE* (twfe): verschil-in-verschillen met vaste effecten voor gebied en periode over alle perioden tot de laatste vervolgmeting, met clusterrobuuste standaardfouten.\n"),
    E(T_MD_PROV1,
      "## Provenance\n\n- wijkeval version: ",
      "## Herkomst\n\n- wijkeval-versie: "),
    E(T_MD_PROV2, "\n- Configuration: ", "\n- Configuratie: "),
    E(T_MD_PROV3,
      "\n- Configuration SHA-256: ",
      "\n- SHA-256 van de configuratie: "),
    E(T_MD_PROV4, "\n- Data SHA-256: ", "\n- SHA-256 van de gegevens: "),
    E(T_MD_PROV5, "\n- Seed: ", "\n- Seed: "),
    E(T_MD_PROV6, "\n- Started: ", "\n- Gestart: "),
    E(T_MD_PROV7, "\n- Finished: ", "\n- Klaar: "),
    E(T_MD_PROV8,
      "- Plugins not sandboxed: ",
      "- Plugins niet in een sandbox: "),
    E(T_MDG_CPE_ZERO,
      "undefined: the effect's interval includes zero",
      "niet gedefinieerd: het interval van het effect bevat nul"),
    E(T_MDG_CPE_HARMFUL,
      "undefined: the effect is harmful (interval on the bad side)",
      "niet gedefinieerd: het effect is schadelijk (interval aan de slechte kant)"),
    E(T_MDG_CPE_NO_EST,
      "undefined: no headline estimate",
      "niet gedefinieerd: geen schatting van het kernresultaat"),
    E(T_MDG_CPE_NO_COSTS, "no costs given", "geen kosten opgegeven"),
    E(T_MDG_CPE_NO_RES,
      "undefined: a treated wijk has no population",
      "niet gedefinieerd: een aangepakte wijk heeft geen inwoners"),
    E(T_MDG_OF, "of", "van"),
    E(T_MDG_NOT_CREDIBLE, "not credible", "niet geloofwaardig"),
    E(T_MDG_NOT_RANKED,
      "\xe2\x9a\xa0 Not ranked, because the effect is not credible (see its verdict): ",
      "\xe2\x9a\xa0 Niet gerangschikt, want het effect is niet geloofwaardig (zie het oordeel): "),
    E(T_MDG_NO_RANKING,
      "No experiment has a cost per unit of effect: no effect interval lies entirely on the good side of zero, so the experiments cannot be ranked by cost.\n\n",
      "Geen experiment heeft kosten per eenheid effect: geen interval van een effect ligt helemaal aan de goede kant van nul, dus de experimenten zijn niet op kosten te rangschikken.\n\n"),
    E(T_MDG_RANKING,
      "Ranking by cost per standard deviation (cheapest first; only experiments whose verdict is better: the effect interval excludes zero on the good side, the effect is significant after the adjustment and credible):\n\n",
      "Rangorde naar kosten per standaarddeviatie (goedkoopste eerst; alleen experimenten met het oordeel beter: het interval van het effect sluit nul aan de goede kant uit, het effect is significant na de correctie en geloofwaardig):\n\n"),
    E(T_MDG_DISTINCT,
      ": distinguishable from every other ranked experiment",
      ": te onderscheiden van elk ander gerangschikt experiment"),
    E(T_MDG_NOT_DISTINCT,
      ": not distinguishable from ",
      ": niet te onderscheiden van "),
    E(T_MDG_POLICY1,
      "## Policy return (beleidsrendement)\n\nCosts in euros from ",
      "## Beleidsrendement\n\nKosten in euro uit "),
    E(T_MDG_POLICY2,
      ". Cost per resident: the experiment's total cost over the residents of all its treated wijken (those without cost rows count as costing nothing). Cost per unit: cost per resident divided by the headline effect on the primary indicator, in the indicator's unit and good direction; per SD: divided by the standardised effect (Glass's \xce\x94), the scale on which experiments compare. Intervals come from the effect's interval; the costs are taken as known.\n\n| Experiment | Total cost (EUR) | Treated wijken with costs | Residents | Cost per resident | Headline effect | Cost per unit of effect (EUR per resident per unit of effect) | Cost per SD | Rank |\n",
      ". Kosten per inwoner: de totale kosten van het experiment gedeeld door de inwoners van al zijn aangepakte wijken (wijken zonder kostenregels tellen als kosteloos). Kosten per eenheid: kosten per inwoner gedeeld door het kernresultaat op de primaire indicator, in de eenheid en de goede richting van de indicator; per SD: gedeeld door het gestandaardiseerde effect (Glass' \xce\x94), de schaal waarop experimenten te vergelijken zijn. De intervallen volgen uit het interval van het effect; de kosten gelden als bekend.\n\n| Experiment | Totale kosten (euro) | Aangepakte wijken met kosten | Inwoners | Kosten per inwoner | Kernresultaat | Kosten per eenheid effect (euro per inwoner per eenheid effect) | Kosten per SD | Rang |\n"),
    E(T_MDG_MET, "met", "gehaald"),
    E(T_MDG_ON_TRACK, "on track", "op koers"),
    E(T_MDG_OFF_TRACK, "off track", "niet op koers"),
    E(T_MDG_OPEN, "open", "open"),
    E(T_MDG_MISSED, "missed", "gemist"),
    E(T_MDG_NO_DATA, "no data", "geen gegevens"),
    E(T_MDG_TALLY,
      " | Targets | Met | On track | Off track | Open | Missed | No data |\n",
      " | Doelen | Gehaald | Op koers | Niet op koers | Open | Gemist | Geen gegevens |\n"),
    E(T_MDG_ITEM, "item", "actiepunt"),
    E(T_MDG_REALISED, "realised", "gerealiseerd"),
    E(T_MDG_NOT_REALISED, "not realised", "niet gerealiseerd"),
    E(T_MDG_TARGETS1,
      "## Self-named targets per wijk\n\n",
      "## Zelfgekozen doelen per wijk\n\n"),
    E(T_MDG_TARGETS2, " targets from ", " doelen uit "),
    E(T_MDG_TARGETS3,
      ", judged on the data up to ",
      ", beoordeeld op de gegevens tot en met "),
    E(T_MDG_TARGETS4,
      ". Met: the latest value at or before the deadline reaches the target (an item: realised). For a deadline after ",
      ". Gehaald: de laatste waarde op of v\xc3\xb3\xc3\xb3r de deadline haalt het doel (een actiepunt: gerealiseerd). Voor een deadline na "),
    E(T_MDG_TARGETS5,
      ": on track when the yearly change since the baseline ",
      ": op koers als de jaarlijkse verandering sinds de nulmeting "),
    E(T_MDG_TARGETS6,
      ", continued, reaches the target in time; off track when it does not; open when there is no such trend. Missed: the deadline has passed.\n\n",
      ", doorgetrokken, het doel op tijd haalt; niet op koers als dat niet zo is; open als er geen zulke trend is. Gemist: de deadline is voorbij.\n\n"),
    E(T_MDG_ALL_H, "All", "Alle"),
    E(T_MDG_ALL, "all", "alle"),
    E(T_MDG_PER_MUNI, "\n### Per municipality\n\n", "\n### Per gemeente\n\n"),
    E(T_MDG_MUNI_H, "Municipality", "Gemeente"),
    E(T_MDG_TARGETS_T,
      "\n### Targets\n\n| Wijk | Target | Deadline | Status | Current value | Needed per year | Observed per year |\n",
      "\n### Doelen\n\n| Wijk | Doel | Deadline | Stand | Huidige waarde | Nodig per jaar | Waargenomen per jaar |\n"),
    E(T_MDW_TREATED, "treated", "aangepakt"),
    E(T_MDW_TITLE,
      "## Early warning: wijken sliding against the national trend\n\n",
      "## Vroegsignalering: wijken die wegzakken tegen de landelijke trend\n\n"),
    E(T_MDW_T1, " areas tested, ", " gebieden getoetst, "),
    E(T_MDW_T2,
      " on the watch list (window ",
      " op de signaleringslijst (venster "),
    E(T_MDW_T3, ", false discovery rate ", ", false discovery rate "),
    E(T_MDW_T4,
      "). The composite is the weighted mean of the indicators' z-scores, signed so that higher is better, minus the national mean of each period; flagged: a falling Theil-Sen slope whose one-sided p-value (",
      "). De samengestelde score is het gewogen gemiddelde van de z-scores van de indicatoren, zo getekend dat hoger beter is, min het landelijk gemiddelde van elke periode; gesignaleerd: een dalende Theil-Sen-helling waarvan de eenzijdige p-waarde ("),
    E(T_MDW_MK,
      "Mann-Kendall trend test per area",
      "Mann-Kendall-trendtoets per gebied"),
    E(T_MDW_NULL,
      "empirical null: the slope against those of all areas, robust z from their median and MAD",
      "empirische nulverdeling: de helling tegen die van alle gebieden, robuuste z uit hun mediaan en MAD"),
    E(T_MDW_T5,
      ") has a Benjamini-Hochberg q at or below the rate. Slope in standard deviations per year; drivers with their contribution to it.\n\n",
      ") een Benjamini-Hochberg-q op of onder die rate heeft. Helling in standaarddeviaties per jaar; drijvende indicatoren met hun bijdrage daaraan.\n\n"),
    E(T_MDW_NONE,
      "No area slides significantly against the national trend at this false discovery rate.\n\n",
      "Geen gebied zakt bij deze false discovery rate significant weg tegen de landelijke trend.\n\n"),
    E(T_MDW_HEAD,
      "| Rank | Wijk | Municipality | Slope | p | q | Drivers |\n",
      "| Rang | Wijk | Gemeente | Helling | p | q | Drijvers |\n"),
    E(T_MDD_DISPLACEMENT,
      "**displacement**: the ring worsened",
      "**verplaatsing**: de ring verslechterde"),
    E(T_MDD_SPILLOVER,
      "spill-over of improvement: the ring improved too",
      "uitstraling van verbetering: de ring verbeterde ook"),
    E(T_MDD_NO_EVIDENCE,
      "no evidence of displacement",
      "geen aanwijzing voor verplaatsing"),
    E(T_MDD_NOT_ESTIMABLE, "not estimable", "niet te schatten"),
    E(T_MDD_LOWER, "lower", "lager"),
    E(T_MDD_HIGHER, "higher", "hoger"),
    E(T_MDD_TITLE,
      "## Displacement: do problems move to the neighbouring wijken?\n\n",
      "## Verplaatsing: schuiven problemen door naar de buurwijken?\n\n"),
    E(T_MDD_T1, "The ring: ", "De ring: "),
    E(T_MDD_T2,
      " untreated wijken next to a treated wijk (",
      " niet-aangepakte wijken naast een aangepakte wijk ("),
    E(T_MDD_CENTROIDS, "centroids within ", "middelpunten binnen "),
    E(T_MDD_ADJACENCY, "the adjacency file", "het bestand met buurwijken"),
    E(T_MDD_T3,
      "), each treated from the earliest start among its treated neighbours, against ",
      "), elk aangepakt vanaf de vroegste start onder zijn aangepakte buren, tegen "),
    E(T_MDD_T4,
      " untreated wijken further away: a two-way fixed effects DiD with the run's inference, ",
      " niet-aangepakte wijken verder weg: een DiD met vaste effecten voor wijk en periode en de inferentie van de run, "),
    E(T_MDD_T5,
      "% interval. The ring is left out of every experiment's comparison group. Effects in the indicator's unit; displacement when the interval excludes zero on the bad side.\n\n",
      "%-interval. De ring telt in geen enkel experiment mee als vergelijkingsgroep. Effecten in de eenheid van de indicator; verplaatsing als het interval nul aan de slechte kant uitsluit.\n\n"),
    E(T_MDD_HEAD1,
      "| Indicator | Better when | Effect in the ring | ",
      "| Indicator | Beter als | Effect in de ring | "),
    E(T_MDD_HEAD2,
      " | p | Ring / far | Verdict |\n",
      " | p | Ring / verder weg | Oordeel |\n"),
    E(T_MDS_NEW, "new", "nieuw"),
    E(T_MDS_GONE, "gone", "verdwenen"),
    E(T_MDS_FAILED, "failed", "mislukt"),
    E(T_MDS_WHAT, "\nWhat changed:\n\n", "\nWat er veranderde:\n\n"),
    E(T_MDS_NEW_PERIODS,
      "- **New periods of data:**",
      "- **Nieuwe perioden met gegevens:**"),
    E(T_MDS_RUN_TO1, " (the data now run to ", " (de gegevens lopen nu tot "),
    E(T_MDS_RUN_TO2, "; then to ", "; toen tot "),
    E(T_MDS_REVISED,
      "- **Revised data** (values changed for periods both runs cover):",
      "- **Herziene gegevens** (waarden veranderd in perioden die beide runs dekken):"),
    E(T_MDS_PERIODS, "periods", "perioden"),
    E(T_MDS_CELLS, "cells", "cellen"),
    E(T_MDS_CHANGED,
      "- **Changed method or config:**",
      "- **Gewijzigde methode of configuratie:**"),
    E(T_MDS_CONFIG,
      "- **The config file changed**, but none of the settings of the method (design, inference, comparison, treatment).\n",
      "- **Het configuratiebestand veranderde**, maar geen van de instellingen van de methode (opzet, inferentie, vergelijking, aanpak).\n"),
    E(T_MDS_NOTHING,
      "- Nothing: same data, same periods, same config.\n",
      "- Niets: dezelfde gegevens, dezelfde perioden, dezelfde configuratie.\n"),
    E(T_MDS_T1,
      "## Since the previous report\n\nCompared with run ",
      "## Sinds het vorige rapport\n\nVergeleken met run "),
    E(T_MDS_T2, " of series `", " van reeks `"),
    E(T_MDS_T3, ", finished ", ", klaar "),
    E(T_MDS_T4, "; data ", "; gegevens "),
    E(T_MDS_T5,
      "). Arrows: \xe2\x96\xb2 the verdict improved or the evidence level rose, \xe2\x96\xbc the reverse, \xe2\x97\x86 changed otherwise, = unchanged. ",
      "). Pijlen: \xe2\x96\xb2 het oordeel verbeterde of het bewijsniveau steeg, \xe2\x96\xbc het omgekeerde, \xe2\x97\x86 anders veranderd, = ongewijzigd. "),
    E(T_MDS_T6_ONE,
      " verdict changed.\n\n| | Experiment | Then | Now |\n",
      " oordeel veranderd.\n\n| | Experiment | Toen | Nu |\n"),
    E(T_MDS_T6_MANY,
      " verdicts changed.\n\n| | Experiment | Then | Now |\n",
      " oordelen veranderd.\n\n| | Experiment | Toen | Nu |\n"),
    E(T_MDS_IND_REVISED, " (indicator revised)", " (indicator herzien)"),
    E(T_MDS_TARGETS,
      "\nTargets newly met or missed:\n\n",
      "\nDoelen die nu gehaald of gemist zijn:\n\n"),
    E(T_MDS_ITEM, "(item)", "(actiepunt)"),
    E(T_MDS_PROGRAMME, " (the programme)", " (het programma)"),
    /* The programme as a whole on the first screen (report_html.c,
     * report_html_verdicts.c) and its pre-trend reason
     * (report_verdict.c). */
    E(T_WHY_PRETREND_PROG,
      "Not credible: the programme wijken already moved apart from the "
      "comparison wijken before the programme started (pre-trend test {1}), "
      "so the effect cannot be attributed to the programme.",
      "Niet geloofwaardig: de aandachtswijken liepen al v\xc3\xb3\xc3\xb3r de "
      "start van het programma uiteen met de vergelijkingswijken "
      "(pre-trendtoets {1}), dus het effect is niet aan het programma toe te "
      "schrijven."),
    E(T_FRONT_PROG_TAG, "General approach", "Algemene aanpak"),
    E(T_FRONT_EXP_HEAD,
      "The experiments: what each added to it",
      "De experimenten: wat elk daaraan toevoegde"),
    E(T_FOREST_CAPTION_PROG,
      "The top row, set apart, is the programme as a whole (the general "
      "approach: all programme wijken against wijken outside the "
      "programme, on its headline indicator); each row below it is one "
      "experiment (what it added). The point is the effect on the "
      "row's primary indicator divided by the spread of that indicator "
      "between comparison wijken at the baseline (Glass's \xce\x94); the "
      "line is its confidence interval. Positive is an improvement, whatever "
      "the indicator's direction, so better is to the right. The experiments "
      "are ordered by effect; colour and marker shape show the evidence level "
      "(Maryland Scientific Methods Scale).",
      "De bovenste rij, apart gezet, is het programma als geheel (de algemene "
      "aanpak: alle aandachtswijken tegen wijken buiten de wijkenaanpak, op "
      "de kernindicator); elke rij daaronder is een experiment (wat het "
      "toevoegde). De stip is het effect op de primaire indicator van de "
      "rij, gedeeld door de spreiding van die indicator tussen de "
      "vergelijkingswijken bij de nulmeting (Glass' \xce\x94); de lijn is "
      "het betrouwbaarheidsinterval. Positief is een verbetering, welke kant "
      "de indicator ook op moet, dus beter is naar rechts. De experimenten "
      "zijn geordend naar effect; kleur en vorm geven het bewijsniveau "
      "(Maryland Scientific Methods Scale)."),
    /* SC's test inversion with no effect left (synth.h, ci_empty) */
    E(T_CI_EMPTY_SC,
      "empty: the placebo test rejects every constant effect. The treated "
      "gaps after the start vary around their own mean more than the "
      "critical placebo ratio allows, so no single effect size fits all "
      "follow-up periods (the effect changes over time, or one period is "
      "off); read the gap per period and the placebo rank (p-value), and "
      "check the fit before the start",
      "leeg: de placebotoets verwerpt elk constant effect. De verschillen "
      "van de aangepakte wijken na de start schommelen rond hun eigen "
      "gemiddelde meer dan de kritieke placeboverhouding toelaat, dus geen "
      "enkele vaste effectgrootte past bij alle vervolgmetingen (het effect "
      "verandert in de tijd, of \xc3\xa9\xc3\xa9n meting wijkt af); lees "
      "het verschil per periode en de placeborang (p-waarde), en controleer "
      "de aansluiting v\xc3\xb3\xc3\xb3r de start"),
    /* SC's critical placebo ratio infinite: a placebo fitted exactly */
    E(T_CI_INF_SC_FIT,
      "unbounded: a placebo fits the periods before the start exactly "
      "(its pre-period RMSPE is 0), so its post/pre ratio is infinite and "
      "the test cannot reject any effect; use more periods before the "
      "start, or read the placebo rank (p-value)",
      "onbegrensd: een placebo sluit v\xc3\xb3\xc3\xb3r de start precies "
      "aan (zijn RMSPE v\xc3\xb3\xc3\xb3r de start is 0), dus zijn "
      "verhouding na/v\xc3\xb3\xc3\xb3r is oneindig en de toets kan geen "
      "enkel effect verwerpen; gebruik meer perioden v\xc3\xb3\xc3\xb3r "
      "de start, of lees de placeborang (p-waarde)"),
    E(T_CI_NO_PLACEBO,
      "not available: no placebo could be fitted and ranked; add "
      "comparison areas with data in every period before the start",
      "niet beschikbaar: er kon geen placebo worden geschat en gerangschikt; "
      "voeg vergelijkingsgebieden toe met gegevens in elke periode "
      "v\xc3\xb3\xc3\xb3r de start"),
};

const char *we_tr(we_lang l, we_text t)
{
    if ((unsigned)t >= WE_TEXT_COUNT_)
        return "";
    const char *s = texts[t][l == WE_LANG_NL ? 1 : 0];
    return s != NULL ? s : "";
}
