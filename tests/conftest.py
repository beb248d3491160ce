from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kwl_office.catalogue import Catalogue, load_example_catalogue
from tests.helpers import KEY, require_soffice
from tests.postgres import (
    PostgresServer,
    PostgresUnavailable,
    started_or_unavailable,
    unavailable,
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # a test that uses the server is a postgres test, marked or not: -m "not postgres" then
    # never starts one
    for item in items:
        if "postgres_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)


def pytest_runtest_setup(item: pytest.Item) -> None:
    # one rule for every LibreOffice test: skipped without soffice, failed in CI
    # (KWL_REQUIRE_SOFFICE=1) where it must run
    if item.get_closest_marker("soffice") is not None:
        require_soffice()


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path_factory: pytest.TempPathFactory,
                     monkeypatch: pytest.MonkeyPatch) -> None:
    # never touch the developer's own key file or config folder
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("KWL_KEY_FILE", raising=False)


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_example_catalogue()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A throw-away PostgreSQL server, started once per session and only when a test asks
    for it; skipped without one, failed in CI (KWL_REQUIRE_POSTGRES=1), see
    ``tests.postgres.unavailable``. pytest keeps a failed start's skip/failure for the rest
    of the session, so it is tried once."""
    server = started_or_unavailable()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """The libpq URL of a new, empty database on the session's PostgreSQL server."""
    try:
        return postgres_server.fresh_database()
    except PostgresUnavailable as error:
        unavailable(str(error))


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "ronde.key"
    path.write_text(KEY.hex() + "\n", encoding="ascii")
    return path
