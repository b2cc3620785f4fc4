"""OCR of annual-report tables printed as images or scanned (表格为图片 / 扫描件).

Pure Python (numpy, Pillow, pytesseract over Debian's ``tesseract-ocr``), no Django. Nothing here
runs in a web request: the import runs it in its worker.

How a table image is read, without guessing:

1. **Grid.** The page is binarised; ruling lines are rows/columns whose dark run covers most of the
   span (numpy projections, no OpenCV needed for ruled tables). Horizontal lines cut the table into
   row bands; in each band the vertical lines crossing the whole band give that row's cells.
2. **Which table.** Section 3 rows end in 7 value cells (both templates: 自然人, five 法人或其他组织
   columns, 总计); Section 4's data row has 15 cells. The data rows are the bottom rows of the grid:
   25 of them in the 2021 template, 23 in 2019 — the count also tells the template.
3. **Digits per cell.** Every value cell is cropped (ruling lines trimmed) and pasted on one strip;
   Tesseract reads the strip once with a digits-only whitelist (``--psm 6``), and each word goes back
   to its cell by position. An empty cell reads as 0 only if the crop is blank; a cell with ink that
   yields no digit is unread.
4. **Confidence.** Each cell keeps Tesseract's confidence; below ``LOW_CONFIDENCE`` it is marked. The
   text handed to the extractor is the template's own row labels with the read figures (pipe
   cells), so the same extraction and audit run; the audit's identities then confirm or reject the
   marked cells (see :func:`gongkai.core.report_parse.parse_report`).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from ..lazy import lazy_module

np = lazy_module("numpy")  # imported where images are read (a text report never needs it)


LOW_CONFIDENCE = 80.0  # Tesseract word confidence (0–100) under which a cell is marked
# a strip reading under this is read again alone: Tesseract gives a misread 「0」 → 「9」 in a noisy
# scan 83, so a reading between LOW_CONFIDENCE and this one must agree with a second reading
SURE_CONFIDENCE = 90.0
DPI = 200  # rendering resolution for scanned PDF pages
SECTION3_ROWS = {25: "2021", 23: "2019"}
DIGITS = "0123456789."
SIGNED = "0123456789.-+"  # Section 2: 本年增/减 is signed, amounts have decimals
_SECTION2_VALUE = re.compile(r"[+\-]?\d+(?:\.\d+)?")
_PAD = 6


class OcrUnavailable(RuntimeError):
    """Tesseract is not installed (Debian: tesseract-ocr)."""


@dataclass
class OcrCell:
    row: int
    col: int
    text: str
    value: int | str | None  # Section 2: the validated printed text (signed counts, money)
    confidence: float
    box: tuple[int, int, int, int]  # left, top, right, bottom in the page image
    crop: str = ""  # the cell's image (PNG, base64) when it is marked, for the review page


@dataclass
class OcrTable:
    kind: str  # "applications" (Section 3), "review_litigation" (Section 4) or "proactive" (Section 2)
    template: str | None
    cells: list[OcrCell] = field(default_factory=list)
    page: int = 0
    key: str = ""  # Section 2: the template table (art20_1 …)

    def rows(self) -> list[list[OcrCell]]:
        out: dict[int, list[OcrCell]] = {}
        for c in self.cells:
            out.setdefault(c.row, []).append(c)
        return [sorted(out[k], key=lambda c: c.col) for k in sorted(out)]


def _runs(mask: np.ndarray, min_gap: int = 2) -> list[tuple[int, int]]:
    """Start/end (inclusive) of the runs of True in a 1-D mask, runs closer than min_gap joined."""
    idx = np.flatnonzero(mask)
    if idx.size == 0:
        return []
    out = []
    start = prev = int(idx[0])
    for i in idx[1:]:
        i = int(i)
        if i - prev > min_gap:
            out.append((start, prev))
            start = i
        prev = i
    out.append((start, prev))
    return out


def _binarise(img) -> np.ndarray:
    gray = np.asarray(img.convert("L"), dtype=np.uint8)
    return gray < 160


def find_grids(dark: np.ndarray) -> list[list[tuple[int, int, list[tuple[int, int]]]]]:
    """Tables on a page: each a list of row bands ``(top, bottom, [(x0, x1) cells])``."""
    h, w = dark.shape
    hlines = _runs(dark.sum(axis=1) > 0.25 * w)
    tables: list[list[tuple[int, int]]] = []
    cur: list[tuple[int, int]] = []
    for a, b in hlines:
        if cur and a - cur[-1][1] > h // 12:  # a gap taller than any table row: next table
            tables.append(cur)
            cur = []
        cur.append((a, b))
    if cur:
        tables.append(cur)
    grids = []
    tol = max(4, w // 100)
    for lines in tables:
        bands: list = []
        border: tuple[int, int] | None = None
        for (_, b0), (a1, _) in zip(lines, lines[1:]):
            top, bottom = b0 + 1, a1 - 1
            if bottom - top < 8:
                continue
            band = dark[top : bottom + 1]
            vcols = _runs(band.mean(axis=0) > 0.85)
            # a band not closed by the same outer borders as the one above (a heading between two
            # tables, text lines that pass for ruling lines) ends the table: Section 3 and Section 4
            # printed on one page are two grids, not one
            edges = (vcols[0][0], vcols[-1][1]) if len(vcols) >= 2 else None
            if border is not None and (
                edges is None or abs(edges[0] - border[0]) > tol or abs(edges[1] - border[1]) > tol
            ):
                if bands:
                    grids.append(bands)
                bands = []
            border = edges
            cells = [(x0 + 1, x1 - 1) for (_, x0), (x1, _) in zip(vcols, vcols[1:]) if x1 - x0 > 8]
            if cells:
                bands.append((top, bottom, cells))
        if bands:
            grids.append(bands)
    return grids


def _classify(grid) -> tuple[str, str | None, list] | None:
    """(kind, template, data bands) of a grid, or None for tables we do not read (Section 2)."""
    if grid and len(grid[-1][2]) == 15:
        return "review_litigation", None, [grid[-1]]
    rows = [b for b in grid if len(b[2]) >= 8]
    for n, tid in sorted(SECTION3_ROWS.items(), reverse=True):
        if len(rows) >= n:
            return "applications", tid, rows[-n:]
    return None


def _ocr_strip(img, boxes: list[tuple[int, int, int, int]], chars: str = DIGITS) -> list[tuple[str, float]]:
    """Read many small digit cells with one Tesseract call; (text, confidence) per box."""
    import pytesseract
    from PIL import Image

    gap = 24
    widths = [r - left for left, _, r, _ in boxes]
    heights = [b - t for _, t, _, b in boxes]
    W = max(widths) + 2 * gap
    H = sum(heights) + gap * (len(boxes) + 1)
    strip = Image.new("L", (W, H), 255)
    offsets = []
    y = gap
    for box, hgt in zip(boxes, heights):
        strip.paste(img.crop(box), (gap, y))
        offsets.append((y, y + hgt))
        y += hgt + gap
    try:
        data = pytesseract.image_to_data(
            strip,
            lang="eng",
            config=f"--psm 6 -c tessedit_char_whitelist={chars}",
            output_type=pytesseract.Output.DICT,
        )
    except pytesseract.TesseractNotFoundError as exc:
        raise OcrUnavailable("未安装 Tesseract（Debian 软件包 tesseract-ocr），无法识别图片中的表格") from exc
    out: list[list[tuple[str, float]]] = [[] for _ in boxes]
    for i, word in enumerate(data["text"]):
        word = word.strip()
        if not word:
            continue
        mid = data["top"][i] + data["height"][i] / 2
        for k, (a, b) in enumerate(offsets):
            if a - gap / 2 <= mid <= b + gap / 2:
                out[k].append((word, float(data["conf"][i])))
                break
    return [("".join(w for w, _ in ws), min((c for _, c in ws), default=0.0)) for ws in out]


def clean(img):
    """Speckle removal (median filter) and deskew: the angle in ±3° (0.25° steps) that makes the
    horizontal projection sharpest (ruling lines and text lines line up), found on a reduced copy."""
    from PIL import Image, ImageFilter

    img = img.convert("L").filter(ImageFilter.MedianFilter(3))
    small = img.resize((max(1, img.width // 4), max(1, img.height // 4)))
    best, best_score = 0.0, -1.0
    for angle in np.arange(-3.0, 3.01, 0.25):
        rot = small.rotate(float(angle), resample=Image.Resampling.BILINEAR, fillcolor=255)
        prof = (np.asarray(rot, dtype=np.uint8) < 160).sum(axis=1).astype(float)
        score = float(np.square(np.diff(prof)).sum())
        if score > best_score:
            best, best_score = float(angle), score
    if best:
        img = img.rotate(best, resample=Image.Resampling.BICUBIC, fillcolor=255)
    return img


_MIN_GLYPH_PX = 30  # Tesseract reads digits reliably from about this height on


def _ocr_single(img, box, chars: str = "0123456789") -> tuple[str, float]:
    """One cell read alone as a line. When that finds nothing and the print is small (a 9 pt table
    at 200 dpi has ~18 px digits), the crop is read again enlarged so its ink is at least
    ``_MIN_GLYPH_PX`` tall: Tesseract can return nothing for a lone small digit (a clean 「5」 was
    lost when the page moved by 2 mm). Enlarging first, for every cell, cost noisy scans more
    cells than it saved (bench_ocr at 200 dpi: 359 right / 6 unread against 365 / 1)."""
    from PIL import Image

    crop = img.crop(box)
    text, conf = _tesseract_line(crop, chars)
    if text:
        return text, conf
    rows = np.flatnonzero((np.asarray(crop, dtype=np.uint8) < 160).any(axis=1))
    ink = int(rows[-1] - rows[0] + 1) if rows.size else 0
    if not 0 < ink < _MIN_GLYPH_PX:
        return text, conf
    k = -(-_MIN_GLYPH_PX // ink)  # ceil
    return _tesseract_line(crop.resize((crop.width * k, crop.height * k), Image.Resampling.LANCZOS), chars)


def _tesseract_line(crop, chars: str) -> tuple[str, float]:
    import pytesseract
    from PIL import Image

    canvas = Image.new("L", (crop.width + 40, crop.height + 40), 255)
    canvas.paste(crop, (20, 20))
    data = pytesseract.image_to_data(
        canvas,
        lang="eng",
        config=f"--psm 7 -c tessedit_char_whitelist={chars}",
        output_type=pytesseract.Output.DICT,
    )
    words = [(w.strip(), float(c)) for w, c in zip(data["text"], data["conf"]) if w.strip()]
    return "".join(w for w, _ in words), min((c for _, c in words), default=0.0)


def read_tables(img, page: int = 0) -> list[OcrTable]:
    """Section 2, Section 3 and Section 4 tables found on one page image."""
    img = clean(img)
    dark = _binarise(img)
    tables = []
    rest = []
    for grid in find_grids(dark):
        cls = _classify(grid)
        if cls is None:
            rest.append(grid)
            continue
        kind, tid, bands = cls
        ncol = 15 if kind == "review_litigation" else 7
        where = [
            (r, c, box)
            for r, (top, bottom, cells) in enumerate(bands)
            for c, box in _boxes(top, bottom, cells[-ncol:])
        ]
        t = OcrTable(kind, tid, page=page)
        for (r, c, box), (text, conf, ink) in zip(where, _read_boxes(img, dark, [w[2] for w in where])):
            if not ink:
                t.cells.append(OcrCell(r, c, "", 0, 100.0, box))  # printed blank
                continue
            value = int(text) if text.isdigit() else None
            conf = conf if value is not None else 0.0
            crop = _crop_b64(img, box) if conf < LOW_CONFIDENCE else ""
            t.cells.append(OcrCell(r, c, text, value, conf, box, crop))
        tables.append(t)
    tables[:0] = _read_section2(img, dark, rest, page)
    return tables


def _boxes(top: int, bottom: int, cells) -> list[tuple[int, tuple[int, int, int, int]]]:
    return [
        (c, (x0 + _PAD, top + _PAD // 2, x1 - _PAD + 1, bottom - _PAD // 2 + 1))
        for c, (x0, x1) in enumerate(cells)
    ]


def _read_boxes(img, dark, boxes, signed: bool = False) -> list[tuple[str, float, bool]]:
    """(text, confidence, has ink) of each cell box: one strip pass, then the inked cells the strip
    left without a number, or read with less than ``SURE_CONFIDENCE``, read alone, as one line."""
    inked = [bool(dark[b[1] : b[3], b[0] : b[2]].any()) for b in boxes]
    reads = _ocr_strip(img, boxes, SIGNED if signed else DIGITS) if boxes else []
    number = _SECTION2_VALUE.fullmatch if signed else str.isdigit
    for k, (text, conf) in enumerate(reads):
        if not inked[k] or (number(text) and conf >= SURE_CONFIDENCE):
            continue
        # read again alone, as one line: two readings that agree raise the confidence; when they
        # disagree the cell takes the second reading and is marked (never above LOW_CONFIDENCE)
        again, conf2 = _ocr_single(img, boxes[k], SIGNED if signed else "0123456789")
        if not number(again):
            continue
        if not number(text):
            reads[k] = (again, conf2)
        elif again == text:
            reads[k] = (text, max(conf, conf2))
        else:
            reads[k] = (again, min(conf, conf2, LOW_CONFIDENCE - 1))
    return [(text, conf, ink) for (text, conf), ink in zip(reads, inked)]


def _section2_segments(grids) -> list[list]:
    """Section 2 printed as ruled tables: the data row bands of each 第二十条 table. A band of one
    cell is a caption (第二十条第（X）项) and starts a table; the band after it, or a grid's first
    band when the caption is printed outside the grid, is the column header."""
    segments: list[list] = []
    for grid in grids:
        header_next = True
        for band in grid:
            if len(band[2]) == 1:
                header_next = True
                continue
            if header_next:
                segments.append([])
                header_next = False
                continue
            segments[-1].append(band)
    return [s for s in segments if s]


def _valid_section2(text: str, ctype: str) -> bool:
    if not _SECTION2_VALUE.fullmatch(text):
        return False
    if "." in text and ctype != "money":
        return False
    return ctype == "signed_int" or not text.startswith(("-", "+"))


def _read_section2(img, dark, grids, page: int) -> list[OcrTable]:
    """The 第二十条 tables of a page, when their shapes (rows × value cells, in order) are exactly
    one template's Section 2; anything else is not read (it may be another table)."""
    from gongkai.core.report_schema import TEMPLATE_IDS, get_template

    segments = _section2_segments(grids)
    if not segments:
        return []
    shape = [(len(seg), {len(b[2]) - 1 for b in seg}) for seg in segments]
    for tid in TEMPLATE_IDS:
        want = [(len(tb.cell_rows), {len(tb.value_columns)}) for tb in get_template(tid).proactive_tables]
        if shape == want:
            break
    else:
        return []
    out = []
    for tb, seg in zip(get_template(tid).proactive_tables, segments):
        where = [
            (r, c, box)
            for r, (top, bottom, cells) in enumerate(seg)
            for c, box in _boxes(top, bottom, cells[1:])
        ]
        t = OcrTable("proactive", tid, page=page, key=tb.key)
        for (r, c, box), (text, conf, ink) in zip(
            where, _read_boxes(img, dark, [w[2] for w in where], signed=True)
        ):
            if not ink:
                t.cells.append(OcrCell(r, c, "", 0, 100.0, box))
                continue
            value = text if _valid_section2(text, tb.value_columns[c].type) else None
            conf = conf if value is not None else 0.0
            crop = _crop_b64(img, box) if conf < LOW_CONFIDENCE else ""
            t.cells.append(OcrCell(r, c, text, value, conf, box, crop))
        out.append(t)
    return out


