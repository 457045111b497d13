"""A saved web page -> Markdown: menus, banners and scripts out; headings, lists and tables kept.

selectolax removes what is not content (navigation, cookie banners, forms, and any block that is mostly
links); markdownify writes what is left as Markdown. Link density, not tag names, decides what a menu is:
a payer's sidebar can hold the policy's review dates beside its table of contents.
"""

from __future__ import annotations

import re
from html import escape as html_escape

from .readers import Source, viewer_title

_NOT_CONTENT = (
    "script, style, noscript, template, svg, iframe, object, canvas, button, input, select, textarea, "
    "nav, [role=navigation], [role=search], [role=dialog], [role=alertdialog], [aria-hidden=true], img, video"
)
# Page furniture by its usual class or id; never content.
_FURNITURE = re.compile(
    r"cookie|consent|onetrust|skip-?link|breadcrumb|social|share|toolbar|print-icon|back-?to-?top", re.I
)
_CRUMBS = "[class*=breadcrumb], [id*=breadcrumb], [aria-label=breadcrumb], [aria-label=Breadcrumb]"
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_CONTENT_TAGS = "h1, h2, h3, h4, h5, h6, p, table, ul, ol, article, main"
_BLOCKS = ("ul", "ol", "div", "aside", "section", "header", "footer", "table", "p", "dl")
MAX_LINK_SHARE = 0.5  # a block more than half link text is navigation (the share menus and contents lists hit)
MAX_CAPTION_CHARS = 120  # a bold line over a menu names it; a longer one is a paragraph in bold
MAX_MENU_CHARS = 3000  # ... unless it is long: a references list is all links and is content


