"""A deterministic scale corpus in the two real layouts, for the benchmark (generated on demand, never committed).

CPT code summaries (summary, billing overview, clinical context, modifier / diagnosis / related-code tables,
some cut off mid-table as real ones are) and payer coverage policies (front matter, table of contents, the
payer's instructions, coverage statement, code table, background with studies, references, revisions).
Codes, payers, dates, procedures, authors and figures vary with a seeded generator: the same `count` and
`seed` always give the same files.
"""

from __future__ import annotations

import random
from pathlib import Path

TECHNIQUES = [
    "cryoablation",
    "radiofrequency ablation",
    "microwave ablation",
    "laser ablation",
    "focused ultrasound ablation",
    "irreversible electroporation",
    "chemical ablation",
    "brachytherapy seed placement",
    "embolization",
    "resection",
]
ORGANS = ["breast", "liver", "kidney", "lung", "thyroid", "prostate", "bone", "pancreas", "uterus", "adrenal gland"]
APPROACHES = ["percutaneous", "laparoscopic", "open", "endoscopic", "image-guided"]
PAYERS = ["Cigna", "Aetna", "UnitedHealthcare", "Humana", "Anthem", "Highmark", "Molina", "Centene"]
SITES = [
    "hospital outpatient department",
    "ambulatory surgical center",
    "hospital operating room",
    "interventional radiology suite",
    "physician office",
]
MODIFIERS = [
    ("22", "Increased procedural services"),
    ("26", "Professional component"),
    ("50", "Bilateral procedure"),
    ("52", "Reduced services"),
    ("53", "Discontinued procedure"),
    ("59", "Distinct procedural service"),
    ("62", "Two surgeons"),
    ("73", "Discontinued outpatient procedure before anesthesia"),
    ("74", "Discontinued outpatient procedure after anesthesia"),
    ("76", "Repeat procedure by same physician"),
    ("78", "Unplanned return to the operating room"),
    ("80", "Assistant surgeon"),
    ("AS", "Physician assistant or nurse practitioner services"),
    ("QX", "CRNA service with medical direction"),
]
TAXONOMIES = [
    ("207K00000X", "Interventional Radiology"),
    ("2084P0800X", "Vascular and Interventional Radiology"),
    ("208000000X", "General Surgery"),
    ("207L00000X", "Diagnostic Radiology"),
    ("2086S0105X", "Surgical Oncology"),
    ("208800000X", "Urology"),
    ("207RX0202X", "Medical Oncology"),
]
CONDITIONS = [
    "malignant neoplasm",
    "secondary malignant neoplasm",
    "neoplasm of uncertain behavior",
    "benign neoplasm",
    "carcinoma in situ",
]
AUTHORS = [
    "Tan",
    "Fine",
    "Galati",
    "Kawamoto",
    "Navarro",
    "Mauri",
    "Simmons",
    "Xia",
    "Ito",
    "Ji",
    "Zhou",
    "Lanza",
    "Garcia",
    "Peek",
    "Sabel",
    "Dooley",
    "Klimberg",
    "Noguchi",
    "Ohtani",
    "Carriero",
    "Park",
    "Okafor",
]
INSTRUCTIONS = [
    "The following Coverage Policy applies to health benefit plans administered by {payer}. Certain lines of "
    "business only provide utilization review services to clients and do not make coverage determinations. "
    "Coverage Policies are intended to provide guidance in interpreting certain standard benefit plans.",
    "In the absence of a controlling federal or state coverage mandate, benefits are ultimately determined by the "
    "terms of the applicable benefit plan document. Claims submitted for services that are not accompanied by "
    "covered code(s) under the applicable Coverage Policy will be denied as not covered.",
]


def _date(rng: random.Random, first: int = 2018, last: int = 2027) -> str:
    return f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/{rng.randint(first, last)}"


