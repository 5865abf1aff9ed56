"""`zsync config init`: a first config file, commented like config.example.toml.

The file is the packaged example with the user's Zotero settings filled in, so every other
setting stays documented at its default. It is written with mode 0600 (it holds an API
key) through a temporary file and a rename, and never over an existing file unless asked.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import tomlkit

from zsync.config.settings import Config, Secret, load
from zsync.errors import UsageError


class ConfigExists(UsageError):
    """The config file is there already and --force was not given."""


def example_text() -> str:
    """The example config shipped with zsync (config.example.toml)."""
    return resources.files("zsync").joinpath("data/config.example.toml").read_text("utf-8")


def render(template: str, values: Mapping[str, Any]) -> str:
    """`template` with the settings named in `values` ("zotero.api_key") set; comments,
    order and every other line kept as they are."""
    document = tomlkit.parse(template)
    for name, value in values.items():
        section, key = name.split(".", 1)
        table = document.get(section)
        if table is None:
            table = tomlkit.table()
            document[section] = table
        table[key] = value.reveal() if isinstance(value, Secret) else value
    return tomlkit.dumps(document)


def zotero_values(
    library_type: str, library_id: str, api_key: str, local: bool
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "zotero.library_type": library_type,
        "zotero.library_id": library_id.strip(),
        "zotero.local": local,
    }
    if api_key:
        values["zotero.api_key"] = api_key.strip()
    return values


def candidate(values: Mapping[str, Any], env: Mapping[str, str] | None = None) -> Config:
    """The settings the new file would give, with the environment's URLs and the like
    (no existing file is read), so they can be checked before anything is written."""
    return load(None, env=env, overrides=dict(values), read_file=False)


def write_private(path: Path, text: str, force: bool) -> None:
    """Write `text` to `path` readable by its owner only, atomically."""
    if path.exists() and not force:
        raise ConfigExists(f"{path} exists; pass --force to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.chmod(temp, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
