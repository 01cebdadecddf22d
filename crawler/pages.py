"""Read a page's fields with its definition's selectors: pure functions over HTML, no network."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlencode, urljoin, urlsplit

from bs4 import BeautifulSoup
from lxml import etree
from parsel import Selector

from onionwatch.crawler.jsonld import json_values
from onionwatch.crawler.markets import TEMPLATE_PART, FieldSpec, PageSpec

MAX_FIELD_CHARS = 100_000  # a single field longer than this is truncated (hostile pages)
MAX_ELEMENT_HTML = 100_000  # an element's HTML is cut here before it becomes text (descriptions are ~1-10 KB)
_DROPPED = ["script", "style", "noscript", "template", "iframe", "object", "svg", "head"]
_BREAK = "\x0b"  # marks a block boundary inside element_text (lxml drops control characters from pages)
_BREAKS = re.compile(r"\s*\x0b\s*")  # a run of boundaries (and the white space around them): one line break
_BLOCKS = [
    "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "pre", "blockquote", "section", "article", "header", "footer", "hr", "form", "fieldset",
]  # fmt: skip
_CELLS = ["td", "th"]  # table cells: a space between neighbours ("<td>0,5 г</td><td>2 500 ₽</td>" is "0,5 г 2 500 ₽")
# white space, no-break and the other Unicode spaces (thin "1\u2009500 ₽", narrow no-break, figure): one plain space
_WS = re.compile(r"[ \t\r\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_BLANKS = re.compile(r"\n{3,}")  # keep at most one blank line (armoured PGP blocks need it)


# libxml2 stops building the tree at this depth (parsel parses with huge_tree; 256 without it) and drops the
# rest of the page: a hostile page of 100,000 nested elements hides everything after them.
LXML_MAX_DEPTH = 2048


class PageMismatch(Exception):
    """A page whose URL says it is a listing/vendor page does not match its definition's selectors."""


def page_text(body: bytes, content_type: str | None = None) -> str:
    """A page's bytes as text, decoded as the crawl decodes them: by a Scrapy response, so the same rules on every
    Scrapy/w3lib version (a BOM, else the charset of the Content-Type header, else the page's own `<meta charset>` /
    `<meta http-equiv="Content-Type">` — a windows-1251 shop whose server names no charset —, else UTF-8 if the bytes
    are UTF-8, else cp1252); bytes the encoding cannot read are replaced. Nothing is fetched."""
    from scrapy.http import HtmlResponse

    headers = {"Content-Type": content_type} if content_type else {}
    return HtmlResponse("http://page.invalid/", body=body, headers=headers).text


def too_deep(sel: Selector) -> bool:
    """Whether lxml cut the page at its nesting limit (so a selector may find nothing that is there)."""
    root = sel.root
    if not isinstance(root, etree._Element):
        return False
    depth = deepest = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > deepest:
            deepest = depth
            if deepest >= LXML_MAX_DEPTH - 1:  # the root counts as 1: html > body > ... reaches the limit
                return True
    return False


def _mismatch(sel: Selector, url: str, problem: str) -> PageMismatch:
    if too_deep(sel):
        return PageMismatch(f"page {url} does not match its definition: page too deeply nested to parse (lxml limit, "
                            f"{LXML_MAX_DEPTH} levels)")
    return PageMismatch(f"page {url} does not match its definition: {problem}")


def _clean(text: str, keep_newlines: bool) -> str:
    if keep_newlines:
        text = "\n".join(_WS.sub(" ", line).strip() for line in text.splitlines())
        text = _BLANKS.sub("\n\n", text).strip()
    else:
        text = _WS.sub(" ", text.replace("\n", " ")).strip()
    return text[:MAX_FIELD_CHARS]


def element_text(html: str) -> str:
    """The readable text of an element's HTML (BeautifulSoup on lxml): scripts, styles and the like dropped,
    a line break around every block element and at <br>, a space between table cells, entities decoded. Inline
    tags join their neighbours ("1<b>g</b>" is "1g"). Bounded: the HTML is cut at MAX_ELEMENT_HTML characters, and lxml
    stops nesting at 256 levels."""
    soup = BeautifulSoup(html[:MAX_ELEMENT_HTML], "lxml")
    for tag in soup.find_all(_DROPPED):
        tag.decompose()
    for tag in soup.find_all(_BLOCKS):  # first and last child: O(1) each (insert_before/after are O(siblings))
        tag.insert(0, _BREAK)
        tag.append(_BREAK)
    for tag in soup.find_all(_CELLS):
        tag.append(" ")
    return _BREAKS.sub("\n", soup.get_text()).strip()


