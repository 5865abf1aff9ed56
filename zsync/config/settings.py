"""Settings: a TOML file, then environment variables, then command-line flags.

Every setting is declared once in `SETTINGS` with its type, default and environment
variable; `config.example.toml` documents each (a test keeps the two in step). They are
read as typed, frozen sections (`zsync.config.sections`): `config.zotero.api_key`.
API keys are held as `Secret`, whose text form never shows the key.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from platformdirs import user_cache_dir, user_config_dir, user_data_dir, user_state_dir

from zsync.config.sections import (
    SECTIONS,
    CacheSettings,
    CrossrefSettings,
    NetworkSettings,
    NotesSettings,
    PubmedSettings,
    ReportsSettings,
    Secret,
    StateSettings,
    SyncSettings,
    ZoteroSettings,
)
from zsync.config.table import BY_NAME, SETTINGS, Setting
from zsync.errors import ConfigError

APP = "zsync"


@dataclass(frozen=True)
class Config:
    """Resolved settings by section: `config.zotero.api_key`, `config.network.timeout`;
    `origins` says where each came from ("default", a file, "$ENV", "flag")."""

    zotero: ZoteroSettings
    crossref: CrossrefSettings
    pubmed: PubmedSettings
    network: NetworkSettings
    cache: CacheSettings
    state: StateSettings
    sync: SyncSettings
    notes: NotesSettings
    reports: ReportsSettings
    source: Path | None = None
    origins: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, values: Mapping[str, Any], source: Path | None = None,
           origins: Mapping[str, str] | None = None) -> Config:
        """The sections made from every setting's value, by name ("zotero.api_key")."""
        sections = {section: kind(**{f.name: values[f"{section}.{f.name}"] for f in fields(kind)})
                    for section, kind in SECTIONS.items()}
        return cls(**sections, source=source, origins=dict(origins or {}))

    def value(self, name: str) -> object:
        """One setting by its name in the file ("network.timeout"), for listing them all."""
        section, key = name.split(".", 1)
        return getattr(getattr(self, section), key)

    @property
    def values(self) -> dict[str, object]:
        """Every setting's value, by name."""
        return {setting.name: self.value(setting.name) for setting in SETTINGS}

    def cache_dir(self) -> Path:
        return Path(self.cache.dir or user_cache_dir(APP))

    def state_path(self) -> Path:
        """`state.path`, else state.sqlite in the platform's user state folder (the
        reports of past runs live beside it)."""
        return Path(self.state.path or default_state_path())

    def status_map(self) -> dict[str, str]:
        return {str(k).strip().lower(): str(v) for k, v in self.sync.status_map.items()}

    def has_zotero_account(self) -> bool:
        if self.reads_desktop():
            return True  # the desktop's own library is users/0 and reads need no key
        return bool(self.zotero.library_id) and bool(self.zotero.api_key)

    def reads_desktop(self) -> bool:
        """Zotero desktop's local API is read (`zotero.local`, or `zotero.hybrid`)."""
        return self.zotero.local or self.zotero.hybrid


def default_config_path() -> Path:
    return Path(user_config_dir(APP)) / "config.toml"


STATE_FILE = "state.sqlite"


def default_state_path() -> Path:
    """Where state lives when `state.path` is not set (Linux: ~/.local/state/zsync)."""
    return Path(user_state_dir(APP)) / STATE_FILE


def legacy_state_path() -> Path:
    """Where versions before 0.2 kept the state (the user data folder)."""
    return Path(user_data_dir(APP)) / STATE_FILE


# Each secret setting and the URL settings it is sent to.
SECRET_DESTINATIONS = {
    "zotero.api_key": ("zotero.api_url",),
    "zotero.local_api_key": ("zotero.local_url",),
    "pubmed.api_key": ("pubmed.eutils_url", "pubmed.idconv_url"),
}