def html_source(html: str) -> Source:
    from markdownify import markdownify
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    tree = HTMLParser(html)
    title = _text(tree.css_first("title"))
    h1 = _text(tree.css_first("h1"))
    css = " ".join(node.text() or "" for node in tree.css("style"))  # kept before <style> goes with the furniture
    # The page's title names the site ("... - Medical Policy - Independence Blue Cross"), as its furniture does.
    # ... and so does its trail of breadcrumbs ("Ohio Administrative Code / 5160 | Medicaid, Department of").
    running = " \n".join(
        [
            title,
            *(_text(node) for node in tree.css(f"header, footer, [role=banner], [role=contentinfo], {_CRUMBS}")),
            *_logo_names(tree),
        ]
    )
    for node in tree.css(", ".join(f"{h} button" for h in sorted(_HEADINGS))):
        # An accordion's section heading is a button inside the heading ("<h2><button>Policy Guidelines</button>"):
        # its text is the heading's, not a control's.
        node.unwrap()
    _summaries_as_headings(tree, HTMLParser)
    for node in tree.css(_NOT_CONTENT):
        node.decompose()
    _drop_site_footer(tree)
    _drop_forms(tree)
    for node in tree.css("[class], [id]"):
        if _FURNITURE.search(f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"):
            node.decompose()
    for link in tree.css("a"):
        if re.match(r"\s*skip to\b", _text(link), re.I):
            link.decompose()  # "Skip to main content": a control for keyboard users, whatever its class
    _drop_menus(tree)
    _aria_tables(tree, HTMLParser)
    _unfold_field_grids(tree, HTMLParser)
    if tree.css_first(", ".join(sorted(_HEADINGS))) is None:
        _bold_headings(tree, _style_rules(css, tree), HTMLParser)
        h1 = h1 or _text(tree.css_first("h1"))
    body = tree.body or tree.root
    markdown = markdownify(
        (body.html if body is not None else html) or "",
        heading_style="ATX",
        bullets="-",
        strip=["a", "span", "font", "abbr", "sup", "sub"],
        escape_asterisks=False,
        escape_underscores=False,
        escape_misc=False,
        table_infer_header=True,
    )
    return Source(_tidy(markdown), "html", title_hint=h1 or _site_free(title), running=running)


def _summaries_as_headings(tree, parser) -> None:
    """An accordion built of <details> panels names each section only in its <summary>: that is the section's
    heading, a level above the headings inside the panels (a page with <h3> sub-heads in its panels has its
    panels at <h2>), a level further down for a panel inside another. Text kept for screen readers alone
    ("Toggle section") is the control's, not the heading's."""
    summaries = []
    for summary in tree.css("details > summary"):
        if _in_a_cell_or_item(summary):
            continue  # a disclosure inside a table cell or a list item is part of it, no section
        for hidden in summary.css(".visually-hidden, .sr-only, .screen-reader-text, [aria-hidden=true]"):
            hidden.decompose()
        if _text(summary):
            summaries.append(summary)
    if not summaries:
        return
    inner = [int(h.tag[1]) for h in tree.css(", ".join(f"details {h}" for h in sorted(_HEADINGS)))]
    # (below the page's own title, when it has one)
    top = max(2 if tree.css_first("h1") is not None else 1, min(inner, default=3) - 1)
    for summary in summaries:
        depth, node = 0, summary.parent.parent if summary.parent is not None else None
        while node is not None:
            depth += node.tag == "details"
            node = node.parent
        level = min(6, top + depth)
        heading = parser(f"<h{level}>{html_escape(_text(summary))}</h{level}>").css_first(f"h{level}")
        summary.replace_with(heading)


def _drop_site_footer(tree) -> None:
    """A page whose content is marked as its main part prints the site's footer after it ("Last updated:
    04/14/2020", the copyright line): the site's, read as running text only, not the document's."""
    main = tree.css_first("main, [role=main]")
    if main is None:
        return
    for footer in tree.css("footer, [role=contentinfo]"):
        ancestor = footer.parent
        while ancestor is not None and ancestor != main:
            ancestor = ancestor.parent
        if ancestor is None:  # (a footer inside the main part is the document's own)
            footer.decompose()


def _drop_forms(tree) -> None:
    """Remove the page's forms (a search box, a sign-in), but keep what a form wraps: a page built on ASP.NET
    holds its whole body in one <form>."""
    for form in reversed(list(tree.css("form"))):  # inner forms first
        if form.css_first(_CONTENT_TAGS) is not None:
            form.unwrap()
        else:
            form.decompose()


def _text(node) -> str:
    return " ".join(node.text(separator=" ").split()) if node is not None else ""


def _drop_menus(tree) -> None:
    """Remove blocks that are mostly links (menus, contents lists, footers), innermost first."""
    nodes = list(tree.css(", ".join(_BLOCKS)))
    for node in reversed(nodes):  # document order reversed: children before their parents
        if node.parent is None:
            continue  # already removed with an ancestor
        text = _text(node)
        if not text or len(text) > MAX_MENU_CHARS:
            continue
        linked = sum(len(_text(a)) for a in node.css("a"))
        if linked > MAX_LINK_SHARE * len(text):
            caption = node.prev
            while caption is not None and caption.tag == "-text" and not (caption.text() or "").strip():
                caption = caption.prev
            if caption is not None and _caption(caption):
                caption.decompose()  # "Related Tools" over its links: no section of the document
            node.decompose()


def _caption(node) -> bool:
    """A heading, or a line all in bold ("**Chapter 5160-4 | Medical and Surgical Services**" over a sidebar's
    links): what names the block after it."""
    if node.tag in _HEADINGS:
        return True
    text = _text(node)
    bold = " ".join(_text(b) for b in node.css("strong, b"))
    return node.tag in ("p", "div") and 0 < len(text) <= MAX_CAPTION_CHARS and bold == text


# A cell that is one labelled field: "Doc ID: SURG11-1125.1", "Effective Date: 11/16/2025".
_FIELD_CELL = re.compile(r"^[A-Za-z][\w .#/&-]{0,40}:\s*\S")


def _unfold_field_grids(tree, parser) -> None:
    """A table whose every cell is a labelled field lays a header block out in a grid; it is no table of data
    (its first row is no header over the rest): each cell becomes a line of its own."""
    from html import escape

    for table in tree.css("table"):
        cells = [_text(c) for c in table.css("td, th")]
        filled = [c for c in cells if c]
        if len(filled) >= 2 and all(_FIELD_CELL.match(c) for c in filled):
            lines = "".join(f"<p>{escape(c)}</p>" for c in filled)
            table.replace_with(parser(f"<div>{lines}</div>").body.child)


def _aria_tables(tree, parser) -> None:
    """A table laid out with <div>s and ARIA roles (role="table" or "grid", its "row"s, "columnheader"s and
    "cell"s) is a table: written as one, its rows are rows."""
    from html import escape

    for grid in tree.css("[role=table], [role=grid]"):
        if grid.tag == "table":
            continue  # a table already, its roles only restated
        rows = grid.css("[role=row]")
        # Only a grid made of rows is rewritten: one holding anything else (a note between rows) stays as it is.
        said = " ".join(_text(r) for r in rows)
        if not rows or " ".join(said.split()) != " ".join(_text(grid).split()):
            continue
        written = []
        for row in rows:
            cells = row.css("[role=columnheader], [role=rowheader], [role=cell], [role=gridcell]")
            tags = ["th" if c.attributes.get("role") == "columnheader" else "td" for c in cells]
            written.append("".join(f"<{t}>{escape(_text(c))}</{t}>" for t, c in zip(tags, cells)))
        if all(written):
            grid.replace_with(parser("<table>" + "".join(f"<tr>{r}</tr>" for r in written) + "</table>").body.child)


def _site_free(title: str) -> str:
    """'Genicular Nerve ... - Medical Clinical Policy Bulletins | Aetna' -> the page's own part; none when that
    part is a print view's or viewer's ('Print Policy | Acme Health Plan': the rest names the site)."""
    own = re.split(r"\s+[|–—]\s+|\s+-\s+(?=[^-]*$)", title)[0].strip() if title else ""
    return "" if viewer_title(own) else own


def _tidy(markdown: str) -> str:
    lines = [line.rstrip() for line in markdown.replace("\xa0", " ").splitlines()]
    text = "\n".join(lines)
    # A definition list ("Policy Number:" over ":   7.01.187") is a labelled field on one line.
    text = re.sub(r"^(\S[^\n]*?):?\n:\s+(\S[^\n]*)$", r"\1: \2", text, flags=re.M)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _logo_names(tree) -> list[str]:
    """A logo's alt text names the publisher as its banner does ("Acme Health Plan" over the page): furniture."""
    names = []
    for img in tree.css("img[alt]"):
        marks = " ".join(img.attributes.get(a) or "" for a in ("src", "class", "id", "alt"))
        alt = " ".join((img.attributes.get("alt") or "").split())
        if alt and re.search(r"logo", marks, re.I):
            names.append(re.sub(r"\s+logos?$", "", alt, flags=re.I))
    return names


# ---- headings set as bold lines -------------------------------------------------------------------------------
# A page that marks no heading by tag (a print view, a page exported from Word) shows its headings as short lines
# in bold, by <b>/<strong>, an inline style or a class its <style> block makes bold; their size and numbering say
# which heads which. Read as headings, they keep their sections; left as paragraphs, the layout takes those above
# the first prose for a banner and a sub-heading bold by its class alone for body text.
_LEAF_BLOCK = "p, div"
_INNER_BLOCKS = "p, div, table, ul, ol, li, dl, blockquote, section, article"
_NOT_HEADING_PLACES = {"td", "th", "li", "dd", "dt"}  # a cell's or an item's bold line labels it
# (a bold line ending in ":" is left to the layout, which tells a label over its value, "**Next Review Date:**",
# from a lead-in and from a heading)
_SENTENCE_END = re.compile(r"[.!?:;,]$")
DEFAULT_PT = 12.0  # a browser's default type (16px) in points
_SIZE_WORDS = {"x-small": 7.5, "small": 10.0, "medium": 12.0, "large": 13.5, "x-large": 18.0, "xx-large": 24.0}


def _style_rules(css: str, tree) -> list[tuple[str, dict[str, str]]]:
    """(selector, {property: value}) of the page's <style> rules (`css`) that set weight or size, in order; a
    selector the parser cannot match (a pseudo-element) is left out."""
    css = re.sub(r"/\*.*?\*/", " ", css, flags=re.S)
    rules = []
    # (a rule inside an at-rule, "@media print { .x {...} }", is read as a rule of its own)
    for selectors, body in re.findall(r"([^{}@]+)\{([^{}]*)\}", css):
        declared = _declarations(body)
        for selector in filter(None, (s.strip() for s in selectors.split(","))):
            if declared and _matchable(tree, selector):
                rules.append((selector, declared))
    return rules


def _declarations(body: str) -> dict[str, str]:
    pairs = (d.partition(":") for d in body.split(";"))
    found = {k.strip().lower(): v.replace("!important", "").strip().lower() for k, _, v in pairs}
    return {k: v for k, v in found.items() if k in ("font-weight", "font-size") and v}


def _matchable(tree, selector: str) -> bool:
    try:
        tree.css_first(selector)
    except Exception:  # (selectolax raises a bare Exception for a selector it cannot parse)
        return False
    return True


def _styles(tree, rules) -> dict[int, dict[str, str]]:
    """Weight and size the page's rules give each node, by the node's identity (later rules win). Matched on the
    tree as it is now: (a node's own css_matches also answers for its descendants)."""
    styles: dict[int, dict[str, str]] = {}
    for selector, declared in rules:
        for node in tree.css(selector):
            styles.setdefault(node.mem_id, {}).update(declared)
    return styles


def _style(node, styles) -> dict[str, str]:
    """A node's weight and size: its rules', then its inline style's."""
    return styles.get(node.mem_id, {}) | _declarations(node.attributes.get("style") or "")


def _bold(node, styles) -> bool:
    weight = _style(node, styles).get("font-weight")
    if weight is None:
        return node.tag in ("b", "strong")
    return weight in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 600)


