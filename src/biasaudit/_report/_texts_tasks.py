"""Fixed texts of score, regression and multiclass reports, in English and Azerbaijani.

Merged into the catalogues of ``_texts_en`` and ``_texts_az`` by ``_texts`` (nested
dictionaries key by key), so every key exists in both languages.
"""

from __future__ import annotations

from typing import Any

__all__: list[str] = []

TASK_EN: dict[str, Any] = {
    "summary_counts_classes": ("The audit examined {n_rows} decisions among several classes across {n_groupings} "
                               "{groupings_noun} of {attributes}. It tested, in each grouping, whether the predicted class "
                               "depends on the group, made {family_size} statistical {comparisons_noun} between groups "
                               "and reports {n_findings} {findings_noun}: {n_high} of high, {n_medium} of medium and {n_low} of "
                               "low severity."),
    "favourable_amount_high": "a higher predicted amount",
    "favourable_amount_low": "a lower predicted amount (a higher one is unfavourable)",
    "favourable_classes_unstated": "not stated: several classes, none named favourable",
    "summary_counts_score": ("The audit examined the scores of {n_rows} people across {n_groupings} {groupings_noun} "
                             "of {attributes}. It made {family_size} statistical {comparisons_noun} and reports "
                             "{n_findings} {findings_noun}: {n_high} of high, {n_medium} of medium and {n_low} of low severity."),
    "summary_counts_regression": ("The audit examined {n_rows} predicted amounts across {n_groupings} {groupings_noun} of "
                                  "{attributes}. It made {family_size} statistical {comparisons_noun} and reports "
                                  "{n_findings} {findings_noun}: {n_high} of high, {n_medium} of medium and {n_low} of low "
                                  "severity."),
    "finding_item_units": ("{metric} {value} against {ref_value}{ref_name} ({diff}; {level} confidence interval of the "
                           "difference {low} to {high}; adjusted p {p}; {verdict})"),
    "finding_auc_lead": ("The score ranks {group} less accurately than {reference}: a member of the group with the "
                         "outcome gets a higher score than one without it in a smaller share of pairs. {items}."),
    "finding_four_fifths_scoring": (" Its {side} is {ratio} times the highest group's ({best}), below the four-fifths "
                                    "threshold of {threshold}: the impact ratio of New York City Local Law 144."),
    "scoring_side_high": "scoring rate (the share predicted above the full-sample median of {median})",
    "scoring_side_low": ("share predicted at or below the full-sample median of {median} (the favourable side of "
                         "it)"),
    "finding_four_fifths_only_amounts": "{group}: {value} of its predictions are on the favourable side of the median.",
    "finding_calibration_over": (
        "The score over-estimates the risk of {group}: its observed outcome rate is {observed} while its mean "
        "predicted probability is {expected} (observed / expected {ratio}, {level} confidence interval {low} to "
        "{high})."),
    "finding_calibration_under": (
        "The score under-estimates the risk of {group}: its observed outcome rate is {observed} while its mean "
        "predicted probability is {expected} (observed / expected {ratio}, {level} confidence interval {low} to "
        "{high})."),
    # the same when the outcome (a high score) is the favourable one: a chance, not a risk
    "finding_calibration_over_chance": (
        "The score over-estimates the chance of the favourable outcome for {group}: its observed outcome rate is "
        "{observed} while its mean predicted probability is {expected} (observed / expected {ratio}, {level} "
        "confidence interval {low} to {high})."),
    "finding_calibration_under_chance": (
        "The score under-estimates the chance of the favourable outcome for {group}: its observed outcome rate is "
        "{observed} while its mean predicted probability is {expected} (observed / expected {ratio}, {level} "
        "confidence interval {low} to {high})."),
    "finding_calibration_shape": (
        "The scores of {group} are not its outcome probabilities, although they are right on average: observed "
        "outcome rate {observed}, mean predicted probability {expected} (observed / expected {ratio}, {level} "
        "confidence interval {low} to {high}, which includes 1). Some of its scores are too high and others too "
        "low; the reliability curve shows where."),
    "finding_calibration_shape_negligible": (
        "The scores of {group} are not its outcome probabilities, although on average they are off by less than "
        "the audit's tolerance of {tolerance} percentage points: observed outcome rate {observed}, mean predicted "
        "probability {expected} (observed / expected {ratio}, {level} confidence interval {low} to {high}). Some of "
        "its scores are too high and others too low; the reliability curve shows where."),
    "finding_calibration_shape_adjusted": (
        "The scores of {group} are not its outcome probabilities, and a difference on average is not established: "
        "observed outcome rate {observed}, mean predicted probability {expected} (observed / expected {ratio}, "
        "{level} confidence interval {low} to {high}; the interval excludes 1, but the test of calibration in the "
        "large does not reject after the correction for multiple testing). Some of its scores are too high and "
        "others too low; the reliability curve shows where."),
    "finding_calibration_test": (
        " Test of calibration in the large (observed = expected): z = {z_large}, adjusted p {p_large}; Spiegelhalter's test that the scores are the "
        "group's outcome probabilities: z = {z}, adjusted p {p} (the {n_tests} calibration tests, two per group, are "
        "adjusted together by {correction}, apart from the comparisons between groups; the observed / expected "
        "interval is not adjusted)."),
    "finding_calibration_harm_high": (" A high score is the unfavourable decision, so members of this group are "
                                      "rated riskier than their outcomes warrant, which pushes them towards it."),
    "finding_calibration_harm_low": (" A high score is the favourable decision, so members of this group are rated "
                                     "lower than their outcomes warrant, which keeps them from it."),
    "finding_calibration_favours": (" The error favours this group: it moves its members away from the "
                                    "unfavourable decision, compared with calibrated scores."),
    "finding_class_dependence": (
        "The predicted class depends on {attribute} ({method}: statistic {statistic} on {dof} degrees of freedom, "
        "p {p}). The largest difference in the share predicted as one class is for {label}: {high_group} {high} "
        "against {low_group} {low}. Which class is favourable is not stated, so this finding does not say who is "
        "harmed. To say who is, audit it as a decision: name the classes of that decision (favorable_classes= in "
        "audit(); --y-pred-positive on the command line), or audit each cut of the classes' order with "
        "audit_ordinal(class_order=...)."),
    "method_name": {"chi2": "Pearson's chi-square test", "g": "G test",
                    "monte-carlo": "Monte Carlo test of Pearson's chi-square"},
    "class_metric": {"selection_rate": "share predicted as {label}", "base_rate": "share whose class is {label}",
                     "true_positive_rate": "true positive rate of {label}",
                     "false_positive_rate": "false positive rate of {label}",
                     "positive_predictive_value": "positive predictive value of {label}"},
    "class_metric_other": "{metric} of {label}",
    "col_difference_units": "Difference",
    "col_value": "Value",
    "calibrated_reference": "calibrated scores (observed = expected)",
    "results_intro_units": ("Values per group with {level} confidence intervals where the metric has one; "
                            "differences against the reference group, with adjusted p-values ({correction} over "
                            "{family_size} tests) and the verdict. A metric that is not a proportion and has no test "
                            "of its own is shown but not tested."),
    "sec_calibration": "Calibration by group",
    "calibration_intro": (
        "Calibration asks whether a group's scores are its outcome probabilities. Observed / expected is the group's "
        "observed outcome rate divided by its mean score: below 1 the scores over-estimate how often the group has "
        "the outcome, above 1 they under-estimate it ({level} interval, log scale, robust variance; not adjusted for multiplicity). Two "
        "tests per group: calibration in the large (observed = expected), which gives the direction, and "
        "Spiegelhalter's z, which tests each score as a probability (it weighs a row by 1 − 2 × score, so it does "
        "not see a shift of scores near 0.5). Their {n_tests} p-values are adjusted together ({correction}), a "
        "family apart from the comparisons between groups. Spiegelhalter's test rejecting alone means scores too "
        "extreme or too compressed, not too high or too low on average."),
    "col_observed": "Observed rate",
    "col_mean_score": "Mean score",
    "col_oe": "Observed / expected [{level} CI]",
    "col_z": "Spiegelhalter z",
    "col_z_large": "z (observed = expected)",
    "calibration_none": ("The scores are not probabilities (some lie outside [0, 1]), so calibration is not "
                         "assessed."),
    "sec_sweep": "Decisions at each threshold",
    "sweep_intro": ("The decision at threshold t is score ≥ t, the same t for every group; every figure comes from "
                    "the same score table. The four-fifths table reads the {side}."),
    "sweep_side_high": "share at or above the threshold, the favourable decision",
    "sweep_side_low": "share below the threshold, the favourable decision",
    "sweep_threshold": "Threshold {value} ({rule})",
    "finding_at_threshold": "Decisions at score ≥ {value}",
    "finding_at_threshold_rule": "Decisions at score ≥ {value} ({rule})",
    "finding_given_decisions": "Decisions given (y_pred)",
    "summary_given": ("The decisions given beside the scores (y_pred) were compared as well ({n_comparisons} "
                      "comparisons, corrected for multiple testing among themselves)."),
    "sweep_given": "Decisions given (y_pred)",
    "sweep_given_intro": ("The decisions given beside the scores, audited as they were made, as a decision audit of "
                          "their own: the same groups, the same favourable decision, their own tests."),
    "limit_thresholds": ("The decisions at each threshold, and the decisions given, are each protected as a table of "
                         "their own. The number of a group's people selected by one and not by another (the difference "
                         "of two published counts, such as the people between two thresholds) is not itself checked "
                         "against the publication threshold; with thresholds close together, publish one set of "
                         "decisions per report, or share the regulator's annex only."),
    "summary_thresholds": ("The decisions derived from the scores at {n_thresholds} thresholds were compared as well "
                           "({n_comparisons} comparisons, corrected for multiple testing threshold by threshold)."),
    "summary_threshold_one": ("The decisions derived from the scores at the threshold were compared as well "
                              "({n_comparisons} comparisons, corrected for multiple testing)."),
    "sweep_none": "The audit has no threshold (threshold=), so no decisions are derived from the score.",
    "plot_roc": "ROC curves by {attribute}",
    "plot_reliability": "Reliability by {attribute}: observed rate against mean score in ten bins of [0, 1]",
    "sec_distribution": "Distribution parity",
    "distribution_intro": (
        "Kolmogorov-Smirnov distance: the largest gap between the shares of the group and of its reference at or "
        "below any prediction, read at the histogram's bin edges, with the upper bound of the exact distance. "
        "Scoring rate: the share predicted above the full-sample median of {median}; impact ratio: the group's "
        "{side} divided by the highest group's (New York City Local Law 144)."),
    "distribution_side_high": "scoring rate",
    "distribution_side_low": "share at or below the median",
    "col_ks": "KS distance",
    "col_ks_bound": "Upper bound",
    "col_scoring_rate": "Scoring rate",
    "col_impact_ratio": "Impact ratio",
    "sec_omnibus": "Predicted class by group",
    "omnibus_intro": ("A test that the predicted class does not depend on the group, on the table of groups by "
                      "predicted class (effective counts with weights)."),
    "col_test": "Test",
    "col_statistic": "Statistic",
    "col_dof": "Degrees of freedom",
    "classes_note": "Classes: {classes}.",
    "amount_note": ("Amounts are in the units of the predictions, as plain numbers; a gap is also given as a share "
                    "of the reference's value."),
    "meaning_of": {
        "roc_auc": ("the probability that a member with the outcome gets a higher score than a member without it "
                    "(0.5: no better than chance; 1: perfect ranking)"),
        "average_precision": "the mean precision over the positives, from the highest score down",
        "brier_score": "the mean squared difference between the score and the outcome (lower is better)",
        "mean_score": "the mean score",
        "calibration_ratio": "observed outcome rate divided by mean score (1: calibrated in the large)",
        "expected_calibration_error": ("the weighted mean gap between observed rate and mean score over ten "
                                       "equal-width bins of [0, 1]"),
        "mean_outcome": "the mean actual amount",
        "mean_prediction": "the mean predicted amount",
        "mean_error": "the mean of predicted minus actual amount (positive: over-prediction)",
        "mean_absolute_error": "the mean absolute difference between predicted and actual amount",
        "root_mean_squared_error": "the square root of the mean squared difference between predicted and actual",
        "r2_score": "the share of the variance of the actual amounts that the predictions explain",
        "scoring_rate": "the share predicted above the full-sample median (New York City Local Law 144)",
        "macro_true_positive_rate": "the mean over classes of the true positive rate of each class",
        "macro_false_positive_rate": "the mean over classes of the false positive rate of each class",
        "macro_positive_predictive_value": "the mean over classes of the positive predictive value of each class",
        "multiclass_accuracy": "the share of people whose class was predicted correctly",
    },
    "metric_name": {
        "roc_auc": "AUC", "average_precision": "Average precision", "brier_score": "Brier score",
        "mean_score": "Mean score", "calibration_ratio": "Observed / expected",
        "expected_calibration_error": "Expected calibration error", "mean_outcome": "Mean outcome",
        "mean_prediction": "Mean prediction", "mean_error": "Mean error (predicted minus actual)",
        "mean_absolute_error": "Mean absolute error", "root_mean_squared_error": "Root mean squared error",
        "r2_score": "R squared", "scoring_rate": "Scoring rate",
        "macro_true_positive_rate": "Macro-averaged true positive rate",
        "macro_false_positive_rate": "Macro-averaged false positive rate",
        "macro_positive_predictive_value": "Macro-averaged positive predictive value",
        "multiclass_accuracy": "Accuracy (all classes)",
    },
    "finding_type": {
        "auc_disparity": "ranking-accuracy (AUC) disparity",
        "miscalibration": "miscalibration",
        "amount_disparity": "disparity in predicted amounts",
        "scoring_rate_disparity": "scoring-rate disparity",
        "class_distribution_disparity": "predicted class depends on the group",
    },
}

