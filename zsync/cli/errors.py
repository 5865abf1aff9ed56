"""How every command turns a missing input or a Zotero failure into one line and an exit
status, so `sync`, `refresh`, `dedupe`, `enrich` and `parse` say the same things."""

from __future__ import annotations

import errno
import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pyzotero import zotero_errors as ze

from zsync.cli.app import EXIT_PARTIAL, EXIT_USAGE, fail
from zsync.config.settings import Config
from zsync.logs import redact
from zsync.sources.retry import Exhausted
from zsync.state.store import LockHeld
from zsync.zotero.api import (
    PendingWritesError,
    WriteRejected,
    WriteUnconfirmed,
    ZoteroSetupError,
    key_check,
    make_api,
)


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
        with local_errors():
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
        hint = ("; is Zotero running, with \"Allow other applications on this computer to "
                "communicate with Zotero\" on (Settings > Advanced)?"
                if config is not None and config["zotero.local"] else
                "; try again later (nothing is lost: the next run finishes any journalled "
                "writes)")
        fail(f"Zotero could not be reached: {redact(exc.reason)}{hint}", EXIT_PARTIAL)
    except (WriteRejected, ze.PyZoteroError) as exc:
        fail(f"Zotero answered with an error: {_short(exc)}", EXIT_PARTIAL)


_FULL = {errno.ENOSPC, errno.EDQUOT}
_NOT_WRITABLE = {errno.EROFS, errno.EACCES, errno.EPERM}
_SETTLED = ("writes already sent are journalled and the next run finishes them")


def local_failure(exc: BaseException) -> tuple[str, int] | None:
    """One line (and exit status) for a failure of this computer rather than of Zotero:
    a full disk, a read-only or missing folder, a state database that cannot be written.
    None for anything else."""
    if isinstance(exc, OSError) and exc.errno is not None:
        where = f" ({exc.filename})" if exc.filename else ""
        if exc.errno in _FULL:
            return (f"the disk is full{where}: free some space and run again; {_SETTLED}",
                    EXIT_PARTIAL)
        if exc.errno in _NOT_WRITABLE:
            return (f"zsync may not write{where}: {exc.strerror}; make the folder writable, "
                    "or choose another with --config / ZSYNC_STATE / ZSYNC_CACHE_DIR",
                    EXIT_USAGE)
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return (f"no such folder{where}: {exc.strerror}; create it, or choose another "
                    "with --config / ZSYNC_STATE / ZSYNC_CACHE_DIR", EXIT_USAGE)
        return None
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        if "full" in text:
            return (f"the disk is full (state database: {exc}): free some space and run "
                    f"again; {_SETTLED}", EXIT_PARTIAL)
        if "readonly" in text or "read-only" in text or "unable to open" in text:
            return (f"the state database cannot be written ({exc}): make its folder "
                    "writable, or choose another with ZSYNC_STATE", EXIT_USAGE)
    return None


@contextmanager
def local_errors() -> Iterator[None]:
    """A full disk, an unwritable folder or an unreadable answer from a server, said in
    one line with what to do, instead of a traceback."""
    try:
        yield
    except (OSError, sqlite3.OperationalError) as exc:
        said = local_failure(exc)
        if said is None:
            raise
        fail(*said)
    except json.JSONDecodeError as exc:
        fail(f"a server's answer could not be read (not valid JSON: {_short(exc)}); try "
             "again later, and check the API URL settings and any proxy in between",
             EXIT_PARTIAL)
