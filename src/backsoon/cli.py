"""`backsoon`: the one command that runs everything.

serve   (default) migrate, then run the web server and the worker as child processes
web     the production WSGI server only (granian)
prepare checks, migrations and static files, then exit (serve and web run it first)
worker  the background worker only
manage  Django's management commands, e.g. `backsoon manage createsuperuser`
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
CHILD_STOP_SECONDS = 15


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backsoon.settings")
    from backsoon.config import ConfigError

    try:
        import django

        django.setup()
    except ConfigError as exc:
        sys.stderr.write(f"Back Soon cannot start: {exc}\n")
        raise SystemExit(2) from None


def _prepare(collect_static: bool, migrate: bool) -> None:
    from django.conf import settings
    from django.core.management import call_command

    errors = _run_checks()
    if errors:
        raise SystemExit(2)
    if migrate:
        call_command("migrate", interactive=False, verbosity=0)
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if collect_static or not manifest.exists():
        call_command("collectstatic", interactive=False, verbosity=0)


def _run_checks() -> list:
    """Run Django's system checks; print warnings, and return the errors."""
    from django.core import checks

    messages = checks.run_checks(include_deployment_checks=False)
    errors = [m for m in messages if m.level >= checks.ERROR]
    quiet = bool(os.environ.get("BACKSOON_CHILD"))  # the supervisor already printed them
    for message in messages:
        if message.level >= checks.ERROR or (
            message.level >= checks.WARNING and not quiet and not message.is_silenced()
        ):
            sys.stderr.write(f"{message}\n")
    return errors


def cmd_prepare(args: argparse.Namespace) -> int:
    """Checks, migrations and static files, run in a short-lived child process.

    The processes that live on (the supervisor, granian's main process) then never load Django:
    each would otherwise hold about 100 MB doing nothing.
    """
    _setup_django()
    from django.conf import settings

    if args.announce:
        print(f"Back Soon data folder: {settings.DATA_DIR}", flush=True)
    _prepare(collect_static=args.collectstatic, migrate=args.migrate)
    return 0


def _run_prepare(*flags: str) -> int:
    return subprocess.run([sys.executable, "-m", "backsoon", "prepare", *flags]).returncode


def cmd_serve(args: argparse.Namespace) -> int:
    code = _run_prepare("--migrate", "--collectstatic", "--announce")
    if code:
        return code
    from backsoon.config import parse_site_url

    site = parse_site_url()  # already checked by the child: a bad value stopped it
    url = site.url if site else f"http://{args.host}:{args.port}"
    print(f"Back Soon is starting at {url}  (Ctrl-C stops it)", flush=True)

    # The worker has no request to take the address from: links in what it sends use this one.
    env = {**os.environ, "BACKSOON_CHILD": "1", "BACKSOON_SERVED_AT": url}
    base = [sys.executable, "-m", "backsoon"]
    web_cmd = [*base, "web", "--host", args.host, "--port", str(args.port)]
    if args.threads:
        web_cmd += ["--threads", str(args.threads)]
    return _supervise([web_cmd, [*base, "worker"]], env)


def _supervise(commands: list[list[str]], env: dict[str, str]) -> int:
    """Start the commands, forward SIGTERM/SIGINT/SIGHUP to them, and stop all if one stops."""
    children: list[subprocess.Popen] = []
    stopping = {"signal": None}

    def forward(signum, _frame):
        stopping["signal"] = signum
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    # Handlers first, so a signal during start-up cannot orphan a child. The children have
    # their own process groups, so a closed terminal (SIGHUP) reaches them only through us.
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, forward)
    for command in commands:
        if stopping["signal"] is None:
            # Own process group: Ctrl-C reaches a child once (from us), and a child that must be
            # killed takes its own subprocesses (granian's workers) with it.
            children.append(subprocess.Popen(command, env=env, process_group=0))
    exited: list[subprocess.Popen] = []
    while children and not exited and stopping["signal"] is None:
        time.sleep(0.2)
        exited = [child for child in children if child.poll() is not None]
    exit_code = 0
    if stopping["signal"] is None and exited:
        code = exited[0].returncode
        sys.stderr.write(f"A Back Soon process stopped (exit {code}); stopping the rest.\n")
        exit_code = code if code > 0 else 1
        forward(signal.SIGTERM, None)
    deadline = time.monotonic() + CHILD_STOP_SECONDS
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    return exit_code


