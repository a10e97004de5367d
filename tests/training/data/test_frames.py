"""Channel furniture tables are consistent with the slot registry and the languages."""

from __future__ import annotations

from training.data.frames import CONNECTIVES, FENCE_LANG, FORM_FIELDS, SEP, SIG_PHONE
from training.data.structured import STRUCTURED
from training.data.values import SLOTS

LANGS = {"en", "de", "fr", "ja", "zh"}


def test_tables_cover_every_language_and_channel() -> None:
    for table in (FORM_FIELDS, SEP, SIG_PHONE, CONNECTIVES):
        assert set(table) == LANGS
    assert set(FENCE_LANG) == set(STRUCTURED)


def test_form_fields_use_known_slots() -> None:
    for fields in FORM_FIELDS.values():
        assert len(fields) >= 8
        for name, slot in fields:
            assert name and slot.lower() in SLOTS, slot
