"""The one tree every zsync exception belongs to.

    ZsyncError
    ├── UsageError       the user must change something: an argument, a setting, or wait
    │   └── ConfigError  a setting that is missing, of the wrong type or out of range
    ├── ServiceError     a service (Zotero, Crossref, PubMed) failed or refused
    │   └── ZoteroError  Zotero did not do what was asked
    ├── StateError       the local state store cannot be used
    └── InputError       a note or export cannot be read at all

Where each ends (message and exit status) is decided by branch in one place,
`zsync.cli.errors`. Modules raise the most specific class they define; callers catch a
branch when any failure of that kind is handled alike.
"""

from __future__ import annotations


class ZsyncError(Exception):
    """Any failure zsync knows how to name; its text is safe to show once redacted."""


class UsageError(ZsyncError):
    """The command cannot run as asked: the user changes an argument or a setting, or
    waits (another run holds the state), then runs it again."""


class ConfigError(UsageError):
    """A setting that is missing, of the wrong type, or out of range, or a config file that
    cannot be read."""


class ServiceError(ZsyncError):
    """A service failed or refused; running again later may succeed."""


class ZoteroError(ServiceError):
    """Zotero did not do what was asked (a write refused or left unconfirmed, a library
    that moved on)."""


class StateError(ZsyncError):
    """The local state store cannot be used (not a database zsync can open, a newer schema,
    a failed migration) or was used wrongly (no library selected)."""


class InputError(ZsyncError):
    """A note or export that cannot be read at all (binary, too large, not the format it
    claims); reported for that file while the others are read."""
