"""The Redis cache backend makes each pool's client once (greenfactory.cache), and still reads and writes."""

import os

import pytest
import redis

from greenfactory.cache import RedisCache

URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


@pytest.fixture
def backend():
    try:
        redis.Redis.from_url(URL).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis answers at " + URL)
    cache = RedisCache(URL, {"KEY_PREFIX": "test-cache-client"})
    yield cache
    cache.delete_many(["a", "b", "n"])


def test_one_client_serves_every_operation_and_the_values_round_trip(backend):
    backend.set("a", {"x": [1, "二"]}, 30)
    backend.set_many({"b": 2}, 30)
    assert backend.get("a") == {"x": [1, "二"]} and backend.get_many(["a", "b"]) == {"a": {"x": [1, "二"]}, "b": 2}
    assert backend.add("n", 0, 30) and backend.incr("n") == 1
    client = backend._cache.get_client()
    assert backend._cache.get_client(write=True) is client
    assert backend._cache._clients == {0: client}
