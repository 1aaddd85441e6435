"""Smoke tests: every page, run on its own and through app.py, renders without an exception and
shows its title from the string catalogue; app.py shows the footer; and a broken figures.yaml
gives every page a warning naming the file instead of a crash.

Only what every page shows from day one is asserted (title, footer, problems warning); page
content has its own tests. A page's title is its navigation label t("nav.<page>") or, once the
page is built, its own t("<page>.title"). A page that declares the files it reads (a module-level
FILES tuple) warns only about those, so the figures.yaml warning is required where the page reads
figures.yaml or declares nothing.
"""
from __future__ import annotations

import ast

import pytest

from loaders.datasets import load_all
from tests.apptest import run_app, run_page
from tests.conftest import PAGES
from ui.i18n import LANGS, catalogue, t

PAGE_NAMES = [p.stem for p in PAGES]


def titles(name: str, lang: str = "en") -> set[str]:
    """The acceptable titles of a page: its nav label, and its own title string if it has one."""
    keys = [f"nav.{name}"] + ([f"{name}.title"] if f"{name}.title" in catalogue() else [])
    return {t(k, lang) for k in keys}


UNKNOWN = ("?",)


def declared_files(name: str) -> tuple[str, ...] | None:
    """The page's module-level FILES tuple (read from the source, not executed); None when the
    page declares none (it warns about every file); UNKNOWN when FILES is not a plain literal."""
    tree = ast.parse((PAGES[PAGE_NAMES.index(name)]).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(tg, ast.Name) and tg.id == "FILES" for tg in node.targets):
            try:
                return tuple(ast.literal_eval(node.value))
            except ValueError:
                return UNKNOWN
    return None


def _texts(elements) -> list[str]:
    return [str(e.value) for e in elements]


def _unescaped(text: str) -> str:
    """Warning bodies are Markdown with data escaped (figures\\.yaml); compare without the escapes."""
    return text.replace("\\", "")


def _assert_rendered(at, expected: set[str]) -> None:
    assert not at.exception, "\n".join(str(e.value) for e in at.exception)
    assert expected & set(_texts(at.title)), f"none of {expected} in the titles {_texts(at.title)}"


def test_every_page_is_covered():
    assert PAGE_NAMES, "no pages found"
    for name in PAGE_NAMES:
        assert not t(f"nav.{name}").startswith("⟦"), f"nav.{name} is missing from the string catalogue"


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_renders_alone(name: str):
    at = run_page(name)
    _assert_rendered(at, titles(name))


@pytest.mark.parametrize("lang", LANGS)
def test_app_renders_with_footer(lang: str):
    at = run_app(lang=lang)
    _assert_rendered(at, titles("progress", lang))  # the default page
    captions = _texts(at.caption)
    n_sources = len(load_all()["sources"])
    assert t("footer.licence", lang) in captions
    assert t("footer.sources", lang, n=n_sources) in captions


@pytest.fixture
def broken_figures(data_copy):
    """figures.yaml made unreadable (an unclosed quote): no figure loads at all."""
    path = data_copy / "figures.yaml"
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n"
    text += '- id: broken-figure\n  quote: "this quote is never closed\n'
    path.write_text(text, encoding="utf-8")
    problems = [p for p in load_all(data_copy).problems if p.file == "figures.yaml"]
    assert problems, "the fixture did not break figures.yaml"
    return data_copy


def _assert_warns_about_figures(at) -> None:
    warnings = [_unescaped(w) for w in _texts(at.warning)]
    assert any("figures.yaml" in w for w in warnings), warnings


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_survives_broken_figures(name: str, broken_figures):
    at = run_page(name)
    _assert_rendered(at, titles(name))
    files = declared_files(name)
    if files is None or "figures.yaml" in files:
        _assert_warns_about_figures(at)


def test_app_survives_broken_figures(broken_figures):
    at = run_app()
    _assert_rendered(at, titles("progress"))
    _assert_warns_about_figures(at)
    assert t("footer.licence") in _texts(at.caption)
