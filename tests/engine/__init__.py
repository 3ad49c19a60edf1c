"""Tests of query execution (ecograph/engine/): workers, the remote store, the guard, the cache, serving stores, scale."""
