"""A bounded cache of query answers. A release is immutable, so an answer stays right until the next build:
the key always holds the dataset version (the release id), with everything else that shapes the answer
(query text, dataset and layer, bound parameters, base IRI, result format). Least recently used answers go
first once the cache passes its byte budget; answers larger than a tenth of it are never kept."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass

from ecograph.engine.job import Job


@dataclass(frozen=True)
class Cached:
    body: bytes
    content_type: str
    truncated: bool


def key(release: str, job: Job) -> str:
    """The cache key of a query job: a digest of the release id and the job (its format included; the time limit
    is not part of a job)."""
    text = json.dumps([release, job.key_parts()], ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class AnswerCache:
    """observer, if set, is told of every lookup and change: observer(result, bytes held), result being "hit",
    "miss" or None (an answer put); the metrics use it (http/ops.py)."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, Cached] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        self.observer = None

    def key(self, release: str, job: Job) -> str | None:
        """The key of a job's answer in this cache; None when the cache is off (max_bytes 0): no digest is made."""
        return key(release, job) if self.max_bytes > 0 else None

    def get(self, k: str | None) -> Cached | None:
        """The answer kept under key k; k None (the cache is off: no key was made) is a miss."""
        with self._lock:
            item = self._items.get(k) if k is not None else None
            if item is None:
                self.misses += 1
            else:
                self._items.move_to_end(k)
                self.hits += 1
        if self.observer is not None:
            self.observer("miss" if item is None else "hit", self._bytes)
        return item

    def put(self, k: str, item: Cached) -> None:
        size = len(item.body)
        if self.max_bytes <= 0 or size > self.max_bytes // 10:
            return
        with self._lock:
            old = self._items.pop(k, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._items[k] = item
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped.body)
        if self.observer is not None:
            self.observer(None, self._bytes)

    def stats(self) -> dict:
        with self._lock:
            return {"entries": len(self._items), "bytes": self._bytes, "hits": self.hits, "misses": self.misses}
