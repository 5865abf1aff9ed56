"""The `zsync` command: a thin typer shell over the library.

Importing this package is cheap: `zsync --version` answers from here, and every other
command loads typer and then only the module of the command it runs."""

from __future__ import annotations

import gc
import sys
from typing import Any

from zsync import __version__

__all__ = ["app", "main"]

# The cyclic garbage collector, as a command sets it: a run holds tens of thousands of
# works, plan rows and report entries at once, and with Python's default thresholds the
# collector walks them again and again while they are made (a third of the time of loading
# a 10,000-work plan). zsync makes little cyclic garbage; what there is is still collected.
GC_THRESHOLDS = (50_000, 20, 20)

# Global options that take a value, so the word after them is not a command.
_VALUED = ("-c", "--config", "--log-format")


def asks_version(args: list[str]) -> bool:
    """Whether the global options (those before the command) ask for the version first."""
    words = iter(args)
    for word in words:
        if word == "--version":
            return True
        if word in ("-h", "--help", "--") or not word.startswith("-"):
            return False
        if word in _VALUED:
            next(words, None)
    return False


def main() -> None:
    if asks_version(sys.argv[1:]):
        sys.stdout.write(f"zsync {__version__}\n")
        return
    gc.set_threshold(*GC_THRESHOLDS)
    with loading():
        from zsync.cli.app import main as run_command

    run_command()


class loading:  # used as `with loading():`
    """Imports made without the cyclic garbage collector: what an import makes (classes,
    functions, tables) lives as long as the process, yet a collection falling due during
    the imports walks it all. Afterwards it is set apart for good (`gc.freeze`), so later
    collections do not walk it either."""

    def __enter__(self) -> None:
        self.enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        gc.freeze()
        if self.enabled:
            gc.enable()


def __getattr__(name: str) -> Any:
    if name == "app":  # the typer application, built on first use
        from zsync.cli.app import app

        globals()["app"] = app  # the name stays the application, not the `app` module
        return app
    raise AttributeError(name)
