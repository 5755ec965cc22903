"""A process-wide budget of pixels being decoded at once (issue 13, item 7).

Eight concurrent uploads of a 64-megapixel PNG took a server from 374 MB to 3.3 GB: each
decode holds width x height x 4 bytes. Decodes here take their pixels from one budget and
wait for room; a request that cannot get room within a few seconds is refused as busy
rather than let the process grow without bound.
"""

from __future__ import annotations

import contextlib
import threading
import time

# Two of the largest accepted images (MAX_PIXELS, 64 MP) at once: about 512 MB of RGBA.
DEFAULT_PIXELS = 128_000_000
WAIT_SECONDS = 30.0


class DecodeBusy(Exception):
    """No room in the decode budget in time."""


class PixelBudget:
    """Counts pixels in use; `hold(n)` waits until `n` more fit (one image always fits)."""

    def __init__(self, pixels: int = DEFAULT_PIXELS):
        self.capacity = pixels
        self.in_use = 0
        self._cond = threading.Condition()

    @contextlib.contextmanager
    def hold(self, pixels: int, wait: float | None = None):
        pixels = min(max(0, int(pixels)), self.capacity)
        deadline = time.monotonic() + (WAIT_SECONDS if wait is None else wait)
        with self._cond:
            while self.in_use + pixels > self.capacity:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise DecodeBusy()
                self._cond.wait(left)
            self.in_use += pixels
        try:
            yield
        finally:
            with self._cond:
                self.in_use -= pixels
                self._cond.notify_all()


budget = PixelBudget()
