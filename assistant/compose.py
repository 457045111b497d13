"""Answer composition: findings -> the answer staff read, the direct answer first and the quotes after.

The first sentence is built from what the documents state: the words of a coverage position, a table row, a
labelled field or the sentence that holds the figure, joined by a few fixed words of our own (COMPOSER_WORDS),
so every word is traceable; verification still checks it. Then the patient's details against stated criteria,
then the quotes with their numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .measures import checks as measure_checks
from .payers import family
from .payers import matches as payer_matches
from .positions import NEGATIVE_DECISIONS, decision_in, has_criteria, status_cell
from .selection import FIELD_NAMES, Finding, cells, line_heading, quote_of, render
from .types import NOT_SAID, QUOTES_HEADING, Document, Passage, Query, Quote

# The words the composer adds around the documents' own (verification allows these and nothing else).
COMPOSER_WORDS = set(
    """no yes when its criteria are met lists listed as under policy says also for the and
of modifier effective date last review next number is in on document documents following these it
details patient stated meets does not meet cannot checked from question code codes age size falls exclusion
outside description matches more than""".split()
)
_ITEM_MARK = re.compile(r"(?:^|\s)(?:[-•*]|\d{1,2}[.)]|[a-z][.)])\s+")
MAX_DIRECT = 420  # characters of a quoted list in the first sentence; the whole list follows in the quotes


@dataclass
class Composed:
    text: str
    quotes: list[Quote]
    abstained: bool
    # Lines setting the patient's figures (from the question) against a verbatim quote: not claims of the
    # documents, so verification leaves them be.
    checks: frozenset[str] = frozenset()
    labels: tuple[str, ...] = ()  # "47371: " before each part's answer: a heading of ours, not a claim


def compose(query: Query, findings: list[Finding]) -> Composed:
    quotes: list[Quote] = []
    lines: list[str] = []
    checks: list[str] = []
    labels: list[str] = []
    answered = [f for f in findings if f.answered]
    # Parts about different payers or codes (a comparison) are labelled with them; the questions of a message
    # that asks several things of one subject are answered in turn, each sentence its own answer.
    named = [(*f.query.payers, *f.query.codes) for f in findings]
    by_words = len(set(named)) < len(named) and len({f.query.attribute for f in findings}) == 1
    if by_words:
        # The same thing asked of parts no payer or code tells apart ("Kawamoto vs Fine"): their own words do.
        common = set.intersection(*(set(f.query.topic) for f in findings))
        # Only a word of its own names a part ("Kawamoto"); the words of a second question asked in the same
        # message ("guy wants freeze") name nothing.
        own = [[w for w in f.query.topic if w not in common] for f in findings]
        named = [tuple(words) if len(words) == 1 else () for words in own]
    labelled = len(findings) > 1 and len(set(named)) == len(named) and all(named)
    # Parts of which one names all another does ("bswhp rdn - units? cpt?": the policy, then the code found in it)
    # are one subject asked in turn, not a comparison.
    labelled = labelled and not any(set(a) < set(b) for a in named for b in named)
    shared = set.intersection(*map(set, named)) if named else set()  # "0686T" in "52 vs 53 on 0686T"
    if labelled and not by_words:
        # A part is answered for the payer or code it names only when some quote of the answer is that payer's
        # or names that code: "Cigna:" over a code summary, or "47317:" over 47371's table, would name what no
        # quote holds.
        every = [q for f in findings for q in f.quotes]
        findings = [_held(f, shared, every) for f in findings]
        answered = [f for f in findings if f.answered]
    answered_by: set[tuple[str, int, int]] = set()
    fields_said: set[str] = set()
    parts: list[int] = []  # where each part's answer is among the lines
    for finding in findings:
        first = len(quotes) + 1
        if finding.answered:
            said_by = {(q.passage.document, q.source_start, q.source_end) for q in finding.quotes}
            # (one header line gives two fields asked in turn: "when does it take effect and when is it reviewed
            # next?" is answered twice from it)
            if said_by <= answered_by and set(finding.fields) <= fields_said and not labelled:
                continue  # two parts the same rows answer ("units? cpt?": "0339T ... Report once per session") once
            answered_by |= said_by
            fields_said |= set(finding.fields)
            quotes += finding.quotes
            sentence = direct(finding, first)
        else:
            sentence = f"{NOT_SAID}: {finding.reason}."
        if labelled:
            own_label = named[len(labels)][0].title() if by_words else _part_label(finding, shared)
            label = f"{own_label}: "
            labels.append(label)
            sentence = label + sentence
        parts.append(len(lines))
        lines.append(sentence)
        # A patient is checked against what a policy requires, not against whom a study enrolled ("tumors
        # measuring 20 mm or smaller" in a trial's design).
        patient = finding.query.patient
        if finding.answered and (patient or patient.measures) and finding.query.attribute != "study":
            found = patient_checks(finding.query.patient, finding.quotes, first)
            lines += found
            checks += found
    if not answered:
        if len(findings) > 1 and len({f.reason for f in findings}) == 1:
            lines = [f"{NOT_SAID}: {findings[0].reason}."]  # one reason for every part is said once
        beside = next((f.beside for f in findings if f.beside is not None), None)
        if beside is not None:
            # What the documents do say of the subject: the decision, as its own sentence without the verdict
            # (a "No:" would answer what was not asked).
            said = _coverage_sentence(beside.query, beside.quotes, 1, verdict=False)
            return Composed(" ".join(lines) + f"\n{said}", beside.quotes, True)
        nearest = [q for f in findings for q in _nearest(f)][:3]
        text = " ".join(lines) + (" The nearest passages are listed below." if nearest else "")
        return Composed(text, nearest, True)
    lines = _parts_as_one_sentence(lines, parts) if len(answered) == len(findings) else lines
    listing = "\n".join(f"{render(q)} [{n}]" for n, q in enumerate(quotes, 1))
    return Composed(
        "\n".join(lines) + f"\n\n{QUOTES_HEADING}\n{listing}", quotes, False, frozenset(checks), tuple(labels)
    )


def _parts_as_one_sentence(lines: list[str], parts: list[int]) -> list[str]:
    """The answers to the parts of a comparison or of a message that asks several things, as one first sentence
    ("0581T: ... [1]; 0971T: ... [2].") when they are short enough to read as one: the first sentence answers the
    whole question. Each part's own checks follow it."""
    said = [lines[i].rstrip().rstrip(".") for i in parts]
    if len(said) < 2 or sum(map(len, said)) > MAX_DIRECT or any(re.search(r"\]\.\s", s) for s in said):
        return lines  # (a part that is two sentences already is no clause of one)
    if any(re.match(r"(?:Yes|No)\b", s) for s in said[1:]):
        return lines  # a later question's own yes or no opens a sentence of its own (a label before it may not)
    return ["; ".join(said) + ".", *(line for i, line in enumerate(lines) if i not in parts)]


