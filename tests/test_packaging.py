"""Packaging as Python users expect: ``python -m postdeck``, one version, licence metadata, and a
wheel that ships what users need and no developer scripts."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

import postdeck

ROOT = Path(__file__).resolve().parent.parent


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_python_dash_m_postdeck_runs_the_command_from_any_folder(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "postdeck", "--version"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"postdeck, version {postdeck.__version__}\n", "")


def test_the_version_is_written_once() -> None:
    project = pyproject()["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert pyproject()["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "postdeck.__version__"}


def test_licence_is_an_spdx_expression_with_its_file() -> None:
    project = pyproject()["project"]
    assert project["license"] == "MIT" and "LICENSE" in project["license-files"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "postdeck authors" in text
    assert project["authors"] == [{"name": "postdeck authors"}]
    assert "Programming Language :: Python :: 3.11" in project["classifiers"]


def test_browser_testing_is_its_own_extra() -> None:
    extras = pyproject()["project"]["optional-dependencies"]
    assert not any(d.startswith("playwright") for d in extras["test"])
    assert any(d.startswith("playwright") for d in extras["browser"])


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # The test extra brings setuptools>=77, the build requirement; no download, no isolation.
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(out), str(ROOT)], check=True, capture_output=True, timeout=600)
    return next(out.glob("postdeck-*.whl"))


def test_the_wheel_ships_fonts_and_templates_but_no_developer_scripts(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert not [n for n in names if "/tools/" in n], "fonts/tools/ is for developers"
    assert "postdeck/fonts/Inter-Regular.otf" in names and "postdeck/templates/default.yaml" in names
    assert "postdeck/__main__.py" in names


def test_the_wheel_metadata_names_licence_version_and_authors(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as z:
        meta_name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        meta = Parser().parsestr(z.read(meta_name).decode("utf-8"))
        assert any(n.endswith(".dist-info/licenses/LICENSE") for n in z.namelist())
    assert meta["Version"] == postdeck.__version__
    assert meta["License-Expression"] == "MIT"
    assert meta["Author"] == "postdeck authors"
    assert "Operating System :: OS Independent" in meta.get_all("Classifier")
