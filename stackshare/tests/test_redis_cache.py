"""The Redis back end keeps its client objects (no server needed to check)."""

from __future__ import annotations

from stackshare.redis_cache import RedisCache


def test_one_client_per_pool_is_reused():
    cache = RedisCache("redis://127.0.0.1:6390/0", {})
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client() is client
    assert client.connection_pool is cache._cache._get_connection_pool(True)
