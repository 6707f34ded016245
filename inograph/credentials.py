"""Credentials for a user's SPARQL store, read from the environment (never from the command line,
where they would show in the shell history and the process list).

- ``INOGRAPH_STORE_TOKEN``: sent as ``Authorization: Bearer TOKEN``;
- ``INOGRAPH_STORE_USER`` and ``INOGRAPH_STORE_PASSWORD``: HTTP basic authentication, or digest
  authentication with ``INOGRAPH_STORE_AUTH=digest`` (Virtuoso's ``/sparql-graph-crud-auth``).
  Basic credentials go as Latin-1 (what most servers decode) when they fit, else as UTF-8
  (RFC 7617's ``charset``); a user name with ``:`` and a token that is not printable ASCII
  cannot be sent, and are refused.

Both :mod:`inograph.publish` (Graph Store Protocol) and :mod:`inograph.remote` (queries) send them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from inograph.errors import InographError

if TYPE_CHECKING:
    import requests

__all__ = ["ENV_AUTH", "ENV_PASSWORD", "ENV_TOKEN", "ENV_USER", "store_auth"]

ENV_USER = "INOGRAPH_STORE_USER"
ENV_PASSWORD = "INOGRAPH_STORE_PASSWORD"
ENV_TOKEN = "INOGRAPH_STORE_TOKEN"
ENV_AUTH = "INOGRAPH_STORE_AUTH"


class _Bearer:
    """``Authorization: Bearer TOKEN`` (RFC 6750) on every request."""

    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


def store_auth(environ: Mapping[str, str] | None = None) -> requests.auth.AuthBase | _Bearer | None:
    """The authentication the environment asks for, or None; an incomplete set is an error."""
    import requests.auth

    env = os.environ if environ is None else environ
    token, user, password = env.get(ENV_TOKEN, ""), env.get(ENV_USER, ""), env.get(ENV_PASSWORD, "")
    scheme = env.get(ENV_AUTH, "").strip().lower() or "basic"
    if token and (user or password):
        raise InographError(f"set either {ENV_TOKEN} or {ENV_USER}/{ENV_PASSWORD}, not both")
    if token:
        if not all("!" <= c <= "~" for c in token):  # a header value: no spaces, no control chars
            raise InographError(f"{ENV_TOKEN}: a bearer token is printable ASCII without spaces")
        return _Bearer(token)
    if bool(user) != bool(password):
        missing = ENV_PASSWORD if user else ENV_USER
        raise InographError(f"{missing} is not set ({ENV_USER} and {ENV_PASSWORD} go together)")
    if scheme not in ("basic", "digest"):
        raise InographError(f"{ENV_AUTH}={scheme!r}: write basic or digest")
    if not user:
        return None
    if scheme == "digest":
        return requests.auth.HTTPDigestAuth(user, password)
    if ":" in user:
        raise InographError(f"{ENV_USER}: a user name for basic authentication has no ':'")
    return requests.auth.HTTPBasicAuth(_octets(user), _octets(password))


def _octets(text: str) -> bytes:
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8")
