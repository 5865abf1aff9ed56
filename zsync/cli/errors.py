"""How every command turns a missing input or a Zotero failure into one line and an exit
status, so `sync`, `refresh`, `dedupe`, `enrich` and `parse` say the same things."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pyzotero import zotero_errors as ze

from ..adapters.retry import Exhausted
from ..adapters.state import LockHeld
from ..adapters.zotero import (
    PendingWritesError,
    WriteRejected,
    WriteUnconfirmed,
    ZoteroSetupError,
    key_check,
    make_api,
)
from ..config import Config
from ..logs import redact
from .app import EXIT_PARTIAL, fail


def require_paths(paths: Sequence[Path]) -> None:
    """Stop with exit 2 when a named file or folder does not exist."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        fail(f"no such file or folder: {', '.join(missing)}")


def _short(exc: BaseException) -> str:
    text = " ".join(redact(str(exc)).split())
    return text[:200] or type(exc).__name__


def _why_refused(config: Config | None) -> str | None:
    """What `config check` says about the key and library, when Zotero refused them."""
    if config is None:
        return None
    try:
        result = key_check(make_api(config))
    except Exception:  # the refusal itself is reported; this only explains it
        return None
    return result.message or None


@contextmanager
def zotero_errors(*setup_errors: type[Exception], config: Config | None = None
                  ) -> Iterator[None]:
    """Setup errors (the command's own, a missing setting, a held lock) end with exit 2;
    failures of Zotero itself with exit 1. Journalled writes Zotero did not confirm are
    finished by the next run, so nothing is lost; the message says so. A library Zotero
    refuses or does not know is explained as `config check` explains it (with `config`)."""
    setup: tuple[type[Exception], ...] = (*setup_errors, ZoteroSetupError, LockHeld)
    try:
        yield
    except setup as exc:
        fail(redact(str(exc)))
    except (ze.UserNotAuthorisedError, ze.ResourceNotFoundError) as exc:
        why = _why_refused(config)
        if why:
            fail(f"Zotero refused the API key or library: {why}")
        fail(f"Zotero refused the API key or library ({_short(exc)}); check zotero.api_key "
             "and zotero.library_id (zsync config check says more)")
    except (WriteUnconfirmed, PendingWritesError) as exc:
        fail(redact(str(exc)), EXIT_PARTIAL)
    except Exhausted as exc:
        fail(f"Zotero could not be reached: {redact(exc.reason)}", EXIT_PARTIAL)
    except (WriteRejected, ze.PyZoteroError) as exc:
        fail(f"Zotero answered with an error: {_short(exc)}", EXIT_PARTIAL)
