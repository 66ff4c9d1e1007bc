"""Characters a reader cannot see or cannot tell apart, found before any text is checked or published.

Text is normalised (NFC: a letter and its combining accent become the one letter) as it is
loaded, so the lints and the pages see the same characters. What normalising cannot make safe is
refused, with the character named:

- format characters (Unicode category Cf: zero-width space, soft hyphen, bidirectional overrides,
  word joiners, a byte-order mark inside the text): invisible on the page, they split a word the
  lints look for ("safe" with a soft hyphen inside) or reverse the text a reader sees;
- a word mixing Latin, Cyrillic and Greek letters ("Cellex" with a Cyrillic "е"): it looks like
  the word but matches nothing, neither search, nor a lint, nor a slug.
"""

from __future__ import annotations

import re
import unicodedata

# Scripts whose letters look alike; a word mixing two of them is a look-alike, not a word.
# (Other scripts mix legitimately: Japanese writes kanji and kana in one word.)
CONFUSABLE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")
_WORD = re.compile(r"\w+")
_WRITTEN = re.compile(r"\S+")  # a word as written, punctuation and invisible characters included
_FORMAT_CANDIDATE = re.compile(r"[^\x00-\x7f]")  # every format character is outside ASCII


def normalise(text: str) -> str:
    """The text as it is checked and published: NFC (a letter with its accent is one character)."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def script_of(letter: str) -> str:
    """`LATIN`, `CYRILLIC`, `GREEK`, ... from the character's Unicode name ("" when it has none)."""
    return unicodedata.name(letter, "").split(" ", 1)[0]


def describe(character: str) -> str:
    """`a Cyrillic 'с' (U+0441)` for a letter, `a soft hyphen (U+00AD)` for any other character."""
    code = f"U+{ord(character):04X}"
    if unicodedata.category(character).startswith("L"):
        return f"a {script_of(character).capitalize()} {character!r} ({code})"
    return f"a {unicodedata.name(character, 'format character').lower()} ({code})"


def character_problem(text: str) -> tuple[int, str] | None:
    """(index, `what is wrong (what to do)`) of the first invisible or look-alike character in `text`, or None."""
    if text.isascii():
        return None
    for match in _FORMAT_CANDIDATE.finditer(text):
        if unicodedata.category(match.group()) == "Cf":
            around = next((w.group() for w in _WRITTEN.finditer(text) if w.start() <= match.start() < w.end()), match.group())
            return match.start(), f"{around!r} contains {describe(match.group())}, invisible on the page (delete it: retype the word)"
    for word in _WORD.finditer(text):
        if (odd := _odd_letter(word.group())) is not None:
            letter = word.group()[odd]
            main = _main_script(word.group()).capitalize()
            message = f"{word.group()!r} contains {describe(letter)} among {main} letters (retype the word in {main} letters)"
            return word.start() + odd, message
    return None


def _odd_letter(word: str) -> int | None:
    """Index of the first letter of `word` in a different look-alike script from the word's main one, or None."""
    if word.isascii():
        return None
    scripts = [script_of(c) if c.isalpha() else "" for c in word]
    used = {s for s in scripts if s in CONFUSABLE_SCRIPTS}
    if len(used) < 2:
        return None
    main = _main_script(word)
    return next(i for i, s in enumerate(scripts) if s in used and s != main)


def _main_script(word: str) -> str:
    """The look-alike script most of the word's letters are in (Latin on a tie: the site is in English)."""
    scripts = [script_of(c) for c in word if c.isalpha() and script_of(c) in CONFUSABLE_SCRIPTS]
    return max(CONFUSABLE_SCRIPTS, key=lambda s: (scripts.count(s), s == "LATIN"))


def non_ascii_letter(text: str) -> str | None:
    """`a Cyrillic 'с' (U+0441)` for the first character of `text` outside ASCII, or None: what a slug cannot hold."""
    found = _FORMAT_CANDIDATE.search(text)
    return describe(found.group()) if found else None
