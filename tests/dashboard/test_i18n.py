"""Texts exist in both languages; numbers are formatted the Dutch or the English way."""

import pytest

from dashboard import i18n


def test_every_text_key_has_a_dutch_and_an_english_text_that_differ_somewhere():
    texts = {key: (i18n.text(key, "nl"), i18n.text(key, "en")) for key in i18n.keys()}
    assert all(nl and en for nl, en in texts.values())
    assert sum(nl != en for nl, en in texts.values()) > len(texts) * 0.8


@pytest.mark.parametrize(("value", "decimals", "nl", "en"), [
    (1234.5, 1, "1.234,5", "1,234.5"),
    (118000, 0, "118.000", "118,000"),
    (20.7, 2, "20,70", "20.70"),
    (-0.25, 2, "-0,25", "-0.25"),
])
def test_numbers_use_the_languages_decimal_mark_and_thousands_separator(value, decimals, nl, en):
    assert i18n.format_number(value, "nl", decimals) == nl
    assert i18n.format_number(value, "en", decimals) == en


def test_a_missing_value_is_formatted_as_an_empty_string_not_as_zero():
    assert i18n.format_number(None, "nl") == ""
    assert i18n.format_number(float("nan"), "en") == ""


def test_an_unknown_text_key_names_the_key_and_the_language():
    with pytest.raises(i18n.TranslationError, match="'en' text for 'no.such.key'"):
        i18n.text("no.such.key", "en")


def test_a_translation_with_only_one_language_is_refused(tmp_path):
    broken = tmp_path / "translations.toml"
    broken.write_text('version = 1\n[a]\nb = { nl = "alleen Nederlands" }\n', "utf-8")
    with pytest.raises(i18n.TranslationError, match="a.b needs exactly nl, en"):
        i18n._texts(broken)


def test_a_key_defined_in_two_translation_files_is_refused(tmp_path, monkeypatch):
    (tmp_path / "clash.toml").write_text('[site]\nname = { nl = "x", en = "y" }\n', "utf-8")
    monkeypatch.setattr(i18n, "PAGE_TRANSLATIONS", tmp_path)
    i18n._all_texts.cache_clear()
    try:
        with pytest.raises(i18n.TranslationError, match="clash.toml: site.name is already defined"):
            i18n.text("site.name", "nl")
    finally:
        i18n._all_texts.cache_clear()


def test_a_breakdown_is_put_in_words_part_by_part_and_an_unknown_part_is_shown_as_published():
    assert i18n.breakdown_text("adjustment=sa;ownership=private", "nl") == "seizoengecorrigeerd, particuliere bedrijven"
    assert i18n.breakdown_text("cause=kwantitatief;evidence=top5_by_cause", "en") == (
        "cause: quantitative (too few candidates), top 5 by cause (press)")
    assert i18n.breakdown_text("occupation_group=directeurs van grote ondernemingen", "en") == (
        "occupation_group=directeurs van grote ondernemingen")
    assert i18n.breakdown_text("", "nl") == ""