def _part_label(finding: Finding, shared: set[str]) -> str:
    """What tells this part from the others: its payer or code, not those every part names. A family of payers
    asked ("same criteria as blue cross?") is named by the plan whose document answers. Of an answered part,
    only the names its quotes hold ("49405", not "49406" it was asked beside)."""
    query = finding.query
    answering = finding.quotes[0].hit.document.payer if finding.answered else None
    asked = [answering if answering and family(p) == p else p for p in query.payers]
    names = [n for n in (*asked, *query.codes) if not finding.answered or _holds(finding.quotes, n)]
    own = [name for name in names if name not in shared]
    return " ".join(own or names or [*asked, *query.codes])


def _held(finding: Finding, shared: set[str], every: list[Quote]) -> Finding:
    """The part as answered, or, when no quote of the answer (`every`) holds a payer or code that names it, as
    not found."""
    own = [n for n in (*finding.query.payers, *finding.query.codes) if n not in shared]
    if not finding.answered or not own or any(_holds(every, n) for n in own):
        return finding
    nearest = [q.hit for q in finding.quotes]
    return replace(finding, quotes=[], reason=f"no passage found speaks of {' or '.join(own)}", nearest=nearest)


def _holds(quotes: list[Quote], name: str) -> bool:
    """Does a quote hold a payer (its document is that payer's) or a code (named in it)?"""
    for q in quotes:
        doc = q.hit.document
        if payer_matches(name, doc.payer, doc.publisher) or name in (doc.code, *q.passage.codes) or name in q.text:
            return True
    return False


