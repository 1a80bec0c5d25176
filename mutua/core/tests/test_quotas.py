"""Quotas keep their own window and count every take exactly once, in the database and in Redis."""

import os
import threading
import uuid
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.db import connections

from mutua.core.models import QuotaCounter
from mutua.core.quotas import quota_reset, quota_take, quota_windows_purge

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(moment: datetime):
    """The clock the quotas read, set by the test rather than by the machine."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def redis_client():
    redis = pytest.importorskip("redis", reason="MISSING: the redis package")
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"MISSING: Redis at {REDIS_URL} (set TEST_REDIS_URL)")
    return client


def takes_in_parallel(*, key: str, limit: int, threads: int, each: int) -> list[bool]:
    barrier = threading.Barrier(threads)
    results: list[bool] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            results.extend(quota_take(key=key, limit=limit, seconds=3600) for _ in range(each))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    assert errors == []
    return results


@pytest.mark.django_db
def test_a_window_lasts_its_own_length_from_the_first_take():
    with at(T0):
        assert [quota_take(key="mail:1", limit=3, seconds=3600) for _ in range(4)] == [True, True, True, False]
    assert QuotaCounter.objects.get(key="mail:1").window_end == T0 + timedelta(hours=1)
    # Five minutes (the cache's default timeout) or 59 minutes later, the hour is still spent.
    for later in (timedelta(minutes=5), timedelta(minutes=59, seconds=59)):
        with at(T0 + later):
            assert not quota_take(key="mail:1", limit=3, seconds=3600)
    assert QuotaCounter.objects.get(key="mail:1").window_end == T0 + timedelta(hours=1)
    with at(T0 + timedelta(hours=1)):
        assert quota_take(key="mail:1", limit=3, seconds=3600)
    assert QuotaCounter.objects.get(key="mail:1").window_end == T0 + timedelta(hours=2)


@pytest.mark.django_db
def test_keys_count_apart_and_a_reset_gives_the_allowance_back():
    with at(T0):
        assert quota_take(key="a", limit=1, seconds=60) and quota_take(key="b", limit=1, seconds=60)
        assert not quota_take(key="a", limit=1, seconds=60)
        quota_reset(key="a")
        assert quota_take(key="a", limit=1, seconds=60)


@pytest.mark.django_db
def test_ended_windows_are_purged():
    with at(T0):
        quota_take(key="short", limit=1, seconds=60)
        quota_take(key="long", limit=1, seconds=3600)
    with at(T0 + timedelta(minutes=1)):
        assert quota_windows_purge() == 1
    assert list(QuotaCounter.objects.values_list("key", flat=True)) == ["long"]


@pytest.mark.skipif(not ON_POSTGRES, reason="parallel takes need PostgreSQL (set DATABASE_URL; CI runs it)")
@pytest.mark.django_db(transaction=True)
def test_parallel_takes_in_the_database_never_pass_the_limit():
    results = takes_in_parallel(key="estimates:203.0.113.9", limit=30, threads=8, each=5)
    assert results.count(True) == 30 and len(results) == 40
    assert QuotaCounter.objects.get(key="estimates:203.0.113.9").count == 40


def test_redis_keeps_the_window_of_the_first_take(settings):
    client = redis_client()
    settings.REDIS_URL = REDIS_URL
    key = f"test-{uuid.uuid4().hex}"
    stored = f"mutua:quota:{key}"
    try:
        assert quota_take(key=key, limit=2, seconds=3600)
        assert 3590 <= client.ttl(stored) <= 3600
        client.expire(stored, 100)  # as if most of the hour had gone by
        assert quota_take(key=key, limit=2, seconds=3600) and not quota_take(key=key, limit=2, seconds=3600)
        assert 0 < client.ttl(stored) <= 100  # later takes never stretch the window
        quota_reset(key=key)
        assert quota_take(key=key, limit=2, seconds=3600)
    finally:
        client.delete(stored)


def test_parallel_takes_in_redis_never_pass_the_limit(settings):
    client = redis_client()
    settings.REDIS_URL = REDIS_URL
    key = f"test-{uuid.uuid4().hex}"
    try:
        results = takes_in_parallel(key=key, limit=30, threads=8, each=5)
        assert results.count(True) == 30 and len(results) == 40
        assert int(client.get(f"mutua:quota:{key}")) == 40
    finally:
        client.delete(f"mutua:quota:{key}")
