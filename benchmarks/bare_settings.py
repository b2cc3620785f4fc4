"""Settings of the load benchmark's baseline: the platform's own settings (same middleware, database,
cache, production switches), with a URLconf of one view that returns "ok"."""

from gongkai.config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bare_urls"
