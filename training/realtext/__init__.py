"""Real text from package registries: fetched, extracted, labelled, split, and mixed into training.

The generator's templates teach the model what leaks look like; this package teaches it what the
harmless text people write every day looks like (man pages, handbooks, help pages, real e-mails,
chat, reviews, UI strings, code), and puts generated sensitive values into real contexts.

- `training.realtext.sources`: which packages, pinned, and how each is fetched (apt, npm, PyPI).
- `training.realtext.extract`: package files → documents of paragraphs.
- `training.realtext.label`: the labelling rules (docs/realtext.md) → harmless, PERSON-labelled or dropped.
- `training.realtext.inject`: generated values of all 12 labels in real paragraphs.
- `training.realtext.build`: the `guard corpus` command: everything above, cached, with a manifest.
"""

from pathlib import Path

#: Downloads, unpacked packages and extracted documents, reused by every build.
DEFAULT_CACHE = Path.home() / ".cache" / "guard" / "realtext"
