"""Every exception zsync defines belongs to the one error tree in zsync.errors."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import zsync
from zsync.errors import ConfigError, StateError, UsageError, ZsyncError

# Signals, not failures: a reader's "take the other path" (never leaves its module), a
# worker's time limit and SIGTERM turned into an interrupt (BaseExceptions, so that no
# `except Exception` can swallow them).
CONTROL_FLOW = {
    "zsync.inputs.notes.simpleyaml._NotSimple",
    "zsync.inputs.guard.FileTooSlow",
    "zsync.cli.progress.Terminated",
}


def _exception_classes() -> dict[str, type[BaseException]]:
    """Every exception class defined in a zsync module, by its dotted name."""
    found: dict[str, type[BaseException]] = {}
    for info in pkgutil.walk_packages(zsync.__path__, prefix="zsync."):
        module = importlib.import_module(info.name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__ == module.__name__:
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return found


def test_every_zsync_exception_derives_from_the_root() -> None:
    classes = _exception_classes()
    outside = sorted(name for name, cls in classes.items()
                     if not issubclass(cls, ZsyncError) and name not in CONTROL_FLOW)
    assert outside == [], f"not under ZsyncError: {outside}"
    assert classes.keys() >= CONTROL_FLOW, "a named control-flow class no longer exists"
    assert len(classes) > 20  # the walk reached the whole package


def test_the_old_names_are_the_branches() -> None:
    from zsync.config.settings import ConfigError as SettingsConfigError
    from zsync.state.store import LockHeld, StateSchemaError
    from zsync.state.store import StateError as StoreStateError

    assert SettingsConfigError is ConfigError and StoreStateError is StateError
    assert issubclass(StateSchemaError, StateError)
    assert issubclass(LockHeld, UsageError) and issubclass(ConfigError, UsageError)
