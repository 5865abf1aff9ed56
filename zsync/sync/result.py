"""What a sync run gives its caller."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from zsync.sync.plan import Plan, Work

PhaseHook = Callable[[str, int], None]  # (phase, how many things it goes through; 0: unknown)


class SyncResult:
    """A sync's report, its plan and works (given, or read when first asked for: a run that
    reused the last plan reads only its report), and how many works failed to write."""

    def __init__(self, report: dict[str, Any], plan: Plan | Callable[[], Plan],
                 failed: int = 0, works: Sequence[Work] | None = None) -> None:
        self.report, self.failed = report, failed
        self._plan, self._works = plan, works

    @property
    def plan(self) -> Plan:
        if callable(self._plan):
            self._plan = self._plan()
        return self._plan

    @property
    def works(self) -> Sequence[Work]:
        """The works planned (none for a run that reused the last plan)."""
        return self._works or []
