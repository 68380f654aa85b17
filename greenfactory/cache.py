"""Django's Redis cache, with each connection pool's client made once.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache operation, and a client's
construction fills its table of some 170 response callbacks: a tenth of a millisecond an operation, several a page
(the navigation's counts, the kept reference data). A client is safe to share over its pool (the pool hands out the
connections), and Django's cache handler gives each thread its own backend, so each backend keeps its clients.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._pool_for(index))
        return client

    def _pool_for(self, index):
        # Django's _get_connection_pool, for an index already chosen.
        if index not in self._pools:
            self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
        return self._pools[index]


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
