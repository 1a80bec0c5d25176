"""Production refuses to start on development defaults; development works without any."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
STRONG_KEY = "k3y-" + "aZ9!xQ2@mW7#pL4$vN8%rT1^bY6&cH3*" * 2
KEYS = {
    "FIELD_ENCRYPTION_KEYS": "ZmVybmV0LWtleS1mb3ItdGVzdHMtb25seS0xMjM0NTY=",
    "SEARCH_HASH_KEY": STRONG_KEY,
    "SITE_URL": "https://mutua.example.org",
}


def load_settings(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "MUTUA_ENV"}
    }
    clean |= {"MUTUA_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"} | env
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'])"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, "SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, FIELD_ENCRYPTION_KEYS, SEARCH_HASH_KEY, SITE_URL"),
        ({"SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "mutua.example.org", **KEYS}, "DATABASE_URL"),
        ({"SECRET_KEY": STRONG_KEY, "DATABASE_URL": "sqlite:////tmp/x.db", **KEYS}, "ALLOWED_HOSTS"),
        (
            {"SECRET_KEY": STRONG_KEY, "DATABASE_URL": "sqlite:////tmp/x.db", "ALLOWED_HOSTS": "h"},
            "FIELD_ENCRYPTION_KEYS, SEARCH_HASH_KEY",
        ),
    ],
)
def test_production_refuses_to_start_without_its_settings(tmp_path, env, missing):
    result = load_settings({"MUTUA_ENV": "production", **env}, tmp_path)
    assert result.returncode != 0
    assert f"refuses to start without these environment variables: {missing}" in result.stderr


@pytest.mark.parametrize("key", ["django-insecure-" + "x" * 50, "short-key", "a" * 60])
def test_production_refuses_a_weak_secret_key(tmp_path, key):
    result = load_settings(
        {
            "MUTUA_ENV": "production",
            "SECRET_KEY": key,
            "ALLOWED_HOSTS": "h",
            "DATABASE_URL": "sqlite:////tmp/x.db",
            **KEYS,
        },
        tmp_path,
    )
    assert result.returncode != 0 and "SECRET_KEY is too weak" in result.stderr


def test_production_starts_with_real_settings_and_secure_cookies(tmp_path):
    env = {
        "MUTUA_ENV": "production",
        "SECRET_KEY": STRONG_KEY,
        "ALLOWED_HOSTS": "mutua.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path}/prod.db",
        **KEYS,
    }
    clean = {k: v for k, v in os.environ.items() if k not in env} | env | {"DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-m", "mutua.cli", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_development_needs_no_settings_and_keeps_its_generated_key(tmp_path):
    first = load_settings({"MUTUA_ENV": "development"}, tmp_path)
    assert first.returncode == 0, first.stderr
    assert "sqlite3" in first.stdout
    for name in ("secret_key", "field_key", "search_key"):
        key_file = tmp_path / name
        assert key_file.exists() and oct(key_file.stat().st_mode)[-3:] == "600"
        assert len(key_file.read_text()) >= 44