def _nearest(finding: Finding) -> list[Quote]:
    seen, out = set(), []
    for hit in finding.nearest:
        key = (hit.passage.document, hit.passage.section_path)
        if key not in seen:
            seen.add(key)
            out.append(quote_of(hit.passage, hit.document, hit.score))
    return out[:3]


# ---- the first sentence ---------------------------------------------------------------------------------
def direct(finding: Finding, first: int) -> str:
    """The sentence that answers, citing quote `first` (and the ones after it). A statement for one public
    program's members, asked of no program, says whose it is first: it may not be the plan's own position."""
    said = _direct(finding, first)
    head = finding.quotes[0]
    scope = "" if finding.query.programs else line_heading(head.passage, head.hit.document)
    # (a sentence citing several quotes, a list of rows, is said under the heading only if they all are)
    cited = [q for n, q in enumerate(finding.quotes, first) if f"[{n}]" in said]
    if any(line_heading(q.passage, q.hit.document) != scope for q in cited):
        scope = ""
    section = " › ".join(head.passage.section)
    if finding.query.where and section and {q.hit.document.id for q in cited} <= {head.hit.document.id}:
        # asked where it is said: the document and section first (once), then what it says there
        where = _reference(head.hit.document)
        named = f"{where[0].upper()}{where[1:]}, under “{section}”"
        # (a decision's "No: Cigna policy 0540 lists 0581T ... as Considered Not Medically Necessary" names the
        # document after its verdict: said once, the listing says the decision)
        unlabelled = re.sub(r"^(?:Yes|No):\s+", "", said)  # (a condition after the verdict is kept)
        if unlabelled.startswith(where):
            rest = unlabelled[len(where) :].lstrip()
            # ("Cigna policy 0540: <criterion>" goes on after a colon, "... lists 0581T" after a comma)
            return f"{named}: {rest.lstrip(' :')}" if rest.startswith(":") else f"{named}, {rest.lstrip(' ,')}"
        return f"{named}: {said}"
    return f"Under “{scope}”: {said}" if scope and scope not in said else said


