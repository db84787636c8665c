"""Provisions of the Baku Declaration of Ombudsmen (18 June 2026) that audit findings cite.

The Azerbaijani text is the authoritative original, quoted verbatim (a test checks every
quote against the published text). The English lines are our own short summaries, not a
translation.
"""

from __future__ import annotations

__all__: list[str] = []

TITLE_AZ = (
    "“Süni intellekt dövründə insan hüquqları: imkanlar, risklər və məsuliyyətlər” mövzusunda "
    "həsr olunmuş Ombudsmanların Beynəlxalq Bakı Sammiti iştirakçılarının Bəyannaməsi"
)
TITLE_EN = "Declaration of the participants of the International Baku Summit of Ombudsmen (Baku, 18 June 2026)"

#: Provision ID -> (Azerbaijani original, verbatim; our English summary).
PROVISIONS = {
    "D1": (
        "Süni intellekt texnologiyalarının hazırlanması, tətbiqi və istifadəsi zamanı fundamental "
        "insan hüquq və azadlıqlarının, insan ləyaqətinin qorunmasını əsas prioritet hesab edir, "
        "bu texnologiyaların beynəlxalq hüquqa və etik prinsiplərə uyğun şəkildə idarə "
        "olunmasının əhəmiyyətini vurğulayırıq;",
        "Human rights and dignity come first whenever AI is built or used, under international law and ethics.",
    ),
    "D2": (
        "Dövlətləri insan hüquqlarına əsaslanan, təhlükəsiz, etibarlı, şəffaf, hesabatlı və "
        "inklüziv süni intellekt idarəetmə mexanizmlərinin formalaşdırılmasını, bu prosesdə "
        "çoxtərəfli iştirakın, məlumatların məxfiliyinin qorunmasının, alqoritmik qərəzliliyin "
        "qarşısının alınmasının və effektiv hüquqi nəzarət mexanizmlərinin təmin edilməsini "
        "təşviq etməyə çağırırıq;",
        "States should govern AI on human-rights grounds: safely, transparently, accountably and inclusively, keeping data confidential, preventing algorithmic bias and providing legal oversight.",
    ),
    "D3": (
        "Süni intellekt sistemlərinin hazırlanması və tətbiqi prosesində insan hüquqlarına "
        "təsirin qiymətləndirilməsi mexanizmlərinin tətbiqini zəruriliyini vurğulayırıq;",
        "The human-rights impact of AI systems must be assessed when they are developed and deployed.",
    ),
    "D4": (
        "İnsanların hüquq və azadlıqlarına təsir göstərən qərarların qəbulunda insan nəzarətinin "
        "səmərəli şəkildə təmin edilməsinin vacibliyini diqqətə çatdırırıq;",
        "Decisions that affect people's rights and freedoms need effective human oversight.",
    ),
    "D5": (
        "Şəxsi məlumatların mühafizəsinin, rəqəmsal məxfiliyin və kibertəhlükəsizliyin "
        "gücləndirilməsini süni intellekt dövrünün əsas prioritetlərindən biri olduğunu "
        "vurğulayır, bu sahədə milli və beynəlxalq səviyyədə effektiv hüquqi, texniki və "
        "institusional tədbirlərin görülməsini dəstəkləyirik;",
        "Personal data, digital privacy and cybersecurity are a priority, to be protected by legal, technical and institutional means.",
    ),
    "D6": (
        "Alqoritmik ayrı-seçkiliyin və qərəzliliyin qarşısının alınması məqsədilə müstəqil "
        "monitoring, audit və hesabatlılıq mexanizmlərinin inkişaf etdirilməsinin vacibliyini "
        "vurğulayırıq;",
        "Independent monitoring, audit and accountability mechanisms are needed to prevent algorithmic discrimination and bias.",
    ),
    "D7": (
        "Rəqəmsal mühitdə uşaqların, qadınların, əlilliyi olan şəxslərin, yaşlı insanların, "
        "miqrantların və digər həssas qrupların hüquqlarının müdafiəsinə xüsusi diqqət "
        "yetirilməsinə çağırırıq;",
        "The rights of children, women, persons with disabilities, older persons, migrants and other vulnerable groups deserve special attention in the digital environment.",
    ),
    "D8": (
        "Rəqəmsal savadlılığın, media savadlılığının və süni intellekt texnologiyalarından "
        "məsuliyyətli istifadəyə dair maarifləndirmənin genişləndirilməsinin vacibliyini diqqətə "
        "çatdırırıq;",
        "Digital and media literacy, and awareness of responsible AI use, should grow.",
    ),
    "D9": (
        "Dezinformasiya, nifrət nitqi, rəqəmsal manipulyasiya və digər zərərli onlayn "
        "fəaliyyətlərlə mübarizənin gücləndirilməsini zəruri hesab edirik;",
        "The fight against disinformation, hate speech and digital manipulation should be stronger.",
    ),
    "D10": (
        "Ombudsman təsisatları və milli insan hüquqları institutları arasında süni intellekt və "
        "insan hüquqları sahəsində əməkdaşlığın, bilik və təcrübə mübadiləsinin "
        "genişləndirilməsinin əhəmiyyətini vurğulayırıq;",
        "Ombudsman institutions and national human-rights institutions should share knowledge and experience on AI.",
    ),
    "D11": (
        "Özəl sektoru süni intellekt sistemlərinin hazırlanması və tətbiqi zamanı insan hüquq və "
        "azadlıqlarına hörmət etməyə, etik prinsiplərə əməl etməyə və şəffaflığı təmin etməyə "
        "çağırırıq;",
        "Private companies should respect human rights, act ethically and be transparent when building and using AI.",
    ),
    "D12": (
        "Süni intellekt texnologiyalarının sosial rifahın yüksəldilməsi, inklüziv inkişafın "
        "təşviqi, əlçatanlığın artırılması və Dayanıqlı İnkişaf Məqsədlərinin həyata "
        "keçirilməsinə töhfə verməsinin əhəmiyyətini vurğulayırıq;",
        "AI should serve social welfare, inclusive development, accessibility and the Sustainable Development Goals.",
    ),
    "D13": (
        "Süni intellektin insan hüquqlarına təsirləri ilə bağlı beynəlxalq əməkdaşlığın, "
        "çoxtərəfli dialoqun, bilik və qabaqcıl təcrübə mübadiləsinin genişləndirilməsini təşviq "
        "edirik;",
        "International cooperation and exchange of good practice on AI and human rights are encouraged.",
    ),
    "D14": (
        "Ombudsman və milli insan hüquqları institutlarının süni intellekt texnologiyalarının "
        "insan hüquqlarına təsirinin müstəqil monitorinqi, insan hüquqları üzrə risklərin "
        "qiymətləndirilməsi, qanunvericiliyin təhlili, habelə fərdlərin effektiv müdafiə "
        "vasitələrinə çıxışının təşviqi sahəsində rolunun və mandatının gücləndirilməsini "
        "dəstəkləyirik.",
        "Ombudsmen and human-rights institutions should have a stronger mandate to monitor AI independently, assess human-rights risks, analyse legislation and help people reach effective remedies.",
    ),
}

#: Finding type -> the provisions it speaks to (see docs/reports.md for the reasoning).
FINDING_PROVISIONS = {
    "selection_rate_disparity": ("D6", "D2", "D4", "D14"),
    "error_rate_disparity": ("D6", "D2", "D3", "D4", "D14"),
    "predictive_value_disparity": ("D6", "D3", "D4"),
    "intersectional_disparity": ("D6", "D7", "D3"),
    "possible_disparity": ("D6", "D3"),
    "group_too_small": ("D3", "D6", "D7"),
    "missing_protected_data": ("D5", "D3", "D6"),
    "auc_disparity": ("D6", "D2", "D3", "D4", "D14"),
    "miscalibration": ("D6", "D2", "D3", "D4"),
    "amount_disparity": ("D6", "D2", "D4", "D14"),
    "scoring_rate_disparity": ("D6", "D2", "D4", "D14"),
    "class_distribution_disparity": ("D6", "D3"),
}

#: Provisions every report speaks to, whatever it finds.
REPORT_PROVISIONS = ("D6", "D2", "D5", "D8", "D10")
