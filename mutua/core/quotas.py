from django.core.cache import cache


def quota_take(*, key: str, limit: int, seconds: int) -> bool:
    """Count one use of ``key`` in a window of ``seconds``; False once ``limit`` uses are spent.

    The cache is shared by every web process (file cache embedded, Redis scaled out).
    """
    cache.add(f"quota:{key}", 0, timeout=seconds)
    return cache.incr(f"quota:{key}") <= limit
