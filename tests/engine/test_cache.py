"""The answer cache (ecograph/engine/cache.py): the key holds the release id and everything that shapes the
answer, and the least recently used answers go first. Over HTTP: tests/http/test_http_cache.py."""

from __future__ import annotations

from ecograph.engine import cache
from ecograph.engine.job import Job


def test_the_release_is_in_the_key():
    job = Job("ASK {}", 10, media="application/json")
    assert cache.key("release-a", job) != cache.key("release-b", job)
    assert cache.key("release-a", job) != cache.key("release-a", job.with_media("text/csv"))
    assert cache.key("release-a", job.with_media("text/csv")) == cache.key("release-a", Job("ASK {}", 10, media="text/csv"))
    # the dataset and the bound values are part of the key
    assert cache.key("release-a", job) != cache.key("release-a", job.in_layer(("https://w3id.org/ecograph/graph/stated",)))
    bound = Job("ASK {}", 10, substitutions={"x": ("uri", "https://example.org/a", None, None)}, media="application/json")
    assert cache.key("release-a", job) != cache.key("release-a", bound)


def test_least_recently_used_answers_go_first():
    c = cache.AnswerCache(max_bytes=100)
    for name in "abc":
        c.put(name, cache.Cached(b"x" * 10, "text/plain", False))
    c.get("a")
    for name in "defghijk":
        c.put(name, cache.Cached(b"x" * 10, "text/plain", False))
    assert c.get("a") is not None and c.get("b") is None
    assert c.stats()["bytes"] <= 100
    c.put("big", cache.Cached(b"x" * 11, "text/plain", False))  # over a tenth of the budget: not kept
    assert c.get("big") is None


def test_a_cache_that_is_off_makes_no_key():
    job = Job("ASK {}", 10, media="application/sparql-results+json")
    assert cache.AnswerCache(0).key("release-a", job) is None  # no digest on every request when the cache is off
    assert cache.AnswerCache(1000).key("release-a", job) == cache.key("release-a", job)
    assert cache.AnswerCache(0).get(None) is None
