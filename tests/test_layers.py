"""The package layout is the pipeline: imports go one way, at the top of the file, no cycles.

    cli -> build | publish -> deck -> cards -> text | readers -> brand -> model, errors, fonttables
    -> usercache

A module may import its own package and any stage below its own; stages on one level (build and
publish, text and readers) do not import each other, and nothing imports cli. Only cli imports
click, and only cli imports lazily (inside functions, to keep ``--help`` fast): anywhere else a
hidden import is a hidden dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "postdeck"
LEVEL = {"__main__": 8, "cli": 7, "build": 6, "publish": 6, "deck": 5, "cards": 4, "text": 3, "readers": 3,
         "brand": 2, "model": 1, "errors": 1, "fonttables": 1, "usercache": 0, "": 0}


def modules() -> dict[str, Path]:
    found = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        name = ".".join(("postdeck", *parts))
        found[name.removesuffix(".__init__")] = path
    return found


def stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def imports(path: Path) -> list[tuple[str, bool]]:
    """(imported module, at the top of the file) for every import in a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            found += [(n, id(node) in top) for n in names]
        elif isinstance(node, ast.Import):
            found += [(a.name, id(node) in top) for a in node.names]
    return found


def graph() -> dict[str, set[str]]:
    """Module -> the postdeck modules it imports at the top of the file."""
    mods = modules()
    return {name: {m for m, at_top in imports(path) if at_top and m in mods and m != name}
            for name, path in mods.items()}


@pytest.mark.parametrize("name", sorted(modules()))
def test_imports_follow_the_pipeline(name: str) -> None:
    mods = modules()
    own = stage(name)
    for imported, at_top in imports(mods[name]):
        if imported.split(".")[0] == "click":
            assert own == "cli", f"{name} imports click: only cli/ may"
        if imported not in mods:
            continue
        if own != "cli":
            assert at_top, f"{name} imports {imported} inside a function: move it to the top"
        other = stage(imported)
        if other == own or other == "":
            continue
        assert LEVEL[other] < LEVEL[own], f"{name} ({own}) must not import {imported} ({other})"


def test_no_import_cycles() -> None:
    edges = graph()
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            cycle = path[path.index(name):] + [name]
            pytest.fail("import cycle: " + " -> ".join(cycle))
        if name in done:
            return
        for imported in sorted(edges[name]):
            visit(imported, [*path, name])
        done.add(name)

    for name in sorted(edges):
        visit(name, [])


def test_every_stage_package_says_what_enters_and_leaves() -> None:
    for package in ("readers", "text", "brand", "cards", "deck", "publish", "cli"):
        doc = ast.get_docstring(ast.parse((SRC / package / "__init__.py").read_text(encoding="utf-8")))
        assert doc and len(doc.split()) > 15, f"{package}/__init__.py needs a docstring on what enters and leaves"
