"""Proofreading: the rendered text of every public page, as a reader reads it, on the generated Markdown.

Run by `generate` (so the site, the offline bundle, previews and `serve` all get it) and by
`make check`. It finds what no single content value shows, because a template joined it to
something else, and what a page says in total:

- **doubled punctuation** ("children..", "dose. .", ",."), an ellipsis aside;
- **a sentence said twice** on one page (the key safety box, which repeats its sections by design, aside);
- **a cross-reference that reads as nothing on paper** ("see section.", "see below.");
- **number**: "Sources compared:" before one source, and "the sources" on a page with one source;
- **words meant for editors** (`editor_words` in `content/lint-phrases.yaml`);
- **template syntax that reached the page** ("{# ... #}", "{{ ... }}", "{% ... %}": a comment or tag
  written in the wrong delimiters; the templates' comments are `{## ##}`, as `{#id}` is a heading's anchor).

Each finding is reported at the content file and line that produced the text: the value whose words
come right before the problem, on the page's own content file, a hand-written page, or, on a
listing, any entity's file. Text only a template wrote is reported at the generated page's line
(`drugs/ceraxon.md:57: (template text): ...`): fix the template.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from generator.content.catalogue import Catalogue, HandwrittenPage
from generator.content.lint import Finding, Phrases, locate, phrases
from generator.content.load import read_text
from generator.content.yaml_source import format_location, parse_yaml
from generator.pages.render import RenderedSite, view_path
from generator.pages.search_entries import plain_text

# Two marks in a row, with at most a space between: "..", ". .", ",.", ";." — an ellipsis ("...") and
# "e.g.," are not doubled.
_DOUBLED = re.compile(r"(?<!\.)(?:[.,;:] ?[.,;]|[!?] ?\.)(?!\.)")  # a question or exclamation may go on: "Why?; How?"
# An autolink (<https://...>) is text, not a tag: plain_text would drop it with the tags.
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|etc|approx|vs|cf)$", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"“(A-Z0-9])")
_XREF = re.compile(r"\bsee (?:the |this )?(?:section|above|below|here)(?=\s*(?:[.;,)]|$))", re.I)
# Jinja syntax a reader must never see; a heading's anchor (`{#id}`) has no space after "{#".
_TEMPLATE_SYNTAX = re.compile(r"\{[{%]|[}%]\}|\{#\s|\s#\}")
_THE_SOURCES = re.compile(r"\bthe sources\b", re.I)
_COMPARED = "Sources compared:"
_WORD = re.compile(r"[\w'’-]+")
# A sentence this short ("Not stated.", "See aftercare.") may stand twice on a page.
REPEAT_MIN_WORDS = 6
# Labelled items ("Source: ...", "When: ...", "Editorial note: ...") and table cells are not sentences a
# reader reads twice: citations and labels repeat by design. Only prose that ends a sentence counts.
_LABELLED = re.compile(r"^[\w ()'’-]{1,30}:\s")
_PROSE_END = re.compile(r"[.!?][\"”)]?$")
_KEY_SAFETY_START = '<div class="key-safety">'
_TABLE_ROW = re.compile(r"^\s*(?:\||<t[dhr]\b)")


@dataclass
class _Origin:
    """Where a page's text may come from: content files, each parsed only when a finding needs a line."""

    files: list[tuple[str, Path]]  # (as problems name it, on disk)
    sources: int | None  # how many sources the page's entity has; None for a page that is no entity's
    page: HandwrittenPage | None = None

    @cached_property
    def documents(self) -> list[tuple[str, str, object]]:
        parsed = []
        for shown, path in self.files:
            text = read_text(path)
            parsed.append((shown, text, parse_yaml(text).data))
        return parsed

    def locate(self, words: list[str]) -> tuple[str, int, str] | None:
        """The content file, line and field whose text has `words` in a row (any spacing or punctuation between)."""
        if not words:
            return None
        pattern = re.compile(r"(?<!\w)" + r"\W+".join(re.escape(word) for word in words) + r"(?!\w)", re.I)
        if self.page:
            for number, line in enumerate(self.page.body.splitlines(), start=self.page.body_line):
                if pattern.search(plain_text(line)):
                    return self.page.shown_path, number, "(body)"
        for shown, text, data in self.documents:
            found = locate(text, data, pattern)
            if found:
                loc, line = found
                return shown, line, format_location(loc)
        return None


