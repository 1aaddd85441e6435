"""Every page in Traditional Chinese: no English UI string left, and ?lang= survives page changes.

Data values (quotes in English, publishers, source titles, proper nouns) legitimately stay in
their original language, so the check is on the UI: no English value of the string catalogue may
appear on a zh-Hant page, and every widget label is Chinese.
"""
import re

import pytest

from tests.apptest import all_text, run_app, run_page
from tests.conftest import PAGES
from ui.i18n import catalogue

CJK = re.compile(r"[\u4e00-\u9fff]")
# Catalogue entries whose English text is also legitimate data or a proper noun on a zh page.
ALLOWED_ENGLISH = {"lang.en", "map.programme.osm", "app.title"}
ALLOWED_PREFIXES = ("map.operator.", "progress.edition.")  # organisation and publication names


def _english_ui_strings() -> list[str]:
    out = []
    for key, texts in catalogue().items():
        en = texts.get("en") or ""
        if key in ALLOWED_ENGLISH or key.startswith(ALLOWED_PREFIXES) or en == texts.get("zh-Hant"):
            continue
        # Fixed text around placeholders: the longest literal run of a formatted string.
        parts = [p.strip() for p in re.split(r"\{[^}]*\}", en)]
        longest = max(parts, key=len, default="")
        # Three words or more: shorter phrases ("exact location") also occur inside quotes.
        if len(longest.split()) >= 3 and re.search("[A-Za-z]{3,}", longest):
            out.append(longest)
    return out


ENGLISH = _english_ui_strings()


def _widget_labels(at) -> list[str]:
    labels = []
    for kind in ("selectbox", "multiselect", "radio", "checkbox", "toggle", "slider", "number_input", "text_input", "date_input", "button"):
        labels.extend(str(w.label) for w in getattr(at, kind))
    return [label for label in labels if label.strip()]


@pytest.mark.parametrize("page", [p.stem for p in PAGES])
def test_page_in_chinese_shows_no_english_ui_string(page):
    at = run_page(page, lang="zh-Hant")
    assert not at.exception
    text = all_text(at)
    leaked = [s for s in ENGLISH if s in text]
    assert leaked == []
    english_labels = [label for label in _widget_labels(at) if not CJK.search(label)]
    assert english_labels == []


def test_catalogue_check_would_catch_an_english_page():
    # The check above is only worth something if English pages trip it.
    at = run_page("progress", lang="en")
    assert any(s in all_text(at) for s in ENGLISH)


@pytest.mark.parametrize("target", ["map", "data"])
def test_language_parameter_survives_page_switch(target):
    at = run_app(lang="zh-Hant")
    assert at.query_params["lang"] == ["zh-Hant"] or at.query_params["lang"] == "zh-Hant"
    at.switch_page(f"pages/{target}.py").run()
    assert not at.exception
    assert "zh-Hant" in str(at.query_params.get("lang"))
    assert CJK.search(at.title[0].value)


def test_switching_back_to_english_rewrites_the_parameter():
    at = run_app(lang="zh-Hant")
    at.selectbox(key="lang_choice").select("en").run()
    assert not at.exception
    assert str(at.query_params.get("lang")) in ("en", "['en']")
    assert not CJK.search(at.title[0].value)
