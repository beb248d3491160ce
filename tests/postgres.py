"""A throw-away PostgreSQL server for the tests (issue 17).

``PostgresServer.start()`` creates a cluster in a fresh temporary folder, starts it listening
only on a Unix socket in that folder (no TCP, so it can never clash with another server on
the machine, e.g. the cluster the Debian package starts), and ``fresh_database()`` hands out
a new, empty database per caller as a libpq URL. ``stop()`` ends the server and removes the
folder. Anything that goes wrong raises ``PostgresUnavailable`` with a short reason; the
fixtures in ``conftest.py`` turn that into a skip, or a failure where
``KWL_REQUIRE_POSTGRES=1`` (CI), see ``unavailable()``.

The cluster is made for speed, not safety: no fsync, no full page writes, no synchronous
commit. It holds nothing worth keeping.
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
from pathlib import Path
from types import TracebackType
from typing import NoReturn
from urllib.parse import quote

import pytest

#: the superuser ``initdb`` creates (trust authentication: no password)
SUPERUSER = "kwl"
#: how long ``pg_ctl start`` may wait for the server to accept connections
START_TIMEOUT = 30
#: where Debian (and Ubuntu) install the server binaries, one folder per major version
DEBIAN_BIN_GLOB = "/usr/lib/postgresql/*/bin"
#: the longest path of a Unix socket (sun_path is 108 bytes on Linux, with its NUL)
_MAX_SOCKET_PATH = 107


class PostgresUnavailable(Exception):
    """No PostgreSQL server could be started (or used); the message says why."""


def unavailable(reason: str) -> NoReturn:
    """Skip the test for ``reason``, or fail it when ``KWL_REQUIRE_POSTGRES=1`` (as in CI),
    where the PostgreSQL tests must run (the rule of ``helpers.require_soffice``)."""
    if os.environ.get("KWL_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"KWL_REQUIRE_POSTGRES=1 but no PostgreSQL server: {reason}")
    pytest.skip(f"no PostgreSQL server: {reason}")


def find_bin_dir(path: str | None = None, pattern: str | None = None) -> Path:
    """The folder holding ``initdb`` and ``pg_ctl``: found on ``path`` (default ``$PATH``)
    first, else the highest version matching ``pattern`` (default ``DEBIAN_BIN_GLOB``).

    Raises ``PostgresUnavailable`` when there is none.
    """
    initdb = shutil.which("initdb", path=path)
    if initdb is not None:
        # resolve symlinks (e.g. /usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb)
        # so pg_ctl and postgres come from the same installation as initdb
        folder = Path(initdb).resolve().parent
        if (folder / "pg_ctl").is_file():
            return folder
    pattern = pattern or DEBIAN_BIN_GLOB
    candidates = [Path(p) for p in glob.glob(pattern)
                  if (Path(p) / "initdb").is_file() and (Path(p) / "pg_ctl").is_file()]
    if not candidates:
        raise PostgresUnavailable(f"initdb/pg_ctl not found on PATH nor in {pattern}")
    # numeric order: version 9.6 < 15 < 16, which a string sort would get wrong
    return max(candidates, key=_version_key)


def _version_key(folder: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", folder.parent.name)) or (0,)


def _is_root() -> bool:
    return os.name == "posix" and os.geteuid() == 0


def default_account() -> str | None:
    """The account to run the server as: None (the current user) unless we are root, whom
    ``initdb`` refuses; then ``postgres`` (made by the Debian package), else ``nobody``."""
    if not _is_root():
        return None
    import pwd
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise PostgresUnavailable("running as root, but there is no 'postgres' or 'nobody' user")


def _free_port() -> int:
    # the server listens on no TCP port, but the port still names its socket file and
    # seeds its System V shared-memory key; a port no one uses keeps both clear of other
    # clusters on the machine (e.g. the Debian package's own on 5432)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _signal_postmaster(pid_file: Path, signal_number: int) -> None:
    try:
        os.kill(int(pid_file.read_text().split()[0]), signal_number)
    except (OSError, ValueError, IndexError):
        pass  # no pid file, or the server is already gone


class PostgresServer:
    """One throw-away PostgreSQL cluster: ``start()``, ``fresh_database()``, ``stop()``.

    Also a context manager (``with PostgresServer() as server: ...``).
    """

    def __init__(self, bin_dir: Path | None = None, account: str | None = "default") -> None:
        """``bin_dir``: where ``initdb``/``pg_ctl`` are (default: ``find_bin_dir()``);
        ``account``: the user to run the server as (default: ``default_account()``;
        None for the current user)."""
        self._bin_dir = bin_dir
        self._account = account
        self.root: Path | None = None
        self.port = 0
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()
        self._running = False
        self._bin: Path | None = None
        self._user: str | None = None

    # --- where things are ----------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        """The cluster's data folder."""
        return self._root() / "data"

    @property
    def socket_dir(self) -> Path:
        """The folder of the server's Unix socket (its only way in)."""
        return self._root() / "sock"

    @property
    def log_file(self) -> Path:
        """The server's log (its tail goes into start errors)."""
        return self._root() / "server.log"

    @property
    def running(self) -> bool:
        """True between a successful ``start()`` and ``stop()``."""
        return self._running

    def url(self, database: str = "postgres") -> str:
        """The libpq URL of ``database`` on this server, over its Unix socket (the socket
        folder goes in the ``host`` query parameter, as libpq wants for a path)."""
        host = quote(str(self.socket_dir), safe="/")
        return f"postgresql://{SUPERUSER}@/{quote(database)}?host={host}&port={self.port}"

    def _root(self) -> Path:
        if self.root is None:
            raise PostgresUnavailable("the server is not running")
        return self.root

    def _pg_bin(self) -> Path:
        if self._bin is None:
            raise PostgresUnavailable("the server was never started")
        return self._bin

    # --- life cycle ----------------------------------------------------------------------

    def start(self) -> PostgresServer:
        """Create the cluster and start the server; returns ``self``.

        Raises ``PostgresUnavailable`` (after cleaning up what it made) when that fails.
        """
        if self._running:
            return self
        if os.name != "posix":
            # the server listens on a Unix socket only
            raise PostgresUnavailable("the test server needs a Unix system")
        try:
            import psycopg  # noqa: F401  (checked first: without it a server is of no use)
        except ImportError as error:
            raise PostgresUnavailable(f"psycopg is not installed ({error})") from error
        # resolved once, so stop() runs the same pg_ctl as the same user as start() did
        self._bin = self._bin_dir or find_bin_dir()
        self._user = default_account() if self._account == "default" else self._account
        try:
            self.root = Path(tempfile.mkdtemp(prefix="kwl-pg-"))
        except OSError as error:
            raise PostgresUnavailable(f"no temporary folder for the cluster: {error}") from error
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        # a session that ends before its fixtures' teardown would leave the server running
        atexit.register(self.stop)
        return self

    def _start(self) -> None:
        root, bin_dir = self._root(), self._pg_bin()
        self.socket_dir.mkdir()
        if self._user is not None and _is_root():
            import pwd  # Unix only: imported here so conftest imports everywhere

            entry = pwd.getpwnam(self._user)
            # initdb wants to own the data folder's parent; the server writes socket and log
            for path in (root, self.socket_dir):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        if len(str(self.socket_dir / ".s.PGSQL.65535")) > _MAX_SOCKET_PATH:
            raise PostgresUnavailable(f"socket path under {root} is too long for Unix "
                                      "(set TMPDIR to a shorter folder)")
        self.port = _free_port()
        # --no-sync: nothing here needs to survive a crash, and it saves most of initdb's time
        self._run([str(bin_dir / "initdb"), "-D", str(self.data_dir), "-A", "trust",
                   "-U", SUPERUSER, "--encoding=UTF8", "--locale=C", "--no-sync"], "initdb")
        # pg_ctl runs the server through a shell, hence the quoting; listen_addresses=''
        # means no TCP at all, only the socket in our own folder
        options = " ".join([
            "-k", shlex.quote(str(self.socket_dir)), "-p", str(self.port),
            "-c", "listen_addresses=''", "-c", "fsync=off", "-c", "full_page_writes=off",
            "-c", "synchronous_commit=off",
        ])
        self._run([str(bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-l", str(self.log_file),
                   "-o", options, "-w", "-t", str(START_TIMEOUT), "start"], "pg_ctl start")
        self._running = True

    def stop(self) -> None:
        """Stop the server (immediately: nothing to keep) and remove its folder; safe to
        call twice, or after a failed ``start()``."""
        with self._lock:
            root = self.root
            if root is None:
                return
            try:
                # postmaster.pid exists from the moment the server starts until it ends (also
                # after a start that timed out), so it says whether there is anything to stop
                pid_file = root / "data" / "postmaster.pid"
                if pid_file.exists():
                    try:
                        self._run([str(self._pg_bin() / "pg_ctl"), "-D", str(self.data_dir),
                                   "-m", "immediate", "-w", "-t", str(START_TIMEOUT), "stop"],
                                  "pg_ctl stop")
                    except PostgresUnavailable:
                        # never leave a server running on a removed folder: SIGQUIT is the
                        # immediate shutdown pg_ctl would have asked for
                        _signal_postmaster(pid_file, signal.SIGQUIT)
            finally:
                self._running = False
                self.root = None
                shutil.rmtree(root, ignore_errors=True)
                atexit.unregister(self.stop)

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()

    # --- databases -----------------------------------------------------------------------

    def fresh_database(self) -> str:
        """Create a new, empty database and return its libpq URL, e.g.
        ``postgresql://kwl@/kwl_test_3?host=/tmp/kwl-pg-x/sock&port=41234``; each call
        gives another, so tests never see each other's data."""
        import psycopg

        if not self._running:
            raise PostgresUnavailable("the server is not running")
        with self._lock:
            name = f"kwl_test_{next(self._numbers)}"
        try:
            # CREATE DATABASE cannot run inside a transaction block
            with psycopg.connect(self.url(), autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
        except psycopg.Error as error:
            raise PostgresUnavailable(f"could not create database {name}: {error}") from error
        return self.url(name)

    # --- running the binaries ------------------------------------------------------------

    def _run(self, command: list[str], what: str) -> None:
        # PG* variables of the caller (PGDATA, PGPORT, PGHOST, ...) must not steer our cluster;
        # the C locale keeps initdb from complaining about the machine's locale settings
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env |= {"LC_ALL": "C", "LANG": "C"}
        uid: int | None = None
        gid: int | None = None
        groups: list[int] | None = None
        if self._user is not None and _is_root():
            import pwd

            entry = pwd.getpwnam(self._user)
            env |= {"HOME": str(self._root()), "USER": self._user, "LOGNAME": self._user}
            # drop root's supplementary groups too, not only its user and group
            uid, gid, groups = entry.pw_uid, entry.pw_gid, []
        try:
            done = subprocess.run(command, env=env, cwd=self._root(), capture_output=True,
                                  text=True, timeout=START_TIMEOUT + 30, check=False,
                                  user=uid, group=gid, extra_groups=groups)
        except (OSError, subprocess.SubprocessError) as error:
            raise PostgresUnavailable(f"{what} failed: {error}") from error
        if done.returncode != 0:
            # initdb and pg_ctl chat on stdout and say what went wrong on stderr
            output = (done.stderr.strip() or done.stdout.strip()).replace("\n", " / ")
            log = self._log_tail() if what.startswith("pg_ctl start") else ""
            raise PostgresUnavailable(
                f"{what} exited with {done.returncode}: {output[-1000:]}"
                + (f"\nserver log:\n{log}" if log else ""))

    def _log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.strip().splitlines()[-lines:])


def started_or_unavailable(server: PostgresServer | None = None) -> PostgresServer:
    """``server`` (default: a new one) started, or the test skipped/failed by
    :func:`unavailable` with the reason it could not start."""
    server = server or PostgresServer()
    try:
        server.start()
    except PostgresUnavailable as error:
        unavailable(str(error))
    return server
