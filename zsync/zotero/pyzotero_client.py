"""pyzotero's client as zsync uses it. Imported only when a call needs pyzotero (a write, a
listing, a refusal to explain): a run with nothing to do reads the library's version
without it (`zotero.client`)."""

from __future__ import annotations

from typing import Any

import httpx2
from pyzotero import zotero

from zsync.zotero.client import user_agent


class ZsyncZotero(zotero.Zotero):
    """pyzotero's client, naming zsync in the User-Agent of every request and waiting as
    long as `network.timeout` says."""

    def default_headers(self) -> dict[str, str]:
        headers = super().default_headers()
        headers["User-Agent"] = user_agent()
        return headers

    def _send(self, method: str, url: str, **kwargs: Any) -> httpx2.Response:
        # pyzotero passes its own fixed timeout with each request, which would override
        # the one the client was made with (from the settings).
        if kwargs.get("timeout") == zotero.DEFAULT_TIMEOUT:
            del kwargs["timeout"]
        return super()._send(method, url, **kwargs)
