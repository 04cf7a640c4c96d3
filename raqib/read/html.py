"""HTML news pages: the article body without navigation, footer and comments, plus metadata.

trafilatura does the work (body, title, date via htmldate, URL, site name). When it finds no body,
a small lxml extraction of its own takes over: drop scripts, navigation, headers, footers, asides
and elements whose class/id names say menu/footer/share/related..., then take the paragraphs of
`<article>`/`<main>` (or of the whole body). Broken HTML never raises: the worst case is a
ReadError saying no article text was found.
"""
from __future__ import annotations

import logging
import re
from datetime import date as _date

from raqib.article import Article
from raqib.read.boilerplate import cut_leading, cut_trailing
from raqib.read.decode import check_arabic
from raqib.read.errors import ReadError
from raqib.text.normalize import normalize_key

NO_BODY = "no article text found in the HTML"

_TITLE_SEP = re.compile(r"\s+(?:[-|–—•:]{1,2})\s+")
_URL_DATE = re.compile(r"/((?:19|20)\d\d)/(?:[A-Za-z_\-]+/)?(\d{1,2})/(\d{1,2})(?:/|$)")
_NOISE = re.compile(
    r"(^|[\s_-])(nav|navbar|menu|footer|header|sidebar|side-bar|breadcrumbs?|share|sharing|social|"
    r"related|comments?|advert|ads?|banner|promo|newsletter|subscribe|tags|cookie|popup|modal|"
    r"most-read|trending|widget)($|[\s_-])", re.IGNORECASE)
_DROP_TAGS = ("script", "style", "noscript", "nav", "footer", "header", "aside", "form", "iframe",
              "button", "select", "svg", "template", "figure", "figcaption")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_BLOCKS = ("p", "h2", "h3", "h4", "li", "blockquote", "pre", "td")


def article_from_html(html: str, name: str, *, id: str | None = None,
                      published: str | None = None, require_arabic: bool = True) -> Article:
    """The Article in `html` (already decoded). Raises ReadError when no body is found, or (with
    `require_arabic`) when it is not Arabic."""
    meta = _trafilatura(html, find_date=published is None)
    text = meta.get("text") or ""
    if not _enough(text):
        own = _own_extraction(html)
        if len(own.get("text") or "") > len(text):
            text = own["text"]
        for k, v in own.items():
            if k != "text" and v and not meta.get(k):
                meta[k] = v
    text = _tidy(text)
    if not text:
        raise ReadError(name, NO_BODY)
    title = _clean_title(meta.get("title"), meta.get("sitename"), text)
    first, _, rest = text.partition("\n")
    if title and rest.strip() and normalize_key(first) == normalize_key(title):
        text = rest.strip()  # the headline repeated atop the body
    text, lead = cut_leading(text)
    text, boiler = cut_trailing(text)
    if require_arabic:
        check_arabic(f"{title or ''}\n{text}", name)
    return Article(text=text, id=id, title=title, published=published or meta.get("date"),
                   source=meta.get("sitename") or None, url=meta.get("url") or None,
                   boilerplate=lead + boiler)


def _enough(text: str) -> bool:
    return len(text.strip()) >= 40


def _tidy(text: str) -> str:
    lines = [re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in text.replace("\r", "\n").split("\n")]
    return "\n".join(ln for ln in lines if ln).strip()


def _parse(html: str):
    """An lxml tree for `html` (str), whatever encoding it once declared; None if unparsable."""
    import lxml.html

    # Characters XML cannot hold (C0 controls but tab/newline/CR, U+FFFE/U+FFFF, lone surrogates):
    # lxml's HTML parser keeps them in text nodes but refuses them when a text is assigned back
    # (`_drop` moves tails), so they go before parsing; vertical tab and form feed become spaces.
    html = _NOT_XML.sub(lambda m: " " if m.group() in "\x0b\x0c" else "", html)
    data = html.encode("utf-8")
    try:
        parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
        tree = lxml.html.document_fromstring(data, parser=parser)
    except Exception:  # lxml raises ParserError / ValueError on hopeless input
        return None
    return tree


