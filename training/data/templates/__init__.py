"""Natively written sentence templates per language (see `training.data.compose` for the syntax).

Each language module defines ``PROSE`` (theme -> templates; themes starting with ``neg`` carry no
labeled slot) and ``FRAME`` (channel furniture: chat openers, email greetings and sign-offs, subjects,
form field names, issue titles).
"""

from __future__ import annotations

from types import ModuleType

from training.data.templates import de, en, fr, ja, zh

__all__ = ["LANG_MODULES"]

LANG_MODULES: dict[str, ModuleType] = {"en": en, "de": de, "fr": fr, "ja": ja, "zh": zh}
