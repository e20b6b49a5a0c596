"""Building many articles: expand folders, build each, collect results."""

from __future__ import annotations

from pathlib import Path

from .errors import ArticleError
from .pipeline import BuildOptions, BuildResult, build_article
from .readers import is_article, supported_suffixes


def expand_articles(paths: list[Path]) -> list[Path]:
    """Files as given, and the article files (by suffix) inside any folder, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file() and is_article(p))
            if not inside:
                raise ArticleError(
                    f"{path}: has no articles ({', '.join(supported_suffixes())}); put one in it"
                )
            found += inside
        else:
            found.append(path)
    return found


def build_all(paths: list[Path], out_dir: Path, *, n_posts: int = 7) -> list[BuildResult]:
    options = BuildOptions(posts=n_posts)
    return [build_article(p, out_dir, options) for p in expand_articles(paths)]