def _crop_b64(img, box) -> str:
    import base64

    left, top, right, bottom = box
    b = io.BytesIO()
    img.crop((left - 4, top - 4, right + 4, bottom + 4)).save(b, "PNG", optimize=True)
    return base64.b64encode(b.getvalue()).decode("ascii")


def images_of(data: bytes, kind: str) -> list:
    """Page images of an image file or of a PDF's pages (rendered at ``DPI``)."""
    from PIL import Image

    if kind == "image":
        return [Image.open(io.BytesIO(data)).convert("L")]
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    return [page.render(scale=DPI / 72).to_pil().convert("L") for page in doc]


MAX_DOCX_IMAGES = 20
MAX_IMAGE_BYTES = 20 * 1024 * 1024


def docx_images(data: bytes) -> list:
    """The pictures inside a DOCX (word/media/), in name order, within count and size limits."""
    import zipfile

    from PIL import Image

    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = sorted(
            i.filename
            for i in zf.infolist()
            if i.filename.startswith("word/media/") and i.filename.lower().endswith((".png", ".jpg", ".jpeg"))
        )
        for name in names[:MAX_DOCX_IMAGES]:
            with zf.open(name) as fh:
                blob = fh.read(MAX_IMAGE_BYTES + 1)  # measured while reading, not as declared
            if len(blob) > MAX_IMAGE_BYTES:
                continue
            out.append(Image.open(io.BytesIO(blob)).convert("L"))
    return out