def _trafilatura(html: str, find_date: bool = True) -> dict:
    """Body text and metadata from trafilatura ({} if it fails or finds nothing). Without
    `find_date`, the slower date searches (URL, page text) are skipped."""
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - it is a dependency, but keep the reader usable
        return {}
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    tree = _parse(html)
    if tree is None:
        return {}
    try:
        doc = trafilatura.bare_extraction(
            tree, with_metadata=True, include_comments=False, include_tables=True,
            date_extraction_params={"extensive_search": False, "original_date": True})
    except Exception:  # trafilatura bugs on odd pages must not stop a batch
        return {}
    if doc is None:
        return {}
    d = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    out = {k: d.get(k) for k in ("text", "title", "date", "url", "sitename")}
    if not out.get("date") and find_date:
        out["date"] = _url_date(out.get("url")) or _extensive_date(html, out.get("url"))
    return out


def _url_date(url: str | None) -> str | None:
    """A date in the URL path: /2013/8/3/, /2013/middle_east/8/3/, /2020/11/09/."""
    if not url:
        return None
    m = _URL_DATE.search(url)
    if not m:
        return None
    try:
        return _date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


def _extensive_date(html: str, url: str | None) -> str | None:
    """htmldate's search of the page text, when the markup has no date. A January 1st is
    discarded: it is what a bare year (a copyright line) turns into."""
    try:
        from htmldate import find_date
        tree = _parse(html)
        found = find_date(tree, extensive_search=True, original_date=True, url=url) if tree is not None else None
    except Exception:
        return None
    if not found or found.endswith("-01-01"):
        return None
    return found


def _clean_title(title: str | None, sitename: str | None, body: str) -> str | None:
    """The headline without the site name that pages append or prepend ('X - اليوم السابع')."""
    if not title:
        return None
    title = re.sub(r"\s+", " ", title).strip()
    parts = _TITLE_SEP.split(title)
    if len(parts) < 2:
        return title
    first_line = normalize_key(body.split("\n", 1)[0])
    for p in parts:  # a part that is the body's first line is the headline
        if len(p.split()) >= 3 and normalize_key(p) == first_line:
            return p.strip()
    site = normalize_key(sitename or "")
    if site:
        kept = [p for p in parts if not _same_site(normalize_key(p), site)]
        if kept and len(kept) < len(parts):
            return _join_back(title, kept)
    return title


def _same_site(part: str, site: str) -> bool:
    if not part:
        return True
    return part == site or (len(part) >= 4 and (part in site or site in part)) \
        or part.replace(".com", "").replace("www.", "") == site.replace(".com", "").replace("www.", "")


def _join_back(title: str, kept: list[str]) -> str:
    """The span of `title` from the first kept part to the last (keeps its own separators)."""
    start = title.find(kept[0])
    end = title.rfind(kept[-1]) + len(kept[-1])
    return title[start:end].strip() if 0 <= start < end else " ".join(kept)


def _own_extraction(html: str) -> dict:
    """A plain lxml extraction: title and paragraphs of the main content."""
    tree = _parse(html)
    if tree is None:
        return {}
    out: dict = {}
    for xp in ('//meta[@property="og:title"]/@content', "//title/text()", "//h1//text()"):
        found = [s.strip() for s in tree.xpath(xp) if s and s.strip()]
        if found:
            out["title"] = found[0]
            break
    url = tree.xpath('//link[@rel="canonical"]/@href') or tree.xpath('//meta[@property="og:url"]/@content')
    if url:
        out["url"] = url[0].strip()
    site = tree.xpath('//meta[@property="og:site_name"]/@content')
    if site:
        out["sitename"] = site[0].strip()
    for el in list(tree.iter(*_DROP_TAGS)):
        _drop(el)
    for el in list(tree.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        names = f"{el.get('class', '')} {el.get('id', '')} {el.get('role', '')}"
        if el.tag not in ("html", "body", "article", "main") and _NOISE.search(names):
            _drop(el)
    roots = tree.xpath("//article") or tree.xpath("//main") or tree.xpath("//body") or [tree]
    root = max(roots, key=lambda r: len(r.text_content()))
    blocks = []
    for el in root.iter(*_BLOCKS):
        if any(a.tag in _BLOCKS for a in el.iterancestors()):
            continue  # its text is already in the enclosing block
        t = " ".join(el.text_content().split())
        if t:
            blocks.append(t)
    if not blocks:  # no paragraph markup (e.g. text split by <br>): the root's own text lines
        blocks = [" ".join(s.split()) for s in root.itertext()]
    out["text"] = "\n".join(b for b in blocks if b)
    return out


def _drop(el) -> None:
    """Remove `el` from its tree, keeping the text that follows it (its tail)."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)
