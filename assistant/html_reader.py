"""A saved web page -> Markdown: menus, banners and scripts out; headings, lists and tables kept.

selectolax removes what is not content (navigation, cookie banners, forms, and any block that is mostly
links); markdownify writes what is left as Markdown. Link density, not tag names, decides what a menu is:
a payer's sidebar can hold the policy's review dates beside its table of contents.
"""

from __future__ import annotations

import re

from .readers import Source

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
    # The page's title names the site ("... - Medical Policy - Independence Blue Cross"), as its furniture does.
    # ... and so does its trail of breadcrumbs ("Ohio Administrative Code / 5160 | Medicaid, Department of").
    running = " \n".join(
        [title, *(_text(node) for node in tree.css(f"header, footer, [role=banner], [role=contentinfo], {_CRUMBS}"))]
    )
    for node in tree.css(", ".join(f"{h} button" for h in sorted(_HEADINGS))):
        # An accordion's section heading is a button inside the heading ("<h2><button>Policy Guidelines</button>"):
        # its text is the heading's, not a control's.
        node.unwrap()
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
    """'Genicular Nerve ... - Medical Clinical Policy Bulletins | Aetna' -> the page's own part."""
    return re.split(r"\s+[|–—]\s+|\s+-\s+(?=[^-]*$)", title)[0].strip() if title else ""


def _tidy(markdown: str) -> str:
    lines = [line.rstrip() for line in markdown.replace("\xa0", " ").splitlines()]
    text = "\n".join(lines)
    # A definition list ("Policy Number:" over ":   7.01.187") is a labelled field on one line.
    text = re.sub(r"^(\S[^\n]*?):?\n:\s+(\S[^\n]*)$", r"\1: \2", text, flags=re.M)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