_DATA_URI = re.compile(r"data:image/(?:png|jpe?g|gif|bmp|webp|tiff?);base64,", re.I)


def html_images(sources: list[tuple[str, str]], assets=None) -> list[tuple[str, object]]:
    """``(marker, image)`` of an HTML page's pictures (``sources``: ``(marker, src)`` in page
    order): ``data:`` URIs decoded, other sources asked of ``assets`` (``src -> bytes | None``: the
    files saved beside the page). Count and size limited; a source that is not a readable image is
    skipped."""
    import base64
    import binascii

    from PIL import Image, UnidentifiedImageError

    out = []
    for marker, src in sources:
        if len(out) >= MAX_DOCX_IMAGES:
            break
        d = _DATA_URI.match(src)
        if d:
            payload = src[d.end() :]
            if len(payload) > MAX_IMAGE_BYTES * 4 // 3 + 4:
                continue
            try:
                blob = base64.b64decode(payload, validate=False)
            except (binascii.Error, ValueError):
                continue
        elif assets is not None and src and not src.lower().startswith("data:"):
            blob = assets(src)
        else:
            continue
        if not blob or len(blob) > MAX_IMAGE_BYTES:
            continue
        try:
            out.append((marker, Image.open(io.BytesIO(blob)).convert("L")))
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
            continue
    return out