def _direct(finding: Finding, first: int) -> str:
    query, quotes = finding.query, finding.quotes
    head = quotes[0]
    p, doc = head.passage, head.hit.document
    if finding.instead_of and len(quotes) > 1:
        # (the code found is said as its own passage says it: a title, or a table row)
        found = _row_sentence(query, p, first) if p.kind == "row" else f"{_flat(head.text).rstrip(' .')} [{first}]."
        other = quotes[1]
        named = (
            _row_sentence(query, other.passage, first + 1)
            if other.passage.kind == "row"
            else f"{_flat(other.text).rstrip(' .')} [{first + 1}]."
        )
        # The question's description set against the two codes' own (the named code cites its passage too: the
        # claim holds both codes and both passages); the documents' words follow, side by side.
        code = p.codes[0] if p.kind == "row" and p.codes else doc.code
        return f"The description matches {code} more than {finding.instead_of} [{first + 1}]: {found} Also: {named}"
    if query.attribute == "criteria" and head.text != p.text:
        return f"{_reference(doc)[0].upper()}{_reference(doc)[1:]}: {_flat(head.text)}".rstrip(" .;") + f" [{first}]."
    if query.attribute in {"coverage", "criteria"} and p.decision:
        return _coverage_sentence(query, quotes, first)
    if query.attribute in {"codes", "modifier", "icd10", "taxonomy", "related-codes"} and p.kind == "row":
        if len(quotes) > 1 and all(q.passage.kind == "row" for q in quotes):
            rows = [_key_first(q.passage) for q in quotes]
            # Each entry with what it is ("26 (Professional component) [1]"), when the list still reads as one
            # sentence; else the entries alone, their rows quoted below. What it is: its first cell of words, not
            # a code type ("CPT").
            names = [next((c.rstrip(".") for c in row[1:] if len(c.split()) > 1), "") for row in rows]
            described = ", ".join(
                f"{row[0]} ({name}) [{first + i}]" if name else f"{row[0]} [{first + i}]"
                for i, (row, name) in enumerate(zip(rows, names))
            )
            listed = ", ".join(f"{row[0]} [{first + i}]" for i, row in enumerate(rows))
            return f"{doc.title} lists these: {described if len(described) <= MAX_DIRECT else listed}."
        return _row_sentence(query, p, first)
    if query.attribute in {"date", "policy-number"} and finding.fields:
        return _fields_sentence(finding, first)
    if p.kind == "row":
        return _row_sentence(query, p, first)
    return f"{_flat(head.text)}".rstrip(" .") + f" [{first}]."


def _reference(doc: Document) -> str:
    """A document as a sentence names it: "Cigna policy 0540", "Aetna's “Genicular Nerve ...”"."""
    if doc.payer and doc.policy_number:
        return f"{doc.payer} policy {doc.policy_number}"
    if doc.payer:
        return f"the {doc.payer} policy “{doc.title}”"
    return f"“{doc.title}”"


def _verdict(passage: Passage) -> str:
    if passage.decision in NEGATIVE_DECISIONS:
        return "No"
    return "Yes, when its criteria are met" if has_criteria(f"{passage.lead} {passage.text}") else "Yes"


def _coverage_sentence(query: Query, quotes: list[Quote], first: int, verdict: bool = True) -> str:
    parts: list[str] = []
    for n, quote in enumerate(quotes, first):
        p, doc = quote.passage, quote.hit.document
        if not p.decision:
            continue
        if p.kind == "row":
            row = cells(p)
            what = f"{row[0]} ({_short(row[1])})" if len(row) > 1 else row[0]
            # The decision is the sentence that leads into the table ("The following CPT codes are covered when
            # ..."), a cell of the row's own ("Investigational (Medicare: not reasonable and necessary)"), or the
            # table's caption ("Considered Not Medically Necessary").
            status = status_cell(row)
            stated = status if status is not None else next((c for c in row[2:] if decision_in(c)), "")
            if p.lead and decision_in(p.lead):
                where = f"under “{_short(_flat(p.lead))}”"
            else:
                where = f"as “{_short(stated)}”" if stated else f"as {p.section[-1]}"
            said = f"{_reference(doc)} lists {what} {where} [{n}]"
        else:
            said = f"{_decision_sentence(p)} [{n}]"
        # (an answer that opens with its own "No." is not told "No:" again)
        opens = said.split(maxsplit=1)[0].strip(".,;:").casefold() if said.strip() else ""
        said_first = opens == _verdict(p).split(",")[0].casefold()
        parts.append(said if parts or not verdict or said_first else f"{_verdict(p)}: {said}")
    if query.attribute == "criteria" and verdict and parts and _all_negative(quotes):
        # Criteria asked of what the policy rules out: there are none to meet, and the answer says so first.
        who = _reference(next(q for q in quotes if q.passage.decision).hit.document)
        said = parts[0].split(": ", 1)[1]
        parts[0] = f"{who[0].upper()}{who[1:]} lists no criteria for it: {said}"
    return ". Also: ".join(parts) + "."


