"""Every fixed text of a report, in English and Azerbaijani, and locale-aware number formats.

Templates use ``str.format`` fields; values are formatted by the helpers below before they
are substituted, and escaped by the HTML renderer afterwards.
"""

from __future__ import annotations

import math

__all__: list[str] = []

LANGUAGES = ("en", "az")

TEXTS = {
    "en": {
        "title": "Algorithmic bias audit report",
        "edition_public": "Published edition: small cells suppressed",
        "edition_annex": "Full annex for the regulator",
        "annex_banner": ("CONFIDENTIAL: full annex for the regulator. It contains small cells that the "
                         "published report suppresses. Do not publish."),
        "generated": "Generated (UTC)",
        "sec_summary": "Summary",
        "sec_scope": "Scope",
        "sec_data": "Data provenance",
        "sec_groups": "Group formation",
        "sec_metrics": "Metric definitions",
        "sec_thresholds": "Thresholds and their status",
        "sec_results": "Results",
        "sec_findings": "Findings",
        "sec_small": "Small groups and disclosure control",
        "sec_limitations": "Limitations",
        "sec_recommendations": "Recommendations",
        "sec_declaration": "The Baku Declaration of Ombudsmen",
        "sec_annex": "Reproducibility annex",
        "not_certify": "This audit does not certify that the system is free of bias.",
        "not_unlawful": ("A disparity reported here is a statistical finding, not by itself a finding of "
                         "unlawful discrimination: whether a difference is justified is a legal question "
                         "for the competent authority."),
        "summary_counts": ("The audit examined {n_rows} decisions across {n_groupings} groupings of "
                           "{attributes}. It made {family_size} statistical comparisons and reports "
                           "{n_findings} findings: {n_high} of high, {n_medium} of medium and {n_low} of "
                           "low severity."),
        "summary_none": "No disparity reached the thresholds of this audit.",
        "summary_top": "Most important: {sentence}",
        "not_stated": "not stated",
        "scope_system": "System audited",
        "scope_decision": "Decision",
        "scope_favourable": "Favourable outcome",
        "scope_population": "Population",
        "scope_auditor": "Auditor",
        "scope_independence": "Independence of the auditor",
        "scope_commissioned_by": "Commissioned by",
        "scope_period": "Period of the decisions",
        "scope_contact": "Contact and complaints",
        "favourable_positive": "the positive decision (value {pos_label})",
        "favourable_negative": "the negative decision (the positive value {pos_label} is unfavourable)",
        "data_sha256": "SHA-256 of the audited columns",
        "data_source": "Data source",
        "data_rows_read": "Rows read",
        "data_rows_used": "Rows used",
        "data_exclusions": "Exclusions",
        "data_no_exclusions": "none: every row was audited",
        "data_missing": "Missing protected values",
        "data_weighted": "Sample weights",
        "yes": "yes",
        "no": "no",
        "groups_attributes": "Protected attributes",
        "groups_intersections": "Intersections",
        "groups_empty": "Empty combinations (no rows)",
        "groups_none": "none",
        "groups_reference": "Reference group",
        "groups_missing_label": "Rows with a missing value form the group {label}.",
        "metric": "Metric",
        "formula": "Formula",
        "meaning": "Meaning",
        "threshold": "Threshold",
        "value": "Value",
        "source": "Source",
        "status": "Legal status",
        "th_four_fifths": "Four-fifths rule (impact ratio)",
        "th_four_fifths_src": "US EEOC Uniform Guidelines, 29 CFR 1607.4(D)",
        "th_four_fifths_status": "heuristic of US employment practice; not binding elsewhere",
        "th_alpha": "Significance level (two-sided unless stated)",
        "th_alpha_src": "statistical convention",
        "th_alpha_status": "choice of the auditor",
        "th_correction": "Multiple-testing correction",
        "th_correction_status": "choice of the auditor",
        "th_tolerance": "Practical tolerance (absolute difference of rates)",
        "th_tolerance_status": "choice of the auditor",
        "th_band": "Ratio band of practical significance",
        "th_band_src": "four-fifths rule and its reciprocal",
        "th_power": "Power target",
        "th_power_src": "statistical convention",
        "th_min_cell": "Publication threshold for counts",
        "th_min_cell_src": "US CMS cell-size policy (11), UK ONS (10)",
        "th_min_cell_status": "disclosure-control policy; D5 of the Declaration",
        "results_intro": ("Rates per group with {level} confidence intervals ({interval}); differences "
                          "and ratios against the reference group, with raw and adjusted p-values "
                          "({correction} over {family_size} tests) and the verdict."),
        "col_group": "Group",
        "col_n": "n",
        "col_rate": "Rate",
        "col_ci": "{level} CI",
        "col_reference": "Reference",
        "col_difference": "Difference",
        "col_ratio": "Ratio",
        "col_p": "p",
        "col_p_adj": "Adjusted p",
        "col_verdict": "Verdict",
        "col_severity": "Severity",
        "col_type": "Type",
        "col_provisions": "Provisions",
        "col_finding": "Finding",
        "suppressed": "suppressed",
        "suppressed_note": ("Figures marked “suppressed” are withheld: counts from 1 to {min_cell_minus} "
                            "people, and figures from which such a count could be narrowed down by "
                            "combining everything this report publishes. The mark is the same whatever "
                            "the reason and says nothing about a group's size."),
        "findings_none": "No findings.",
        "vulnerable_mark": "group given special attention (D7): {categories}",
        "small_intro": ("A group is too small to assess when the test has less than 80% power to detect a "
                        "difference of {tolerance} in its rates; such groups are marked inconclusive and "
                        "never reported as at parity. In the published edition, counts from 1 to "
                        "{min_cell_minus} people are withheld, together with the figures needed so that "
                        "no combination of published numbers (sizes, rates, intervals, totals, "
                        "intersections) pins a withheld count to fewer than {min_cell} possible values "
                        "(secondary suppression)."),
        "small_suppressed": "Groups with withheld figures in this edition: {n}.",
        "small_underpowered": "Comparisons too small to assess: {n}.",
        "recommend_d4": ("Human oversight (D4): decisions about the groups named in the findings should be "
                         "reviewed, before they take effect, by a person with the authority to change "
                         "them, until the disparity is explained or corrected."),
        "recommend_d3": ("Impact assessment (D3): the operator should include these results in a "
                         "human-rights impact assessment, examine why the disparities arise (data, "
                         "features, thresholds) and whether they can be justified, and audit again after "
                         "any change to the system."),
        "recommend_d14": ("Remedies (D14): people in the affected groups should be told how to have their "
                          "decision reviewed; the shortfall figures estimate how many people may have "
                          "been affected."),
        "recommend_data": ("Data (D3, D7): collect enough data on the groups too small to assess, in "
                           "particular those the Declaration names, and audit them again."),
        "limit_cause": ("The audit measures differences in outcomes between groups. It does not establish "
                        "their cause, and a difference may have a lawful justification."),
        "limit_label": ("Error-rate metrics treat the recorded outcome as the truth; if the outcome itself "
                        "reflects past discrimination, they understate it."),
        "limit_criteria": ("When base rates differ between groups, the fairness criteria cannot in general "
                           "all hold at once; the report shows several so that the tension is visible."),
        "limit_scope": "Only the attributes and groups present in the data were assessed.",
        "limit_small": ("Small groups give wide intervals; their results are marked inconclusive rather "
                        "than reported with false confidence."),
        "limit_metadata": "The following scope information was not supplied: {fields}.",
        "declaration_intro": ("Each finding cites the provisions of the Declaration it speaks to. The "
                              "Azerbaijani original is quoted verbatim; the English lines are our "
                              "summaries, not a translation."),
        "annex_version": "Library versions",
        "annex_parameters": "Parameters",
        "annex_seed": "Random seed",
        "annex_config_hash": "SHA-256 of the configuration",
        "annex_schema": "Report schema version",
        "plot_rates": ("Rates by group ({metric}), with {level} confidence intervals; dashed line: reference; "
                       "orange: group given special attention (D7)"),
        "plot_ratios": "Ratio to the reference ({metric}); shaded band: 0.8 to 1.25",
        "plot_heatmap": "Selection rate by {rows} and {cols}",
        "pp": "{value} percentage points",
        "finding_rate": ("{metric} for {group} is {value}, against {ref_value} for {reference} ({meaning}). "
                         "The difference is {diff} (95% confidence interval {low} to {high}){ratio}."),
        "finding_ratio": ", a ratio of {ratio}",
        "sig_disparity": ("After correction for the {family_size} comparisons made, this difference is "
                          "statistically significant (adjusted p {p}) and large enough to matter in "
                          "practice."),
        "sig_possible": ("The difference is large enough to matter, but with {n} people in the group it "
                         "could still be due to chance (adjusted p {p}); more data are needed to "
                         "confirm it."),
        "finding_small": ("{group} has {n} people: too few to assess. A difference smaller than "
                          "{mdd} would probably go unnoticed, so no conclusion about this group is "
                          "possible."),
        "finding_small_suppressed": ("{group}: its figures are withheld in this edition to protect small "
                                     "counts, so it cannot be assessed here; the regulator's annex has them."),
        "finding_small_vulnerable": " The Declaration asks for special attention to this group (D7).",
        "finding_suppressed": ("{group}: {verdict} in the {metric_lower}. The figures are suppressed in this "
                               "edition to protect small cells; the regulator's annex has them."),
        "finding_missing": ("{n} records ({share}) have no value for {attribute}. They were audited as a "
                            "separate group; if values are missing for a reason, the results for "
                            "{attribute} may be biased."),
        "finding_four_fifths": (" The group's rate of favourable decisions is {ratio} of the highest "
                                "group's ({best}), below the four-fifths threshold of {threshold}; "
                                "{shortfall} more favourable decisions would have reached it."),
        "verdict": {
            "disparity": "disparity",
            "possible_disparity": "possible disparity",
            "parity": "parity within tolerance",
            "inconclusive": "inconclusive",
            "not_assessable": "not assessable",
            "not_tested": "not tested",
            "reference": "reference group",
        },
        "severity": {"high": "high", "medium": "medium", "low": "low", "none": "none"},
        "finding_type": {
            "selection_rate_disparity": "selection-rate disparity",
            "error_rate_disparity": "error-rate disparity",
            "predictive_value_disparity": "predictive-value disparity",
            "intersectional_disparity": "intersectional disparity",
            "possible_disparity": "possible disparity",
            "group_too_small": "group too small to assess, or figures withheld",
            "missing_protected_data": "missing protected data",
        },
        "vulnerable": {
            "children": "children",
            "women": "women",
            "persons_with_disabilities": "persons with disabilities",
            "older_persons": "older persons",
            "migrants": "migrants",
        },
        "meaning_of": {
            "selection_rate": "the share of people who received the positive decision",
            "base_rate": "the share of people whose actual outcome was positive",
            "true_positive_rate": ("among people whose actual outcome was positive, the share the system "
                                   "also rated positive"),
            "false_positive_rate": ("among people whose actual outcome was negative, the share the system "
                                    "nevertheless rated positive"),
            "false_negative_rate": ("among people whose actual outcome was positive, the share the system "
                                    "rated negative"),
            "true_negative_rate": ("among people whose actual outcome was negative, the share the system "
                                   "also rated negative"),
            "positive_predictive_value": ("among people the system rated positive, the share whose actual "
                                          "outcome was positive"),
            "negative_predictive_value": ("among people the system rated negative, the share whose actual "
                                          "outcome was negative"),
            "false_discovery_rate": ("among people the system rated positive, the share whose actual "
                                     "outcome was negative"),
            "false_omission_rate": ("among people the system rated negative, the share whose actual "
                                    "outcome was positive"),
            "accuracy": "the share of people the system rated correctly",
            "error_rate": "the share of people the system rated wrongly",
            "balanced_accuracy": "the average of the true positive and true negative rates",
            "f1_score": "a combined score of how complete and how precise the positive ratings are",
        },
        "metric_name": {
            "selection_rate": "Selection rate", "base_rate": "Base rate",
            "true_positive_rate": "True positive rate", "false_positive_rate": "False positive rate",
            "false_negative_rate": "False negative rate", "true_negative_rate": "True negative rate",
            "positive_predictive_value": "Positive predictive value",
            "negative_predictive_value": "Negative predictive value",
            "false_discovery_rate": "False discovery rate", "false_omission_rate": "False omission rate",
            "accuracy": "Accuracy", "error_rate": "Error rate", "balanced_accuracy": "Balanced accuracy",
            "f1_score": "F1 score",
        },
    },
    "az": {
        "title": "Alqoritmik qərəzlilik üzrə audit hesabatı",
        "edition_public": "Dərc üçün nəşr: kiçik xanalar gizlədilib",
        "edition_annex": "Tənzimləyici orqan üçün tam əlavə",
        "annex_banner": ("MƏXFİDİR: tənzimləyici orqan üçün tam əlavə. Dərc olunan hesabatda gizlədilən "
                         "kiçik xanaları ehtiva edir. Dərc etməyin."),
        "generated": "Tərtib edilib (UTC)",
        "sec_summary": "Xülasə",
        "sec_scope": "Əhatə dairəsi",
        "sec_data": "Məlumatların mənşəyi",
        "sec_groups": "Qrupların formalaşdırılması",
        "sec_metrics": "Göstəricilərin tərifləri",
        "sec_thresholds": "Hədlər və onların statusu",
        "sec_results": "Nəticələr",
        "sec_findings": "Aşkarlanan hallar",
        "sec_small": "Kiçik qruplar və məlumatların açıqlanmasına nəzarət",
        "sec_limitations": "Məhdudiyyətlər",
        "sec_recommendations": "Tövsiyələr",
        "sec_declaration": "Ombudsmanların Bakı Bəyannaməsi",
        "sec_annex": "Nəticələrin təkrarlanması üçün əlavə",
        "not_certify": "Bu audit sistemin qərəzlilikdən azad olduğunu təsdiq etmir.",
        "not_unlawful": ("Burada göstərilən qeyri-bərabərlik statistik nəticədir və özlüyündə qanunsuz "
                         "ayrı-seçkilik faktı demək deyil: fərqin əsaslı olub-olmaması səlahiyyətli "
                         "orqanın həll edəcəyi hüquqi məsələdir."),
        "summary_counts": ("Audit {attributes} üzrə {n_groupings} qruplaşmada {n_rows} qərarı "
                           "araşdırıb. {family_size} statistik müqayisə aparılıb və {n_findings} hal "
                           "aşkarlanıb: {n_high} yüksək, {n_medium} orta və {n_low} aşağı ciddilik "
                           "dərəcəli."),
        "summary_none": "Heç bir qeyri-bərabərlik bu auditin hədlərinə çatmayıb.",
        "summary_top": "Ən vacibi: {sentence}",
        "not_stated": "göstərilməyib",
        "scope_system": "Audit edilən sistem",
        "scope_decision": "Qərar",
        "scope_favourable": "Əlverişli nəticə",
        "scope_population": "Əhali qrupu",
        "scope_auditor": "Auditor",
        "scope_independence": "Auditorun müstəqilliyi",
        "scope_commissioned_by": "Sifarişçi",
        "scope_period": "Qərarların aid olduğu dövr",
        "scope_contact": "Əlaqə və şikayətlər",
        "favourable_positive": "müsbət qərar ({pos_label} dəyəri)",
        "favourable_negative": "mənfi qərar ({pos_label} müsbət dəyəri əlverişsizdir)",
        "data_sha256": "Audit edilən sütunların SHA-256 heş dəyəri",
        "data_source": "Məlumat mənbəyi",
        "data_rows_read": "Oxunmuş sətirlər",
        "data_rows_used": "İstifadə edilmiş sətirlər",
        "data_exclusions": "Çıxarılmalar",
        "data_no_exclusions": "yoxdur: bütün sətirlər audit edilib",
        "data_missing": "Çatışmayan qorunan əlamət dəyərləri",
        "data_weighted": "Nümunə çəkiləri",
        "yes": "bəli",
        "no": "xeyr",
        "groups_attributes": "Qorunan əlamətlər",
        "groups_intersections": "Kəsişmələr",
        "groups_empty": "Boş birləşmələr (sətir yoxdur)",
        "groups_none": "yoxdur",
        "groups_reference": "İstinad qrupu",
        "groups_missing_label": "Dəyəri çatışmayan sətirlər {label} qrupunu təşkil edir.",
        "metric": "Göstərici",
        "formula": "Düstur",
        "meaning": "Mənası",
        "threshold": "Hədd",
        "value": "Dəyər",
        "source": "Mənbə",
        "status": "Hüquqi status",
        "th_four_fifths": "Dörddə beş qaydası (təsir nisbəti)",
        "th_four_fifths_src": "ABŞ EEOC Vahid Təlimatları, 29 CFR 1607.4(D)",
        "th_four_fifths_status": "ABŞ-ın məşğulluq təcrübəsində evristik qayda; başqa yerlərdə məcburi deyil",
        "th_alpha": "Əhəmiyyətlilik səviyyəsi (başqa cür göstərilməyibsə, ikitərəfli)",
        "th_alpha_src": "statistik konvensiya",
        "th_alpha_status": "auditorun seçimi",
        "th_correction": "Çoxsaylı müqayisələr üçün düzəliş",
        "th_correction_status": "auditorun seçimi",
        "th_tolerance": "Praktik tolerans (nisbətlərin mütləq fərqi)",
        "th_tolerance_status": "auditorun seçimi",
        "th_band": "Praktik əhəmiyyətin nisbət zolağı",
        "th_band_src": "dörddə beş qaydası və onun tərsi",
        "th_power": "Statistik gücün hədəfi",
        "th_power_src": "statistik konvensiya",
        "th_min_cell": "Saylar üçün dərc həddi",
        "th_min_cell_src": "ABŞ CMS xana ölçüsü siyasəti (11), Böyük Britaniya ONS (10)",
        "th_min_cell_status": "açıqlamaya nəzarət siyasəti; Bəyannamənin D5 müddəası",
        "results_intro": ("Qruplar üzrə nisbətlər {level} etibarlılıq intervalları ilə ({interval}); istinad "
                          "qrupu ilə fərqlər və nisbətlər, ilkin və düzəldilmiş p-dəyərləri ({family_size} "
                          "test üzrə {correction}) və hökm."),
        "col_group": "Qrup",
        "col_n": "n",
        "col_rate": "Nisbət",
        "col_ci": "{level} Eİ",
        "col_reference": "İstinad",
        "col_difference": "Fərq",
        "col_ratio": "Nisbət (istinada)",
        "col_p": "p",
        "col_p_adj": "Düzəldilmiş p",
        "col_verdict": "Hökm",
        "col_severity": "Ciddilik",
        "col_type": "Növ",
        "col_provisions": "Müddəalar",
        "col_finding": "Aşkarlanan hal",
        "suppressed": "gizlədilib",
        "suppressed_note": ("“Gizlədilib” kimi qeyd olunan rəqəmlər dərc edilmir: 1-dən {min_cell_minus} "
                            "nəfərədək olan saylar və bu hesabatda dərc olunan hər şeyi birləşdirməklə "
                            "belə sayı daraltmağa imkan verən rəqəmlər. Qeyd səbəbdən asılı olmayaraq "
                            "eynidir və qrupun ölçüsü barədə heç nə demir."),
        "findings_none": "Aşkarlanan hal yoxdur.",
        "vulnerable_mark": "xüsusi diqqət yetirilən qrup (D7): {categories}",
        "small_intro": ("Test qrupun nisbətlərində {tolerance} həcmində fərqi 80%-dən az güclə aşkarlaya "
                        "bilirsə, qrup qiymətləndirmə üçün çox kiçik sayılır; belə qruplar 'qəti nəticə "
                        "yoxdur' kimi qeyd olunur və heç vaxt bərabər kimi göstərilmir. Dərc üçün nəşrdə "
                        "1-dən {min_cell_minus} nəfərədək olan saylar, eləcə də dərc olunan rəqəmlərin "
                        "(ölçülər, nisbətlər, intervallar, cəmlər, kəsişmələr) heç bir birləşməsinin "
                        "gizlədilmiş sayı {min_cell}-dən az mümkün dəyərə daraltmaması üçün lazım olan "
                        "rəqəmlər gizlədilir (ikinci dərəcəli gizlətmə)."),
        "small_suppressed": "Bu nəşrdə rəqəmləri gizlədilmiş qruplar: {n}.",
        "small_underpowered": "Qiymətləndirmə üçün çox kiçik olan müqayisələr: {n}.",
        "recommend_d4": ("İnsan nəzarəti (D4): aşkarlanan hallarda adı çəkilən qruplara dair qərarlar "
                         "qüvvəyə minməzdən əvvəl onları dəyişmək səlahiyyəti olan şəxs tərəfindən nəzərdən "
                         "keçirilməlidir — qeyri-bərabərlik izah olunana və ya aradan qaldırılana qədər."),
        "recommend_d3": ("Təsirin qiymətləndirilməsi (D3): sistemin operatoru bu nəticələri insan "
                         "hüquqlarına təsirin qiymətləndirilməsinə daxil etməli, qeyri-bərabərliklərin "
                         "səbəblərini (məlumatlar, əlamətlər, hədlər) və onların əsaslandırıla bilib-"
                         "bilmədiyini araşdırmalı, sistemdə hər dəyişiklikdən sonra auditi təkrarlamalıdır."),
        "recommend_d14": ("Hüquqi müdafiə vasitələri (D14): təsirə məruz qalmış qruplardakı şəxslərə öz "
                          "qərarlarına yenidən baxılmasını necə tələb edə biləcəkləri bildirilməlidir; "
                          "çatışmazlıq göstəriciləri təsirə məruz qalmış şəxslərin təxmini sayını verir."),
        "recommend_data": ("Məlumatlar (D3, D7): qiymətləndirmə üçün çox kiçik olan qruplar, xüsusilə "
                           "Bəyannamədə adı çəkilən qruplar üzrə kifayət qədər məlumat toplanmalı və onlar "
                           "yenidən audit edilməlidir."),
        "limit_cause": ("Audit qruplar arasında nəticələrdəki fərqləri ölçür. O, bu fərqlərin səbəbini "
                        "müəyyən etmir və fərqin qanuni əsası ola bilər."),
        "limit_label": ("Xəta göstəriciləri qeydə alınmış nəticəni həqiqət kimi qəbul edir; nəticənin özü "
                        "keçmiş ayrı-seçkiliyi əks etdirirsə, bu göstəricilər onu azaldılmış göstərir."),
        "limit_criteria": ("Qruplar arasında baza nisbətləri fərqli olduqda ədalətlilik meyarları ümumiyyətlə "
                           "eyni anda ödənilə bilmir; hesabat bu ziddiyyəti görünən etmək üçün bir neçə "
                           "meyarı göstərir."),
        "limit_scope": "Yalnız məlumatlarda mövcud olan əlamətlər və qruplar qiymətləndirilib.",
        "limit_small": ("Kiçik qruplar geniş intervallar verir; onların nəticələri yanlış əminliklə deyil, "
                        "'qəti nəticə yoxdur' kimi qeyd olunur."),
        "limit_metadata": "Əhatə dairəsinə dair aşağıdakı məlumatlar təqdim edilməyib: {fields}.",
        "declaration_intro": ("Hər aşkarlanan hal Bəyannamənin aid olduğu müddəalarına istinad edir. "
                              "Azərbaycan dilindəki orijinal mətn olduğu kimi sitat gətirilir; ingiliscə "
                              "sətirlər tərcümə deyil, bizim xülasəmizdir."),
        "annex_version": "Kitabxana versiyaları",
        "annex_parameters": "Parametrlər",
        "annex_seed": "Təsadüfilik toxumu (seed)",
        "annex_config_hash": "Konfiqurasiyanın SHA-256 heş dəyəri",
        "annex_schema": "Hesabat sxeminin versiyası",
        "plot_rates": ("Qruplar üzrə nisbətlər ({metric}), {level} etibarlılıq intervalları ilə; qırıq xətt: "
                       "istinad; narıncı: xüsusi diqqət yetirilən qrup (D7)"),
        "plot_ratios": "İstinada nisbət ({metric}); kölgəli zolaq: 0,8 – 1,25",
        "plot_heatmap": "{rows} və {cols} üzrə seçilmə nisbəti",
        "pp": "{value} faiz bəndi",
        "finding_rate": ("{group} üçün {metric_lower} {value}, {reference} üçün isə {ref_value} təşkil edir "
                         "({meaning}). Fərq {diff} təşkil edir (95% etibarlılıq intervalı: {low} – {high}){ratio}."),
        "finding_ratio": ", nisbət {ratio}",
        "sig_disparity": ("Aparılmış {family_size} müqayisə nəzərə alınmaqla düzəliş edildikdən sonra bu fərq "
                          "statistik cəhətdən əhəmiyyətlidir (düzəldilmiş p {p}) və praktik baxımdan "
                          "əhəmiyyət kəsb edəcək qədər böyükdür."),
        "sig_possible": ("Fərq praktik baxımdan əhəmiyyətli ola biləcək qədər böyükdür, lakin qrupda {n} nəfər "
                         "olduğundan o, hələ də təsadüfi ola bilər (düzəldilmiş p {p}); təsdiq üçün əlavə "
                         "məlumat lazımdır."),
        "finding_small": ("{group} qrupunda {n} nəfər var: qiymətləndirmə üçün çox azdır. {mdd} həcmindən "
                          "kiçik fərq çox güman ki, aşkarlanmayacaq, ona görə də bu qrup barədə nəticə "
                          "çıxarmaq mümkün deyil."),
        "finding_small_suppressed": ("{group}: kiçik sayları qorumaq üçün bu qrupun rəqəmləri bu nəşrdə "
                                     "gizlədilib, ona görə də burada qiymətləndirilə bilməz; onlar tənzimləyici "
                                     "orqan üçün əlavədə verilir."),
        "finding_small_vulnerable": " Bəyannamə bu qrupa xüsusi diqqət yetirilməsini tələb edir (D7).",
        "finding_suppressed": ("{group}: {metric_lower} üzrə {verdict}. Kiçik xanaları qorumaq üçün rəqəmlər bu "
                               "nəşrdə gizlədilib; onlar tənzimləyici orqan üçün əlavədə verilir."),
        "finding_missing": ("{attribute} üzrə {n} qeydin ({share}) dəyəri yoxdur. Onlar ayrıca qrup kimi audit "
                            "edilib; dəyərlər müəyyən səbəbdən çatışmırsa, {attribute} üzrə nəticələr təhrif "
                            "oluna bilər."),
        "finding_four_fifths": (" Qrupun əlverişli qərar nisbəti ən yüksək nisbətə malik qrupun ({best}) "
                                "göstəricisinin {ratio} hissəsini təşkil edir və {threshold} olan dörddə beş "
                                "həddindən aşağıdır; bu həddə çatmaq üçün daha {shortfall} əlverişli qərar "
                                "lazım idi."),
        "verdict": {
            "disparity": "qeyri-bərabərlik",
            "possible_disparity": "ehtimal olunan qeyri-bərabərlik",
            "parity": "tolerans daxilində bərabərlik",
            "inconclusive": "qəti nəticə yoxdur",
            "not_assessable": "qiymətləndirilə bilməz",
            "not_tested": "yoxlanılmayıb",
            "reference": "istinad qrupu",
        },
        "severity": {"high": "yüksək", "medium": "orta", "low": "aşağı", "none": "yoxdur"},
        "finding_type": {
            "selection_rate_disparity": "seçilmə nisbətində qeyri-bərabərlik",
            "error_rate_disparity": "xəta nisbətlərində qeyri-bərabərlik",
            "predictive_value_disparity": "proqnoz dəqiqliyində qeyri-bərabərlik",
            "intersectional_disparity": "kəsişən qruplarda qeyri-bərabərlik",
            "possible_disparity": "ehtimal olunan qeyri-bərabərlik",
            "group_too_small": "qiymətləndirmə üçün çox kiçik qrup və ya gizlədilmiş rəqəmlər",
            "missing_protected_data": "çatışmayan qorunan məlumatlar",
        },
        "vulnerable": {
            "children": "uşaqlar",
            "women": "qadınlar",
            "persons_with_disabilities": "əlilliyi olan şəxslər",
            "older_persons": "yaşlı insanlar",
            "migrants": "miqrantlar",
        },
        "meaning_of": {
            "selection_rate": "müsbət qərar almış şəxslərin payı",
            "base_rate": "faktiki nəticəsi müsbət olan şəxslərin payı",
            "true_positive_rate": ("faktiki nəticəsi müsbət olan şəxslər arasında sistemin də müsbət "
                                   "qiymətləndirdiklərinin payı"),
            "false_positive_rate": ("faktiki nəticəsi mənfi olan şəxslər arasında sistemin buna baxmayaraq "
                                    "müsbət qiymətləndirdiklərinin payı"),
            "false_negative_rate": ("faktiki nəticəsi müsbət olan şəxslər arasında sistemin mənfi "
                                    "qiymətləndirdiklərinin payı"),
            "true_negative_rate": ("faktiki nəticəsi mənfi olan şəxslər arasında sistemin də mənfi "
                                   "qiymətləndirdiklərinin payı"),
            "positive_predictive_value": ("sistemin müsbət qiymətləndirdiyi şəxslər arasında faktiki nəticəsi "
                                          "müsbət olanların payı"),
            "negative_predictive_value": ("sistemin mənfi qiymətləndirdiyi şəxslər arasında faktiki nəticəsi "
                                          "mənfi olanların payı"),
            "false_discovery_rate": ("sistemin müsbət qiymətləndirdiyi şəxslər arasında faktiki nəticəsi mənfi "
                                     "olanların payı"),
            "false_omission_rate": ("sistemin mənfi qiymətləndirdiyi şəxslər arasında faktiki nəticəsi müsbət "
                                    "olanların payı"),
            "accuracy": "sistemin düzgün qiymətləndirdiyi şəxslərin payı",
            "error_rate": "sistemin səhv qiymətləndirdiyi şəxslərin payı",
            "balanced_accuracy": "həqiqi müsbət və həqiqi mənfi nisbətlərinin ortası",
            "f1_score": "müsbət qiymətləndirmələrin tamlığı və dəqiqliyinin birləşmiş göstəricisi",
        },
        "metric_name": {
            "selection_rate": "Seçilmə nisbəti", "base_rate": "Baza nisbəti",
            "true_positive_rate": "Həqiqi müsbət nisbəti", "false_positive_rate": "Yalançı müsbət nisbəti",
            "false_negative_rate": "Yalançı mənfi nisbəti", "true_negative_rate": "Həqiqi mənfi nisbəti",
            "positive_predictive_value": "Müsbət proqnozun dəqiqliyi",
            "negative_predictive_value": "Mənfi proqnozun dəqiqliyi",
            "false_discovery_rate": "Yalançı aşkarlama nisbəti", "false_omission_rate": "Yalançı buraxma nisbəti",
            "accuracy": "Dəqiqlik", "error_rate": "Xəta nisbəti", "balanced_accuracy": "Balanslaşdırılmış dəqiqlik",
            "f1_score": "F1 göstəricisi",
        },
    },
}

