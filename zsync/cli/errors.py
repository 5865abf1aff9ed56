"""Where every failure ends: one line and an exit status, decided here for the whole CLI.

zsync's own exceptions are told apart by their branch of `zsync.errors` (a usage or config
error: exit 2; a service, the state store or an input: exit 1); pyzotero's refusals and
this computer's own failures (a full disk, a read-only folder) are said here too, so
`sync`, `refresh`, `dedupe`, `enrich` and `parse` say the same things.

Importing this module imports the error tree only: the classes a message depends on (and
pyzotero's, which can only be raised once pyzotero was imported) are looked up when an
error is said."""

from __future__ import annotations

import errno
import json
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import TYPE_CHECKING

from zsync.cli.app import EXIT_PARTIAL, EXIT_USAGE, fail
from zsync.errors import InputError, ServiceError, StateError, UsageError, ZoteroError, ZsyncError
from zsync.logs import redact

if TYPE_CHECKING:
    from zsync.config.settings import Config

# The exit status of each branch of the error tree (the first that matches).
EXIT_BY_BRANCH: tuple[tuple[type[ZsyncError], int], ...] = (
    (UsageError, EXIT_USAGE),
    (ServiceError, EXIT_PARTIAL),
    (StateError, EXIT_PARTIAL),
    (InputError, EXIT_PARTIAL),
)


def _line(exc: BaseException) -> str:
    return " ".join(redact(str(exc)).split()) or type(exc).__name__


def _short(exc: BaseException) -> str:
    return _line(exc)[:200]


def exit_status(exc: ZsyncError) -> int:
    """The exit status of `exc`'s branch."""
    return next((code for branch, code in EXIT_BY_BRANCH if isinstance(exc, branch)),
                EXIT_PARTIAL)


def said(exc: ZsyncError, config: Config | None = None) -> tuple[str, int]:
    """The one line (secrets masked) and exit status for any zsync error. Journalled writes
    Zotero did not confirm are finished by the next run, so nothing is lost: their message
    says so. `config` tells whether an unreachable Zotero is the desktop."""
    from zsync.sources.retry import Exhausted
    from zsync.zotero.writer import PendingWritesError, WriteUnconfirmed

    if isinstance(exc, Exhausted):
        hint = ("; is Zotero running, with \"Allow other applications on this computer to "
                "communicate with Zotero\" on (Settings > Advanced)?"
                if config is not None and config.zotero.local else
                "; try again later (nothing is lost: the next run finishes any journalled "
                "writes)")
        return f"Zotero could not be reached: {redact(exc.reason)}{hint}", exit_status(exc)
    if isinstance(exc, ZoteroError) and not isinstance(exc, WriteUnconfirmed | PendingWritesError):
        return f"Zotero answered with an error: {_short(exc)}", exit_status(exc)
    return _line(exc), exit_status(exc)


def _why_refused(config: Config | None) -> str | None:
    """What `config check` says about the key and library, when Zotero refused them."""
    if config is None:
        return None
    from zsync.zotero.api import key_check, make_api

    try:
        result = key_check(make_api(config))
    except Exception:  # the refusal itself is reported; this only explains it
        return None
    return result.message or None


@contextmanager
def zsync_errors(config: Config | None = None) -> Iterator[None]:
    """Any zsync error, a refusal from Zotero, or a failure of this computer, as one line
    and an exit status. A library Zotero refuses or does not know is explained as
    `config check` explains it (with `config`)."""
    try:
        with local_errors():
            yield
    except ZsyncError as exc:
        fail(*said(exc, config))
    except Exception as exc:
        ze = _pyzotero_errors()
        if ze is None or not isinstance(exc, ze.PyZoteroError):
            raise
        if isinstance(exc, ze.UserNotAuthorisedError | ze.ResourceNotFoundError):
            why = _why_refused(config)
            if why:
                fail(f"Zotero refused the API key or library: {why}")
            fail(f"Zotero refused the API key or library ({_short(exc)}); check "
                 "zotero.api_key and zotero.library_id (zsync config check says more)")
        fail(f"Zotero answered with an error: {_short(exc)}", EXIT_PARTIAL)


def _pyzotero_errors() -> ModuleType | None:
    """pyzotero's error classes, once pyzotero is imported (none can be raised before)."""
    if "pyzotero" not in sys.modules:
        return None
    from pyzotero import zotero_errors

    return zotero_errors


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
        local = local_failure(exc)
        if local is None:
            raise
        fail(*local)
    except json.JSONDecodeError as exc:
        fail(f"a server's answer could not be read (not valid JSON: {_short(exc)}); try "
             "again later, and check the API URL settings and any proxy in between",
             EXIT_PARTIAL)
