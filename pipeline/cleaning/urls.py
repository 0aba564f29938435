"""URL canonicalisation for exact-duplicate matching."""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": "80", "https": "443"}


def canonical_url(url: str | None, tracking_params: tuple[str, ...] | list[str] = (),
                  tracking_prefixes: tuple[str, ...] | list[str] = ("utm_",)) -> str | None:
    """``url`` normalised so that two links to the same page compare equal.

    Lower-cased scheme and host, default port dropped, fragment dropped, tracking parameters
    (``utm_*`` and the names in ``tracking_params``) removed, remaining query parameters sorted,
    percent-encoding made uniform, and a trailing slash removed from any path but the root.
    Returns None when ``url`` is empty or not an absolute http(s) URL.
    """
    if not url or not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        pass
    netloc = host
    if port is not None and str(port) != _DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{port}"
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~%") or "/"
    path = re.sub(r"/{2,}", "/", path)
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    drop = {p.lower() for p in tracking_params}
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in drop and not k.lower().startswith(tuple(tracking_prefixes))]
    query.sort()
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))
