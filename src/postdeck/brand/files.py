"""Where brand templates live: ./templates/ first, then postdeck's built-in ones (installed as
the postdeck.templates package, with fonts beside them); finding one by name, listing them,
telling the built-in sample brands apart, and scaffolding a new one for ``postdeck init``."""

from __future__ import annotations

import re
import shutil
from importlib.resources import files
from pathlib import Path

from postdeck.errors import TemplateError


def packaged_templates() -> Path:
    return Path(str(files("postdeck.templates")))


def is_sample(template: str | Path, cwd: Path | None = None) -> bool:
    """Whether a template (a file, or a name or path as -t takes it) is a built-in sample brand:
    one of the packaged templates, or a byte-identical copy of one (the checkout's templates/
    folder, run from the repository). A template that cannot be found is no sample."""
    try:
        path = template if isinstance(template, Path) else resolve_template(template, cwd)
    except TemplateError:
        return False
    packaged = packaged_templates() / path.name
    try:
        return packaged.is_file() and packaged.read_bytes() == path.read_bytes()
    except OSError:
        return False


def bundled_fonts() -> Path:
    # fonts/ sits beside templates/ both in the checkout and in an installed package.
    return packaged_templates().parent / "fonts"


def resolve_template(name_or_path: str, cwd: Path | None = None) -> Path:
    """A template file from a path, or a name looked up in ./templates/ then the built-ins."""
    cwd = cwd or Path.cwd()
    if name_or_path.endswith((".yaml", ".yml")) or "/" in name_or_path:
        path = cwd / name_or_path
        if not path.is_file():
            raise TemplateError(f"{name_or_path}: template file not found; check the path")
        return path
    for folder in (cwd / "templates", packaged_templates()):
        path = folder / f"{name_or_path}.yaml"
        if path.is_file():
            return path
        # 'Clinic' means clinic.yaml, unless the folder has two names that differ only in case.
        same = [p for p in folder.glob("*.yaml") if p.stem.casefold() == name_or_path.casefold()]
        if len(same) == 1:
            return same[0]
    names = ", ".join(n for n, _ in list_templates(cwd))
    raise TemplateError(
        f"template '{name_or_path}' not found in ./templates/ or the built-in templates ({names}); "
        "run 'postdeck templates' to list them or 'postdeck init NAME' to make one"
    )


def list_templates(cwd: Path | None = None) -> list[tuple[str, Path]]:
    """(name, file) of every template: ./templates/ first, then built-ins it does not shadow."""
    cwd = cwd or Path.cwd()
    found: dict[str, Path] = {}
    for folder in (cwd / "templates", packaged_templates()):
        if folder.is_dir():
            for path in sorted(folder.glob("*.yaml")):
                found.setdefault(path.stem, path)
    return sorted(found.items())


def scaffold_template(name: str, cwd: Path) -> Path:
    """Write ./templates/NAME.yaml (commented, valid as is) and its logo; never overwrite."""
    if not re.match(r"^[a-z0-9][a-z0-9_-]*$", name):
        raise TemplateError(f"template name {name!r}: use lower-case letters, digits, '-' and '_'")
    path = cwd / "templates" / f"{name}.yaml"
    if path.exists():
        raise TemplateError(f"{shown_path(path, cwd)}: already exists; edit it, or pick another name")
    built_in = packaged_templates()
    text = (built_in / "assets" / "scaffold.yaml.in").read_text(encoding="utf-8")
    logo = path.parent / "assets" / f"{name}-logo.png"
    logo.parent.mkdir(parents=True, exist_ok=True)
    if not logo.exists():
        shutil.copyfile(built_in / "assets" / "default-logo.png", logo)
    path.write_text(text.format(name=name, title=name.replace("-", " ").title()), encoding="utf-8")
    return Path(shown_path(path, cwd))


def shown_path(path: Path, cwd: Path) -> str:
    try:
        return str(path.resolve().relative_to(cwd.resolve()))
    except ValueError:
        return str(path)
