"""The Azerbaijani catalogue of a report's fixed texts (keys shared with ``_texts_en``)."""

from __future__ import annotations

from typing import Any

__all__: list[str] = []

AZ: dict[str, Any] = {
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
    "summary_only_low": "Heç bir hal orta və ya yüksək ciddilik dərəcəsinə çatmayıb («{section}» bölməsinə baxın).",
    "summary_withheld": ("Kiçik sayları qorumaq üçün bəzi qrupların rəqəmləri bu nəşrdə gizlədilib («{section}» "
                         "bölməsinə baxın); gizlədilmiş rəqəmlərə əsaslanan hal yalnız tənzimləyici orqan üçün tam "
                         "əlavədə verilir."),
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
    "data_file_sha256": "Giriş faylının SHA-256 heş dəyəri",
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
                      "qrupu ilə fərqlər, çoxsaylı test üçün düzəldilmiş p-dəyərləri ({family_size} test üzrə "
                      "{correction}; düzəldilməmiş p-dəyərləri və nisbətlər CSV və JSON fayllarındadır) və hökm."),
    "results_rounding": (" Fərqlər yuvarlaqlaşdırmadan əvvəl hesablanır, ona görə də fərq göstərilən "
                         "yuvarlaqlaşdırılmış dəyərlərin fərqindən son rəqəmində bir vahid qədər fərqlənə bilər."),
    "results_screen": ("Bu testlərdən yalnız {testable} testin nəticəsi statistik əhəmiyyətli ola bilərdi; qalan "
                       "{left_out} test elə kiçik qrupları müqayisə edir ki, heç bir nəticə əhəmiyyətli ola "
                       "bilməz: onların düzəldilmiş p-dəyəri 1-dir və düzəlişdə sayılmır (Tarone süzgəci)."),
    "col_group": "Qrup",
    "col_n": "n",
    "col_rate": "Nisbət",
    "col_ci": "{level} Eİ",
    "col_reference": "İstinad",
    "col_ratio": "Nisbət (istinada)",
    "col_p": "p",
    "col_p_adj": "Düzəldilmiş p",
    "col_verdict": "Hökm",
    "col_severity": "Ciddilik",
    "col_type": "Növ",
    "col_provisions": "Müddəalar",
    "col_finding": "Aşkarlanan hal",
    "suppressed": "gizlədilib",
    "findings_none": "Aşkarlanan hal yoxdur.",
    "vulnerable_mark": "xüsusi diqqət yetirilən qrup (D7): {categories}",
    "small_intro": ("Test qrupun seçilmə nisbətində {double} həcmində fərqi (tolerans {tolerance} "
                    "olmaqla, onun iki misli) 80% güclə aşkarlaya bilmirsə, qrup qiymətləndirmə üçün çox "
                    "kiçik sayılır: onun böyük, lakin statistik cəhətdən əhəmiyyətsiz fərqləri aşkarlanan "
                    "hal sayılmır və o, dörddə beş qaydasına dair nəticələrə təsir etmir. Toleransda gücü "
                    "80%-dən az olan müqayisə heç vaxt bərabər kimi göstərilmir. Dərc üçün nəşrdə "
                    "1-dən {min_cell_minus} nəfərədək olan saylar, eləcə də dərc olunan rəqəmlərin "
                    "(ölçülər, nisbətlər, intervallar, cəmlər, kəsişmələr) heç bir birləşməsinin "
                    "gizlədilmiş sayı {min_cell_abl} az mümkün dəyərə daraltmaması üçün lazım olan "
                    "rəqəmlər gizlədilir (ikinci dərəcəli gizlətmə)."),
    "small_suppressed": "Bu nəşrdə rəqəmləri gizlədilmiş qruplar: {n}.",
    "small_sparse": ("{grouping} üzrə bütün rəqəmlər bu nəşrdə gizlədilib: onun atributları bir milyondan "
                     "çox mümkün qrup əmələ gətirir, buna görə hər atributun cədvəli ayrıca qorunur və heç "
                     "bir kəsişmə cədvəli dərc edilmir. Bu rəqəmlər tənzimləyici orqan üçün tam əlavədə verilir."),
    "small_underpowered": "Toleransda gücü 80%-dən az olan qəti nəticəsiz müqayisələr: {n}.",
    "recommend_d4": ("İnsan nəzarəti (D4): aşkarlanan hallarda adı çəkilən qruplara dair qərarlar "
                     "qüvvəyə minməzdən əvvəl onları dəyişmək səlahiyyəti olan şəxs tərəfindən nəzərdən "
                     "keçirilməlidir — qeyri-bərabərlik izah olunana və ya aradan qaldırılana qədər."),
    "recommend_d3": ("Təsirin qiymətləndirilməsi (D3): sistemin operatoru bu nəticələri insan "
                     "hüquqlarına təsirin qiymətləndirilməsinə daxil etməli, qeyri-bərabərliklərin "
                     "səbəblərini (məlumatlar, əlamətlər, hədlər) və onların əsaslandırıla bilib-"
                     "bilmədiyini araşdırmalı, sistemdə hər dəyişiklikdən sonra auditi təkrarlamalıdır."),
    "recommend_d14": ("Hüquqi müdafiə vasitələri (D14): təsirə məruz qalmış qruplardakı şəxslərə öz "
                      "qərarlarına yenidən baxılmasını necə tələb edə biləcəkləri bildirilməlidir; "
                      "çatışmazlıq göstəricisi qrupu ən yüksək nisbətin dörddə beşinə çatdıracaq "
                      "əlverişli qərarların sayıdır (həmin qrupla bərabərlik üçün daha çoxu lazım olardı): "
                      "bu, miqyasın ölçüsüdür, hüquqları pozulmuş şəxslərin sayı deyil."),
    "recommend_data": ("Məlumatlar (D3, D7): qiymətləndirmə üçün çox kiçik olan qruplar, xüsusilə "
                       "Bəyannamədə adı çəkilən qruplar üzrə kifayət qədər məlumat toplanmalı və onlar "
                       "yenidən audit edilməlidir."),
    "limit_cause": ("Audit qruplar arasında nəticələrdəki fərqləri ölçür. O, bu fərqlərin səbəbini "
                    "müəyyən etmir və fərqin qanuni əsası ola bilər."),
    "limit_label": ("Xəta göstəriciləri qeydə alınmış nəticəni həqiqət kimi qəbul edir; nəticənin özü "
                    "keçmiş ayrı-seçkiliyi əks etdirirsə, onu təkrarlayan sistem dəqiq görünür və xəta "
                    "göstəriciləri qeyri-bərabərliyi gizlədə bilər."),
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
    "plot_ratios": "İstinada nisbət ({metric}); kölgəli zolaq: 0,8 – 1,25",
    "pp": "{value} faiz bəndi",
    "finding_small_vulnerable": " Bəyannamə bu qrupa xüsusi diqqət yetirilməsini tələb edir (D7).",
    "finding_missing": ("{attribute} üzrə {n} qeydin ({share}) dəyəri yoxdur. Onlar ayrıca qrup kimi audit "
                        "edilib; dəyərlər müəyyən səbəbdən çatışmırsa, {attribute} üzrə nəticələr təhrif "
                        "oluna bilər."),
    "col_difference": "Fərq (faiz bəndi)",
    "suppressed_note": ("“Gizlədilib” kimi qeyd olunan rəqəmlər dərc edilmir: 1-dən {min_cell_minus} "
                        "nəfərədək olan saylar və bu hesabatda dərc olunan hər şeyi birləşdirməklə "
                        "belə sayı daraltmağa imkan verən rəqəmlər. Qeyd səbəbdən asılı olmayaraq "
                        "eynidir və qrupun ölçüsü barədə heç nə demir."),
    "plot_rates": ("Qruplar üzrə nisbətlər ({metric}), {level} etibarlılıq intervalları ilə; qırıq xətt: "
                   "istinad; bənövşəyi romb: xüsusi diqqət yetirilən qrup (D7)"),
    "plot_heatmap": "{rows} və {cols} üzrə seçilmə nisbəti: istinaddan fərq, faiz bəndi ilə",
    "finding_group": "{group} {reference} ilə müqayisədə əlverişsiz vəziyyətdədir: {items}.",
    "finding_group_possible": "{group} {reference} ilə müqayisədə əlverişsiz vəziyyətdə ola bilər: {items}.",
    "finding_item": ("{metric} {value}, istinad qrupunda{ref_name} {ref_value} ({diff} faiz bəndi, {level} etibarlılıq "
                     "intervalı: {low} – {high}; düzəldilmiş p {p}; {verdict})"),
    "finding_item_ratio": ": istinad qrupunun göstəricisinin {ratio} misli",
    "sig_disparity": ("Aparılmış {family_size} müqayisə nəzərə alınmaqla düzəliş edildikdən sonra "
                      "qeyri-bərabərlik adlandırılan fərqlər statistik cəhətdən əhəmiyyətlidir və onların "
                      "əhəmiyyətsiz olduğu göstərilməyib."),
    "sig_disparity_screened": ("Aparılmış {family_size} müqayisədən statistik əhəmiyyətli ola biləcək {counted} "
                               "müqayisə nəzərə alınmaqla düzəliş edildikdən sonra qeyri-bərabərlik adlandırılan "
                               "fərqlər statistik cəhətdən əhəmiyyətlidir və onların əhəmiyyətsiz olduğu "
                               "göstərilməyib."),
    "sig_possible": ("Ehtimal olunan qeyri-bərabərlik praktik baxımdan əhəmiyyətli ola biləcək qədər böyükdür, "
                     "lakin qrupda {n} nəfər olduğundan o, hələ də təsadüfi ola bilər; təsdiq üçün əlavə "
                     "məlumat lazımdır."),
    "finding_four_fifths_only": "{group}: üzvlərinin {value} hissəsi əlverişli qərar alır.",
    "finding_four_fifths": (" Qrupun əlverişli qərar nisbəti ən yüksək nisbətə malik qrupun ({best}) "
                            "göstəricisinin {ratio} hissəsini təşkil edir və {threshold} olan dörddə beş "
                            "həddindən aşağıdır; bu həddə çatmaq üçün daha {shortfall} əlverişli qərar "
                            "lazım idi."),
    "finding_four_fifths_weighted": (" Qrupun çəkili əlverişli qərar nisbəti ən yüksək nisbətə malik qrupun "
                                     "({best}) göstəricisinin {ratio} hissəsini təşkil edir və {threshold} olan "
                                     "dörddə beş həddindən aşağıdır; çatışmazlıq çəkili vahidlərlə {shortfall} "
                                     "təşkil edir (nümunə çəkilərinin cəmi, şəxslərin sayı deyil); nümunədə "
                                     "qrupda {n} nəfər var."),
    "finding_explained": (" Eyni fərqlər ən azı təxminən eyni həcmdə {groups} üçün də müşahidə olunur ({ids}): "
                          "bu kəsişmə üzrə nəticə əsasən onları əks etdirir."),
    "finding_within": (" Hər dəfə bir əlamət üzrə: {parts}. Bu əlavə müqayisələr auditin çoxsaylı "
                       "müqayisələri üçün düzəldilməyib."),
    "finding_within_part": "yalnız {attribute} əlamətinə görə fərqlənən {group} qrupu ilə müqayisədə {items}",
    "finding_within_item": ("{metric} {value}, müqayisə qrupunda {ref_value} ({diff} faiz bəndi, {level} "
                            "etibarlılıq intervalı: {low} – {high})"),
    "finding_within_item_units": ("{metric} {value}, müqayisə qrupunda {ref_value} ({diff}; fərqin {level} "
                                  "etibarlılıq intervalı: {low} – {high})"),
    "finding_small": ("{group} qrupunda {n} nəfər var: qiymətləndirmə üçün çox azdır. {mdd} faiz bəndindən "
                      "kiçik fərq çox güman ki, aşkarlanmayacaq, ona görə də bu qrup barədə nəticə "
                      "çıxarmaq mümkün deyil."),
    "finding_small_suppressed": ("{group}: kiçik sayları qorumaq üçün bu qrupun rəqəmləri bu nəşrdə "
                                 "gizlədilib, ona görə də burada qiymətləndirilə bilməz; onlar tənzimləyici "
                                 "orqan üçün əlavədə verilir."),
    "favourable_gap": "{group} {reference} ilə müqayisədə əlverişli vəziyyətdədir: {items}.",
    "sec_context": "Qrupun xeyrinə olan fərqlər (kontekst)",
    "context_intro": ("Bu fərqlər qrupun istinad qrupu ilə müqayisədə xeyrinədir. Onlar qrupun əleyhinə "
                      "aşkarlanan hal deyil: hər biri istinad qrupunu bu qrupla müqayisədə əlverişsiz "
                      "vəziyyətə salır və heç bir qeyd olunmuş fərq kənarda qalmasın deyə göstərilir."),
    "context_none": "Heç bir qeyd olunmuş fərq qrupu istinad qrupu ilə müqayisədə üstün vəziyyətə qoymur.",
    "exec_title": "Ən vacib aşkarlanan hallar",
    "exec_more": ("Daha {n} hal 8-ci bölmədə verilir; qrupun xeyrinə olan fərqlər onlardan sonra "
                  "göstərilir."),
    "col_disadvantaged_on": "Əlverişsiz olduğu göstəricilər",
    "toc": "Mündəricat",
    "weighted_note": "Nisbətlər nümunə çəkiləri ilə hesablanıb; n nümunədəki şəxslərin sayıdır.",
    "ref_rule": {"largest": "ən böyük qrup", "best": "ən əlverişli nisbətə malik qrup",
                 "overall": "bütün əhali"},
    "empty_count": "{attribute}: sətri olmayan {n} birləşmə",
    "exec_numbers": "{metric}: {value}, istinad qrupunda {ref_value} ({diff})",
    "exec_within_lead": "hər dəfə bir əlamət üzrə ({metric}): {parts}",
    "exec_within": "{group} qrupu ilə (yalnız {attribute}) {diff}",
    "finding_group_mixed": "{group} əlverişsiz vəziyyətdədir: {items}.",
    "finding_group_mixed_possible": "{group} əlverişsiz vəziyyətdə ola bilər: {items}.",
    "finding_item_reference": " ({reference})",
    "finding_small_intersection": ("{attribute} üzrə {n} qrup qiymətləndirmə üçün çox kiçikdir: {groups}{more}. "
                                   "Onlar barədə nəticə çıxarmaq mümkün deyil."),
    "finding_withheld_intersection": ("{attribute} üzrə {n} qrupun rəqəmləri kiçik sayları qorumaq üçün bu "
                                      "nəşrdə gizlədilib, ona görə də onlar burada qiymətləndirilə bilməz: "
                                      "{groups}{more}. Onlar tənzimləyici orqan üçün əlavədə verilir."),
    "finding_small_more": " və daha {n} qrup",
    "finding_small_vulnerable_many": " Bəyannamə bu qruplara xüsusi diqqət yetirilməsini tələb edir (D7).",
    "verdict_favours_group": ", qrupun xeyrinə",
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
    # a noun after a count stays singular in Azerbaijani; kept for the same keys as English
    "nouns": {"groupings": ("qruplaşma", "qruplaşma"), "comparisons": ("müqayisə", "müqayisə"),
              "findings": ("hal", "hal")},
    "finding_type": {
        "selection_rate_disparity": "seçilmə nisbətində qeyri-bərabərlik",
        "error_rate_disparity": "xəta nisbətlərində qeyri-bərabərlik",
        "predictive_value_disparity": "proqnostik dəyərlərdə qeyri-bərabərlik",
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
        "f1_score": "müsbət qiymətləndirmələrin tamlığının və isabətinin birləşmiş göstəricisi",
    },
    "metric_name": {
        "selection_rate": "Seçilmə nisbəti", "base_rate": "Baza nisbəti",
        "true_positive_rate": "Həqiqi müsbət nisbəti", "false_positive_rate": "Yalançı müsbət nisbəti",
        "false_negative_rate": "Yalançı mənfi nisbəti", "true_negative_rate": "Həqiqi mənfi nisbəti",
        "positive_predictive_value": "Müsbət proqnostik dəyər",
        "negative_predictive_value": "Mənfi proqnostik dəyər",
        "false_discovery_rate": "Yalançı aşkarlama nisbəti", "false_omission_rate": "Yalançı buraxma nisbəti",
        "accuracy": "Düzgünlük", "error_rate": "Xəta nisbəti", "balanced_accuracy": "Balanslaşdırılmış düzgünlük",
        "f1_score": "F1 göstəricisi",
    },
}
