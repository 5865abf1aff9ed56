"""pyzotero's client as zsync uses it. Imported only when a call needs pyzotero (a write, a
listing, a refusal to explain): a run with nothing to do reads the library's version
without it (`zotero.client`)."""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

import httpx2

from zsync.zotero.client import user_agent

# pyzotero imports these at start-up for export formats zsync never asks for (BibTeX and
# Atom answers); together they cost more than the rest of pyzotero.
UNUSED_BY_ZSYNC = ("bibtexparser", "feedparser")


class LoadedOnFirstUse(types.ModuleType):
    """Stands for a module while pyzotero is imported: the real module is imported when
    an attribute of it is first asked for, and answers from then on."""

    def __getattr__(self, name: str) -> Any:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


def import_pyzotero() -> types.ModuleType:
    """`pyzotero.zotero`, imported without the modules in UNUSED_BY_ZSYNC (they load if
    pyzotero ever uses them). Once pyzotero is in, the stand-ins leave `sys.modules`, so
    whoever imports those modules later gets the real ones."""
    if "pyzotero.zotero" in sys.modules:
        return sys.modules["pyzotero.zotero"]
    stand_ins = {name: LoadedOnFirstUse(name) for name in UNUSED_BY_ZSYNC
                 if name not in sys.modules}
    sys.modules.update(stand_ins)
    try:
        return importlib.import_module("pyzotero.zotero")
    finally:
        for name, stand_in in stand_ins.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]


if TYPE_CHECKING:
    from pyzotero import zotero
else:
    zotero = import_pyzotero()


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
