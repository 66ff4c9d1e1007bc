"""Read one YAML file safely and remember which line every value came from.

PyYAML's own loaders are not strict enough for content that people dose patients from: they
silently keep the last of two duplicate keys, happily expand alias bombs, read `010` as 8 and
`1:30` as 90, and, outside the safe loader, execute tags. So we only *compose* the document
(which never constructs objects) and build plain Python values ourselves from the node tree,
refusing what a reader of the file would not take it to mean. LibYAML's composer recurses in C
without a limit, so a document nested deeper than `MAX_DEPTH` is refused before it is composed.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.content.characters import character_problem, describe, normalise
from generator.memo import digest

Location = tuple[str | int, ...]

# Tags a plain data file can legitimately produce; anything else (``!!python/object``, custom
# ``!tags``) is refused rather than interpreted.
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_MAP_TAG = "tag:yaml.org,2002:map"
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"

# LibYAML's parser (in PyYAML's wheels) composes the same nodes, with line marks, ~10× faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Aliases repeat a value where it is needed; expanding past this many values is an alias bomb.
# (A long plain list is not: a file's size is bounded where it is read.)
MAX_ALIASED_VALUES = 10_000
# Real content nests a few levels deep; LibYAML's composer would crash (not raise) a hundred
# thousand levels down, and building values recurses, so anything deeper is refused.
MAX_DEPTH = 50
# Up to this bound on a document's depth (see `_depth_bound`), composing is safe without a closer look.
_SAFE_DEPTH_BOUND = 1_000
# Numbers as an editor reads them. YAML 1.1 also reads `010` as 8 (octal), `0x10` as 16, `1:30` as 90
# (base 60), `1_000` as 1000 and `1.0e+400` as infinity; those are refused, never silently converted.
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_PLAIN_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)")
# A float keeps about 15 significant digits; more would be silently rounded.
_FLOAT_DIGITS = 15
# The leading indentation and block indicators of a line: how deep a block node can start on it.
_LEADING = re.compile(r"^[ \t?:-]*", re.M)
# A line's indentation with its list dashes: only spaces may indent (a tab or a non-breaking space
# either breaks the YAML or, worse, silently makes the line part of the value above).
# (`\r` ends a Windows line.)
_INDENTATION = re.compile(r"^(?:[^\S\r\n]|-(?=[^\S\r\n]))*", re.M)
# After a plain value, whitespace then `#` starts a comment: YAML drops the rest of the line.
_COMMENT_AFTER = re.compile(r"[ \t]+#")
# A line inside a plain multi-line value that starts like a list item: an item indented too far.
_FOLDED_ITEM = re.compile(r"\n[ \t]*-(?:[ \t]|$)", re.M)
# The key of a `key: value` line (for a `: ` inside an unquoted value).
_KEY_OF_LINE = re.compile(r"^[ \t]*(?:-[ \t]+)*([^\s:#'\"][^:]*?):[ \t]")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class YamlProblem(Exception):
    """A problem with the file itself (not its meaning), at a 1-based line."""

    def __init__(self, line: int, field: str, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.field = field
        self.message = message


@dataclass
class LoadedYaml:
    """A document's data plus the line each value (by location path) starts on."""

    data: Any
    lines: dict[Location, int] = field(default_factory=dict)
    problems: list[YamlProblem] = field(default_factory=list)
    digest: str = ""  # of the text, so later steps can tell an unchanged file

    def line_of(self, location: Location) -> int:
        """Line of the value at ``location``, or of its nearest ancestor that exists."""
        loc = tuple(location)
        while loc not in self.lines and loc:
            loc = loc[:-1]
        return self.lines.get(loc, 1)


