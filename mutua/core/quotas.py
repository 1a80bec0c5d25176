"""Allowances counted in a window (e-mails per hour, estimates per minute, password re-checks).

A window starts at the first use of a key and lasts its own length, whatever later uses do;
every use is counted once even when web processes take at the same moment. The count lives
where every process sees it: in Redis when ``REDIS_URL`` is set (scaled out), in the database
otherwise (the embedded mode, or PostgreSQL without Redis).
"""

from datetime import timedelta
from functools import cache

import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from mutua.core.models import QuotaCounter

REDIS_PREFIX = "mutua:quota:"

# INCR and the expiry in one script, so that Redis runs them as one step. The expiry is set
# only when the key has none: later uses never stretch the window.
_REDIS_TAKE = """
local count = redis.call('INCR', KEYS[1])
if redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""

# One statement, atomic on PostgreSQL and SQLite: a new key starts a window; an existing key
# counts one more use in its window, or starts a new window once the old one has ended.
_TABLE = connection.ops.quote_name(QuotaCounter._meta.db_table)
_DATABASE_TAKE = f"""
INSERT INTO {_TABLE} ("key", "count", "window_end") VALUES (%s, 1, %s)
ON CONFLICT ("key") DO UPDATE SET
    "count" = CASE WHEN {_TABLE}."window_end" > %s THEN {_TABLE}."count" + 1 ELSE 1 END,
    "window_end" = CASE WHEN {_TABLE}."window_end" > %s THEN {_TABLE}."window_end" ELSE excluded."window_end" END
RETURNING "count"
"""  # noqa: S608 (only the table name, from the model, is formatted in)


@cache
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


def _database_take(*, key: str, seconds: int) -> int:
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(_DATABASE_TAKE, [key, adapt(now + timedelta(seconds=seconds)), adapt(now), adapt(now)])
        return cursor.fetchone()[0]


def quota_take(*, key: str, limit: int, seconds: int) -> bool:
    """Count one use of ``key`` in its window of ``seconds``; False once ``limit`` uses are spent.

    Inside a transaction, the use is counted only if the transaction commits.
    """
    if settings.REDIS_URL:
        count = _redis(settings.REDIS_URL).eval(_REDIS_TAKE, 1, REDIS_PREFIX + key, seconds)
    else:
        count = _database_take(key=key, seconds=seconds)
    return count <= limit


def quota_reset(*, key: str) -> None:
    """Give the whole allowance back (the person proved who they are)."""
    if settings.REDIS_URL:
        _redis(settings.REDIS_URL).delete(REDIS_PREFIX + key)
    else:
        QuotaCounter.objects.filter(key=key).delete()


def quota_windows_purge() -> int:
    """Forget the counts of ended windows (Redis expires its keys by itself)."""
    deleted, _ = QuotaCounter.objects.filter(window_end__lte=timezone.now()).delete()
    return deleted