def column_header(el: Selector) -> str | None:
    """The readable text of the header of a table cell's column: the cell at the same position in the first row of
    its table (`<thead>`'s or the first `<tr>`), the header cell itself for a header; None for an element that is
    no cell, or a column the first row lacks. Positions count cells, not `colspan`."""
    if el.root.tag not in ("td", "th"):
        return None
    position = len(el.xpath("preceding-sibling::td | preceding-sibling::th")) + 1
    header = el.xpath(f"ancestor::table[1]/*[self::thead or self::tbody or self::tr][1]/descendant-or-self::tr[1]"
                      f"/*[self::td or self::th][{position}]")
    return element_text(header[0].get()) if header else None


def _filled(el: Selector, template: str) -> str | None:
    """`template` with {text} (the element's readable text), {@name} (its attribute) and {header} (the header of its
    table column) filled; None when the element lacks what the template names (a placeholder <option> without
    data-price, a cell outside a table)."""
    missing = False

    def part(m: re.Match[str]) -> str:
        nonlocal missing
        name = m.group(1)
        if name == "text":
            return element_text(el.get())
        if name == "header":
            header = column_header(el)
            missing = missing or header is None
            return header or ""
        value = el.attrib.get(name[1:])
        missing = missing or value is None
        return value or ""

    out = TEMPLATE_PART.sub(part, template).replace("{{", "{").replace("}}", "}")
    return None if missing else out


def _matches(sel: Selector, css: str) -> list[tuple[str | None, Selector]]:
    """Every match of `css` in page order, as (its string, the match): the string is what a ``::text`` or
    ``::attr(x)`` alternative yields, None for an element. Decided per match, so a comma list that mixes both
    kinds ("span.price::text, div.desc") reads each match the way its own alternative asks."""
    return [(m.get() if isinstance(m.root, str) else None, m) for m in sel.css(css.strip())]


def _values(sel: Selector, css: str, many: bool, template: str | None = None) -> list[str]:
    """What `css` yields as strings: a ``::text``/``::attr`` match as it is; an element (a description with
    paragraphs) as its readable text, or `template` filled from it; blank element texts dropped unless `many`."""
    out: list[str] = []
    for value, match in _matches(sel, css):
        if template is not None:  # element selectors only (the schema checks it)
            filled = _filled(match, template)
            if filled is not None:
                out.append(filled)
        elif value is not None:
            out.append(value)
        else:
            text = element_text(match.get())
            if many or text.strip():
                out.append(text)
    return out


def link_hrefs(sel: Selector, css: str | None) -> list[str]:
    """The links a navigation selector names, in page order: what ``::attr(...)``/``::text`` yields, or the
    ``href`` of each element an element selector matches (``"ul.cats a"`` reads as ``"ul.cats a::attr(href)"``,
    the way Scrapy's ``response.follow_all(css=...)`` does); an element without ``href`` (a ``<li>``) is a
    container: the ``href`` of every ``<a>``/``<area>`` inside it."""
    if not css:
        return []
    hrefs: list[str] = []
    for value, match in _matches(sel, css):
        if value is not None:
            hrefs.append(value)
        elif (href := match.attrib.get("href")) is not None:
            hrefs.append(href)
        elif isinstance(match.root, etree._Element) and match.root.tag in ("option", "select"):
            hrefs.extend(_form_links(match.root))
        else:
            hrefs.extend(match.css("a::attr(href), area::attr(href)").getall())
    return hrefs


_UNSENT = {"submit", "button", "image", "reset", "file"}  # <input> types a form sends only when clicked, or never


def _form_links(element: etree._Element) -> list[str]:
    """The URLs a GET ``<form>`` goes to when `element` (an ``<option>``, or each option of a ``<select>``) is
    chosen, as a browser submits it: the form's ``action`` (its query and fragment dropped; none or empty: the page
    itself) with every named field's value in page order, the option's ``value`` (else its text) for its own
    ``<select>``. Outside a form, in a POST form, or in a ``<select>`` with no name: no link (its script is not run)."""
    select = element if element.tag == "select" else next(element.iterancestors("select"), None)
    form = next(element.iterancestors("form"), None)
    if select is None or form is None or not select.get("name"):
        return []
    if (form.get("method") or "get").strip().lower() != "get":
        return []
    action = (form.get("action") or "").strip().split("#", 1)[0].split("?", 1)[0]
    options = [element] if element.tag == "option" else list(select.iter("option"))
    return [f"{action}?{urlencode(_form_pairs(form, select, option))}" for option in options]


def _form_pairs(form: etree._Element, select: etree._Element, option: etree._Element) -> list[tuple[str, str]]:
    """The (name, value) pairs `form` sends with `option` chosen in `select`: hidden and text inputs, checked boxes
    ("on" without a value), each other ``<select>``'s selected option (else its first), textareas; disabled fields,
    buttons and files are not sent."""
    pairs = []
    for field in form.iter("input", "select", "textarea"):
        name = field.get("name")
        if not name or field.get("disabled") is not None:
            continue
        if field is select:
            pairs.append((name, _option_value(option)))
        elif field.tag == "select":
            options = list(field.iter("option"))
            chosen = [o for o in options if o.get("selected") is not None] or options
            pairs.extend((name, _option_value(o)) for o in chosen[:1])
        elif field.tag == "textarea":
            pairs.append((name, field.text or ""))
        else:
            kind = (field.get("type") or "text").strip().lower()
            if kind in _UNSENT or (kind in ("checkbox", "radio") and field.get("checked") is None):
                continue
            pairs.append((name, field.get("value") or ("on" if kind in ("checkbox", "radio") else "")))
    return pairs


