"""Interface strings via gettext: catalogs under the content folder, compiled in memory.

Templates are written with English msgids (`{{ _("Objectives") }}`); each other language has
`locales/<lang>/LC_MESSAGES/messages.po`. Dates and numbers are formatted by Babel.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from functools import lru_cache
from pathlib import Path

from babel.core import UnknownLocaleError
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from ..messages import N_

# The mark printed after a missing or stale translation; an English msgid, translated
# through the interface catalog (content/locales/<lang>/LC_MESSAGES/messages.po).
PENDING_MARK = N_("(translation pending)")


# The language the templates' strings are written in: it needs no catalog.
MSGID_LANGUAGE = "en"


def catalog_path(content: Path, lang: str) -> Path:
    return content / "locales" / lang / "LC_MESSAGES" / "messages.po"


def translations(content: Path, lang: str) -> gettext.NullTranslations:
    """Compiled translations for `lang`; English msgids need none."""
    path = catalog_path(content, lang)
    if not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def long_date(value: dt.date | None, lang: str) -> str:
    """A date as people write it in `lang` (27 de noviembre de 2026 / November 27, 2026)."""
    if not value:
        return ""
    try:
        return format_date(value, format="long", locale=lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        # A language Babel has no data for (Aymara, the test pseudo-locale `qps`): adding a
        # language needs no code change, and an ISO date reads the same in every language.
        return value.isoformat()


@lru_cache(maxsize=None)
def pending_mark(content: Path, lang: str) -> str:
    """The pending mark in `lang` ("(traducción pendiente)" in Spanish), from its catalog."""
    return translations(content, lang).gettext(PENDING_MARK)


def language_name(lang: str) -> str:
    """The language's name in itself (Español, English), from Babel's data; its code for a
    language Babel has no data for (Aymara, the pseudo-locale: `check` warns about it)."""
    from babel import Locale

    try:
        return Locale.parse(lang.replace("-", "_")).get_display_name(lang.replace("-", "_")).capitalize()
    except (UnknownLocaleError, ValueError):
        return lang
