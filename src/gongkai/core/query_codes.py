"""The applicant's query code (查询码): made, hashed and checked without Django.

The code is given to the applicant once (receipt page, e-mail or a printed notice) and stored only
as a keyed hash, so nobody who reads the database — staff pages, the API, the admin, exports,
backups — can read it back or act as the applicant with it.

Stored form: ``hmac-sha256$<salt>$<hex digest>``. The key is the server's secret (never in the
database), the salt is random per code, and the digest covers the normalised code (upper case, no
spaces): 8 characters from a 32-letter alphabet (40 bits) behind a server-side key cannot be
brute-forced from a stolen table alone, and the portal's rate limit guards the online guessing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone
LENGTH = 8
SCHEME = "hmac-sha256"


def new_code(length: int = LENGTH) -> str:
    """A random query code from :data:`ALPHABET`."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise(code: str) -> str:
    """What the applicant typed, as compared: upper case, spaces and dashes removed."""
    return "".join(ch for ch in (code or "").upper() if ch not in " -\u3000\t")


def _digest(key: str, salt: str, code: str) -> str:
    msg = f"{salt}${normalise(code)}".encode()
    return hmac.new(f"gongkai.query_code:{key}".encode(), msg, hashlib.sha256).hexdigest()


def hash_code(code: str, key: str, salt: str | None = None) -> str:
    """The stored form of ``code`` under the server key ``key``."""
    salt = salt or secrets.token_hex(8)
    return f"{SCHEME}${salt}${_digest(key, salt, code)}"


def check_code(code: str, stored: str, keys: Iterable[str]) -> bool:
    """Whether ``code`` matches the stored hash under any of ``keys`` (current key first, then
    fallbacks, so a rotated server key keeps issued codes valid). Constant time per key."""
    parts = (stored or "").split("$")
    if len(parts) != 3 or parts[0] != SCHEME or not normalise(code):
        return False
    _, salt, want = parts
    ok = False
    for key in keys:
        ok |= hmac.compare_digest(_digest(key, salt, code), want)
    return ok


def fingerprint(stored: str) -> str:
    """A session token tied to the stored hash (not to the code): the tracking session keeps
    this, so a re-issued code ends every session opened with the old one."""
    return hashlib.sha256(f"gongkai.tracking:{stored}".encode()).hexdigest()[:32]