def _option_value(option: etree._Element) -> str:
    value = option.get("value")
    return value if value is not None else " ".join("".join(option.itertext()).split())


def page_base(sel: Selector, url: str) -> str:
    """The URL the page's relative links resolve against: its first ``<base href>`` (itself resolved against
    `url`, as browsers and Scrapy's ``response.urljoin`` do), else `url`. A base that is not http(s) or cannot
    be parsed ("javascript:", "http://[::1") is ignored: a hostile page cannot turn its links into other schemes."""
    href = sel.css("base::attr(href)").get()
    if not href or not href.strip():
        return url
    try:
        base = urljoin(url, href.strip())
        scheme = urlsplit(base).scheme
    except ValueError:
        return url
    return base if scheme in ("http", "https") else url


def _apply_regex(value: str, regex: str | None) -> str | None:
    if regex is None:
        return value
    m = re.search(regex, value)
    if not m:
        return None
    if not m.groups():
        return m.group(0)
    # several groups: what they matched, joined by a space (a part cut out of the middle: "1 g Ƀ0.0012 / $54.20"
    # under '^(.*?)\s*Ƀ[\d.]+ / (\$[\d.]+)$' is "1 g $54.20"); a group that took no part is left out
    return " ".join(g for g in m.groups() if g) if len(m.groups()) > 1 else m.group(1)


def _keep(value: str, keep: str | None) -> bool:
    if keep == "tier_lines":
        from onionwatch.extractors.tiers import is_tier_line

        return is_tier_line(value)
    return True


def _json_texts(sel: Selector, css: str) -> list[str]:
    """What `css` yields for a `json` field: a ``::text``/``::attr`` match as it is, an element's whole text (a
    ``<script>``, which readable text drops)."""
    return [value if value is not None else match.xpath("string()").get() or "" for value, match in _matches(sel, css)]


def _read_one(sel: Selector, spec: FieldSpec, css: str) -> tuple[list[str], str | list[str] | None]:
    """(what `css` found, the field's value from it: cleaned, regex and keep filter applied)."""
    keep_newlines = "\n" in spec.join
    if spec.json_paths is not None:
        raw = json_values(_json_texts(sel, css), spec.json_paths, spec.join)
        raw = raw if spec.many else raw[:1]
    else:
        raw = _values(sel, css, spec.many, spec.template)
    if spec.many:
        out = []
        for v in raw:
            cleaned = _apply_regex(_clean(v, keep_newlines), spec.regex)
            if cleaned and _keep(cleaned, spec.keep):
                out.append(cleaned)
        return raw, out
    if not raw:
        return raw, None
    joined = _clean(spec.join.join(raw), keep_newlines)
    value = _apply_regex(joined, spec.regex)
    return raw, (value if value and _keep(value, spec.keep) else None)


def read_field(sel: Selector, spec: FieldSpec) -> str | list[str] | None:
    """The field's value from the first of its selectors that yields one (fallbacks in order)."""
    return trace_field(sel, spec)[2]


def trace_field(sel: Selector, spec: FieldSpec) -> tuple[str | None, list[str], str | list[str] | None]:
    """(the selector that yielded the value or None, what that selector found before cleaning, the value)."""
    value: str | list[str] | None = [] if spec.many else None
    for css in spec.css:
        raw, value = _read_one(sel, spec, css)
        if value:
            return css, raw, value
    return None, [], value


def read_page(sel: Selector, page: PageSpec, url: str) -> dict[str, str | list[str] | None]:
    """All fields of one page; raise PageMismatch when `require` or a required field is missing."""
    if not sel.css(page.require):
        raise _mismatch(sel, url, f"selector {page.require!r} found nothing")
    values: dict[str, str | list[str] | None] = {}
    for name, spec in page.fields.items():
        value = read_field(sel, spec)
        if spec.required and not value:
            raise _mismatch(sel, url, f"field {name!r} ({' | '.join(spec.css)!r}) is empty")
        values[name] = value
    return values


def page_id(page: PageSpec, path: str) -> str | None:
    """The id of a listing/vendor page from its URL path (+ query), or None if it is not such a page."""
    m = re.search(page.url_pattern, path)
    return m.group("id") if m else None


def as_text(values: Mapping[str, object], name: str) -> str | None:
    v = values.get(name)
    if isinstance(v, list):
        return " ".join(v) or None
    return v if isinstance(v, str) else None


def as_list(values: Mapping[str, object], name: str) -> list[str]:
    v = values.get(name)
    if isinstance(v, list):
        return v
    return [v] if isinstance(v, str) and v else []
