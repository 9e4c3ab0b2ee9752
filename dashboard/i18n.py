"""Dutch and English text from the versioned translations file, and numbers formatted per language."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

TRANSLATIONS_FILE = Path(__file__).with_name("translations.toml")
# Each page keeps its own texts beside its module (pages/<name>.toml); keys must not repeat across files.
PAGE_TRANSLATIONS = Path(__file__).with_name("pages")
LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
# Plotly's `separators`: decimal mark first, then the thousands separator.
PLOTLY_SEPARATORS = {"nl": ",.", "en": ".,"}


class TranslationError(KeyError):
    """A text key that the translations file lacks in one of the languages."""


@cache
def _all_texts() -> dict[str, dict[str, str]]:
    """The shared texts plus every page's own file."""
    texts = dict(_texts(TRANSLATIONS_FILE))
    for path in sorted(PAGE_TRANSLATIONS.glob("*.toml")):
        for key, value in _texts(path).items():
            if key in texts:
                raise TranslationError(f"{path.name}: {key} is already defined in another translations file")
            texts[key] = value
    return texts


def _texts(path: Path) -> dict[str, dict[str, str]]:
    document = tomllib.loads(Path(path).read_text("utf-8"))
    texts: dict[str, dict[str, str]] = {}

    def walk(prefix: str, table: dict) -> None:
        for key, value in table.items():
            if isinstance(value, dict) and set(value) & set(LANGUAGES):
                if set(value) != set(LANGUAGES):
                    raise TranslationError(f"{path.name}: {prefix}{key} needs exactly {', '.join(LANGUAGES)}")
                texts[f"{prefix}{key}"] = value
            elif isinstance(value, dict):
                walk(f"{prefix}{key}.", value)

    walk("", {k: v for k, v in document.items() if k != "version"})
    return texts


def text(key: str, lang: str, **values) -> str:
    """The text for `key` in `lang`, with `{name}` placeholders filled from `values`."""
    texts = _all_texts()
    try:
        template = texts[key][lang]
    except KeyError as exc:
        raise TranslationError(f"no {lang!r} text for {key!r} in {TRANSLATIONS_FILE.name} or pages/*.toml") from exc
    return template.format(**values) if values else template


def text_or(key: str, lang: str, fallback: str) -> str:
    """The text for `key`, or `fallback` (e.g. a code as published) where the translations have none."""
    texts = _all_texts()
    return texts[key][lang] if key in texts else fallback


def breakdown_text(breakdown: str, lang: str) -> str:
    """`adjustment=sa;size=0-10` in words, part by part; a part the translations lack is shown as published."""
    return ", ".join(text_or("breakdown." + part, lang, part) for part in breakdown.split(";") if part)


def keys() -> list[str]:
    return sorted(_all_texts())


def format_number(value: float | None, lang: str, decimals: int = 0) -> str:
    """`1234.5` -> `1.234,5` in Dutch and `1,234.5` in English; a missing value is an empty string."""
    if value is None or value != value:  # NaN is not equal to itself
        return ""
    english = f"{value:,.{decimals}f}"
    if lang == "en":
        return english
    return english.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


UNIT_DECIMALS = {"EUR/hour": 2, "EUR/month": 0, "EUR/year": 0, "ratio": 2, "percent": 1, "per 100 unemployed": 0}


def format_value(value: float | None, unit: str, lang: str) -> str:
    """A value with the decimals its unit deserves (wages in cents, ratios to two places, counts whole)."""
    decimals = UNIT_DECIMALS.get(unit, 0)
    if decimals == 0 and value is not None and value == value and not float(value).is_integer():
        decimals = 1
    return format_number(value, lang, decimals)
