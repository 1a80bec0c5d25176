from django.contrib.auth.hashers import Argon2PasswordHasher


class LightArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with a tiny cost, for the test suite only (see ``config.settings``)."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1
