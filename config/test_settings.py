"""Settings for the test suite: the normal settings in ``test`` mode."""

import os

os.environ["MUTUA_ENV"] = "test"

from config.settings import *  # noqa: F403
