"""The string catalogue: every key in both languages, nothing empty, formatting placeholders match."""
import re
import string

import pandas as pd
import pytest
import yaml

from ui import fmt
from ui.i18n import LANGS, STRINGS_DIR, catalogue, normalise_lang, t

# Keys whose value is legitimately empty (an exact figure has no qualifier word).
EMPTY_ALLOWED = {"qualifier.exact", "qualifier.range"}
# Keys whose text is a proper noun, the same in both languages.
PROPER_NOUNS = {"lang.en", "map.programme.osm"}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_both_languages_and_no_empty_value():
    bad = [
        (key, lang)
        for key, texts in catalogue().items()
        for lang in LANGS
        if not isinstance(texts, dict) or (key not in EMPTY_ALLOWED and not str(texts.get(lang) or "").strip())
    ]
    assert bad == []


def test_placeholders_match_between_languages():
    mismatched = [key for key, texts in catalogue().items() if _placeholders(texts["en"]) != _placeholders(texts["zh-Hant"])]
    assert mismatched == []


def test_keys_are_prefixed_by_their_file_area():
    for path in STRINGS_DIR.glob("*.yaml"):
        area = path.stem
        keys = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if area == "common":
            continue
        assert all(k.startswith(f"{area}.") for k in keys), path.name


def test_chinese_values_contain_chinese():
    # A zh-Hant value identical to its English one is an untranslated string (proper nouns excepted).
    def words(text):  # placeholders like {target} are not words
        return re.search("[A-Za-z]{4,}", re.sub(r"\{[^}]*\}", "", text))

    same = [k for k, v in catalogue().items() if v["en"] == v["zh-Hant"] and words(v["en"])]
    assert set(same) <= PROPER_NOUNS


def test_missing_key_shows_itself():
    assert t("no.such.key") == "⟦no.such.key⟧"


@pytest.mark.parametrize("value, expected", [(None, "en"), ("xx", "en"), ("zh-Hant", "zh-Hant"), ("<script>", "en")])
def test_unknown_language_falls_back_to_english(value, expected):
    assert normalise_lang(value) == expected


def test_qualified_numbers_follow_the_locale():
    assert fmt.qualified(5000, "about", "camera", "en") == "about 5,000 cameras"
    assert fmt.qualified(5000, "about", "camera", "zh-Hant") == "約5,000支鏡頭"
    assert fmt.qualified(615, "exact", "set", "en") == "615 sets"
    assert fmt.qualified(2000, "range", "set", "en", value_high=2500) == "2,000–2,500 sets"


def test_dates_are_shown_only_as_precisely_as_published():
    assert fmt.date("2025-07-23", "day", "en") == "23 Jul 2025"
    assert fmt.date("2025-07-01", "month", "en") == "Jul 2025"
    assert fmt.date("2025-07-01", "month", "zh-Hant") == "2025年7月"
    assert fmt.date("2028-01-01", "year", "zh-Hant") == "2028年"
    assert fmt.date("2028-12-31", "year", "zh-Hant") == "2028年底"  # how "by end-2028" is stored
    assert fmt.date("2028-12-31", "year", "en") == "end of 2028"
    assert fmt.date(None, "undated", "en") == "date not published"
    assert fmt.date(pd.NaT, "day", "en") == "not published"


def test_money_is_written_as_officials_state_it():
    assert fmt.money_hkd(4.06e9, "en") == "HK$4.06 billion"
    assert fmt.money_hkd(52e6, "en") == "HK$52 million"
    assert fmt.money_hkd(4.06e9, "zh-Hant") == "40.6億港元"
    assert fmt.money_hkd(52e6, "zh-Hant") == "5,200萬港元"
    assert fmt.money_hkd(1000, "en") == "HK$1,000"  # the published ~HK$1,000 per camera
    assert fmt.money_hkd(1000, "zh-Hant") == "1,000港元"
