"""NCBI's E-utilities rate limit: 3 requests/s per IP without an API key, 10/s per key.

Every attempt in the sliding window counts, refused ones included, which is why NCBI's 429
bodies report counts far above the limit ("count":"26","limit":"3").
"""

from __future__ import annotations

import threading
import time
from collections import deque


class SlidingWindow:
    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> int:
        """Record an attempt by `key`; return the attempts in the window, this one included."""
        now = time.monotonic()
        with self._lock:
            stamps = self._hits.setdefault(key, deque())
            while stamps and now - stamps[0] >= self.interval:
                stamps.popleft()
            stamps.append(now)
            return len(stamps)

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()
