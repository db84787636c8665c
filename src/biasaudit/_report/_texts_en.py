"""The English catalogue of a report's fixed texts (keys shared with ``_texts_az``)."""

from __future__ import annotations

from typing import Any

__all__: list[str] = []

EN: dict[str, Any] = {
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
    "summary_counts": ("The audit examined {n_rows} decisions across {n_groupings} {groupings_noun} of "
                       "{attributes}. It made {family_size} statistical {comparisons_noun} and reports "
                       "{n_findings} {findings_noun}: {n_high} of high, {n_medium} of medium and {n_low} of "
                       "low severity."),
    "summary_none": "No disparity reached the thresholds of this audit.",
    "summary_only_low": "No finding reached medium or high severity (see {section}).",
    "summary_withheld": ("Figures of some groups are withheld in this edition to protect small counts (see "
                         "{section}); a finding that rests on withheld figures appears only in the regulator's "
                         "annex."),
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
    "data_file_sha256": "SHA-256 of the input file",
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
                      "against the reference group, with p-values adjusted for multiple testing "
                      "({correction} over {family_size} tests; the unadjusted p-values and the ratios are "
                      "in the CSV and JSON) and the verdict."),
    "results_rounding": (" Differences are computed before rounding, so one can differ by a unit in its last "
                         "digit from the difference of the rounded values shown."),
    "results_screen": ("Of these tests, {testable} could reach significance; the other {left_out} compare groups "
                       "too small for any outcome to be significant, are adjusted to 1 and are not counted in "
                       "the correction (Tarone's screen)."),
    "col_group": "Group",
    "col_n": "n",
    "col_rate": "Rate",
    "col_ci": "{level} CI",
    "col_reference": "Reference",
    "col_ratio": "Ratio",
    "col_p": "p",
    "col_p_adj": "Adjusted p",
    "col_verdict": "Verdict",
    "col_severity": "Severity",
    "col_type": "Type",
    "col_provisions": "Provisions",
    "col_finding": "Finding",
    "suppressed": "suppressed",
    "findings_none": "No findings.",
    "vulnerable_mark": "group given special attention (D7): {categories}",
    "small_intro": ("A group is too small to assess when its test cannot detect, with 80% power, a "
                    "difference of {double} in its selection rate (twice the tolerance of {tolerance}): "
                    "its large but non-significant gaps are not findings, and it never drives a four-fifths "
                    "statement. A comparison with less than 80% power at the tolerance is never reported as "
                    "at parity. In the published edition, counts from 1 to {min_cell_minus} people are withheld, "
                    "together with the figures needed so that no combination of published numbers (sizes, "
                    "rates, intervals, totals, intersections) pins a withheld count to fewer than {min_cell} "
                    "possible values (secondary suppression)."),
    "small_suppressed": "Groups with withheld figures in this edition: {n}.",
    "small_sparse": ("Every figure of {grouping} is withheld in this edition: its attributes combine into "
                     "more than a million possible groups, so each attribute's table is protected on its "
                     "own and no crossed table is published. The regulator's annex has them."),
    "small_underpowered": "Inconclusive comparisons with less than 80% power at the tolerance: {n}.",
    "recommend_d4": ("Human oversight (D4): decisions about the groups named in the findings should be "
                     "reviewed, before they take effect, by a person with the authority to change "
                     "them, until the disparity is explained or corrected."),
    "recommend_d3": ("Impact assessment (D3): the operator should include these results in a "
                     "human-rights impact assessment, examine why the disparities arise (data, "
                     "features, thresholds) and whether they can be justified, and audit again after "
                     "any change to the system."),
    "recommend_d14": ("Remedies (D14): people in the affected groups should be told how to have their "
                      "decision reviewed. A shortfall figure counts the favourable decisions that would "
                      "have brought a group to four fifths of the highest group's rate (parity with that "
                      "group would need more): a measure of scale, not a count of the people wronged."),
    "recommend_data": ("Data (D3, D7): collect enough data on the groups too small to assess, in "
                       "particular those the Declaration names, and audit them again."),
    "limit_cause": ("The audit measures differences in outcomes between groups. It does not establish "
                    "their cause, and a difference may have a lawful justification."),
    "limit_label": ("Error-rate metrics treat the recorded outcome as the truth; if the outcome itself "
                    "reflects past discrimination, a system that reproduces it looks accurate, and the error "
                    "rates can hide the disparity."),
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
    "plot_ratios": "Ratio to the reference ({metric}); shaded band: 0.8 to 1.25",
    "pp": "{value} percentage points",
    "finding_small_vulnerable": " The Declaration asks for special attention to this group (D7).",
    "finding_missing": ("{n} records ({share}) have no value for {attribute}. They were audited as a "
                        "separate group; if values are missing for a reason, the results for "
                        "{attribute} may be biased."),
    "col_difference": "Difference (percentage points)",
    "suppressed_note": ("Figures marked “suppressed” are withheld: counts from 1 to {min_cell_minus} "
                        "people, and figures from which such a count could be narrowed down by "
                        "combining everything this report publishes. The mark is the same whatever "
                        "the reason and says nothing about a group's size."),
    "plot_rates": ("Rates by group ({metric}), with {level} confidence intervals; dashed line: reference; "
                   "purple diamond: group given special attention (D7)"),
    "plot_heatmap": "Selection rate by {rows} and {cols}: difference from the reference, in percentage points",
    "finding_group": "{group} is disadvantaged compared with {reference}: {items}.",
    # every gap of the finding a possible disparity (large, not significant): no assertion
    "finding_group_possible": "{group} may be disadvantaged compared with {reference}: {items}.",
    "finding_item": ("{metric} {value} against {ref_value}{ref_name} ({diff} percentage points, {level} confidence "
                     "interval {low} to {high}; adjusted p {p}; {verdict})"),
    "finding_item_ratio": ": {ratio} times the reference's rate",
    "sig_disparity": ("After correction for the {family_size} comparisons made, the gaps called disparities are "
                      "statistically significant and not shown to be negligible."),
    "sig_disparity_screened": ("After correction for the {counted} comparisons that could reach significance "
                               "(of {family_size} made), the gaps called disparities are statistically "
                               "significant and not shown to be negligible."),
    "sig_possible": ("A possible disparity is large enough to matter, but with {n} people in the group it could "
                     "still be due to chance; more data are needed to confirm it."),
    "finding_four_fifths_only": "{group}: {value} of its members receive a favourable decision.",
    "finding_four_fifths": (" Its rate of favourable decisions is {ratio} of the highest group's ({best}), "
                            "below the four-fifths threshold of {threshold}; {shortfall} more favourable "
                            "decisions would have brought it to that threshold."),
    "finding_four_fifths_weighted": (" Its weighted rate of favourable decisions is {ratio} of the highest "
                                     "group's ({best}), below the four-fifths threshold of {threshold}; the "
                                     "shortfall is {shortfall} in weighted units (sums of the sample weights, "
                                     "not people), for the {n} people of the group in the sample."),
    "finding_explained": (" The same gaps, at least nearly as large, appear for {groups} ({ids}): this "
                          "intersectional finding largely reflects them."),
    # an intersection compared with a reference that differs in two or more attributes
    "finding_within": (" One attribute at a time: {parts}. These side comparisons are not adjusted for the "
                       "audit's multiple comparisons."),
    "finding_within_part": "against {group}, which differs from it only in {attribute}, {items}",
    "finding_within_item": ("{metric} {value} against {ref_value} ({diff} percentage points, {level} confidence "
                            "interval {low} to {high})"),
    "finding_within_item_units": ("{metric} {value} against {ref_value} ({diff}; {level} confidence interval of "
                                  "the difference {low} to {high})"),
    "finding_small": ("{group} has {n} people: too few to assess. A difference smaller than {mdd} percentage "
                      "points would probably go unnoticed, so no conclusion about this group is possible."),
    "finding_small_suppressed": ("{group}: its figures are withheld in this edition to protect small "
                                 "counts, so it cannot be assessed here; the regulator's annex has them."),
    "favourable_gap": "{group} is favoured compared with {reference}: {items}.",
    "sec_context": "Gaps in a group's favour (context)",
    "context_intro": ("These gaps favour the group over the reference. They are not findings against the group: "
                      "each one disadvantages the reference group relative to this group, and is listed so that "
                      "no flagged gap is left out."),
    "context_none": "No flagged gap favours a group over its reference.",
    "exec_title": "Most important findings",
    "exec_more": "{n} further findings follow in section 8; gaps in a group's favour are listed after them.",
    "col_disadvantaged_on": "Disadvantaged on",
    "toc": "Contents",
    "weighted_note": "Rates are weighted by the sample weights; n counts people in the sample.",
    "ref_rule": {"largest": "the largest group", "best": "the group with the most favourable rate",
                 "overall": "the whole population"},
    "empty_count": "{attribute}: {n} combinations without rows",
    "exec_numbers": "{metric}: {value} against {ref_value} ({diff})",
    "exec_within_lead": "one attribute at a time ({metric}): {parts}",
    "exec_within": "against {group} ({attribute} only) {diff}",
    "finding_group_mixed": "{group} is disadvantaged: {items}.",
    "finding_group_mixed_possible": "{group} may be disadvantaged: {items}.",
    "finding_item_reference": " for {reference}",
    "finding_small_intersection": ("{n} groups of {attribute} are too small to assess: {groups}{more}. No "
                                   "conclusion about them is possible."),
    "finding_withheld_intersection": ("{n} groups of {attribute} have figures withheld in this edition to protect "
                                      "small counts, so they cannot be assessed here: {groups}{more}. The "
                                      "regulator's annex has them."),
    "finding_small_more": " and {n} more",
    "finding_small_vulnerable_many": " The Declaration asks for special attention to these groups (D7).",
    "verdict_favours_group": ", in the group's favour",
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
    # nouns after a count in the summary: (one, several)
    "nouns": {"groupings": ("grouping", "groupings"), "comparisons": ("comparison", "comparisons"),
              "findings": ("finding", "findings")},
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
}