# Words that make a decision conditional: what it leaves out is decided otherwise, perhaps on criteria ("not
# medically necessary unless the tumor is smaller than 3 cm", "except", "when", "other than").
_QUALIFIED = re.compile(r"\b(?:unless|except|when|if|than|only|other|provided|criteria|requirements?)\b", re.I)


def _all_negative(quotes: list[Quote]) -> bool:
    """Do the decisions quoted all rule the subject out, each without a condition ("... investigational when the
    criteria above are not met", "... unless the tumor is smaller than 3 cm" have criteria, stated elsewhere)?"""
    decided = [q.passage for q in quotes if q.passage.decision]
    return bool(decided) and all(
        p.decision in NEGATIVE_DECISIONS
        and not has_criteria(f"{p.lead} {p.text}")
        and not _QUALIFIED.search(_decision_sentence(p))
        for p in decided
    )


def _decision_sentence(passage: Passage) -> str:
    """The sentence of a passage that states its decision (a list's lead-in with its items, short)."""
    text = passage.text
    found = decision_in(text)
    if passage.kind == "list":
        flat = _flat(text)
        return _short(flat, MAX_DIRECT)
    if found:
        for s, e, *_ in passage.sentences or ((0, len(text)),):
            if s <= found[1] < e:
                return _flat(text[s:e])
    if passage.lead and decision_in(passage.lead):
        return f"{_flat(passage.lead)} {_short(_flat(text), 200)}"
    return f"{_flat(text)} (under “{passage.section[-1]}”)"


def _key_first(passage: Passage) -> list[str]:
    """A row's filled cells, the code it is the row of first ("64629 | CPT | Thermal destruction ..." for a
    table whose first column is the code type)."""
    row = [c for c in cells(passage) if c]
    key = passage.codes[0] if passage.codes else ""
    return [key, *[c for c in row if c != key]] if key in row and row[0] != key else row


def _row_sentence(query: Query, passage: Passage, n: int) -> str:
    # A cell that is a sentence ends on its full stop, which before the next cell's ":" or ";" reads twice.
    row = [re.sub(r"(?<=[a-z)\]])\.$", "", cell) for cell in _key_first(passage)]
    prefix = "Modifier " if query.attribute == "modifier" and not row[0].lower().startswith("modifier") else ""
    rest = f" — {row[1]}" if len(row) > 1 else ""
    more = f": {'; '.join(row[2:])}" if len(row) > 2 else ""
    # A row of a table led in by "The following modifiers must not be appended to 55880." says so first.
    lead = f"{_short(_flat(passage.lead)).rstrip(' .:')}: " if passage.lead else ""
    marked = _marked_by_column(passage)
    if marked:
        return f"{lead}{marked}".rstrip(" .") + f" [{n}]."
    return f"{lead}{prefix}{row[0]}{rest}{more}".rstrip(" .") + f" [{n}]."


def _marked_by_column(passage: Passage) -> str:
    """A row of a grid whose cells are marks ("Second-level review ... | — | — | ✓ | —" under the products'
    names): the marks mean nothing without their columns, so each is said with its column's label."""
    labels = [h.strip() for h in passage.header.split("|")] if passage.header else []
    row = cells(passage)
    if len(labels) != len(row) or not any(_MARK.fullmatch(c) for c in row[1:]):
        return ""
    return f"{row[0]} — " + "; ".join(f"{label}: {cell}" for label, cell in zip(labels[1:], row[1:]) if cell)


# A cell that only marks: a tick, a cross, a dash ("✓", "X", "—"), perhaps with a note after it.
_MARK = re.compile(r"[✓✔✗✘xX•●○—–-](?:\s*\(.*\))?")


