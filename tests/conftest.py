from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the checkout; a git worktree (/work/wt/NAME) finds it one level further up
SHARED = next((d / "shared" for d in ROOT.parents[:2] if (d / "shared").is_dir()), ROOT.parent / "shared")
CORPUS = SHARED / "corpus"
SEED = ROOT / "posts" / "01-acupuncture-post-surgical-back-pain.txt"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true",
                     help="Rewrite the golden card images in tests/golden/ from the current rendering.")
    parser.addoption("--update-docs", action="store_true",
                     help="Rewrite the generated parts of README.md and docs/ (command help, template keys).")


@pytest.fixture(autouse=True)
def own_config_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test has its own empty ~/.config: templates a developer keeps there never leak in."""
    folder = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    return folder


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture
def seed() -> Path:
    return SEED


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside the checkout")
    return CORPUS


@pytest.fixture
def postiz():
    """A fake Postiz on 127.0.0.1 (tests/fake_servers), stopped after the test."""
    from fake_servers import FakePostiz

    with FakePostiz() as server:
        yield server