def folder_assets(folder, cap: int = MAX_IMAGE_BYTES):
    """``src -> bytes | None`` for files under ``folder`` (a saved page's 「…_files」 beside it):
    URL-decoded, query and fragment dropped, never outside the folder; an absolute URL is looked
    up by its path below the folder, then by its file name."""
    from pathlib import Path
    from urllib.parse import unquote, urlsplit

    root = Path(folder).resolve()

    def read(src: str) -> bytes | None:
        parts = urlsplit(src)
        path = unquote(parts.path).lstrip("/")
        for rel in (path, path.rsplit("/", 1)[-1]):
            if not rel:
                continue
            p = (root / rel).resolve()
            if root not in p.parents or not p.is_file() or p.stat().st_size > cap:
                continue
            return p.read_bytes()
        return None

    return read


def tables_to_text(tables: list[OcrTable], template: str | None = None) -> tuple[str, dict]:
    """The read tables as extractor text (template labels + pipe cells) and the confidence map
    ``{"applications": {row_key: {col_key: conf}}, "review_litigation": {...}, "art20_1": …}``."""
    from gongkai.core.report_schema import get_template

    parts: list[str] = []
    conf: dict[str, dict[str, dict[str, float]]] = {}
    low: list[dict] = []
    tid = template or next((t.template for t in tables if t.template), None) or "2021"
    template = get_template(tid)
    s2_heading = False
    for t in tables:
        if t.kind == "proactive":
            if t.template != tid:
                continue  # shapes of the other template's Section 2: not this report's
            tb = template.table(t.key)
            rows = list(tb.cell_rows)
            if not s2_heading:
                parts.append("二、主动公开政府信息情况")
                s2_heading = True
            parts.append(tb.caption or "")
            parts.append("| 信息内容 | " + " | ".join(c.label for c in tb.value_columns) + " |")
        elif t.kind == "applications":
            tb = template.applications
            rows = list(tb.cell_rows)  # 2019's （六）其他处理 is a cell row, 2021's 其他处理 a heading
            parts.append("三、收到和处理政府信息公开申请情况")
            parts.append(
                "| 申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |"
            )
        else:
            tb = template.review_litigation
            rows = [tb.rows[0]]
            parts.append("四、政府信息公开行政复议、行政诉讼情况")
            parts.append("行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计")
        key = t.key or t.kind
        cols = [c.key for c in tb.value_columns]
        for row, cells in zip(rows, t.rows()):
            printed = ["" if c.value is None else str(c.value) for c in cells]
            prefix = "|" if t.kind == "review_litigation" else f"| {row.label} |"
            parts.append(prefix + "|".join(f" {p} " for p in printed) + "|")
            for c in cells:
                conf.setdefault(key, {}).setdefault(row.key, {})[cols[c.col]] = c.confidence
                if c.value is None or c.confidence < LOW_CONFIDENCE:
                    low.append(
                        {
                            "table": key,
                            "row": row.key,
                            "col": cols[c.col],
                            "text": c.text,
                            "read": c.value is not None,
                            "confidence": round(c.confidence, 1),
                            "page": t.page,
                            "box": list(c.box),
                            "crop": c.crop,
                        }
                    )
    return "\n".join(parts), {"template": tid, "confidence": conf, "low": low}
