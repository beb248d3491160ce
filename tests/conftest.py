from __future__ import annotations

from pathlib import Path

import pytest

from kwl_office.catalogue import Catalogue, load_example_catalogue
from tests.helpers import KEY, require_soffice


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


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "ronde.key"
    path.write_text(KEY.hex() + "\n", encoding="ascii")
    return path
