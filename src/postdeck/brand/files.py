"""Where brand templates live: ./templates/ first, then the user's own folder
(~/.config/postdeck/templates/, or under $XDG_CONFIG_HOME), then postdeck's built-in ones
(installed as the postdeck.templates package, with fonts beside them); finding one by name,
listing them, telling the built-in sample brands apart, scaffolding a new one for
``postdeck init``, and the reference a deck keeps to its template (found from any folder)."""

from __future__ import annotations

import difflib
import os
import re
import shutil
from importlib.util import find_spec
from pathlib import Path

from postdeck.errors import TemplateError


def packaged_templates() -> Path:
    return package_folder("postdeck.templates")


def package_folder(name: str) -> Path:
    """The folder of a data package (templates, fonts) as installed, also where an editable
    install maps it; importlib.find_spec finds it without importlib.resources (~5 ms of imports:
    zipfile, bz2, lzma)."""
    spec = find_spec(name)
    assert spec is not None and spec.submodule_search_locations, name
    return Path(next(iter(spec.submodule_search_locations)))


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


def user_templates() -> Path:
    """The user's own templates, found from any folder: $XDG_CONFIG_HOME/postdeck/templates,
    by default ~/.config/postdeck/templates."""
    config = os.environ.get("XDG_CONFIG_HOME", "")
    base = Path(config) if config and Path(config).is_absolute() else Path.home() / ".config"  # the XDG rule
    return base / "postdeck" / "templates"


def template_folders(cwd: Path) -> tuple[Path, ...]:
    """Where a template name is looked up, in order."""
    return (cwd / "templates", user_templates(), packaged_templates())


def is_path(name_or_path: str) -> bool:
    return name_or_path.endswith((".yaml", ".yml")) or "/" in name_or_path or "\\" in name_or_path


def is_file(path: Path) -> bool:
    """``path.is_file()``, False for a name too long for the file system (ENAMETOOLONG raises)."""
    try:
        return path.is_file()
    except OSError:
        return False


def resolve_template(name_or_path: str, cwd: Path | None = None) -> Path:
    """A template file from a path, or a name looked up in ./templates/, the user's folder, then
    the built-ins."""
    cwd = cwd or Path.cwd()
    if is_path(name_or_path):
        path = cwd / name_or_path
        if not is_file(path):
            raise TemplateError(f"{name_or_path[:200]}: template file not found; check the path")
        return path
    for folder in template_folders(cwd):
        path = folder / f"{name_or_path}.yaml"
        if is_file(path):
            return path
        # 'Clinic' means clinic.yaml, unless the folder has two names that differ only in case.
        same = [p for p in folder.glob("*.yaml") if p.stem.casefold() == name_or_path.casefold()]
        if len(same) == 1:
            return same[0]
    names = [n for n, _ in list_templates(cwd)]
    close = difflib.get_close_matches(name_or_path, names, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise TemplateError(
        f"template '{name_or_path[:60]}' not found in ./templates/, {shown_path(user_templates(), cwd)}/ or the "
        f"built-in templates; {hint}known: {', '.join(names)}; run 'postdeck templates' to list them or "
        "'postdeck init NAME' to make one"
    )


def list_templates(cwd: Path | None = None) -> list[tuple[str, Path]]:
    """(name, file) of every template: ./templates/ first, then the user's folder, then the
    built-ins; a name found earlier shadows the later ones."""
    cwd = cwd or Path.cwd()
    found: dict[str, Path] = {}
    for folder in template_folders(cwd):
        if folder.is_dir():
            for path in sorted(folder.glob("*.yaml")):
                found.setdefault(path.stem, path)
    return sorted(found.items())


def scaffold_template(name: str, cwd: Path) -> Path:
    """Write ./templates/NAME.yaml (commented, valid as is) and its logo; never overwrite.
    Inside a checkout of postdeck, ./templates/ holds the built-in templates: the new one goes
    to the user's folder instead (found by name from any folder)."""
    if not re.match(r"^[a-z0-9][a-z0-9_-]*$", name):
        raise TemplateError(f"template name {name!r}: use lower-case letters, digits, '-' and '_'")
    folder = user_templates() if is_postdeck_source(cwd / "templates") else cwd / "templates"
    path = folder / f"{name}.yaml"
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


def is_postdeck_source(folder: Path) -> bool:
    """Whether ``folder`` is postdeck's own templates package (a checkout's templates/, or the
    installed one), which a user's template must never be written into."""
    try:
        return (folder / "__init__.py").is_file() or folder.resolve() == packaged_templates().resolve()
    except OSError:
        return False


def is_built_in(path: Path) -> bool:
    """A packaged template, or a byte-identical copy of one (a checkout's templates/)."""
    return path.parent.resolve() == packaged_templates().resolve() or is_sample(path)


def shown_path(path: Path, cwd: Path) -> str:
    """A path as short as it can be said: relative to ``cwd`` when inside it, else from ~."""
    try:
        return str(path.resolve().relative_to(cwd.resolve()))
    except ValueError:
        pass
    try:
        return str(Path("~") / path.resolve().relative_to(Path.home().resolve()))
    except (ValueError, RuntimeError):  # RuntimeError: no home folder known
        return str(path)


# --- the template a deck was built with, found from any folder ---------------------------------


def template_reference(template: str, deck_folder: Path, cwd: Path | None = None) -> str:
    """What deck.yaml records for ``template`` (a name or a path as -t takes it from ``cwd``):
    a built-in or user-folder template by name (found from anywhere), any other by its path
    relative to the deck folder, so 'postdeck render DECK' finds it from any folder."""
    cwd = cwd or Path.cwd()
    try:
        path = resolve_template(template, cwd)
    except TemplateError:
        return template  # reported when it is loaded
    if is_built_in(path) or path.parent.resolve() == user_templates().resolve():
        return path.stem
    return Path(os.path.relpath(path.resolve(), (cwd / deck_folder).resolve())).as_posix()


def deck_template(recorded: str, deck_folder: Path) -> str:
    """The template a deck records, as a name or path usable from the current folder: a path is
    relative to the deck folder; a name is looked up first in the deck's project (the templates/
    beside its output folder), then where every name is."""
    if is_path(recorded):
        return recorded if Path(recorded).is_absolute() else os.path.normpath(deck_folder / recorded)
    project = deck_folder.absolute().parent.parent / "templates" / f"{recorded}.yaml"
    if is_file(project) and not is_postdeck_source(project.parent):
        try:
            return str(project.relative_to(Path.cwd()))
        except ValueError:
            return str(project)
    return recorded
