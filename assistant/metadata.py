"""What a document is: its title, payer and publisher, kind, number and dates, read from its content.

The header fields the parser found come first ("Subject:", "Policy #", "Last Review"); then what the layout
shows (the first heading that is not a document-type name); then what the file declares (an HTML <title>,
PDF or Word properties). The kind comes from the name a document gives itself ("Clinical Policy Bulletin",
"Local Coverage Determination", "Clinical UM Guideline") near its top. The payer is whoever the title, header,
running page lines and copyright lines name (payers.py); a document that names none there has none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .fields import DATE, DATE_FIELDS, GUIDELINE_CODE, IDENTIFIER, LABELS, Field, after_number, find_fields, parse_date
from .parsing import PROSE_CHARS, Layout, RawPassage, plain
from .payers import family, mentions, payers_named, plans_named, program_of, publisher_of, state_medicaid
from .readers import PAGE_NUMBER, Source, viewer_title
from .text import HISTORY_HEADING, OUTLINE_MARK

# The names documents give their own type. A title made only of these (and a payer's name) is not a title.
KIND_NAMES: list[tuple[str, str]] = [
    ("ncd", r"national coverage determination|\bNCD\s+\d{2,3}\.\d+"),
    ("lcd", r"local coverage determination|\bLCD\s+(?:ID\s+)?L\d{5}"),
    ("billing-article", r"billing and coding|local coverage article|\barticle\s+(?:id\s+)?A\d{5}"),
    (
        "clinical-guideline",
        r"clinical um guideline|clinical guideline|"
        r"clinical practice guideline|medical necessity guideline|coverage guidance",
    ),
    (
        "coverage-policy",
        r"clinical review criteria|clinical policy bulletin|medical coverage policy|coverage policy|medical policy|"
        r"clinical policy|"
        r"clinical coverage policy|policy guideline|coverage determination guideline|"
        r"reimbursement policy|payment policy|coverage summary|medical policy bulletin|"
        # A Medicaid program's provider manual states its benefits and limitations: its coverage rules.
        r"provider (?:procedures |reference |billing )?manual",
    ),
]
_GENERIC = re.compile(
    r"\b(medical|clinical|coverage|policy|policies|bulletins?|guidelines?|um|national|local|determination|ncd|lcd|"
    r"billing|coding|article|medicare|advantage|commercial|individual|exchange|and|for|summary|overview|"
    r"reimbursement|payment|table|of|contents|document|information|inc|the|plan|plans|health|healthcare|"
    # "Medical Review Criteria", "Coverage Criteria", "Medical Necessity Guidelines": names of a kind of document too
    r"community|manual|provider|review|criteria|necessity|benefits?|"
    # the masthead's licence line ("An Independent Licensee of the Blue Cross and Blue Shield Association")
    r"an|independent|licensee|association)\b|[®™©&|:.,()\-–—]",
    re.I,
)
# Dates stated in a sentence when no header field gives them ("Effective for dates of service on or after
# April 14, 2025", "This NCD last reviewed July 2024.").
_DATE_SENTENCES = {
    "effective_date": re.compile(
        # "Effective for dates of service (DOS) on and after April 1, 2025"
        r"\beffective (?:for (?:dates of )?services? (?:\(DOS\) )?(?:performed )?on (?:or|and) after|as of|on)\s+",
        re.I,
    ),
    "last_review_date": re.compile(r"\blast (?:reviewed|review(?:ed)? (?:date|on))\s*(?:on|in|:)?\s*", re.I),
    "next_review_date": re.compile(r"\bnext (?:scheduled )?review(?: date)?\s*(?:is|on|in|:)?\s*", re.I),
}
# A number in a title: "(20.26)" after it, "CPB 0735", or leading it before a colon, as a benefit manager's or a
# plan's guideline code does ("PM-11.2: Percutaneous Trigeminal ...", "CG-MED-81: ...").
_TITLE_NUMBER = re.compile(
    r"\((\d{2,3}\.\d{1,3})\)\s*$|\b(?:CPB|NCD)\s+(\d[\d.]*)\b|"
    rf"^({GUIDELINE_CODE})\s*:\s+\S"
)
# A title that opens with the kind of document and its number: a state's administrative rule ("Rule 5160-4-21.7
# Surgical services: ..."), a bulletin or policy so printed ("Policy 0540 - ...").
_NUMBER_FIRST = re.compile(
    r"^(?:rule|regulation|policy|bulletin|guideline|article|section)\s+(?:no\.?\s*|number\s+|#\s*)?"
    r"(?P<number>(?!(?:19|20)\d\d\b(?![-.]\d))(?=[\w.-]*\d)[A-Z0-9][\w.-]*[A-Z0-9])\s*[|:–—-]?\s+(?P<title>[A-Za-z].{3,})$",
    re.I,
)
MAX_TITLE = 200
_POLICY_TYPE = re.compile(r"\b(?:polic(?:y|ies)|guidelines?|bulletins?)\b", re.I)
# Headings of a publisher's wrapper, never a document's title.
_WRAPPER = re.compile(
    r"^(?:disclaimer|notice|instructions for use|table of contents|contents|important notice|"
    r"legal|overview|summary|description|background|policy|purpose|scope|references|introduction)(?:/\w+)?:?$",
    re.I,
)


@dataclass
class Metadata:
    title: str
    kind: str
    payer: str | None
    publisher: str | None
    policy_number: str | None
    effective_date: str | None
    last_review_date: str | None
    next_review_date: str | None
    code: str | None
    original_effective_date: str | None = None


def read_metadata(doc_id: str, text: str, source: Source, layout: Layout, code_title: str | None) -> Metadata:
    fields = _first_fields(layout.fields)
    title = _title(layout, source, fields, code_title) or doc_id
    kind = _kind(title, text, layout, code_title)
    payer, publisher = (None, None) if kind == "code-summary" else _payer(title, text, source, layout)
    effective = (
        fields.get("effective_date")
        or _dated_section("effective_date", layout)
        or fields.get("published_date")
        or _latest_effective(layout)
        or _implemented(layout)
        or fields.get("original_effective_date")
        or _date_sentence("effective_date", text)
    )
    numbered = _NUMBER_FIRST.match(title)
    if numbered:
        # "Rule 5160-4-21.7 | Surgical services: endometrial ablation.": named by its number, then in words.
        title = numbered.group("title").rstrip(" .")
    number = (
        _in_full(fields.get("policy_number"), source)
        or (numbered.group("number") if numbered else None)
        or _number_in_title(title)
        or _number_after_title(title, source)
        or _bare_number(layout)
        or _locator(layout, source)
    )
    if number and title.endswith(f" ({number})"):
        title = title[: -len(number) - 3]  # "Bronchial Thermoplasty (PG0487)": the name, its number beside it
    if number and title.endswith(f" {number}") and fields.get("policy_number") and not number.isdigit():
        # A number printed under the title joins it when the lines are read as one heading ("Alcohol Septal
        # Ablation ... Surgical 162"): the number is the document's, not a word of its name.
        title = title[: -len(number)].rstrip(" :-–—|,")
    return Metadata(
        title=title,
        kind=kind,
        payer=payer,
        publisher=publisher,
        policy_number=number,
        effective_date=effective,
        last_review_date=fields.get("last_review_date")
        or _date_sentence("last_review_date", text)
        or _latest_review(layout),
        next_review_date=fields.get("next_review_date") or _date_sentence("next_review_date", text),
        code=code_title,
        original_effective_date=fields.get("original_effective_date"),
    )


def _implemented(layout: Layout) -> str | None:
    """ "Implementation Date: January 1, 2026" beside an "Original Date", where no date is labelled effective:
    when this version took effect. Alone it is when the policy was first put in place (SelectHealth's), and
    beside an effective date it is another date (CMS's decisions): neither is read as the effective date."""
    if not any(f.name == "original_effective_date" for f in layout.fields):
        return None
    return next(
        (
            f.value
            for f in layout.fields
            if f.name == "other" and "implement" in f.label.lower() and DATE.search(f.value)
        ),
        None,
    )


def _first_fields(found: list[Field]) -> dict[str, str]:
    first: dict[str, str] = {}
    # A review date says when the policy was last reviewed; a revision or update date stands in for one only
    # when no review is labelled ("Revision Date: 03/27/2025  Review Date: 01/16/2025").
    reviewed = [f for f in found if f.name == "last_review_date" and re.search(r"review", f.label, re.I)]
    # Two reviews labelled ("Last CAP Review: 2/2025", "Last Review: 4/2025"): the later is the last.
    reviewed.sort(key=lambda f: parse_date(f.value) or date.min, reverse=True)
    # Likewise an amendment's or a begin date stands in for the effective date only when none is labelled as
    # such ("Amended Date: May 1, 2025" above "Effective Date: July 1, 2025").
    effective = [f for f in found if f.name == "effective_date" and re.search(r"effective", f.label, re.I)]
    for f in reviewed + effective + found:
        if f.value.upper() not in {"N/A", "NA", "TBD"}:
            first.setdefault(f.name, f.value)
    return first


def is_generic(title: str) -> bool:
    """Is a heading only a document-type name and payer ("Highmark Inc. Medical Policy Bulletin")?"""
    rest = title
    for _, start, end in reversed(mentions(title)):  # the name as printed ("Oscar"), not its canonical form
        rest = rest[:start] + " " + rest[end:]
    rest = re.sub(r"UnitedHealthcare|Blue Cross|Blue Shield|BlueCross|BlueShield", " ", rest, flags=re.I)
    return not _GENERIC.sub(" ", rest).strip()


def _title(layout: Layout, source: Source, fields: dict[str, str], code_title: str | None) -> str:
    title = _named_in_full(_printed_title(layout, source, code_title), layout)
    # A heading printed as a trail ("Covered and Noncovered Services : Celiac Plexus Block and Neurolysis") whose
    # one part the page's title line names too: that part is the document's name (two places agree on it).
    parts = [part for part in _TRAIL.split(title) if part.strip()]
    if len(parts) > 1:
        named = {_folded(part) for line in source.running.splitlines() for part in _TITLE_PARTS.split(line)}
        agreed = [part for part in parts if _folded(part) in named]
        if len(agreed) == 1:
            title = agreed[0].strip()
    if title.isupper():
        # A title set in capitals is printed in its own case elsewhere (the running header, the file's title).
        # A saved page's <title> line reads "Title | Medical Policy 744 | Publisher": each part is a candidate.
        printed = (*source.running.splitlines(), source.title_hint or "")
        for line in (part for text in printed for part in _TITLE_PARTS.split(text)):
            if not line.isupper() and " ".join(line.split()).casefold() == title.casefold():
                return " ".join(line.split())
    return title


def _named_in_full(title: str, layout: Layout) -> str:
    """A title named short (a header label's "Policy Name: Thermal Ablation of Benign Thyroid Nodules", a running
    header cut at the line's end: "... Ablation of Spinal") gives way to the top heading that names it in full
    ("... Nodules (Radiofrequency, Microwave and Laser Ablation)", "... of Spinal Metastases")."""
    folded = _folded(title)
    if not title or any(_folded(heading) == folded for _, heading, _ in layout.headings):
        return (
            title  # a heading of its own: a longer one below it is a section of the document ("... for Renal Tumors")
        )
    body = _body_start(layout)
    fuller = next(
        (
            _clean_title(heading)
            for _, heading, offset in layout.headings[:12]
            if (body is None or offset <= body)
            and len(heading) <= MAX_TITLE
            and _folded(heading).startswith(folded)
            and len(_folded(heading)) > len(folded)
        ),
        None,
    )
    if fuller is None:
        return title
    # A heading set in capitals adds its words to the title in the title's own case.
    return title + fuller[len(title) :].title() if fuller.isupper() and not title.isupper() else fuller


def _body_start(layout: Layout) -> int | None:
    """Where the body starts: the first paragraph or list long enough to be prose, not a header line."""
    return next(
        (r.start for r in layout.passages if r.kind in ("paragraph", "list") and len(r.text) > PROSE_CHARS), None
    )


def _printed_title(layout: Layout, source: Source, code_title: str | None) -> str:
    body = _body_start(layout)
    body = len(source.text) if body is None else body
    # A labelled title names the document in its header, before the body: one in a table further down names
    # something else (a CMS page's decision memo "Title").
    header_title = next(
        (
            f.value
            for f in layout.fields
            if f.name == "title"
            and (f.start <= body or _among_own_fields(f, layout, source.text))
            and f.value.upper() not in {"N/A", "NA", "TBD"}
        ),
        None,
    )
    if header_title:
        return _headline_named_by_file(layout, source, body) or _clean_title(header_title)
    if code_title:
        return code_title
    typed = _typed_title_line(layout, source, body)
    if typed and source.format == "text":
        # (in plain text, headings are guessed from capitals: the type-and-name line says which is the title)
        return typed
    heads = [(level, heading) for level, heading, offset in layout.headings[:12] if offset <= body]
    for _, heading in heads:
        labelled = [f.value for f in find_fields(heading) if f.name == "title"]
        if labelled:
            return _clean_title(labelled[0])  # "Subject: Basivertebral Nerve Ablation"
    # "Subject:" (or "A. Subject", a lettered section) over the subject, wherever the first sections put it.
    first = [heading for _, heading, _ in layout.headings[:12]]
    for heading, following in zip(first, first[1:]):
        if OUTLINE_MARK.sub("", heading).strip(" :").casefold() in LABELS["title"]:
            return _clean_title(following)
    # The file's own title property may name one of its headings ("Provider Procedures Manual - 9.2.14 Uterine
    # Fibroid Ablation" over a manual's chapter "9 Gynecological Surgical Services"): the author's choice.
    named = {_folded(part) for part in _TITLE_PARTS.split(source.title_hint or "") if part.strip()}
    for _, heading, _ in layout.headings:
        if _folded(heading) in named and not is_generic(heading) and len(heading) <= MAX_TITLE:
            return _clean_title(heading)
    # A line the publisher prints on every page that the file's title property holds too ("Breast: Cryoablation
    # ..." in the running header, "SUR512 Breast: Cryoablation ..." as the PDF's title): two places agree on it.
    hint = _folded(source.title_hint or "")
    for line in source.running.splitlines():
        folded = _folded(line)
        if len(folded.split()) >= 3 and folded in hint and len(line) <= MAX_TITLE and _title_like(line):
            return _clean_title(line)
    # A heading at the top that leads with the guideline's code names the document ("PM-9.4: Sacroiliac Joint
    # ..."), not the series name printed above it ("... Pain Management Guidelines"), when the code is the
    # document's own: labelled as its number, or printed on every page ("ICD-10-CM: Diagnosis Codes" is not).
    own = " ".join([*(f.value for f in layout.fields), source.running, source.title_hint or ""])
    numbered = next(
        (h for _, h in heads[:3] if (m := _TITLE_NUMBER.search(h)) and m.group(3) and m.group(3) in own), None
    )
    if numbered and len(numbered) <= MAX_TITLE:
        return _clean_title(numbered)
    agreed = _heading_printed_on_every_page(heads[:3], source)
    if agreed:
        return agreed
    for level, heading in heads:
        if (
            level <= 2
            and not is_generic(heading)
            and not _WRAPPER.search(heading)
            and len(heading) <= MAX_TITLE
            and not re.fullmatch(r"[\d.\s]+", heading)
        ):
            return _clean_title(heading)
    if typed:  # a heading marked as such names the document before a category beside its type ("... | DME")
        return typed
    for candidate in map(_unless_a_viewer, (_unless_a_file_name(source.title_hint), *source.running.splitlines()[:4])):
        labelled = [f.value for f in find_fields(candidate or "") if f.name == "title"]
        hint = _clean_title(labelled[0] if labelled else re.split(r"\s{3,}|\s+page\b", candidate or "", flags=re.I)[0])
        if hint and not is_generic(hint) and not find_fields(hint) and len(hint) <= MAX_TITLE:
            return _as_printed_on_top(hint, source.text[:body])
    for raw in layout.passages[:8]:
        if len(raw.text) <= 120 and not is_generic(raw.text) and not raw.text.endswith("."):
            # (as printed: the passage's text has lost the bar between a title line's parts)
            return _clean_title(source.text[raw.start : raw.end])
    return ""


def _heading_printed_on_every_page(heads: list[tuple[int, str]], source: Source) -> str | None:
    """A heading at the top, of any size, that names what the running header prints on every page ("Sclerotherapy
    and Non-Thermal ... - Policy Number: OCA 3.729" over the heading "Medical Policy Sclerotherapy and ..."): two
    places agree on it, word for word from its start, bar the heading's leading document-type name."""
    printed = [
        _folded(part)
        for line in source.running.splitlines()
        for part in _TITLE_PARTS.split(line)
        if len(part.split()) >= 3 and _title_like(part)
    ]
    for _, heading in heads:
        named = _clean_title(heading)
        kind = _LEADING_TYPE.match(named)
        name = named[kind.end() :] if kind else named
        # (the running header may cut the name short: "Sclerotherapy and Non-Thermal Endovenous Ablation")
        if len(heading) <= MAX_TITLE and _title_like(name) and any(_folded(name).startswith(p) for p in printed):
            return name
    return None


# A heading that opens with the document's type on the line above its name ("Medical Policy" / "Sclerotherapy ...").
_LEADING_TYPE = re.compile(r"^(?:medical|clinical|coverage|payment|reimbursement)\s+(?:policy|guideline)\s+", re.I)


# What a saved file's name carries and a document's title does not: its version and state of editing.
_SAVE_MARKS = re.compile(r"\b(?:v\d+(?:\.\d+)*|rev\d*|final|draft|copy|redline)\b|\.(?:docx?|pdf)(?=\s*$)", re.I)


def _unless_a_file_name(hint: str | None) -> str | None:
    """A file's title property holding a file name ("OCA3729_sclero_nonthermal_v9_FINAL": no spaces, words joined
    by underscores; "CHP-SUR-0612 excimer 2026 rev FINAL v3": a version and an editing state) names no
    document."""
    if hint and "_" in hint and " " not in hint.strip():
        return None
    # (two marks at least, or an extension: one is a document's own word too, "Draft LCD", "Model V24", "Rev. 2")
    marks = _SAVE_MARKS.findall(hint or "")
    return None if hint and (len(marks) >= 2 or any(m.startswith(".") for m in marks)) else hint


def _unless_a_viewer(line: str | None) -> str | None:
    """A title line a print view or viewer gives its window ("Print Policy | Acme Health Plan") names the wrapper
    first and the site after it: no document."""
    return None if line and viewer_title(_TITLE_PARTS.split(line)[0]) else line


def _among_own_fields(title: Field, layout: Layout, text: str) -> bool:
    """Is a labelled title printed in one block with the document's number or dates ("Policy Name: ..." /
    "Policy Number: CMO 531" under a page's own introduction)? Then it names the document, though prose stands
    above it; alone further down, a "Title" names something else."""
    own = [f for f in layout.fields if f.name == "policy_number" or f.name in DATE_FIELDS]
    return any(not plain(text[min(title.end, f.end) : max(title.start, f.start)]).strip() for f in own)


def _typed_title_line(layout: Layout, source: Source, body: int) -> str | None:
    """A line above the body that gives the document's type and then its name ("MEDICAL COVERAGE POLICY |
    Cryoneurolysis for Knee Pain"): the publisher's own way of saying which document this is."""
    above: list[tuple[str, RawPassage | None]] = [
        (source.text[raw.start : raw.end].strip(), raw) for raw in layout.passages[:8] if raw.start <= body
    ]
    # (a header grid's first row is its table's header, a line of the text but no passage: the table rows above
    # the body are read as lines)
    rows = [line for line in source.text[:body].splitlines() if line.startswith("|") and "---" not in line]
    above += [(row.strip(" |"), None) for row in rows]
    for text, raw in above:
        parts = _TITLE_PARTS.split(text)
        typed = [part for part in parts if _names_a_type(part)]
        names = [plain(part) for part in parts if part not in typed]
        if not (len(parts) == 2 and len(typed) == 1 and len(plain(text)) <= MAX_TITLE):
            # One cell of a header grid may hold both, the type in capitals over the name ("MEDICAL POLICY
            # Corneal Excimer Laser Ablation: ..."): the change of case is where the name begins.
            split = [pair for part in parts if (pair := _type_over_name(part))]
            typed, names = ([split[0][0]], [split[0][1]]) if len(split) == 1 else ([], [])
        if len(typed) == 1 and names and _names_a_subject(names[0]) and len(names[0]) <= MAX_TITLE:
            # ... and the body speaks of that subject (not "Medical Policy | Política Médica": the type twice).
            words = {w.casefold() for w in re.findall(r"[^\W\d_]{3,}", names[0])}
            prose = " ".join(
                r.text
                for r in layout.passages
                if r.kind in ("paragraph", "list") and r is not raw and not r.boilerplate
            )
            body_words = {w.casefold() for w in re.findall(r"[^\W\d_]{3,}", prose)}
            if len(words & body_words) * 2 >= len(words):
                return _clean_title(names[0])
    return None


def _type_over_name(part: str) -> tuple[str, str] | None:
    """A document's type in capitals and its name after it in one line or cell: split after the longest run of
    capitalised words from the start that names a type ("MEDICAL POLICY | PTK Treatment", an acronym opening
    the name), the name going on in mixed case."""
    said = plain(part).split()
    for cut in range(len(said) - 1, 0, -1):
        head, name = " ".join(said[:cut]), " ".join(said[cut:])
        if head.isupper() and not name.isupper() and _names_a_type(head):
            return head, name
    return None


def _names_a_type(part: str) -> bool:
    """ "MEDICAL COVERAGE POLICY", "Clinical Guideline": a document's type, no name of its own."""
    return is_generic(plain(part)) and bool(_POLICY_TYPE.search(part))


def _names_a_subject(name: str) -> bool:
    """Words that name what a document is about, not its number, products or section ("Surgery, Policy No. 238",
    "Commercial, Medicare and Medicaid", "7.01.592")."""
    numbered = find_fields(name) or re.search(r"\d", name)
    return _title_like(name) and not numbered and len(re.findall(r"[A-Za-z]{3,}", name)) >= 2


def _headline_named_by_file(layout: Layout, source: Source, body: int) -> str | None:
    """The page's headline in the largest type, when the file's title property names it too ("Medical Necessity
    Criteria MN-1129: <headline>"): two places agree on the document's name, over a header label's "Subject:"
    that says what the criteria take in ("... block and radiofrequency ablation")."""
    # (the name after the colon, where the document's type and number come first)
    name = (source.title_hint or "").rpartition(": ")[2]
    if not name.strip():
        return None
    named = {_folded(name)}
    top = min((level for level, _, offset in layout.headings if offset <= body), default=None)
    return next(
        (
            _clean_title(heading)
            for level, heading, offset in layout.headings
            if level == top and offset <= body and _folded(heading) in named and not is_generic(heading)
        ),
        None,
    )


def _as_printed_on_top(line: str, top: str) -> str:
    """A running line that puts the manual's part before the title ("Part 2 - Surgery: ... for Spasticity"), as
    far as the document's first page prints it for a title ("Surgery: ... for Spasticity", over two lines)."""
    printed = _folded(top)
    if _folded(line) in printed:
        return line
    for part in _TITLE_PARTS.finditer(line):
        rest = line[part.end() :]
        if len(rest.split()) >= 3 and _folded(rest) in printed:
            return rest
    return line


def _title_like(line: str) -> bool:
    return not is_generic(line) and not find_fields(line) and not PAGE_NUMBER.match(line)


# What separates the parts of a title line ("Title | Medical Policy 744 | Publisher", "Title - Policy No. 7").
_TITLE_PARTS = re.compile(r"\s+[-–—|]\s+")
# ... and of a heading printed as a trail of sections ("Chapter : Topic").
_TRAIL = re.compile(r"\s+[-–—|:]\s+")


def _folded(text: str) -> str:
    return " ".join(plain(text).split()).casefold()


def _clean_title(title: str) -> str:
    # "MEDICAL COVERAGE POLICY | Cryoneurolysis for Knee Pain": the document's type beside its name is no part of it
    # (read before the bar is tidied away).
    parts = _TITLE_PARTS.split(title or "")
    named = [part for part in parts if not _names_a_type(part)]
    if named and len(named) < len(parts):
        title = " - ".join(named)
    title = " ".join(plain(title or "").split()).strip(" :-–—|")
    # "9.2.14 Uterine Fibroid Ablation": a manual's outline number is no part of the title.
    title = re.sub(r"^\d+(?:\.\d+)+\s+(?=[A-Z])", "", title)
    # "Laser Interstitial Thermal Therapy ... 2025-11-16": a version's date after the name is no part of it.
    title = re.sub(r"\s+\(?\d{4}-\d{2}-\d{2}\)?$", "", title)
    # "Endovenous Ablation of Varicose Veins - Medical Policy No. 91633-R5": the number is not the title.
    parts = _TITLE_PARTS.split(title)
    kept = [part for part in parts if after_number(part) != ""]
    if kept and len(kept) < len(parts):
        title = " - ".join(kept)
    kind, colon, rest = title.partition(": ")
    # "Clinical Policy: Ablation of ...", "Oscar Clinical Guideline: ...": the policy's type is not its title
    # ("Billing and Coding: ..." is: CMS titles its articles so).
    typed = colon and rest.strip() and is_generic(kind) and _POLICY_TYPE.search(kind)
    # "MCG: Endoscopic Ablation ...": the type as its publisher abbreviates it (medical coverage guideline,
    # clinical policy bulletin, medical policy, local coverage determination ...)
    typed = typed or (colon and rest.strip() and _TYPE_ABBREVIATION.fullmatch(kind.strip()))
    return rest.strip() if typed else title


_TYPE_ABBREVIATION = re.compile(r"MCG|CPB|MP|MPG|CP|CG|LCD|NCD|LCA|MCP|CCP|CMP")


def _kind(title: str, text: str, layout: Layout, code_title: str | None) -> str:
    if code_title:
        return "code-summary"
    head = f"{title}\n{text[:1500]}\n" + " ".join(f.label for f in layout.fields[:12])
    best, where = None, len(head) + 1
    for kind, pattern in KIND_NAMES:
        found = re.search(pattern, head, re.I)
        if found and found.start() < where:
            best, where = kind, found.start()
    if best:
        return best
    # A header block over statements of decisions, in a payer's words or a state program's ("is a Medi-Cal
    # benefit when ...", "recommended for coverage", "reimbursable with an approved TAR when ...").
    decisions = re.search(
        r"\b(medically necessary|investigational|not covered|non-covered|recommended for coverage)\b|"
        r"\b(?:is|are) a (?:covered|[\w-]+) benefit\b|\b(?:is|are) reimbursable\b",
        text,
        re.I,
    )
    return "coverage-policy" if decisions and layout.fields else "other"


def _payer(title: str, text: str, source: Source, layout: Layout) -> tuple[str | None, str | None]:
    """Where a publisher names itself weighs most: title and header, page furniture, copyright lines."""
    # (a saved page's site footer, left out of its text, is among its running lines)
    copyright_lines = "\n".join(
        line
        for line in f"{text}\n{source.running}".splitlines()
        if re.search(r"©|\bcopyright\b|proprietary|all rights reserved", line, re.I)
    )
    header = "\n".join(p.text for p in layout.passages[:6] if p.kind == "front-matter")
    wrapper = "\n".join(p.text for p in layout.passages if p.boilerplate)  # the legal wrapper names its publisher
    regions = [
        (title, 4.0),
        (_masthead(text[:1500]), 4.0),
        (wrapper, 1.0),
        (header, 3.0),
        (text[:1500], 3.0),
        (source.running, 3.0),
        (copyright_lines, 2.0),
        (text, 0.25),
    ]
    payer, publisher = publisher_of(regions)
    if payer in (None, "Medicaid"):  # none named, or only the program: the state that publishes it says whose
        payer = state_medicaid(f"{source.running}\n{text[:1500]}") or payer
    if payer is None or program_of(payer):
        plan = _plan_of_furniture(text, source.running, copyright_lines)
        if plan:
            return plan, None
    return payer, publisher


def _plan_of_furniture(text: str, running: str, copyright_lines: str) -> str | None:
    """The health plan a page's furniture names as its own, in two places at least (the page's title, its banner
    or logo, its footer, the copyright line), when its text names no payer but it and the public programs it
    administers ("Texas Medicaid", "CHIP", named in every sentence of a Medicaid plan's policy, are the plan's
    lines of business, not its publisher)."""
    # Each line once: a footer repeated on every page, or a copyright line that is also a running line, is one place.
    lines = list(dict.fromkeys(line.strip() for line in running.splitlines() if line.strip()))
    rights = " ".join(line for line in copyright_lines.splitlines() if line.strip() and line.strip() not in lines)
    places = [plans_named(line) for line in (*lines, rights)]
    # (a line may run other words into the name: "Policy Library Acme Health Plan" holds "Acme Health Plan")
    counted = {
        plan: sum(any(n == plan or n.endswith(f" {plan}") for n in named) for named in places)
        for plan in set().union(*places)
    }
    agreed = sorted((plan for plan, count in counted.items() if count >= 2), key=lambda p: (-counted[p], len(p)))
    if not agreed:
        return None
    others = [n for n in payers_named(text) if n != agreed[0] and not program_of(n)]
    return None if others else agreed[0]


def _masthead(top: str) -> str:
    """Lines at the top that are a payer's name and nothing else: the publisher's name set as a masthead ("BLUE
    CROSS & BLUE SHIELD OF RHODE ISLAND" over the policy's title), as a logo names it."""
    lines = (line.strip(" \t*#|®™") for line in top.splitlines())
    # (not a family's name alone: "Medicare" on a line of its own lists a line of business)
    return "\n".join(
        line for line in lines if [(0, len(line))] == [(a, b) for n, a, b in mentions(line) if family(n) != n]
    )


def _date_sentence(name: str, text: str) -> str | None:
    for found in _DATE_SENTENCES[name].finditer(text[:40000]):
        date = DATE.match(text, found.end())
        if date:
            return date.group(0)
    return None


def _latest_review(layout: Layout) -> str | None:
    """The latest date of a review recorded in a policy's history table ("Annual Review | ... | 6/15/2025"), or
    said held in one of its entries."""
    rows = [
        raw
        for raw in layout.passages
        if raw.kind == "row"
        and HISTORY_HEADING.search(" ".join(raw.section))
        and not _TO_COME_ANYWHERE.search(raw.text)
    ]
    dates = [
        m.group(0)
        for raw in rows
        if re.search(r"\breview", raw.text.split(" | ")[0], re.I)
        for m in DATE.finditer(raw.text)
    ]
    # "05-13-2026 | Reviewed by the Medical Policy Committee. ...", "02/18/2026 | Annual review. ...": an entry
    # whose account opens on the review is dated by its first date cell, the entry's own (not by an Effective
    # column, nor by "Effective May 1, 2026" it goes on to).
    for raw in rows:
        cells = raw.text.split(" | ")
        own = next((c.strip() for c in cells if DATE.fullmatch(c.strip())), None)
        if own and any(_OPENS_ON_REVIEW.match(c) for c in cells[1:]):
            dates.append(own)
    dates += [d for raw in layout.passages for d in _reviews_recorded(raw)]
    dated = [(parse_date(d), d) for d in dates if parse_date(d)]
    return max(dated)[1] if dated else None


_TO_COME_ANYWHERE = re.compile(r"\bnext\b", re.I)
# (the account's subject, named before anything else is said: "Annual review", "Medical Policy Committee
# review.", "Reviewed by ..."; not "Added pre-service review ...", nor a "Medical Policy Review Committee" that
# approved it)
_OPENS_ON_REVIEW = re.compile(r"\s*(?:[A-Z][\w-]*\s+){0,3}(?i:review(?:ed)?)\b(?!\s+(?i:committee))")


def _reviews_recorded(entry: RawPassage) -> list[str]:
    """The review dates a history entry (a row or a paragraph) says were held ("... Medical Policy Committee review
    date 01/14/2026."), not ones to come ("to be reviewed on 04/15/2027"): none later than the entry's own date."""
    if not HISTORY_HEADING.search(" ".join(entry.section)):
        return []
    text = entry.text
    own = parse_date(first.group(0)) if (first := DATE.search(text)) else None
    said = [m.group(1) for m in _REVIEWED_ON.finditer(text) if not _TO_COME.search(text[: m.start()][-30:])]
    return [d for d in said if own is None or (parse_date(d) or own) <= own]


_REVIEWED_ON = re.compile(rf"\breview(?:ed)?(?: date)?(?: on| of)?:?\s+({DATE.pattern})", re.I)
# (said just before the review: "to be reviewed on", "next review", "due for review")
_TO_COME = re.compile(r"\b(?:next|to be|will be|scheduled(?: for)?|due(?: for)?|pending|planned|upcoming)\W*$", re.I)
_OUTLINE_NUMBER = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,4}\.|[A-Za-z][.)])\s+")  # "5.0 ", "IV. ", "B) "


