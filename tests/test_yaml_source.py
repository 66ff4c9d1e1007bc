"""The strict YAML reader: line numbers, and refusal of everything that is not plain data."""

from __future__ import annotations

import pytest

from generator.content.yaml_source import MAX_ALIASED_VALUES, YamlProblem, format_location, parse_yaml


def test_lines_point_at_keys_and_list_items() -> None:
    doc = parse_yaml(b"title: A\nforms:\n  - id: x\n    name: X\n  - id: y\n")
    assert doc.line_of(("title",)) == 1
    assert doc.line_of(("forms", 1)) == 5
    assert doc.line_of(("forms", 0, "name")) == 4
    assert doc.line_of(("forms", 1, "missing")) == 5  # nearest existing ancestor


def test_duplicate_keys_are_problems_not_silent_overwrites() -> None:
    doc = parse_yaml(b"title: A\nsummary: s\ntitle: B\n")
    assert doc.data["title"] == "A"
    assert [(p.line, p.field) for p in doc.problems] == [(3, "title")]
    assert "line 1" in doc.problems[0].message


def test_python_tags_are_never_constructed() -> None:
    doc = parse_yaml(b'x: !!python/object/apply:os.system ["echo pwned"]\n')
    assert doc.problems and "python/object/apply" in doc.problems[0].message


def test_alias_bomb_is_stopped() -> None:
    lines = ['a0: &a0 ["lol"]'] + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    with pytest.raises(YamlProblem) as bomb:
        parse_yaml("\n".join(lines).encode())
    assert str(MAX_ALIASED_VALUES) in bomb.value.message


@pytest.mark.parametrize(("raw", "line"), [(b"", 1), (b"# only a comment\n", 1), (b"a: 1\nb: 2\nc: \xff\n", 3), (b"a: [1\nb: 2\n", 2)])
def test_unreadable_files_are_located(raw: bytes, line: int) -> None:
    with pytest.raises(YamlProblem) as problem:
        parse_yaml(raw)
    assert problem.value.line == line


def test_dates_stay_dates_and_timestamps_are_refused() -> None:
    assert str(parse_yaml(b"d: 2026-11-22\n").data["d"]) == "2026-11-22"
    assert parse_yaml(b"d: 2026-11-22 10:00:00\n").problems


def test_locations_read_like_field_paths() -> None:
    assert format_location(("dosage_forms", 0, "route")) == "dosage_forms[0].route"
    assert format_location(()) == "(document)"


def test_a_raw_control_character_is_reported_at_its_line_in_one_line() -> None:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml(b"title: A\nsummary: x\x07y\n")
    assert caught.value.line == 2
    assert caught.value.message == "character U+0007 is not allowed in YAML (expected printable text)"