CORRECTION_NAMES = {
    "en": {"holm": "Holm", "fdr_bh": "Benjamini-Hochberg", "bonferroni": "Bonferroni"},
    "az": {"holm": "Holm üsulu", "fdr_bh": "Benjamini-Hoxberq üsulu", "bonferroni": "Bonferroni üsulu"},
}
INTERVAL_NAMES = {
    "en": {"wilson": "Wilson", "clopper-pearson": "Clopper-Pearson", "jeffreys": "Jeffreys"},
    "az": {"wilson": "Uilson", "clopper-pearson": "Klopper-Pirson", "jeffreys": "Ceffris"},
}


def text(lang: str, key: str, **fields) -> str:
    """The fixed text ``key`` in ``lang``, with ``fields`` substituted."""
    template = TEXTS[lang][key]
    return template.format(**fields) if fields else template


def number(value, lang: str, digits: int = 3) -> str:
    """A number with the language's decimal separator; an em dash for NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    out = f"{value:.{digits}f}"
    return out.replace(".", ",") if lang == "az" else out


def percent(value, lang: str, digits: int = 1) -> str:
    """A proportion as a percentage: 0.324 -> 32.4% (32,4% in Azerbaijani)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return number(100 * value, lang, digits) + "%"


def points(value, lang: str) -> str:
    """A difference of proportions in percentage points, with its sign."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return text(lang, "pp", value=sign + number(abs(100 * value), lang, 1))


def pvalue(value, lang: str) -> str:
    """A p-value with its relation: '= 0.023' or '< 0.001'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "= —"
    if value < 0.001:
        return "< " + number(0.001, lang, 3)
    return "= " + number(value, lang, 3)


def bare_points(value, lang: str) -> str:
    """A difference of proportions in percentage points, signed, without the unit."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return sign + number(abs(100 * value), lang, 1)


def integer(value, lang: str) -> str:
    """A whole number with thousands separators (a space in Azerbaijani)."""
    out = f"{int(round(value)):,}"
    return out.replace(",", " ") if lang == "az" else out