def _dated_section(name: str, layout: Layout) -> str | None:
    """The date a section headed as a field's label states first ("5.0 EFFECTIVE DATE" / "This section ...
    applies to services rendered on or after April 1, 2026"): the document's own, over the date its first
    issue is labelled with."""
    for raw in layout.passages:
        heading = _OUTLINE_NUMBER.sub("", raw.section[-1] if raw.section else "").strip(" :").casefold()
        if heading in LABELS[name] and (date := DATE.search(raw.text)):
            return date.group(0)
    return None


# "... for effective date 4/15/2025"; an entry's own sentence "Effective 01/01/2026." (not a change's ", effective
# 01/01/2025" inside a sentence: new codes may take effect apart from the policy).
_VERSION_EFFECTIVE = re.compile(
    rf"(?:\beffective date(?: of| on| is|:)?|(?:^|[.;:]\s*)effective(?: as of| on)?)\s+({DATE.pattern})", re.I
)


def _latest_effective(layout: Layout) -> str | None:
    """The latest date a policy's history says a version took effect ("Notification given 2/14/2025 for
    effective date 4/15/2025", "Annual review. ... Effective 01/01/2026."), where no header field gives one: later
    than the date it originated."""
    dates = [
        m.group(1)
        for raw in layout.passages
        if HISTORY_HEADING.search(" ".join(raw.section))
        for m in _VERSION_EFFECTIVE.finditer(raw.text)
    ]
    dated = [(parse_date(d), d) for d in dates if parse_date(d)]
    return max(dated)[1] if dated else None