def _points(value: str | None) -> float | None:
    """A CSS font size in points: 16pt, 21px, 1.4em, 120%, x-large."""
    if not value:
        return None
    if value in _SIZE_WORDS:
        return _SIZE_WORDS[value]
    found = re.fullmatch(r"([\d.]+)\s*(pt|px|r?em|%)", value)
    if not found:
        return None
    number = float(found.group(1))
    scale = {"pt": 1.0, "px": 0.75, "em": DEFAULT_PT, "rem": DEFAULT_PT, "%": DEFAULT_PT / 100}
    return number * scale[found.group(2)]


def _size(node, styles) -> float:
    """The largest type a block sets its words in: its own or an inner element's, else what it inherits."""
    found = [_points(_style(n, styles).get("font-size")) for n in node.css("*")]  # (the node among them)
    sizes: list[float] = [s for s in found if s]
    ancestor = node.parent
    while not sizes and ancestor is not None and ancestor.is_element_node:
        sizes = [s] if (s := _points(_style(ancestor, styles).get("font-size"))) else []
        ancestor = ancestor.parent
    return max(sizes, default=DEFAULT_PT)


def _wholly_bold(node, styles) -> bool:
    """Is every word of a block set in bold, by the block itself or by the elements its words are in?"""
    if _bold(node, styles):
        return True
    for piece in node.traverse(include_text=True):
        if piece.tag != "-text" or not (piece.text() or "").strip():
            continue
        ancestor = piece.parent
        while ancestor is not None and ancestor != node and not _bold(ancestor, styles):
            ancestor = ancestor.parent
        if ancestor is None or ancestor == node:
            return False
    return True