def _fields_sentence(finding: Finding, first: int) -> str:
    doc = finding.quotes[0].hit.document
    # Asked for its number, a policy is named by its title; otherwise by its number.
    if "policy_number" in finding.fields:
        named = f"the {doc.payer + ' ' if doc.payer else ''}policy “{doc.title}”"
    else:
        named = _reference(doc)
    said = []
    for k, (n, name) in enumerate(zip(range(first, first + len(finding.fields)), finding.fields)):
        label, value = FIELD_NAMES[name][1], getattr(doc, name)
        said.append(f"the {label} of {named} is {value} [{n}]" if k == 0 else f"its {label} is {value} [{n}]")
    sentence = "; ".join(said)
    return sentence[0].upper() + sentence[1:] + "."


# The label of an answer to a question the document asks itself ("Q: Is ... covered? A: No. ..."): the answer's,
# not a word of it.
_ANSWER_LABEL = re.compile(r"^\s*A(?:nswer)?\s*:\s+(?=\S)")


def _flat(text: str) -> str:
    """A list as one sentence: its items' marks become semicolons."""
    flat = _ITEM_MARK.sub("; ", _ANSWER_LABEL.sub("", text)).strip(" ;")
    flat = re.sub(r":\s*;\s*", ": ", flat)
    flat = re.sub(r";\s*;", ";", flat)  # an item that ends on its own semicolon ("... by surgery; 2. The ...")
    # nor on its full stop ("... of each eye. 2. Manifest ..."), an abbreviation's kept ("etc.", "U.S.")
    flat = re.sub(r"(?<!\betc)(?:(?<=[a-z]{3})|(?<=\)))\.;", ";", flat)
    return re.sub(r"\s+", " ", flat).rstrip(" .;")


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: text.rfind(" ", 0, limit)].rstrip(",;:") + " …"


# ---- the patient against stated criteria ----------------------------------------------------------------
_AGE_MIN = re.compile(
    r"(\d{1,3})\s*(?:years?|yrs?)(?:\s+of\s+age)?(?:\s+old)?\s*(?:or|and)\s*(?:older|over|above|greater)|"
    r"(?:aged?|age)\s*(?:≥|>=|of at least|at least|over|older than|greater than)\s*(\d{1,3})|"
    # ("at least 5 years" alone is as often a duration: "agreed to take endocrine therapy for at least 5 years")
    r"(?:≥|at least)\s*(\d{1,3})\s*years(?=\s+(?:of\s+age|old)\b)",
    re.I,
)
_AGE_MAX = re.compile(
    r"(\d{1,3})\s*(?:years?|yrs?)(?:\s+of\s+age)?(?:\s+old)?\s*or\s*(?:younger|less|under)|"
    r"(?:aged?|age)\s*(?:≤|<=|under|younger than|less than)\s*(\d{1,3})|≤\s*(\d{1,3})\s*years(?=\s+(?:of\s+age|old)\b)",
    re.I,
)
_AGE_RANGE = re.compile(r"aged?\s+(\d{1,3})\s*(?:to|-|–|through)\s*(\d{1,3})\s*years", re.I)
# Each way an age bound is written, and whether an age is within it.
_AGE_BOUNDS = (
    (_AGE_MIN, lambda age, limit: age >= limit),
    (_AGE_MAX, lambda age, limit: age <= limit),
    (_AGE_RANGE, lambda age, low, high: low <= age <= high),
)
_SIZE_MAX = re.compile(
    r"(?:≤|<=|<|no (?:more|larger|greater) than|not (?:more|larger|greater) than|up to|less than|smaller than|"
    r"at most|maximum of)\s*(\d+(?:\.\d+)?)\s*(cm|mm)\b|"
    r"(\d+(?:\.\d+)?)\s*(cm|mm)\b(?:\s+in\s+(?:its\s+)?(?:greatest\s+)?(?:dimension|diameter))?\s+or\s+(?:less|smaller)",
    re.I,
)
_SIZE_MIN = re.compile(
    r"(?:≥|>=|>|at least|greater than|larger than|more than)\s*(\d+(?:\.\d+)?)\s*(cm|mm)\b|"
    r"(\d+(?:\.\d+)?)\s*(cm|mm)\b\s+or\s+(?:more|larger|greater)",
    re.I,
)


