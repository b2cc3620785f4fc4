"""File names: unguessable storage names and sanitised display names, without Django.

Uploaded and generated files are stored under random names (``<area>/<2 hex>/<32 hex><.ext>``), so
knowing an agency, a case or a file's original name never leads to its path; the original name
is kept as metadata and shown (and sent in Content-Disposition) only after :func:`display_name`.
"""

from __future__ import annotations

import re
import unicodedata
import uuid

# Extensions kept on stored files (lower case); anything else is stored without one.
STORED_EXTENSIONS = frozenset(
    {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ofd", ".txt", ".html", ".htm", ".csv", ".zip"}
    | {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".gif", ".wps", ".et", ".rtf", ".odt", ".ods"}
)
MAX_DISPLAY = 120
_RESERVED = re.compile(r'[\\/:*?"<>|]')
_SPACES = re.compile(r"\s+")
_DOTS = re.compile(r"\.{2,}")
RANDOM_NAME = re.compile(r"^[a-z_]+/[0-9a-f]{2}/[0-9a-f]{32}(\.[a-z0-9]{1,5})?$")


def extension(name: str) -> str:
    """The stored extension of ``name`` (lower case, from :data:`STORED_EXTENSIONS`) or ``""``."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    dot = base.rfind(".")
    ext = base[dot:].lower() if dot > 0 else ""
    return ext if ext in STORED_EXTENSIONS else ""


def random_name(area: str, original: str = "", token: str | None = None) -> str:
    """``area/ab/ab12…ef.pdf``: a random storage path keeping only a known extension."""
    token = token or uuid.uuid4().hex
    return f"{area}/{token[:2]}/{token}{extension(original)}"


def is_random_name(name: str) -> bool:
    return bool(RANDOM_NAME.match(name or ""))


def display_name(name: str, default: str = "附件") -> str:
    """A file name safe to show and to send as a download name: the last path component, no
    control, format (bidi override) or reserved characters, no leading dots, runs of dots and
    spaces collapsed, at most :data:`MAX_DISPLAY` characters with the extension kept."""
    s = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    s = unicodedata.normalize("NFC", s)
    s = "".join(ch for ch in s if unicodedata.category(ch)[0] != "C")
    s = _RESERVED.sub("_", s)
    s = _SPACES.sub(" ", s)
    s = _DOTS.sub(".", s).strip(" .")
    if not s:
        return default
    if len(s) > MAX_DISPLAY:
        dot = s.rfind(".")
        ext = s[dot:] if dot > 0 and len(s) - dot <= 10 else ""
        s = s[: MAX_DISPLAY - len(ext)].rstrip(" .") + ext
    return s or default