def _bare_number(layout: Layout) -> str | None:
    """A document number printed alone under the title ("110.27", "L39756")."""
    for raw in layout.passages[:6]:
        # (a single digit alone is a page's number)
        if (
            IDENTIFIER.match(raw.text)
            and any(ch.isdigit() for ch in raw.text)
            and len(raw.text) >= 2
            and not DATE.search(raw.text)
        ):
            return raw.text
    return None


def _in_full(number: str | None, source: Source) -> str | None:
    """A policy number labelled as bare digits ("Policy No: 512", beside "Section: SUR") as the publisher
    prints it whole on every page or in the file's title ("SUR512"), when it does."""
    if not number or not number.isdigit():
        return number
    printed = f"{source.running}\n{source.title_hint or ''}"
    whole = re.search(rf"(?<![\w-])([A-Z]{{2,}}[-.]?{number})(?![\w-])", printed)
    return whole.group(1) if whole else number


_NUMBER_WORDS = re.compile(r"(?=[A-Z0-9 .\-/]*\d)[A-Z0-9][A-Z0-9.\-/]*(?: [A-Z0-9][A-Z0-9.\-/]*){0,2}")


def _number_after_title(title: str, source: Source) -> str | None:
    """The number a file's title property gives after the title ("Percutaneous Tibial Nerve Stimulation-OH
    MCD-MM-1623", "Findings and Decision - Peripheral nerve ablation ... (20260116B)"): the policy's name and
    number, printed as one."""
    hint = " ".join((source.title_hint or "").split())
    at = hint.casefold().find(title.casefold()) if title else -1
    if at < 0 or (at and hint[at - 1].isalnum()):
        return None
    rest = hint[at + len(title) :].strip(" -–—|:,")
    if at:
        # The title after something else ("Findings and Decision - <title> (20260116B)"): only a number in
        # brackets after it, and no date or version ("(2025)", "(V2)").
        bracketed = re.fullmatch(r"\((.+)\)", rest)
        rest = bracketed.group(1) if bracketed else ""
        if DATE.search(rest) or re.fullmatch(r"(?:19|20)\d\d|v\d+(?:\.\d+)*", rest, re.I):
            return None
    return rest if len(rest) <= 24 and _NUMBER_WORDS.fullmatch(rest) else None


def _locator(layout: Layout, source: Source) -> str | None:
    """A provider manual section's locator key ("surg nerv spas", words with no number to it) identifies the
    section when the manual prints it on every page too."""
    running = {" ".join(line.split()).casefold() for line in source.running.splitlines()}
    return next(
        (
            f.value
            for f in layout.fields
            if f.name == "other" and "locator" in f.label.lower() and f.value.casefold() in running
        ),
        None,
    )


def _number_in_title(title: str) -> str | None:
    found = _TITLE_NUMBER.search(title)
    return (found.group(1) or found.group(2) or found.group(3)) if found else None