def _heading_like(text: str) -> bool:
    """Short, a name not a sentence ("I. PURPOSE", "A. Screening Examinations"), and no labelled field."""
    return (
        0 < len(text) <= MAX_CAPTION_CHARS
        and not _SENTENCE_END.search(text)
        and bool(re.search(r"[A-Za-z]{3}", text))
        and not _FIELD_CELL.match(text)
    )


def _in_a_cell_or_item(node) -> bool:
    ancestor = node.parent
    while ancestor is not None:
        if ancestor.tag in _NOT_HEADING_PLACES:
            return True
        ancestor = ancestor.parent
    return False


def _bold_headings(tree, rules, parser) -> None:
    from html import escape

    styles = _styles(tree, rules)
    found = []
    for node in tree.css(_LEAF_BLOCK):
        if any(inner != node for inner in node.css(_INNER_BLOCKS)) or _in_a_cell_or_item(node):
            continue
        text = _text(node)
        if _heading_like(text) and _wholly_bold(node, styles):
            found.append((node, text, _size(node, styles), (node.tag, node.attributes.get("class") or "")))
    levels = _levels([(text, size, look) for _, text, size, look in found])
    for (node, text, _, _), level in zip(found, levels):
        node.replace_with(parser(f"<h{level}>{escape(text)}</h{level}>").body.child)


# Outline numbering, from the outermost: "I." (capital numerals), "A.", "1.", "1.1", "a.".
_NUMBERINGS = [r"[IVX]+[.)]", r"[A-Z][.)]", r"\d+[.)]", r"\d+(?:\.\d+)+\.?", r"[a-z][.)]", r"\(?[ivx]+[.)]"]
NUMERALS, LETTERS = 0, 1


def _numbering(text: str) -> int | None:
    mark = text.split(maxsplit=1)[0] if len(text.split()) > 1 else ""
    return next((rank for rank, pattern in enumerate(_NUMBERINGS) if re.fullmatch(pattern, mark)), None)


def _levels(found: list[tuple[str, float, tuple[str, str]]]) -> list[int]:
    """Levels of headings set in bold: the larger type heads the smaller; at one size, the outline's numbering
    decides ("I. PURPOSE" over "A. ..."). An unnumbered one ("DISCLAIMER" after "VII. REVISION HISTORY") ranks
    with the numbered heading of its look before it; one before any (a title) above them."""
    keys = []
    last_of_look: dict[tuple[str, str, float], int] = {}
    last_letter = ""
    for text, size, look in found:
        rank = _numbering(text)
        previous = last_of_look.get((*look, size), -1)
        mark = text.split()[0] if text.split() else ""
        if rank is None:
            rank = previous
        elif (
            rank == NUMERALS
            and previous == LETTERS
            and len(mark) == 2
            and last_letter
            and ord(mark[0]) == ord(last_letter) + 1
        ):
            rank = LETTERS  # "I." after "H.": the ninth letter, not a numeral ("V." after "D." is one)
        if rank == LETTERS:
            last_letter = mark[:1]
        last_of_look[(*look, size)] = rank
        keys.append((-size, rank))
    ranked = sorted(set(keys))
    return [min(ranked.index(key) + 1, 6) for key in keys]