# Sections that report studies: their inclusion criteria describe a trial's patients.
_STUDIES = re.compile(r"\b(?:literature|evidence|stud(?:y|ies)|trials?|scientific)\b", re.I)


def patient_checks(patient, quotes: list[Quote], first: int) -> list[str]:
    """The patient's age, size and measures against each stated limit of the quoted criteria, cited; what the question
    does not give is not decided."""
    lines: list[str] = []
    for n, quote in enumerate(quotes, first):
        p = quote.passage
        if p.section and _STUDIES.search(p.section[-1]):
            continue  # whom a study enrolled ("tumors less than 2.0 cm") is no requirement of a policy
        units = (
            [p.text[s:e] for s, e, *_ in p.sentences if quote.text_start <= s < quote.text_start + len(quote.text)]
            if p.sentences
            else [quote.text]
        )
        units = units or [quote.text]
        excluding = p.decision in NEGATIVE_DECISIONS
        for unit in units:
            for check in _unit_checks(patient, unit):
                if excluding and not re.search(r"\b(?:unless|except|other than)\b", unit, re.I):
                    # A bound of what a policy excludes is met by falling under it ("FEV1 below 50%"): said so, not
                    # as a criterion met or missed.
                    check = re.sub(r" does not meet$", " is outside the exclusion", check)
                    check = re.sub(r" meets$", " falls under the exclusion", check)
                # A criterion printed in quotation marks of its own is not quoted twice.
                criterion = _short(unit.strip(' -;“”"'), 220)
                lines.append(f"{check} “{criterion}” [{n}].")
    if lines:
        lines.insert(0, "The patient's details against the stated criteria:")
    return lines


def _scoping(unit: str, start: int, end: int) -> bool:
    """Does an age bound say whom one part of the criterion is for, set off in commas after "or" ("... or, for a
    child 4 years or older, a word score of 30% or less"), not an age the member must have ("covered for members
    18 years or older")?"""
    return bool(_FOR_WHOM.search(unit[max(0, start - 40) : start])) and unit[end : end + 1] == ","


_FOR_WHOM = re.compile(
    r"(?:,|\bor)\s+for\s+(?:an?\s+|the\s+|those\s+)?(?:child(?:ren)?|members?|patients?|adults?|adolescents?|"
    r"persons?|individuals?|people|infants?|beneficiar(?:y|ies)|enrollees?)\s*(?:who are\s+|aged\s+)?$",
    re.I,
)


def _unit_checks(patient, unit: str) -> list[str]:
    found = []
    if patient.age is not None:
        age = patient.age
        for pattern, within in _AGE_BOUNDS:
            for m in pattern.finditer(unit):
                bounds = [int(g) for g in m.groups() if g]
                if not _scoping(unit, m.start(), m.end()):
                    found.append(f"Age {age} {'meets' if within(age, *bounds) else 'does not meet'}")
    for k, size in enumerate(patient.sizes_cm):
        # Said as the question says it: "1.5 cm" against "20 mm or smaller", not a "15 mm" no one wrote.
        said = patient.sizes_said[k] if k < len(patient.sizes_said) else f"{size:g} cm"
        for pattern, within in ((_SIZE_MAX, lambda v, lim: v <= lim), (_SIZE_MIN, lambda v, lim: v >= lim)):
            for m in pattern.finditer(unit):
                value, unit_name = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
                bound = float(value) / (10 if unit_name.lower() == "mm" else 1)
                found.append(f"Size {said} {'meets' if within(size, bound) else 'does not meet'}")
    for measure in patient.measures:
        for met in measure_checks(measure, unit):
            found.append(f"“{measure.said}” {'meets' if met else 'does not meet'}")
    return list(dict.fromkeys(found))
