import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Quotas live in the cache: every test starts with none used."""
    cache.clear()