def proofread(catalogue: Catalogue, site: RenderedSite) -> list[Finding]:
    """Every proofreading finding on the rendered pages (all errors), sorted by file and line."""
    words = phrases()
    origins = _origins(catalogue)
    everyone = _Origin([catalogue.files[id(entity)] for entity in catalogue.all()], None)
    findings: set[Finding] = set()
    for path, markdown in site.pages.items():
        origin = origins.get(path, everyone)
        findings.update(_page_findings(path, markdown, origin, words, listing=origin is everyone))
    return sorted(findings)


def _origins(catalogue: Catalogue) -> dict[str, _Origin]:
    """Each entity page (and its further views) and hand-written page, with the files its text comes from."""
    origins: dict[str, _Origin] = {}
    for entity in catalogue.all():
        origin = _Origin([catalogue.files[id(entity)]], len(entity.sources))
        path = catalogue.path_of(entity)
        origins[path] = origin
        for view in type(entity).views:
            origins[view_path(path, view)] = origin
    for page in catalogue.pages:
        origins[page.path] = _Origin([], None, page)
    return origins


def _page_findings(path: str, markdown: str, origin: _Origin, words: Phrases, listing: bool) -> Iterator[Finding]:
    """The findings on one page; on a `listing` (rows of other pages' facts, alike by design) repeats are not looked for."""
    seen: dict[str, int] = {}
    in_box = listing
    for number, line in _body_lines(markdown):
        if _KEY_SAFETY_START in line:
            in_box = True
        text = plain_text(_AUTOLINK.sub(r"\1", line))
        if leaked := _TEMPLATE_SYNTAX.search(line):  # on the line as written: the plain text may have lost it
            problem = f"template syntax {leaked.group().strip()!r} reached the page (expected the template's comments as {{## ##}}, its tags closed)"
            yield Finding(path, number, "(template text)", "error", problem)
        if text:
            for problem, end in _line_problems(line, text, origin, words):
                yield _report(path, number, origin, text[:end], problem)
            if not in_box and not _TABLE_ROW.match(line):
                for sentence in _SENTENCE.split(text):
                    key = " ".join(_WORD.findall(sentence.casefold()))
                    if len(key.split()) < REPEAT_MIN_WORDS or _LABELLED.match(sentence) or not _PROSE_END.search(sentence):
                        continue
                    if key in seen:
                        problem = f"the sentence {_quote(sentence)} is said twice on this page (expected it once: remove one, or reword it)"
                        yield _report(path, number, origin, sentence, problem)
                    seen.setdefault(key, number)
        if in_box and not listing and line.strip() == "</div>":
            in_box = False


def _line_problems(line: str, text: str, origin: _Origin, words: Phrases) -> Iterator[tuple[str, int]]:
    """(what is wrong, where in `text` it ends) for one line of the page: the words up to there place it."""
    for match in _DOUBLED.finditer(text):
        if not _ABBREVIATION.search(text[: match.start() + 1].rstrip(".")) or match.group() == "..":
            context = text[max(0, match.start() - 40) : match.end()]
            yield (
                f"doubled punctuation {match.group()!r} in {_quote(context)} (expected one mark: remove it from the text, or the page adds its own)",
                match.end(),
            )
    for match in _XREF.finditer(text):
        yield (
            f"cross-reference {match.group()!r} names nothing a reader can find on paper (expected the section's name, e.g. 'see \"Dosage\" below')",
            match.end(),
        )
    if origin.sources == 1:
        for match in _THE_SOURCES.finditer(text):
            yield f"{match.group()!r} on a page with one source (expected 'the source', with the verb in the singular)", match.end()
    if _COMPARED in line and line.split(_COMPARED, 1)[1].count("](") == 1:
        yield f"{_COMPARED!r} before one source (expected 'Source:')", text.find(_COMPARED) + len(_COMPARED)
    for phrase, pattern in words.editor_words.candidates(text):
        for match in pattern.finditer(text):
            yield f"words meant for editors, not readers: {phrase!r} (expected what a reader needs to know)", match.end()


def _report(path: str, number: int, origin: _Origin, before: str, problem: str) -> Finding:
    """The finding at the content value whose words lead up to the problem's end, else at the generated page's line."""
    found = origin.locate(_WORD.findall(before)[-6:])
    if found:
        shown, line, field = found
        return Finding(shown, line, field, "error", problem)
    return Finding(path, number, "(template text)", "error", problem)


def _body_lines(markdown: str) -> Iterator[tuple[int, str]]:
    """The page's lines after its front matter, numbered as in the generated file."""
    lines = markdown.splitlines()
    start = 0
    if lines and lines[0] == "---":
        start = next((i + 1 for i in range(1, len(lines)) if lines[i] == "---"), 0)
    for i in range(start, len(lines)):
        yield i + 1, lines[i]


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else "…" + text[-limit:])