def is_local_host(host: str) -> bool:
    """True for this machine: localhost names and loopback addresses."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def plain_http_risks(config: Config) -> list[str]:
    """One sentence for each key that would travel unencrypted to another machine."""
    risks = []
    for secret, urls in SECRET_DESTINATIONS.items():
        if not config.value(secret):
            continue
        for name in urls:
            parts = urlsplit(str(config.value(name)))
            if parts.scheme == "http" and not is_local_host(parts.hostname or ""):
                risks.append(f"{secret} would be sent unencrypted to {parts.hostname} "
                             f"({name} is http://); use https://")
    return risks


def load(
    path: Path | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    read_file: bool = True,
) -> Config:
    """Resolve settings: file (`path`, else the user config file if present), env, flags.
    `read_file=False` leaves out every file (to check settings before one is written)."""
    env = os.environ if env is None else env
    values = {s.name: s.default for s in SETTINGS}
    origins = dict.fromkeys(values, "default")
    source = path or (default_config_path() if default_config_path().exists() else None)
    if not read_file:
        source = None
    if source is not None:
        for name, value in _read_file(source).items():
            values[name] = value
            origins[name] = str(source)
    for setting in SETTINGS:
        if setting.env and env.get(setting.env, "") != "":
            values[setting.name] = _coerce(setting, env[setting.env], f"${setting.env}")
            origins[setting.name] = f"${setting.env}"
    for name, value in (overrides or {}).items():
        if value is not None:
            setting = BY_NAME[name]
            value = _coerce(setting, value, f"--{name}")
            if setting.kind is list:  # flags add to the list the file gives
                value = (*values[name], *value)
            values[name] = value
            origins[name] = "flag"
    return Config.of(values, source, origins)


def store_setting(name: str, value: str, path: Path | None = None) -> Path:
    """Write one setting into a config file (the user's by default), keeping its other
    settings and comments; the file is made readable by its owner only, as it may hold keys.
    Returns the file written."""
    import tomlkit  # only to write a setting: reading settings takes tomllib
    import tomlkit.exceptions

    setting = BY_NAME[name]
    target = path or default_config_path()
    text = target.read_text(encoding="utf-8") if target.exists() else ""
    try:
        document = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as exc:
        raise ConfigError(f"{target}: not valid TOML: {exc}") from exc
    table = document.get(setting.section)
    if table is None:
        table = tomlkit.table()
        document[setting.section] = table
    table[setting.key] = value
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(tomlkit.dumps(document))
    os.chmod(target, 0o600)
    return target


def _read_file(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: no such config file") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    out: dict[str, Any] = {}
    for section, table in data.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: '{section}' must be a [section], not a single value")
        for key, value in table.items():
            setting = BY_NAME.get(f"{section}.{key}")
            if setting is None:
                raise ConfigError(f"{path}: unknown setting [{section}] {key}")
            out[setting.name] = _coerce(setting, value, f"{path}: [{section}] {key}")
    return out


def _coerce(setting: Setting, value: Any, where: str) -> Any:
    kind = setting.kind
    shown = _shown(setting, value)
    try:
        result = _convert(kind, value)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: expected {_describe(setting)}, got {shown}") from None
    if setting.choices and result not in setting.choices:
        raise ConfigError(f"{where}: expected {_describe(setting)}, got {shown}")
    if kind in (int, float) and result < 0:
        raise ConfigError(f"{where}: expected a number of zero or more, got {shown}")
    return result


def _shown(setting: Setting, value: Any) -> str:
    """How a wrong value is named in an error: a secret only by its kind, never its text."""
    if setting.kind is Secret:
        return f"a {type(value).__name__}" if not isinstance(value, str) else "a string"
    return repr(value)


def _convert(kind: type, value: Any) -> Any:
    if kind is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise ValueError(value)
    if kind is list:
        if isinstance(value, str) or not isinstance(value, list | tuple):
            raise TypeError(value)
        if not all(isinstance(item, str) for item in value):
            raise TypeError(value)
        return tuple(value)
    if kind is dict:
        if not isinstance(value, dict):
            raise TypeError(value)
        return {str(k): str(v) for k, v in value.items()}
    if kind in (int, float) and isinstance(value, bool):
        raise TypeError(value)
    if kind is int and isinstance(value, float):
        raise TypeError(value)
    if kind in (str, Secret) and not isinstance(value, str | int):
        raise TypeError(value)
    return kind(value)


def _describe(setting: Setting) -> str:
    if setting.choices:
        return "one of " + ", ".join(repr(c) for c in setting.choices)
    return {
        bool: "true or false",
        int: "a whole number",
        float: "a number",
        dict: "a table of words to collection names",
        list: "a list of strings",
    }.get(setting.kind, "a string")


def migrate_state(config: Config) -> Path | None:
    """Move the state file (and the reports kept beside it) from the user data folder,
    where earlier versions kept them, to the user state folder; the old folder when moved.
    Nothing moves when `state.path` is set or the new place already holds state."""
    if config.state.path:
        return None
    new, old = default_state_path(), legacy_state_path()
    if new.exists() or not old.exists() or new == old:
        return None
    new.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        moved = old.with_name(old.name + suffix)
        if moved.exists():
            moved.replace(new.with_name(new.name + suffix))
    reports = old.parent / "reports"
    if reports.is_dir() and not (new.parent / "reports").exists():
        reports.replace(new.parent / "reports")
    return old.parent