def cmd_web(args: argparse.Namespace) -> int:
    # Read by settings in every web process: several processes without Redis share no cache.
    os.environ["BACKSOON_WEB_PROCESSES"] = str(args.processes)
    if not os.environ.get("BACKSOON_CHILD"):  # under serve, the supervisor has prepared
        code = _run_prepare("--collectstatic")
        if code:
            return code
    from granian import Granian
    from granian.constants import Interfaces

    Granian(
        "backsoon.wsgi:application",
        address=args.host,
        port=args.port,
        interface=Interfaces.WSGI,
        workers=args.processes,
        blocking_threads=args.threads,
        log_access=False,
    ).serve()
    return 0


def cmd_worker(_args: argparse.Namespace) -> int:
    _setup_django()
    if _run_checks():
        return 2
    from backsoon.notify.worker import Worker

    Worker().run_forever()
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backsoon.settings")
    from django.core.management import execute_from_command_line

    from backsoon.config import ConfigError

    try:
        execute_from_command_line(["backsoon manage", *args.rest])
    except ConfigError as exc:
        sys.stderr.write(f"Back Soon cannot start: {exc}\n")
        return 2
    return 0


def _backup_paths():
    _setup_django()
    from django.conf import settings

    if settings.DATABASE_URL:
        sys.stderr.write(
            "With DATABASE_URL (PostgreSQL), back up with pg_dump and copy the media folder; "
            "see the README, 'Backups and upgrades'.\n"
        )
        raise SystemExit(2)
    return settings.DATA_DIR, Path(settings.DATABASES["default"]["NAME"])


def cmd_backup(args: argparse.Namespace) -> int:
    from backsoon.backup import BackupError, make_backup

    data_dir, database = _backup_paths()
    try:
        archive = make_backup(data_dir, database, Path(args.to).resolve())
    except BackupError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    print(f"Backup written to {archive}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from backsoon.backup import BackupError, restore_backup

    data_dir, database = _backup_paths()
    try:
        restore_backup(Path(args.archive).resolve(), data_dir, database, force=args.force)
    except BackupError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    print(f"Restored into {data_dir}. Start Back Soon again with `backsoon serve`.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="backsoon", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")

    def add_server_flags(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--host",
            default=DEFAULT_HOST,
            help="address to listen on (0.0.0.0 for the whole network)",
        )
        p.add_argument("--port", type=int, default=DEFAULT_PORT, help="port to listen on")
        p.add_argument("--threads", type=int, default=4, help="request threads per web process")

    serve = sub.add_parser("serve", help="migrate, then run the web server and the worker")
    add_server_flags(serve)
    serve.set_defaults(func=cmd_serve)

    prepare = sub.add_parser("prepare", help="checks, migrations and static files, then exit")
    prepare.add_argument("--migrate", action="store_true", help="apply database migrations")
    prepare.add_argument("--collectstatic", action="store_true", help="collect static files")
    prepare.add_argument("--announce", action="store_true", help="print the data folder")
    prepare.set_defaults(func=cmd_prepare)

    web = sub.add_parser("web", help="run only the web server")
    add_server_flags(web)
    web.add_argument("--processes", type=int, default=1, help="web processes")
    web.set_defaults(func=cmd_web)

    worker = sub.add_parser("worker", help="run only the background worker")
    worker.set_defaults(func=cmd_worker)

    backup = sub.add_parser("backup", help="a consistent backup of the data folder, online")
    backup.add_argument("--to", default=".", help="folder to write the archive into")
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser("restore", help="restore a backup into the data folder")
    restore.add_argument("archive", help="a backsoon-backup-….tar.gz file")
    restore.add_argument("--force", action="store_true", help="replace an existing database")
    restore.set_defaults(func=cmd_restore)

    manage = sub.add_parser("manage", help="Django management commands", add_help=False)
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    if not argv or (argv[0].startswith("--") and argv[0] not in ("--help", "-h")):
        argv = ["serve", *argv]
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
