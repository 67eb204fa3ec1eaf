"""`backsoon serve`: one command that migrates, serves, runs the worker, and stops cleanly."""

import contextlib
import os
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

START_SECONDS = 60
STOP_SECONDS = 20


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a fresh home install: no settings of the test run leak in."""
    dropped = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY", "EMAIL_URL", "REDIS_URL"}
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in dropped and not name.startswith("BACKSOON_") and not name.endswith("_FILE")
    }
    return {**env, "BACKSOON_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1", **extra}


def status_of(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat_line = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (name) state ppid …": the name may hold spaces, so split after its ")".
        if int(stat_line.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def descendants_of(pid: int) -> list[int]:
    found = []
    for child in children_of(pid):
        found += [child, *descendants_of(child)]
    return found


def is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def command_line(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


class Served:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir.parent / "serve.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "backsoon", "serve", "--port", str(self.port)],
                env=clean_env(self.data_dir),
                cwd=self.data_dir.parent,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + START_SECONDS
        while (
            status_of(f"{self.base}/healthz") != 200 or "Back Soon worker started" not in self.log()
        ):
            assert self.process.poll() is None, f"serve stopped early:\n{self.log()}"
            assert time.monotonic() < deadline, f"serve did not answer in time:\n{self.log()}"
            time.sleep(0.2)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def children(self) -> dict[str, int]:
        """The web and worker child processes, by role."""
        roles = {}
        for pid in children_of(self.process.pid):
            words = command_line(pid).split()
            roles[words[words.index("backsoon") + 1]] = pid
        return roles

    def wait(self) -> int:
        try:
            return self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            pytest.fail(f"serve did not stop within {STOP_SECONDS} s:\n{self.log()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            for pid in [self.process.pid, *descendants_of(self.process.pid)]:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            self.process.wait()


@pytest.fixture
def served(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    served = Served(data_dir)
    yield served
    served.stop()


def test_serve_starts_the_site_and_the_worker_and_stops_both_on_sigterm(served):
    served.start()

    assert status_of(f"{served.base}/") == 200
    assert stat.S_IMODE((served.data_dir / "secret_key").stat().st_mode) == 0o600
    with sqlite3.connect(served.data_dir / "backsoon.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    assert sorted(served.children()) == ["web", "worker"]
    everyone = descendants_of(served.process.pid)

    served.process.send_signal(signal.SIGTERM)

    assert served.wait() == 0, served.log()
    assert [pid for pid in everyone if is_running(pid)] == []
    assert "Back Soon worker stopped" in served.log()


def test_when_the_worker_dies_serve_stops_the_web_server_and_fails(served):
    served.start()
    children = served.children()
    web_family = [children["web"], *descendants_of(children["web"])]

    os.kill(children["worker"], signal.SIGKILL)

    assert served.wait() != 0
    assert [pid for pid in web_family if is_running(pid)] == []
    assert status_of(f"{served.base}/healthz") is None
    assert "stopping the rest" in served.log()


def test_a_bad_setting_stops_serve_at_once_naming_the_variable(tmp_path):
    started = time.monotonic()

    result = subprocess.run(
        [sys.executable, "-m", "backsoon", "serve", "--port", str(free_port())],
        env=clean_env(tmp_path / "data", BACKSOON_REGISTRATION="maybe"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=STOP_SECONDS,
        check=False,
    )

    assert result.returncode != 0
    assert "BACKSOON_REGISTRATION='maybe'" in result.stderr
    assert "Traceback" not in result.stderr
    assert time.monotonic() - started < 10
