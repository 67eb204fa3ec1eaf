"""`backsoon backup` and `backsoon restore`: the data folder in one consistent archive.

The SQLite database is copied with SQLite's online backup API, so the app can keep running;
the photos, the secret key and the VAPID key are added beside it. With PostgreSQL, use
pg_dump for the database (the README says how); this command then refuses, rather than
making an archive that looks complete but is not.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ARCHIVE_DB = "backsoon.sqlite3"
KEY_FILES = ("secret_key", "vapid_private_key.pem")
MEDIA = "media"


class BackupError(Exception):
    """Something the person running the command can fix; the message says what."""


def make_backup(data_dir: Path, database: Path, destination: Path) -> Path:
    """Write `backsoon-backup-<UTC time>.tar.gz` into `destination`; return its path."""
    if not database.exists():
        raise BackupError(f"There is no database at {database} yet: nothing to back up.")
    destination.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    archive = destination / f"backsoon-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory(dir=destination) as work:
        copy = Path(work) / ARCHIVE_DB
        source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        target = sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(copy, arcname=ARCHIVE_DB)
            for name in KEY_FILES:
                if (data_dir / name).exists():
                    tar.add(data_dir / name, arcname=name)
            if (data_dir / MEDIA).is_dir():
                tar.add(data_dir / MEDIA, arcname=MEDIA)
        os.chmod(partial, 0o600)  # it holds the secret key
        partial.rename(archive)
    return archive


def restore_backup(archive: Path, data_dir: Path, database: Path, *, force: bool = False) -> None:
    """Unpack an archive made by make_backup into the data folder."""
    if not archive.is_file():
        raise BackupError(f"{archive} is not a file.")
    if database.exists() and not force:
        raise BackupError(
            f"{database} already exists. Stop Back Soon, move the data folder aside, or add "
            "--force to replace what is there."
        )
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        _unpack(archive, data_dir, database)
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{archive} could not be read as a Back Soon backup ({exc}).") from exc


def _unpack(archive: Path, data_dir: Path, database: Path) -> None:
    with tempfile.TemporaryDirectory(dir=data_dir) as work, tarfile.open(archive, "r:gz") as tar:
        names = tar.getnames()
        if ARCHIVE_DB not in names:
            raise BackupError(f"{archive} is not a Back Soon backup (it has no {ARCHIVE_DB}).")
        tar.extractall(work, filter="data")
        unpacked = Path(work)
        check = sqlite3.connect(unpacked / ARCHIVE_DB)
        try:
            if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"The database in {archive} is damaged; nothing was changed.")
        finally:
            check.close()
        for suffix in ("-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.replace(unpacked / ARCHIVE_DB, database)
        for name in KEY_FILES:
            if (unpacked / name).exists():
                os.replace(unpacked / name, data_dir / name)
                os.chmod(data_dir / name, 0o600)
        if (unpacked / MEDIA).is_dir():
            shutil.rmtree(data_dir / MEDIA, ignore_errors=True)
            os.replace(unpacked / MEDIA, data_dir / MEDIA)
