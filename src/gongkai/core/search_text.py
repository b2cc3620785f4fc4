"""Chinese search text processing (检索文本处理): normalisation, word segmentation, query parsing,
PostgreSQL ``tsvector``/``tsquery`` literals and snippet highlighting. Pure Python, no Django.

Why this shape (measured on this machine kind, see the issue note):

- PostgreSQL's ``simple`` text search turns an unsegmented Chinese run into ONE token, and no
  Chinese parser (zhparser, pg_jieba) is packaged for Debian 12. So text is segmented here with
  ``rjieba`` (the Rust binding of jieba; ~10 M chars/s here against ~0.07 M for pure-Python jieba)
  and handed to PostgreSQL as a ready ``tsvector`` literal, which ``'…'::tsvector`` takes verbatim
  (no parser, no stemming).
- **Index time**: jieba *search mode* (``cut_for_search``): every word plus the dictionary
  sub-words inside it (中小企业 → 中小, 企业, 小企业, 中小企业), so a query for a part of a
  compound still finds it.
- **Query time**: the query is segmented in search mode too and the *maximal* tokens are kept
  (those not inside a longer token of the same query): the query's own words, each of which the
  index holds for any document containing it. All words of a term must be present (AND).
- The vector holds lexemes without positions (smaller, faster to build); phrases (quoted terms)
  are checked as substrings of the normalised text after the word index has narrowed the
  candidates, which also handles phrases that cut across word boundaries (业高质量).
- Filters are extra lexemes in the same vector (``f:year:2024``), so one GIN index serves words
  and filters together. Text lexemes never contain ``:``, so they cannot collide.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

# -- normalisation ---------------------------------------------------------------------------

# brackets used in 发文字号 (临政发〔2024〕12号, [2024], (2024), 【2024】) → one form
_DOC_NO_BRACKETS = str.maketrans(
    {
        "[": "〔",
        "]": "〕",
        "【": "〔",
        "】": "〕",
        "(": "〔",
        ")": "〕",
        "［": "〔",
        "］": "〕",
        "（": "〔",
        "）": "〕",
    }
)
_SPACES = re.compile(r"\s+")


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified with the project's converter (OpenCC ``tw2sp`` plus the label
    repairs of the report importer) when ``text`` contains traditional characters; unchanged
    otherwise (running ``tw2sp`` over simplified text would turn mainland words like 文件 into 文档)."""
    if not text or _t2s().convert(text) == text:
        return text
    from gongkai.core.report_parse.normalize import to_simplified as tw2sp

    return tw2sp(text)


# full-width letters and digits → half-width; Chinese punctuation (，。（）) is kept as printed,
# so snippets drawn from the normalised text read like the document
_FULL_WIDTH = {
    cp: cp - 0xFEE0 for r in ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B)) for cp in range(*r)
}
_FULL_WIDTH[0x3000] = " "
_HAS_FULL_WIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000]")


def normalize(text: str) -> str:
    """Search form of a text: full-width letters and digits → half-width, lower case,
    traditional → simplified, whitespace runs → one space."""
    if not text:
        return ""
    if _HAS_FULL_WIDTH.search(text):  # translate() is slow on long texts: only when needed
        text = text.translate(_FULL_WIDTH)
    text = to_simplified(text)
    return _SPACES.sub(" ", text.lower()).strip()


def normalize_doc_number(text: str) -> str:
    """A 发文字号 in one comparable form: normalised, brackets unified to 〔〕, no spaces."""
    return normalize(text).translate(_DOC_NO_BRACKETS).replace(" ", "")


# -- segmentation ----------------------------------------------------------------------------

_WORD = re.compile(r"^\w+$")
_DOC_NO = re.compile(r"^\S*[〔\[(【［]\s*\d{4}\s*[〕\])】］]\s*\d+\s*号?$")


def _rjieba():
    import rjieba

    return rjieba


def index_words(text: str) -> set[str]:
    """The distinct words of an (already normalised) text for the index: jieba search mode,
    punctuation dropped."""
    if not text:
        return set()
    return {w for w in set(_rjieba().cut_for_search(text)) if w.isalnum() or _WORD.match(w)}


TITLE_PREFIX = "t:"


def title_lexeme(word: str) -> str:
    """The lexeme saying ``word`` is a word of the title (``t:养老``): lets the index find the
    documents whose title has the query's words without reading every match."""
    return TITLE_PREFIX + word


PIECE_PREFIX = "b:"


def piece_lexemes(text: str) -> set[str]:
    """Every two-character piece of a title or 文号 (``b:企业``): a term of three or more
    characters is found in them by its pieces when it is not a word of the document (a part of
    a word, a run across words), as ``pg_trgm`` would, without reading the row."""
    text = text.replace(" ", "")
    return {PIECE_PREFIX + text[i : i + 2] for i in range(len(text) - 1)}


