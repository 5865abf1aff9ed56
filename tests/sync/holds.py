"""Holding one request of a run at an emulator, to kill the client there or to run another
client meanwhile.

    hold = Hold.on(server, nth("POST", "/items", 2), mode="delay")
    hold.kill_when_reached(process)     # kill -9 while the request is held

Modes: "delay" (the request is applied half a second after it arrived: a client killed
meanwhile never sees the answer), "drop" (held until released, then dropped unanswered and
never applied: as if the client died sending it), "gate" (held until released, then
applied and answered normally).
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from tests.servers.base import Fault, LocalServer, Request

WAIT = 60.0  # bound on every wait; a healthy hold is reached within seconds
Match = Callable[[Request], bool]
Mode = Literal["delay", "drop", "gate"]


def nth(method: str, path: str, n: int = 1, query: str = "") -> Match:
    """The `n`-th request with this method whose path ends with `path` (and whose target
    contains `query`)."""
    seen = {"n": 0}

    def match(request: Request) -> bool:
        if (request.method == method and request.path.endswith(path)
                and query in request.raw_target):
            seen["n"] += 1
            return seen["n"] == n
        return False

    return match


@dataclass
class Hold:
    server: LocalServer
    match: Match
    mode: Mode
    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    target: str = ""
    logged_before: int = 0

    @classmethod
    def on(cls, server: LocalServer, match: Match, *, mode: Mode) -> Hold:
        hold = cls(server, match, mode)
        if mode == "delay":
            server.inject(Fault("delay", hold._arrive, seconds=0.5))
        else:
            # The matcher itself waits (the server thread handling this request blocks);
            # "drop" then closes the connection without calling the app.
            kind = "drop_before" if mode == "drop" else "delay"
            server.inject(Fault(kind, hold._arrive_and_wait, seconds=0.0))
        return hold

    def _logged(self) -> int:
        return sum(1 for r in list(self.server.log) if r.target == self.target)

    def _arrive(self, request: Request) -> bool:
        if not self.match(request):
            return False
        self.target = request.raw_target
        self.logged_before = self._logged()
        self.arrived.set()
        return True

    def _arrive_and_wait(self, request: Request) -> bool:
        if not self._arrive(request):
            return False
        self.release.wait(WAIT)
        return True

    def wait_reached(self) -> bool:
        return self.arrived.wait(WAIT)

    def done(self) -> None:
        """Release the request and wait until the server has finished with it."""
        self.release.set()
        wait_for(lambda: self._logged() > self.logged_before)

    def kill_when_reached(self, process: subprocess.Popen[bytes]) -> None:
        reached = self.wait_reached()
        process.kill()
        _, stderr = process.communicate(timeout=WAIT)
        self.release.set()
        assert reached, f"the run ended before the kill point: {stderr.decode()[-2000:]}"
        assert process.returncode == -9
        # The held request is done with (applied, or dropped) before the next run starts.
        self.done()


def wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
