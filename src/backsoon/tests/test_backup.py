"""Backup while running, restore into a fresh folder, and compare."""

import sqlite3

import pytest

from backsoon.backup import BackupError, make_backup, restore_backup


def a_data_folder(root):
    data = root / "data"
    (data / "media" / "photos" / "2026" / "11").mkdir(parents=True)
    (data / "media" / "photos" / "2026" / "11" / "a.jpg").write_bytes(b"\xff\xd8photo")
    (data / "secret_key").write_text("s3cret\n")
    db = sqlite3.connect(data / "backsoon.sqlite3")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE separation (id INTEGER PRIMARY KEY, note TEXT)")
    db.executemany("INSERT INTO separation (note) VALUES (?)", [(f"walk {i}",) for i in range(50)])
    db.commit()
    return data, db  # left open, in WAL mode, as a running app would


def test_backup_and_restore_give_back_the_same_data(tmp_path):
    data, live = a_data_folder(tmp_path)
    live.execute("INSERT INTO separation (note) VALUES ('written just before the backup')")
    live.commit()  # still in the WAL, not yet in the main file
    archive = make_backup(data, data / "backsoon.sqlite3", tmp_path / "backups")
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    fresh = tmp_path / "fresh"
    restore_backup(archive, fresh, fresh / "backsoon.sqlite3")
    restored = sqlite3.connect(fresh / "backsoon.sqlite3")
    rows = restored.execute("SELECT id, note FROM separation ORDER BY id").fetchall()
    assert rows == live.execute("SELECT id, note FROM separation ORDER BY id").fetchall()
    assert rows[-1][1] == "written just before the backup"
    assert (fresh / "media/photos/2026/11/a.jpg").read_bytes() == b"\xff\xd8photo"
    assert (fresh / "secret_key").read_text() == "s3cret\n"
    assert oct((fresh / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_restore_will_not_overwrite_without_force(tmp_path):
    data, _live = a_data_folder(tmp_path)
    archive = make_backup(data, data / "backsoon.sqlite3", tmp_path / "backups")
    with pytest.raises(BackupError, match="--force"):
        restore_backup(archive, data, data / "backsoon.sqlite3")
    restore_backup(archive, data, data / "backsoon.sqlite3", force=True)


def test_something_else_is_refused_and_nothing_changes(tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not an archive")
    target = tmp_path / "target"
    with pytest.raises(Exception):  # noqa: B017 (tarfile's own error)
        restore_backup(bogus, target, target / "backsoon.sqlite3")
    assert not (target / "backsoon.sqlite3").exists()
    with pytest.raises(BackupError, match="nothing to back up"):
        make_backup(tmp_path / "empty", tmp_path / "empty" / "backsoon.sqlite3", tmp_path)