def sort_facet(in_force: bool, published_on) -> str:
    """The ordering bucket of a document (``f:sort:1:202611``: in force, published 2026-11;
    ``f:sort:0:none`` without a date): lets the index hand out the newest documents in force
    first, a month at a time, when a query matches too many documents to sort them all."""
    month = published_on.strftime("%Y%m") if published_on else "none"
    return facet("sort", f"{int(bool(in_force))}:{month}")


def query_words(text: str) -> list[str]:
    """The words of one query term (normalised): search-mode tokens, keeping those not contained
    in a longer token (so 中小企业发展 → 中小企业, 发展); single characters are dropped when the
    term has longer words (a lone 业 of 业高质量 is not a word the index holds)."""
    tokens = [(w, s, e) for w, s, e in _rjieba().tokenize(text, mode="search") if _WORD.match(w)]
    maximal = [
        (w, s, e)
        for w, s, e in tokens
        if not any((s2 <= s and e <= e2) and (e2 - s2) > (e - s) for _, s2, e2 in tokens)
    ]
    words: list[str] = []
    for w, _, _ in sorted(maximal, key=lambda t: t[1]):
        if w not in words:
            words.append(w)
    longer = [w for w in words if len(w) > 1]
    return longer or words


# -- documents -------------------------------------------------------------------------------


@dataclass
class SearchDocument:
    """What a search backend stores for one object. ``kind`` names the registered type
    (``records.record``); ``body`` is the full text (body and attachments' extracted text)."""

    kind: str
    object_id: int
    title: str
    url: str = ""
    body: str = ""
    doc_number: str = ""  # 发文字号
    index_number: str = ""  # 索引号
    summary: str = ""  # 内容概述
    agency_id: int | None = None  # 发布机关
    issuer_ids: Sequence[int] = ()  # 发文机关 (joint issuers included)
    topic: str = ""  # 主题分类 (code)
    doc_type: str = ""  # 文种 / document type (code)
    year: int | None = None
    validity: str = ""  # 有效性 (code)
    in_force: bool = True  # 现行有效
    published_on: object = None  # datetime.date
    extra: dict = field(default_factory=dict)  # display-only values (labels, names)

    def search_text(self) -> str:
        """The normalised text the words come from and phrases are checked against."""
        return normalize(" ".join(p for p in (self.title, self.doc_number, self.summary, self.body) if p))

    def facets(self) -> list[str]:
        out = [facet("kind", self.kind), facet("in_force", int(bool(self.in_force)))]
        if self.agency_id is not None:
            out.append(facet("agency", self.agency_id))
        out += [facet("issuer", i) for i in sorted(set(self.issuer_ids or ()))]
        for name in ("topic", "doc_type", "year", "validity"):
            value = getattr(self, name)
            if value not in (None, ""):
                out.append(facet(name, value))
        return out


def facet(name: str, value) -> str:
    """The filter lexeme for ``name = value`` (``f:year:2024``)."""
    return f"f:{name}:{value}"


def _quote(lexeme: str) -> str:
    if "'" not in lexeme and "\\" not in lexeme:
        return "'" + lexeme + "'"
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def vector_literal(words: Iterable[str], facets: Iterable[str] = ()) -> str:
    """A ``tsvector`` literal (lexemes without positions). Not sorted: PostgreSQL sorts and
    deduplicates a tsvector on input, and sorting a thousand Chinese lexemes here cost a third
    of the indexing time."""
    lexemes = set(words) | set(facets)
    joined = "".join(lexemes)
    if "'" in joined or "\\" in joined:
        return " ".join(_quote(w) for w in lexemes)
    return "'" + "' '".join(lexemes) + "'" if lexemes else ""


# -- queries ---------------------------------------------------------------------------------

_QUERY_MARKS = {0xFF02: '"', 0xFF0D: "-", 0x2212: "-", 0x3000: " "}  # ＂ － − and the ideographic space
_QUOTES = "\"“”「」『』'‘’"
_TERM = re.compile(r'(-?)(?:"([^"]*)"|“([^”]*)”|「([^」]*)」|『([^』]*)』|(\S+))')


@dataclass
class Term:
    """One term of a query: its normalised text, its index words, and how it must match."""

    text: str
    words: list[str]
    phrase: bool = False  # quoted: the exact text must occur
    negated: bool = False  # -word: must not occur
    doc_number: bool = False  # looks like a 发文字号

    @property
    def trigram(self) -> bool:
        """Partial matches in title and 文号 (pg_trgm serves LIKE only from 3 characters)."""
        return len(self.text) >= 3


