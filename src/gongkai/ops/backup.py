"""Backup and restore (备份与恢复): the PostgreSQL database (``pg_dump`` custom format) plus the
media files (uploads, generated letters), with a manifest of SHA-256 hashes.

A backup directory holds ``database.dump``, ``media/…`` (the tree under ``MEDIA_ROOT``) and
``manifest.json``: the hash of the dump and of every media file, and the row count of every
table at dump time. :func:`restore` verifies every hash before it touches anything, refuses a
non-empty target database, runs ``pg_restore``, copies the media files, and checks the restored
row counts against the manifest. Needs Debian's ``postgresql-client`` (``pg_dump``/``pg_restore``)
of the server's major version or later.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
FORMAT = 1


class BackupError(Exception):
    """Backup or restore refused; the message is Chinese."""


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def tree_hashes(root: Path) -> dict[str, str]:
    """``{relative POSIX path: sha256}`` of every file under ``root`` (empty when missing)."""
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): file_sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


def pg_env(settings_dict: dict) -> dict[str, str]:
    """libpq environment for a Django database settings dict."""
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    env["PGDATABASE"] = str(settings_dict["NAME"])
    return env


def connect(db: dict):
    """A psycopg connection from a Django database settings dict."""
    import psycopg

    kw = {"dbname": db["NAME"]}
    for key, arg in (("HOST", "host"), ("PORT", "port"), ("USER", "user"), ("PASSWORD", "password")):
        if db.get(key):
            kw[arg] = str(db[key])
    return psycopg.connect(**kw, autocommit=True)


def table_counts(db: dict) -> dict[str, int]:
    """Row count of every table of the public schema, in one snapshot."""
    with connect(db) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        out = {t: conn.execute(f'SELECT count(*) FROM public."{t}"').fetchone()[0] for t in tables}
        conn.execute("COMMIT")
    return out


def _run(cmd: list[str], env: dict[str, str]) -> None:
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BackupError(f"{cmd[0]} 执行失败：{proc.stderr.strip()[:2000]}")


def _postgres(db: dict) -> None:
    if "postgresql" not in db.get("ENGINE", ""):
        raise BackupError("备份与恢复仅支持 PostgreSQL 数据库")


def backup(dest: Path, db: dict, media_root: Path) -> dict:
    """Write a backup of database ``db`` (Django settings dict) and ``media_root`` into ``dest``
    (created; must not exist or be empty); returns the manifest."""
    _postgres(db)
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"备份目录 {dest} 不是空目录")
    dest.mkdir(parents=True, exist_ok=True)
    env = pg_env(db)
    counts = table_counts(db)
    _run(["pg_dump", "--format=custom", "--compress=6", "--file", str(dest / DUMP)], env)
    media_root = Path(media_root)
    if media_root.is_dir():
        shutil.copytree(media_root, dest / MEDIA, symlinks=False)
    else:
        (dest / MEDIA).mkdir()
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": {"file": DUMP, "sha256": file_sha256(dest / DUMP), "tables": counts},
        "media": tree_hashes(dest / MEDIA),
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
    return manifest


def verify(src: Path) -> dict:
    """The manifest of backup ``src`` after checking every hash; BackupError lists what differs."""
    src = Path(src)
    try:
        manifest = json.loads((src / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        raise BackupError(f"{src} 中没有可读的 {MANIFEST}，不是 gongkai 备份") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不支持的备份格式：{manifest.get('format')!r}")
    problems = []
    dump = src / manifest["database"]["file"]
    if not dump.is_file():
        problems.append(f"缺少数据库文件 {dump.name}")
    elif file_sha256(dump) != manifest["database"]["sha256"]:
        problems.append(f"数据库文件 {dump.name} 的校验值不符")
    actual = tree_hashes(src / MEDIA)
    for rel, digest in manifest["media"].items():
        if rel not in actual:
            problems.append(f"缺少文件 media/{rel}")
        elif actual[rel] != digest:
            problems.append(f"文件 media/{rel} 的校验值不符")
    problems += [f"清单之外的文件 media/{rel}" for rel in sorted(set(actual) - set(manifest["media"]))]
    if problems:
        shown = "；".join(problems[:20]) + ("……" if len(problems) > 20 else "")
        raise BackupError(f"备份校验失败（{len(problems)} 处）：{shown}")
    return manifest


def restore(src: Path, db: dict, media_root: Path) -> dict:
    """Restore backup ``src`` into the (empty) database ``db`` and into ``media_root``.

    Hashes are verified first; nothing is written when they differ. Returns the manifest."""
    src = Path(src)
    manifest = verify(src)
    _postgres(db)
    if table_counts(db):
        raise BackupError("目标数据库不是空库：请恢复到新建的空数据库")
    media_root = Path(media_root)
    clashes = [
        rel
        for rel, digest in manifest["media"].items()
        if (media_root / rel).exists() and file_sha256(media_root / rel) != digest
    ]
    if clashes:
        raise BackupError(f"媒体目录中已有内容不同的同名文件：{'、'.join(clashes[:10])}")
    env = pg_env(db)
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--dbname",
            env["PGDATABASE"],
            str(src / DUMP),
        ],
        env,
    )
    for rel in manifest["media"]:
        target = media_root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            shutil.copy2(src / MEDIA / rel, target)
    counts = table_counts(db)
    if counts != manifest["database"]["tables"]:
        diff = sorted(
            t
            for t in set(counts) | set(manifest["database"]["tables"])
            if counts.get(t) != manifest["database"]["tables"].get(t)
        )
        raise BackupError(f"恢复后的行数与备份清单不符：{'、'.join(diff[:10])}")
    return manifest
