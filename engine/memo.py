"""The engine's one memo: values computed once per key, for pure computations only.

An AM file of a million lines meets the same few thousand (benefit, date, facts) combinations
again and again; computing each once is most of the engine's speed. A memo is bounded so a
long-running worker's memory stays flat: past ``size`` keys it starts over (cheaper than an LRU's
bookkeeping on every hit, and the hot keys come back at once).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

DEFAULT_SIZE = 100_000


class Memo(dict[K, V], Generic[K, V]):
    """``memo[key]`` is ``compute(key)``, computed on first use (a plain dict lookup on every hit)."""

    __slots__ = ("_compute", "_size")

    def __init__(self, compute: Callable[[K], V], size: int = DEFAULT_SIZE) -> None:
        super().__init__()
        self._compute = compute
        self._size = size

    def __missing__(self, key: K) -> V:
        if len(self) >= self._size:
            self.clear()
        value = self[key] = self._compute(key)
        return value


__all__ = ["Memo"]