@dataclass
class ParsedQuery:
    raw: str
    terms: list[Term]

    @property
    def positive(self) -> list[Term]:
        return [t for t in self.terms if not t.negated]

    @property
    def empty(self) -> bool:
        return not self.positive

    def highlight_terms(self) -> list[str]:
        """Strings to mark in titles and snippets: each phrase whole, each word of other terms."""
        out: list[str] = []
        for t in self.positive:
            out += [t.text] if (t.phrase or t.doc_number or not t.words) else [t.text, *t.words]
        return sorted(set(out), key=len, reverse=True)


MAX_TERMS = 12


def parse_query(raw: str) -> ParsedQuery:
    """Parse what a citizen typed: whitespace separates terms; "双引号" (or 「」, “”) makes a
    phrase; a leading ``-`` excludes a term; a 发文字号 (临政发〔2024〕12号, any brackets) is
    matched against 文号. Unbalanced quotes are treated as text."""
    raw = (raw or "").strip()
    text = raw.translate(_QUERY_MARKS)
    terms: list[Term] = []
    for m in _TERM.finditer(text):
        negated = m.group(1) == "-"
        quoted = next((g for g in m.groups()[1:5] if g is not None), None)
        chunk = quoted if quoted is not None else m.group(6)
        if quoted is None:
            chunk = chunk.strip(_QUOTES)
        norm = normalize(chunk)
        if not norm:
            continue
        if _DOC_NO.match(norm.replace(" ", "")):
            dn = normalize_doc_number(norm)
            terms.append(Term(dn, query_words(dn), phrase=True, negated=negated, doc_number=True))
            continue
        words = query_words(norm)
        if not words:
            continue
        phrase = quoted is not None and words != [norm]
        terms.append(Term(norm, words, phrase=phrase, negated=negated))
        if len(terms) >= MAX_TERMS:
            break
    return ParsedQuery(raw, terms)


def tsquery_literal(words: Sequence[str], facets: Sequence[str] = ()) -> str:
    """``'w1' & 'w2' & 'f:year:2024'`` — every word and filter must be present."""
    return " & ".join(_quote(w) for w in [*words, *facets])


def tsquery_any(lexemes: Sequence[str]) -> str:
    """``'a' | 'b'`` — any of them."""
    return " | ".join(_quote(w) for w in lexemes)


# -- highlighting ----------------------------------------------------------------------------


def _spans(text: str, needles: Sequence[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) of the needles in ``text`` (longest first at each place)."""
    lowered = normalize_for_match(text)
    found: list[tuple[int, int]] = []
    for n in sorted({n for n in needles if n}, key=len, reverse=True):
        start = 0
        while True:
            i = lowered.find(n, start)
            if i < 0:
                break
            j = i + len(n)
            if not any(i < e and s < j for s, e in found):
                found.append((i, j))
            start = i + 1
    return sorted(found)


def normalize_for_match(text: str) -> str:
    """A same-length search form for locating matches in displayed text: full-width letters and
    digits → half-width, lower case (offsets map 1:1 back to the original)."""
    if _HAS_FULL_WIDTH.search(text):
        text = text.translate(_FULL_WIDTH)
    low = text.lower()
    if len(low) == len(text):  # lower() only ever lengthens (İ → i̇): same length, same offsets
        return low
    out = []
    for ch in text:
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
    return "".join(out)


def mark(text: str, needles: Sequence[str]) -> str:
    """HTML of ``text`` with every needle wrapped in ``<mark>``; everything else escaped."""
    out, pos = [], 0
    for s, e in _spans(text, needles):
        out.append(html.escape(text[pos:s]))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        pos = e
    out.append(html.escape(text[pos:]))
    return "".join(out)


def snippet(text: str, needles: Sequence[str], width: int = 120, fragments: int = 2) -> str:
    """HTML snippet: up to ``fragments`` windows of about ``width`` characters around the first
    matches, joined with ``…``, matches marked; the start of the text when nothing matches."""
    text = _SPACES.sub(" ", text or "").strip()
    if not text:
        return ""
    # windows from the first match on, each next one from the first match past the last window
    # plus a quarter width (str.find on the whole text, so a long body costs little)
    lowered = normalize_for_match(text)
    ns = sorted({n for n in needles if n}, key=len, reverse=True)
    windows: list[tuple[int, int]] = []
    pos = 0
    while len(windows) < fragments:
        found = [i for i in (lowered.find(n, pos) for n in ns) if i >= 0]
        if not found:
            break
        s = min(found)
        ws = max(0, s - width // 3)
        we = min(len(text), ws + width)
        ws = max(0, min(ws, we - width))
        windows.append((ws, we))
        pos = we + width // 4
    if not windows:
        cut = text[:width]
        return html.escape(cut) + ("…" if len(text) > width else "")
    parts = []
    for ws, we in windows:
        frag = mark(text[ws:we], needles)
        parts.append(("…" if ws > 0 else "") + frag + ("…" if we < len(text) else ""))
    return " ".join(parts)
