"""The client's address behind a known number of trusted reverse proxies (no Django import).

Each proxy appends the address it received the request from to ``X-Forwarded-For``; the app
server sees the last proxy as the connecting address. With ``trusted_proxies`` proxies in front,
the client is the entry that many hops from the right of ``X-Forwarded-For + [connecting
address]``. Entries further left were written by the client itself and are never trusted.
"""

from __future__ import annotations

import ipaddress


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(remote_addr: str, forwarded_for: str | None, trusted_proxies: int) -> str:
    """The client address: ``remote_addr`` when no proxy is trusted, else ``trusted_proxies`` hops
    from the right of the forwarded chain. A chain shorter than the proxy count (the request did
    not come through every proxy) gives its leftmost entry; a malformed entry gives
    ``remote_addr`` (never a string the client made up)."""
    if trusted_proxies <= 0 or not forwarded_for:
        return remote_addr
    chain = [part.strip() for part in forwarded_for.split(",")] + [remote_addr]
    index = max(len(chain) - 1 - trusted_proxies, 0)
    return _valid(chain[index]) or remote_addr
