"""The ``gongkai`` console command: fronts Django's management commands.

``gongkai deadline ...``, ``gongkai report ...``, ``gongkai import-report ...``, ``gongkai migrate``...
Hyphenated names map to the underscored management command (``import-report`` -> ``import_report``).
"""

from __future__ import annotations

import os
import sys

# Commands that connect as the database owner role when DATABASE_OWNER_URL is set.
OWNER_COMMANDS = {"migrate", "db_roles", "backup", "restore"}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
        if argv[1] in OWNER_COMMANDS:
            os.environ["GONGKAI_DB_AS_OWNER"] = "1"
    argv[0] = "gongkai"
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