def format_location(location: Location) -> str:
    """``("dosage_forms", 0, "route")`` → ``dosage_forms[0].route``."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(document)"


def decode_utf8(raw: bytes) -> str:
    """A content file's text; YamlProblem at the line of the first byte that is not UTF-8."""
    if raw.startswith(_UTF16_BOMS) or b"\x00" in raw[:4096]:
        # UTF-16 (what some Windows editors save as "Unicode") puts a zero byte beside every ASCII letter.
        raise YamlProblem(1, "(file)", "the file is not UTF-8: it looks like UTF-16 (save it as UTF-8, e.g. in VS Code: Save with Encoding, UTF-8)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlProblem(line, "(file)", f"byte 0x{raw[exc.start]:02x} is not UTF-8 (expected UTF-8 text)") from None


def parse_yaml(raw: bytes | str) -> LoadedYaml:
    """Decode (if bytes) and parse one YAML document; raise YamlProblem for anything not plain data."""
    text = raw if isinstance(raw, str) else decode_utf8(raw)
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise YamlProblem(1, "(file)", "file is empty (expected a mapping of fields)")
    _refuse_odd_indentation(text)
    try:
        if _depth_bound(text) > _SAFE_DEPTH_BOUND:
            _refuse_deep_nesting(text)
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_problem(text, exc) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, e.g. a raw control character
        line = text[: exc.position].count("\n") + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)  # LibYAML gives a code, PyYAML a str
        raise YamlProblem(line, "(syntax)", f"character U+{code:04X} is not allowed in YAML (expected printable text)") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1, "(syntax)", f"invalid YAML: {' '.join(str(exc).split())} (expected valid YAML syntax)") from None
    if node is None:
        raise YamlProblem(1, "(file)", "file is empty (expected a mapping of fields)")
    builder = _Builder(text)
    data = builder.build(node, ())
    if not isinstance(data, dict):
        raise YamlProblem(node.start_mark.line + 1, "(document)", "top level is not a mapping (expected `field: value` lines)")
    return LoadedYaml(data, builder.lines, builder.problems, digest(text))


def _refuse_odd_indentation(text: str) -> None:
    """YamlProblem at the first line indented with anything but spaces (a tab, a non-breaking space)."""
    for match in _INDENTATION.finditer(text):
        odd = match.group().replace(" ", "").replace("-", "")
        if odd:
            what = "a tab (U+0009)" if odd[0] == "\t" else describe(odd[0])
            line = text.count("\n", 0, match.start()) + 1
            raise YamlProblem(line, "(indentation)", f"line is indented with {what} (indent with spaces only: retype the start of the line)")


def _syntax_problem(text: str, exc: yaml.MarkedYAMLError) -> YamlProblem:
    """A YAML syntax error at the line an editor must fix, saying what to do where it can."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    if opened := _unclosed_quote(text, exc):
        return YamlProblem(opened[0], "(syntax)", f"the quote {opened[1]} opened on this line is never closed (close it at the end of the value, or remove it)")
    if exc.problem == "mapping values are not allowed in this context" and mark:
        field = _field_of_value_on(text.splitlines(), mark.line)
        return YamlProblem(line, field, "a ': ' inside an unquoted value starts a new field, which YAML does not allow here (put the whole value in quotes)")
    what = " ".join(filter(None, [exc.context, exc.problem]))
    return YamlProblem(line, "(syntax)", f"invalid YAML: {what} (expected valid YAML syntax)")


def _field_of_value_on(lines: list[str], number: int) -> str:
    """The field whose unquoted value is on line `number` (0-based): the line's own key, or the key above
    whose value the line continues (a plain value may go on over more-indented lines)."""
    above = number - 1
    while above >= 0 and (not lines[above].strip() or lines[above].lstrip().startswith("#")):
        above -= 1
    key = _KEY_OF_LINE.match(lines[number])
    owner = _KEY_OF_LINE.match(lines[above]) if above >= 0 and _indent(lines[above]) < _indent(lines[number]) else None
    if owner and lines[above][owner.end() :].strip() not in ("", "|", ">", "|-", ">-", "|+", ">+"):
        key = owner  # the line continues the value above it
    return key.group(1).strip() if key else "(syntax)"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" -"))


def _unclosed_quote(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, str] | None:
    """(line, quote character) of the quote an error comes from, or None.

    An unclosed quote runs on to the next quote character, lines later, or to the end of the file;
    the error is reported there. A quoted value spanning lines is the sign (content writes long
    text as `>-` blocks), so the first one before the error is where the editor must look.
    """
    if exc.context == "while scanning a quoted scalar" and exc.context_mark and exc.problem_mark and exc.problem_mark.line > exc.context_mark.line:
        start = exc.context_mark
        return start.line + 1, text[start.index] if start.index < len(text) else '"'
    error_line = (exc.problem_mark or exc.context_mark).line if (exc.problem_mark or exc.context_mark) else 0
    try:
        for token in yaml.scan(text, Loader=_LOADER):
            if token.start_mark.line > error_line:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'") and token.end_mark.line > token.start_mark.line:
                return token.start_mark.line + 1, token.style
    except yaml.YAMLError:
        pass  # the scanner stops at the same error
    return None


def _depth_bound(text: str) -> int:
    """A cheap upper bound on how deeply the document nests, from its text alone.

    Every flow level opens with its own `[` or `{`; a block level starts on a new line at least one
    column further in, or after a `- `, `? ` or `: ` on the same line. So two levels per leading
    column, plus every bracket, is never less than the real depth.
    """
    leading = max(map(len, _LEADING.findall(text)), default=0)
    return 2 * leading + 2 + text.count("[") + text.count("{")


def _refuse_deep_nesting(text: str) -> None:
    """Walk the parser's events (no recursion) and raise YamlProblem where nesting passes MAX_DEPTH."""
    depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlProblem(event.start_mark.line + 1, "(document)", _too_deep())
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _too_deep() -> str:
    return f"values nested more than {MAX_DEPTH} levels deep (expected plain data a few levels deep)"