def _procedure(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(APPROACHES), rng.choice(TECHNIQUES), rng.choice(ORGANS)


def _icd(rng: random.Random, organ_index: int) -> str:
    return f"{rng.choice('CDK')}{rng.randint(10, 99)}.{rng.randint(0, 9)}"


def cpt_summary(code: str, rng: random.Random) -> str:
    approach, technique, organ = _procedure(rng)
    title = f"{approach.capitalize()} {technique.capitalize()} of {organ.capitalize()} Tumor"
    payers = ", ".join(rng.sample(PAYERS, 4)) + ", and Medicare"
    site = rng.choice(SITES)
    age = rng.randint(35, 80)
    lines = [
        "Summary & Overview",
        f"CPT {code}: {title}",
        f"CPT code {code} describes {approach} {technique} of one or more {organ} tumors. The code captures a "
        f"{'minimally invasive' if approach != 'open' else 'surgical'} procedure relevant to payers and facilities "
        f"considering coverage and site-of-service use. Key payers covered in this analysis include {payers}.",
        "Billing Code Overview",
        f"CPT code {code} describes a procedure in which the provider uses {technique} through a {approach} approach "
        f"to destroy {organ} tumor tissue. This code applies to treatment of a single {organ}.",
        f"Service type: {approach.capitalize()} tumor {technique}",
        f"Typical site of service: {site.capitalize()}",
        "Clinical & Coding Specifications",
        "Clinical Context",
        f"A typical patient is a {age}-year-old with a localized {organ} tumor confirmed by biopsy. The procedure is "
        f"performed in a {site} under imaging guidance, followed by imaging to document the treatment effect.",
        "Coding Specifications",
        "| Modifier | Description | When to Use |",
        "|---|---|---|",
    ]
    for mod, description in rng.sample(MODIFIERS, rng.randint(2, 4)):
        lines.append(
            f"{mod} | {description} | Use when the {technique} of the {organ} calls for it ({description.lower()})."
        )
    if rng.random() < 0.1:  # cut off mid-table, as some real summaries are
        lines.append(f"{rng.choice(MODIFIERS)[0]} |")
        return "\n".join(lines) + "\n"
    lines += ["Related Diagnoses", "| ICD-10 Code | Description | Clinical Relevance |", "|---|---|---|"]
    for condition in rng.sample(CONDITIONS, rng.randint(1, 3)):
        lines.append(
            f"{_icd(rng, ORGANS.index(organ))} | {condition.capitalize()} of {organ} | "
            f"Common indication for {organ} {technique}."
        )
    return "\n".join(lines) + "\n"


def coverage_policy(number: str, codes: list[str], rng: random.Random) -> str:
    payer = rng.choice(PAYERS)
    _, technique, organ = _procedure(rng)
    title = f"{technique.capitalize()} for {organ.capitalize()} Tumors"
    effective = _date(rng, 2024, 2026)
    decision = rng.choice(
        [
            "medically necessary when criteria are met",
            "not medically necessary",
            "experimental, investigational or unproven",
        ]
    )
    studies = rng.sample(AUTHORS, rng.randint(2, 4))
    years = {a: rng.randint(2010, 2025) for a in studies}
    out = [
        "Medical Coverage Policy",
        "",
        f"Effective Date{effective}",
        "",
        f"Next Review Date{_date(rng, 2026, 2027)}",
        "",
        f"Coverage Policy Number..... {number}",
        "",
        title,
        "",
        "Table of Contents",
        "",
        "Overview\t2",
        "Coverage Policy\t2",
        "Coding Information\t2",
        "General Background.....\t2",
        "References.....\t5",
        "Revision Details.....\t6",
        "",
        "INSTRUCTIONS FOR USE",
        "",
    ]
    out += [p.format(payer=f"{payer} Companies") + "\n" for p in INSTRUCTIONS]
    out += [
        "Overview",
        "",
        f"This Coverage Policy addresses {technique} for {organ} tumors.",
        "",
        "Coverage Policy",
        "",
        f"{technique.capitalize()} for {organ} tumors is considered {decision}.",
        "",
        "Coding Information",
        "",
        f"Considered {decision.split(' when')[0].title()}:",
        "",
        "CPT®* Codes\tDescription",
    ]
    for code in codes:
        out.append(f"{code}\tAblation, {organ} tumor(s), {rng.choice(APPROACHES)}, {technique}")
    out += [
        "",
        "General Background",
        "",
        f"{technique.capitalize()} is a treatment for {organ} tumors studied in small trials. {payer} reviews "
        f"the evidence for safety and efficacy at each annual review.",
        "",
    ]
    for author in studies:
        n = rng.randint(12, 400)
        out += [
            f"{author} et al. ({years[author]}) studied {n} participants treated with {technique} of the {organ}. "
            f"The complete ablation rate was {rng.randint(50, 99)}.{rng.randint(0, 9)}% and the local recurrence "
            f"rate was {rng.randint(1, 15)}.{rng.randint(0, 9)}% at {rng.choice([12, 24, 36, 60])} months.",
            "",
        ]
    out += ["References", ""]
    for i, author in enumerate(studies, 1):
        out.append(
            f"{i}. {author} A, et al. {technique.capitalize()} of the {organ}: outcomes. "
            f"J Clin Oncol. {years[author]};{rng.randint(1, 40)}:{rng.randint(100, 999)}."
        )
    out += [
        "",
        "Revision Details",
        "",
        "Type of Revision\tSummary of Changes\tDate",
        f"Annual Review\tNo clinical policy statement changes.\t{effective}",
        f"Focused Review\tAdded code {codes[0]}.\t{_date(rng, 2022, 2024)}",
        "",
        f"“{payer} Companies” refers to operating subsidiaries of {payer}. All products and services are "
        f"provided exclusively by or through such operating subsidiaries.",
        "",
    ]
    return "\n".join(out) + "\n"


def generate(folder: Path, count: int, seed: int = 0, policy_share: float = 0.1) -> list[Path]:
    """Write `count` documents into `folder` (CPT summaries and, one in ten, coverage policies), each in its own
    file: a corpus of any size holds `count` documents."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(count):
        rng = random.Random(f"{seed}-{i}")
        if rng.random() < policy_share:
            number = f"{i:05d}"
            codes = [f"{rng.randint(0, 9999):04d}T" for _ in range(rng.randint(2, 4))]
            path, text = folder / f"policy-{number}.txt", coverage_policy(number, codes, rng)
        elif i < 30_000:  # Category III / II / PLA codes: 0000T .. 9999U
            code = f"{i % 10000:04d}{'TFU'[i // 10000 % 3]}"
            path, text = folder / f"cpt-{code}.txt", cpt_summary(code, rng)
        else:  # past them, five-digit Category I codes; past 99999 a code has several summaries (names stay unique)
            code = f"{i % 100_000:05d}"
            path, text = folder / f"cpt-{code}-{i}.txt", cpt_summary(code, rng)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
