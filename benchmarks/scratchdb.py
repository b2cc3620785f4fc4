"""A freshly migrated scratch PostgreSQL database for one benchmark, dropped afterwards."""

from __future__ import annotations

import contextlib
import os


@contextlib.contextmanager
def migrated_database(name: str):
    """Django set up, ``name`` created on DATABASE_URL's server, migrated and made the default
    connection's database for the ``with`` block; yields its URL. Dropped at the end."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    from benchmarks.bench_reports import _admin, _admin_conninfo

    url = os.environ["DATABASE_URL"]
    info = _admin_conninfo(url)
    original = connection.settings_dict["NAME"]
    connection.close()
    _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", info)
    _admin(
        f"CREATE DATABASE {name} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0",
        info,
    )
    connection.settings_dict["NAME"] = name
    try:
        call_command("migrate", verbosity=0)
        from urllib.parse import urlsplit

        yield urlsplit(url)._replace(path="/" + name).geturl()
    finally:
        connections.close_all()
        connection.settings_dict["NAME"] = original
        _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", info)