def _number_problem(node: yaml.ScalarNode, value: Any) -> str | None:
    """Why an int or float scalar would not mean what it looks like, or None."""
    text = node.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, int) and _PLAIN_INT.fullmatch(text):
        return None
    if isinstance(value, float) and _PLAIN_FLOAT.fullmatch(text):
        if len(text.lstrip("+-").replace(".", "").lstrip("0")) <= _FLOAT_DIGITS:
            return None
        return f"{text!r} has more digits than a number keeps; YAML reads it as {value!r} (expected at most {_FLOAT_DIGITS} digits, or quotes if it is text)"
    form = " (base 60)" if ":" in text else " (octal)" if re.fullmatch(r"[-+]?0[0-7_]+", text) else ""
    shown = {float("inf"): "infinity", float("-inf"): "minus infinity"}.get(value, "not a number" if value != value else repr(value))
    return f"{text!r} is read by YAML as {shown}{form}, not as written (expected a plain number like 10 or 12.5, or quotes if it is text)"


def _shorten(value: str) -> str:
    return value if len(value) <= 60 else value[:57] + "..."


class _Builder:
    """Turns composed nodes into dicts, lists and scalars, refusing anything unsafe."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: dict[Location, int] = {}
        self.problems: list[YamlProblem] = []
        self.aliased = 0  # values built again because an alias repeats them
        self._built: set[int] = set()  # nodes built once (an alias is the same node again)
        self._scalars = yaml.SafeLoader("")

    def build(self, node: yaml.Node, loc: Location) -> Any:
        if id(node) in self._built:
            self.aliased += 1
            if self.aliased > MAX_ALIASED_VALUES:
                # Values reached through an alias carry their anchor's line; the top-level field
                # being expanded is where an editor finds the bomb.
                field = loc[:1]
                raise YamlProblem(
                    self.lines.get(field, node.start_mark.line + 1),
                    format_location(field),
                    f"aliases expand to more than {MAX_ALIASED_VALUES} values, likely an alias bomb (expected plain data without runaway aliases)",
                )
        else:
            self._built.add(id(node))
        # A collection at `loc` is len(loc) + 1 levels deep, as _refuse_deep_nesting counts (the document is 1).
        # Through aliases, nesting can grow past what the text shows.
        if len(loc) >= MAX_DEPTH and isinstance(node, yaml.CollectionNode):
            raise YamlProblem(node.start_mark.line + 1, format_location(loc[:1]), _too_deep())
        self.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            if not self._check_tag(node, {_SEQ_TAG}, loc):
                return None
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        if node.tag == _STR_TAG:  # most values: what SafeConstructor would return, without its dispatch
            return self._text(node, loc)
        if not self._check_tag(node, _SCALAR_TAGS, loc):
            return None
        try:
            value = self._scalars.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError) as exc:
            self.problems.append(YamlProblem(node.start_mark.line + 1, format_location(loc), f"{node.value!r} cannot be read: {exc} (expected a valid value)"))
            return None
        if isinstance(value, datetime.datetime):
            self.problems.append(
                YamlProblem(node.start_mark.line + 1, format_location(loc), f"{node.value!r} is a timestamp (expected a date like 2026-01-31)")
            )
        elif problem := _number_problem(node, value):
            self.problems.append(YamlProblem(node.start_mark.line + 1, format_location(loc), problem))
            return None
        return value

    def _text(self, node: yaml.ScalarNode, loc: Location) -> str:
        """A text value, normalised; a problem if YAML changed it from what the line shows, or it hides a character."""
        value = normalise(node.value)
        start, end = node.start_mark, node.end_mark
        if not node.style and end.index < len(self.text):  # plain (LibYAML says "", PyYAML None)
            if comment := _COMMENT_AFTER.match(self.text, end.index):
                rest = self.text[comment.end() - 1 :].split("\n", 1)[0].strip()
                shown = value if len(value) <= 40 else "..." + value[-37:]
                self._problem(
                    end.line + 1,
                    loc,
                    f"' #' after {shown!r} starts a YAML comment, so {rest!r} is dropped from the value "
                    f"(put the whole value in quotes, or the comment on a line of its own)",
                )
            if end.line > start.line and (folded := _FOLDED_ITEM.search(self.text, start.index, end.index)):
                item = self.text[folded.start() + 1 :].split("\n", 1)[0].strip()
                self._problem(
                    self.text.count("\n", 0, folded.start()) + 2,
                    loc,
                    f"{item!r} is indented further than its list, so YAML folds it into the value above, {_shorten(value)!r} "
                    f"(indent its '- ' like the other items, or quote the value if the dash is part of it)",
                )
        if found := character_problem(value):
            index, message = found
            self._problem(self._line_of(node, value, index), loc, message)
        return value

    def _line_of(self, node: yaml.ScalarNode, value: str, index: int) -> int:
        """The file line of `value[index]` as written (the value's first line if escapes hide it)."""
        written = self.text.find(value[index], node.start_mark.index, node.end_mark.index)
        return self.text.count("\n", 0, written) + 1 if written != -1 else node.start_mark.line + 1

    def _problem(self, line: int, loc: Location, message: str) -> None:
        self.problems.append(YamlProblem(line, format_location(loc), message))

    def _mapping(self, node: yaml.MappingNode, loc: Location) -> dict[str, Any]:
        if not self._check_tag(node, {_MAP_TAG}, loc):
            return {}
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                what = "merge keys `<<` are not supported (expected each field written out)"
                if key_node.tag != "tag:yaml.org,2002:merge":
                    what = f"key {getattr(key_node, 'value', '?')!r} is not a plain text key (expected a field name)"
                self.problems.append(YamlProblem(line, format_location(loc), what))
                continue
            key = key_node.value
            if key in first_line:
                self.problems.append(
                    YamlProblem(line, format_location((*loc, key)), f"duplicate key, first given on line {first_line[key]} (expected each field once)")
                )
                continue
            first_line[key] = line
            self.lines[(*loc, key)] = line  # the key's line is where an editor looks, not the value's
            result[key] = self.build(value_node, (*loc, key))
        return result

    def _check_tag(self, node: yaml.Node, allowed: set[str], loc: Location) -> bool:
        if node.tag in allowed:
            return True
        self.problems.append(
            YamlProblem(
                node.start_mark.line + 1,
                format_location(loc),
                f"YAML tag {node.tag!r} is not allowed (expected plain text, numbers, dates, lists and mappings)",
            )
        )
        return False