TASK_AZ: dict[str, Any] = {
    "summary_counts_classes": ("Audit {attributes} üzrə {n_groupings} qruplaşmada bir neçə sinif arasından verilmiş "
                               "{n_rows} qərarı araşdırıb. Hər qruplaşmada proqnozlaşdırılan sinfin qrupdan asılı "
                               "olub-olmadığı yoxlanılıb, qruplar arasında {family_size} statistik müqayisə aparılıb "
                               "və {n_findings} hal aşkarlanıb: {n_high} yüksək, {n_medium} orta və {n_low} aşağı "
                               "ciddilik dərəcəli."),
    "favourable_amount_high": "daha yüksək proqnozlaşdırılan məbləğ",
    "favourable_amount_low": "daha aşağı proqnozlaşdırılan məbləğ (daha yüksək məbləğ əlverişsizdir)",
    "favourable_classes_unstated": "göstərilməyib: bir neçə sinif var, heç biri əlverişli kimi adlandırılmayıb",
    "summary_counts_score": ("Audit {attributes} üzrə {n_groupings} qruplaşmada {n_rows} nəfərin ballarını "
                             "araşdırıb. {family_size} statistik müqayisə aparılıb və {n_findings} hal aşkarlanıb: "
                             "{n_high} yüksək, {n_medium} orta və {n_low} aşağı ciddilik dərəcəli."),
    "summary_counts_regression": ("Audit {attributes} üzrə {n_groupings} qruplaşmada {n_rows} proqnozlaşdırılan "
                                  "məbləği araşdırıb. {family_size} statistik müqayisə aparılıb və {n_findings} hal "
                                  "aşkarlanıb: {n_high} yüksək, {n_medium} orta və {n_low} aşağı ciddilik dərəcəli."),
    "finding_item_units": ("{metric} {value}, istinad qrupunda{ref_name} {ref_value} ({diff}; fərqin {level} "
                           "etibarlılıq intervalı: {low} – {high}; düzəldilmiş p {p}; {verdict})"),
    "finding_auc_lead": ("Bal {group} qrupunu {reference} qrupundan daha az dəqiq sıralayır: nəticəsi olan qrup "
                         "üzvü nəticəsi olmayandan daha az cütlükdə yüksək bal alır. {items}."),
    "finding_four_fifths_scoring": (" Qrupun {side} ən yüksək nisbətə malik qrupun ({best}) göstəricisinin {ratio} "
                                    "hissəsini təşkil edir və {threshold} olan dörddə beş həddindən aşağıdır: Nyu-York "
                                    "şəhərinin 144 saylı Yerli Qanununun təsir nisbəti."),
    "scoring_side_high": "bal nisbəti (proqnozu bütün nümunənin {median} olan medianından yuxarı olanların payı)",
    "scoring_side_low": ("proqnozu bütün nümunənin {median} olan medianına bərabər və ya ondan aşağı olanların payı "
                         "(əlverişli tərəf)"),
    "finding_four_fifths_only_amounts": "{group}: proqnozlarının {value} hissəsi medianın əlverişli tərəfindədir.",
    "finding_calibration_over": (
        "Bal {group} qrupunun riskini artıq qiymətləndirir: qrupun müşahidə olunan nəticə nisbəti {observed}, orta "
        "proqnozlaşdırılan ehtimalı isə {expected} təşkil edir (müşahidə olunan / gözlənilən {ratio}, {level} "
        "etibarlılıq intervalı: {low} – {high})."),
    "finding_calibration_under": (
        "Bal {group} qrupunun riskini az qiymətləndirir: qrupun müşahidə olunan nəticə nisbəti {observed}, orta "
        "proqnozlaşdırılan ehtimalı isə {expected} təşkil edir (müşahidə olunan / gözlənilən {ratio}, {level} "
        "etibarlılıq intervalı: {low} – {high})."),
    "finding_calibration_over_chance": (
        "Bal {group} qrupunun əlverişli nəticə ehtimalını artıq qiymətləndirir: qrupun müşahidə olunan nəticə "
        "nisbəti {observed}, orta proqnozlaşdırılan ehtimalı isə {expected} təşkil edir (müşahidə olunan / "
        "gözlənilən {ratio}, {level} etibarlılıq intervalı: {low} – {high})."),
    "finding_calibration_under_chance": (
        "Bal {group} qrupunun əlverişli nəticə ehtimalını az qiymətləndirir: qrupun müşahidə olunan nəticə "
        "nisbəti {observed}, orta proqnozlaşdırılan ehtimalı isə {expected} təşkil edir (müşahidə olunan / "
        "gözlənilən {ratio}, {level} etibarlılıq intervalı: {low} – {high})."),
    "finding_calibration_shape_negligible": (
        "{group} qrupunun balları onun nəticə ehtimalları deyil, baxmayaraq ki, orta hesabla fərq auditin {tolerance} "
        "faiz bəndi toleransından azdır: müşahidə olunan nəticə nisbəti {observed}, orta proqnozlaşdırılan ehtimal "
        "{expected} (müşahidə olunan / gözlənilən {ratio}, {level} etibarlılıq intervalı: {low} – {high}). Balların "
        "bir qismi çox yüksək, digər qismi çox aşağıdır; etibarlılıq əyrisi bunun harada baş verdiyini göstərir."),
    "finding_calibration_shape_adjusted": (
        "{group} qrupunun balları onun nəticə ehtimalları deyil, orta hesabla fərq isə təsdiqlənmir: müşahidə olunan "
        "nəticə nisbəti {observed}, orta proqnozlaşdırılan ehtimal {expected} (müşahidə olunan / gözlənilən {ratio}, "
        "{level} etibarlılıq intervalı: {low} – {high}; interval 1-i əhatə etmir, lakin orta kalibrləmə testi "
        "çoxsaylı test düzəlişindən sonra əhəmiyyətli deyil). Balların bir qismi çox yüksək, digər qismi çox "
        "aşağıdır; etibarlılıq əyrisi bunun harada baş verdiyini göstərir."),
    "finding_calibration_shape": (
        "{group} qrupunun balları orta hesabla düzgün olsa da, onun nəticə ehtimalları deyil: müşahidə olunan "
        "nəticə nisbəti {observed}, orta proqnozlaşdırılan ehtimal {expected} (müşahidə olunan / gözlənilən {ratio}, "
        "{level} etibarlılıq intervalı: {low} – {high}, 1-i əhatə edir). Balların bir qismi çox yüksək, digər qismi "
        "çox aşağıdır; etibarlılıq əyrisi bunun harada baş verdiyini göstərir."),
    "finding_calibration_test": (
        " Ümumi kalibrləmə testi (müşahidə olunan = gözlənilən): z = {z_large}, düzəldilmiş p {p_large}; balların qrupun nəticə ehtimalları "
        "olduğunu yoxlayan Spiqelhalter testi: z = {z}, düzəldilmiş p {p} ({n_tests} kalibrləmə testi, hər qrup üçün "
        "iki, qruplar arası müqayisələrdən ayrı olaraq {correction} ilə birlikdə düzəldilib; müşahidə olunan / "
        "gözlənilən intervalı düzəldilməyib)."),
    "finding_calibration_harm_high": (" Yüksək bal əlverişsiz qərardır, ona görə də bu qrupun üzvləri nəticələrinin "
                                      "əsaslandırdığından daha riskli qiymətləndirilir və bu, onları həmin qərara "
                                      "doğru itələyir."),
    "finding_calibration_harm_low": (" Yüksək bal əlverişli qərardır, ona görə də bu qrupun üzvləri nəticələrinin "
                                     "əsaslandırdığından aşağı qiymətləndirilir və bu, onları həmin qərardan "
                                     "uzaqlaşdırır."),
    "finding_calibration_favours": (" Bu xəta qrupun xeyrinədir: kalibrlənmiş ballarla müqayisədə onun üzvlərini "
                                    "əlverişsiz qərardan uzaqlaşdırır."),
    "finding_class_dependence": (
        "Proqnozlaşdırılan sinif {attribute} əlamətindən asılıdır ({method}: statistika {statistic}, sərbəstlik "
        "dərəcəsi {dof}, p {p}). Bir sinif kimi proqnozlaşdırılanların payında ən böyük fərq {label} sinfi üzrədir: "
        "{high_group} {high}, {low_group} isə {low}. Hansı sinfin əlverişli olduğu göstərilməyib, ona görə də bu hal "
        "kimin zərər çəkdiyini demir. Bunu müəyyən etmək üçün onu qərar kimi audit edin: həmin qərarın siniflərini "
        "göstərin (audit() funksiyasında favorable_classes=, komanda sətrində --y-pred-positive) və ya siniflərin "
        "sırasının hər kəsimini audit_ordinal(class_order=...) ilə audit edin."),
    "method_name": {"chi2": "Pirsonun xi-kvadrat testi", "g": "G testi",
                    "monte-carlo": "Pirsonun xi-kvadrat testinin Monte-Karlo variantı"},
    "class_metric": {"selection_rate": "{label} kimi proqnozlaşdırılanların payı",
                     "base_rate": "sinfi {label} olanların payı",
                     "true_positive_rate": "{label} sinfinin həqiqi müsbət nisbəti",
                     "false_positive_rate": "{label} sinfinin yalançı müsbət nisbəti",
                     "positive_predictive_value": "{label} sinfinin müsbət proqnostik dəyəri"},
    "class_metric_other": "{label} sinfi üzrə {metric}",
    "col_difference_units": "Fərq",
    "col_value": "Dəyər",
    "calibrated_reference": "kalibrlənmiş ballar (müşahidə olunan = gözlənilən)",
    "results_intro_units": ("Qruplar üzrə dəyərlər, göstəricinin intervalı olduqda {level} etibarlılıq intervalları "
                            "ilə; istinad qrupu ilə fərqlər, düzəldilmiş p-dəyərləri ({correction}, {family_size} test "
                            "üzrə) və qərar. Nisbət olmayan və öz testi olmayan göstərici göstərilir, lakin "
                            "yoxlanılmır."),
    "sec_calibration": "Qruplar üzrə kalibrləmə",
    "calibration_intro": (
        "Kalibrləmə qrupun ballarının onun nəticə ehtimalları olub-olmadığını soruşur. Müşahidə olunan / gözlənilən "
        "qrupun müşahidə olunan nəticə nisbətinin orta bala bölünməsidir: 1-dən aşağı olduqda ballar qrupda nəticənin "
        "nə qədər tez-tez baş verdiyini artıq, 1-dən yuxarı olduqda az qiymətləndirir ({level} interval, loqarifmik şkala, dayanıqlı dispersiya; "
        "çoxsaylı müqayisələr üçün düzəldilməyib). Hər qrup üçün iki test: istiqaməti göstərən ümumi kalibrləmə "
        "testi (müşahidə olunan = gözlənilən) və hər balı ehtimal kimi yoxlayan Spiqelhalter z-testi (o, hər sətri "
        "1 − 2 × bal ilə çəkiləndirir, ona görə də 0,5 ətrafındakı balların sürüşməsini görmür). Onların {n_tests} "
        "p-dəyəri qruplar arası müqayisələrdən ayrı bir ailə kimi birlikdə düzəldilir ({correction}). Yalnız "
        "Spiqelhalter testinin rədd etməsi balların orta hesabla çox yüksək və ya çox aşağı deyil, həddən artıq "
        "kəskin və ya sıxılmış olduğunu göstərir."),
    "col_observed": "Müşahidə olunan nisbət",
    "col_mean_score": "Orta bal",
    "col_oe": "Müşahidə olunan / gözlənilən [{level} EI]",
    "col_z": "Spiqelhalter z",
    "col_z_large": "z (müşahidə olunan = gözlənilən)",
    "calibration_none": ("Ballar ehtimal deyil (bəziləri [0, 1] intervalından kənardadır), ona görə də kalibrləmə "
                         "qiymətləndirilmir."),
    "sec_sweep": "Hər hədd üzrə qərarlar",
    "sweep_intro": ("t həddində qərar bal ≥ t deməkdir və bütün qruplar üçün eyni t götürülür; bütün rəqəmlər eyni "
                    "bal cədvəlindən alınır. Dörddə beş cədvəli {side} oxuyur."),
    "sweep_side_high": "həddə bərabər və ya ondan yuxarı olanların payını, yəni əlverişli qərarı",
    "sweep_side_low": "həddən aşağı olanların payını, yəni əlverişli qərarı",
    "sweep_threshold": "Hədd {value} ({rule})",
    "finding_at_threshold": "Bal ≥ {value} olduqda verilən qərarlar",
    "finding_at_threshold_rule": "Bal ≥ {value} ({rule}) olduqda verilən qərarlar",
    "finding_given_decisions": "Təqdim edilmiş qərarlar (y_pred)",
    "summary_given": ("Ballarla birlikdə təqdim edilmiş qərarlar (y_pred) da müqayisə edilib ({n_comparisons} "
                      "müqayisə; çoxsaylı yoxlama düzəlişi onların öz aralarında aparılıb)."),
    "sweep_given": "Təqdim edilmiş qərarlar (y_pred)",
    "sweep_given_intro": ("Ballarla birlikdə təqdim edilmiş qərarlar verildiyi kimi, ayrıca qərar auditi kimi "
                          "yoxlanılıb: eyni qruplar, eyni əlverişli qərar, öz testləri."),
    "limit_thresholds": ("Hər hədd üzrə qərarlar və təqdim edilmiş qərarlar ayrıca cədvəl kimi qorunur. Qrupun birində "
                         "seçilib digərində seçilməyən üzvlərinin sayı (dərc edilmiş iki sayın fərqi, məsələn, iki hədd "
                         "arasında qalanlar) dərc həddinə qarşı ayrıca yoxlanılmır; hədlər bir-birinə yaxın olduqda "
                         "hər hesabatda bir qərar dəsti dərc edin və ya yalnız tənzimləyici üçün əlavəni paylaşın."),
    "summary_thresholds": ("Ballardan {n_thresholds} hədd üzrə çıxarılan qərarlar da müqayisə edilib ({n_comparisons} "
                           "müqayisə; çoxsaylı yoxlama düzəlişi hər hədd üçün ayrıca aparılıb)."),
    "summary_threshold_one": ("Ballardan hədd üzrə çıxarılan qərarlar da müqayisə edilib ({n_comparisons} müqayisə; "
                              "çoxsaylı yoxlama düzəlişi ilə)."),
    "sweep_none": "Auditdə hədd yoxdur (threshold=), ona görə də baldan qərar çıxarılmır.",
    "plot_roc": "{attribute} üzrə ROC əyriləri",
    "plot_reliability": ("{attribute} üzrə etibarlılıq: [0, 1] intervalının on hissəsində müşahidə olunan nisbət "
                         "orta bala qarşı"),
    "sec_distribution": "Paylanma bərabərliyi",
    "distribution_intro": (
        "Kolmoqorov-Smirnov məsafəsi: istənilən proqnozdan aşağı və ona bərabər olan qrup və istinad paylarının ən "
        "böyük fərqi; histoqramın bölmə sərhədlərində oxunur və dəqiq məsafənin yuxarı sərhədi ilə verilir. Bal "
        "nisbəti: proqnozu bütün nümunənin {median} olan medianından yuxarı olanların payı; təsir nisbəti: qrupun "
        "{side} ən yüksək qrupun göstəricisinə bölünməsi (Nyu-York şəhərinin 144 saylı Yerli Qanunu)."),
    "distribution_side_high": "bal nisbətinin",
    "distribution_side_low": "mediana bərabər və ya ondan aşağı olanların payının",
    "col_ks": "KS məsafəsi",
    "col_ks_bound": "Yuxarı sərhəd",
    "col_scoring_rate": "Bal nisbəti",
    "col_impact_ratio": "Təsir nisbəti",
    "sec_omnibus": "Qruplar üzrə proqnozlaşdırılan sinif",
    "omnibus_intro": ("Proqnozlaşdırılan sinfin qrupdan asılı olmadığını yoxlayan test; qruplar və "
                      "proqnozlaşdırılan siniflər cədvəli üzrə (çəkilərlə effektiv saylar)."),
    "col_test": "Test",
    "col_statistic": "Statistika",
    "col_dof": "Sərbəstlik dərəcəsi",
    "classes_note": "Siniflər: {classes}.",
    "amount_note": ("Məbləğlər proqnozların vahidləri ilə, adi ədədlər kimi verilir; fərq həm də istinad "
                    "qrupunun dəyərinin payı kimi göstərilir."),
    "meaning_of": {
        "roc_auc": ("nəticəsi olan üzvün nəticəsi olmayan üzvdən yüksək bal alması ehtimalı (0,5: təsadüfdən "
                    "yaxşı deyil; 1: mükəmməl sıralama)"),
        "average_precision": "ən yüksək baldan başlayaraq müsbətlər üzrə orta isabət",
        "brier_score": "bal ilə nəticə arasındakı fərqin kvadratının ortası (aşağı olması yaxşıdır)",
        "mean_score": "orta bal",
        "calibration_ratio": "müşahidə olunan nəticə nisbətinin orta bala bölünməsi (1: ümumilikdə kalibrlənib)",
        "expected_calibration_error": ("[0, 1] intervalının on bərabər hissəsi üzrə müşahidə olunan nisbət ilə orta "
                                       "bal arasındakı çəkili orta fərq"),
        "mean_outcome": "faktiki məbləğin ortası",
        "mean_prediction": "proqnozlaşdırılan məbləğin ortası",
        "mean_error": "proqnozlaşdırılan və faktiki məbləğin fərqinin ortası (müsbət: artıq proqnoz)",
        "mean_absolute_error": "proqnozlaşdırılan və faktiki məbləğ arasındakı mütləq fərqin ortası",
        "root_mean_squared_error": "proqnozlaşdırılan və faktiki məbləğ fərqinin kvadratının ortasından kvadrat kök",
        "r2_score": "faktiki məbləğlərin dispersiyasının proqnozlarla izah olunan payı",
        "scoring_rate": "proqnozu bütün nümunənin medianından yuxarı olanların payı (Nyu-York, 144 saylı Yerli Qanun)",
        "macro_true_positive_rate": "siniflər üzrə hər sinfin həqiqi müsbət nisbətinin ortası",
        "macro_false_positive_rate": "siniflər üzrə hər sinfin yalançı müsbət nisbətinin ortası",
        "macro_positive_predictive_value": "siniflər üzrə hər sinfin müsbət proqnostik dəyərinin ortası",
        "multiclass_accuracy": "sinfi düzgün proqnozlaşdırılan şəxslərin payı",
    },
    "metric_name": {
        "roc_auc": "AUC", "average_precision": "Orta isabət", "brier_score": "Brayer göstəricisi",
        "mean_score": "Orta bal", "calibration_ratio": "Müşahidə olunan / gözlənilən",
        "expected_calibration_error": "Gözlənilən kalibrləmə xətası", "mean_outcome": "Orta nəticə",
        "mean_prediction": "Orta proqnoz", "mean_error": "Orta xəta (proqnoz minus faktiki)",
        "mean_absolute_error": "Orta mütləq xəta", "root_mean_squared_error": "Orta kvadratik xətanın kökü",
        "r2_score": "R kvadrat", "scoring_rate": "Bal nisbəti",
        "macro_true_positive_rate": "Makro-orta həqiqi müsbət nisbəti",
        "macro_false_positive_rate": "Makro-orta yalançı müsbət nisbəti",
        "macro_positive_predictive_value": "Makro-orta müsbət proqnostik dəyər",
        "multiclass_accuracy": "Düzgünlük (bütün siniflər)",
    },
    "finding_type": {
        "auc_disparity": "sıralama dəqiqliyində (AUC) qeyri-bərabərlik",
        "miscalibration": "kalibrləmə pozuntusu",
        "amount_disparity": "proqnozlaşdırılan məbləğlərdə qeyri-bərabərlik",
        "scoring_rate_disparity": "bal nisbətində qeyri-bərabərlik",
        "class_distribution_disparity": "proqnozlaşdırılan sinif qrupdan asılıdır",
    },
}


def merge(base: dict, extra: dict) -> None:
    """Add ``extra`` to the catalogue ``base``, nested dictionaries key by key."""
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key].update(value)
        else:
            base[key] = value
