"""The synthetic catalogue: valid like real content, varied, obviously fake, reproducible, never in content/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, run

from generator.content.load import load_content
from generator.content.validate import validate
from generator.errors import ContentError
from generator.pages.generate import generate
from generator.project import Project
from generator.tools.synth import MARKER, NOTICE, SynthCounts, SynthRefused, synthesise

DRUGS = 30
SEED = 7
TARGET_WORDS = 1200


@pytest.fixture(scope="module")
def catalogue_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "catalogue"
    synthesise(out, DRUGS, SEED)
    return out


def files_by_kind(folder: Path) -> dict[str, list[Path]]:
    return {kind: sorted((folder / kind).glob("*.yaml")) for kind in ("drug", "procedure", "condition", "provider", "faq")}


def test_passes_the_same_validation_as_real_content_with_zero_problems(catalogue_dir: Path) -> None:
    raw = load_content(catalogue_dir, catalogue_dir)
    assert raw.problems == []
    catalogue = validate(raw)
    drugs = catalogue.of_kind("drug")
    assert len(drugs) == DRUGS
    # Cross-references: interactions and analogues name other synthetic drugs, by slug where linked.
    linked = [i.drug for d in drugs for i in d.interactions if i.drug]  # type: ignore[attr-defined]
    assert len(linked) >= DRUGS * 2
    assert all(slug in catalogue.entities["drug"] for slug in linked)
    assert sum(len(catalogue.linked_from(d, "drug")) for d in drugs) >= DRUGS


def test_a_broken_cross_reference_is_reported_like_in_real_content(tmp_path: Path) -> None:
    synthesise(tmp_path / "broken", DRUGS, SEED)
    drug = next((tmp_path / "broken" / "drug").glob("*.yaml"))
    text = drug.read_text(encoding="utf-8")
    drug.write_text(re.sub(r'(\n    drug: )"[a-z0-9-]+"', r'\1"no-such-drug"', text, count=1), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        validate(load_content(tmp_path / "broken", tmp_path))
    assert len(caught.value.problems) == 1
    assert "no drug with slug 'no-such-drug'" in str(caught.value)


def test_other_kinds_come_in_proportion(catalogue_dir: Path) -> None:
    counts = {kind: len(paths) for kind, paths in files_by_kind(catalogue_dir).items()}
    assert counts == vars(SynthCounts.for_drugs(DRUGS)) == {"drug": 30, "procedure": 3, "condition": 1, "provider": 1, "faq": 1}
    assert vars(SynthCounts.for_drugs(1000)) == {"drug": 1000, "procedure": 100, "condition": 50, "provider": 20, "faq": 5}
    assert (catalogue_dir / "sources.yaml").is_file()
    assert sorted(p.name for p in (catalogue_dir / "pages").iterdir()) == ["about.md", "disclaimer.md", "editorial-policy.md", "index.md"]


def test_same_seed_gives_identical_bytes_and_another_seed_does_not(tmp_path: Path, catalogue_dir: Path) -> None:
    def tree(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    synthesise(tmp_path / "again", DRUGS, SEED)
    synthesise(tmp_path / "other", DRUGS, SEED + 1)
    assert tree(tmp_path / "again") == tree(catalogue_dir)
    assert tree(tmp_path / "other") != tree(catalogue_dir)


def test_names_cover_every_letter_and_every_page_says_it_is_synthetic(catalogue_dir: Path) -> None:
    catalogue = validate(load_content(catalogue_dir, catalogue_dir))
    assert {d.title[0] for d in catalogue.of_kind("drug")} == set("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    for entity in catalogue.all():
        assert re.search(r"Synthetic .*(not medical information|not a real provider)", entity.summary), entity.title
    assert NOTICE in (catalogue_dir / "pages" / "index.md").read_text(encoding="utf-8")
    real = validate(load_content(ROOT / "content", ROOT))
    real_names = {name.casefold() for entity in real.all() for name in entity.names()}
    assert not real_names & {name.casefold() for entity in catalogue.all() for name in entity.names()}


def words(markdown: str) -> int:
    """Words a reader sees: front matter, HTML tags, link targets and heading anchors left out."""
    body = markdown.split("\n---\n", 1)[1]
    body = re.sub(r"<[^>]+>", " ", body)
    body = re.sub(r"\]\([^)]*\)", "]", body)
    body = re.sub(r"\{#[^}]*\}", "", body)
    return len(re.findall(r"[A-Za-z0-9]+", body))


@pytest.mark.slow  # renders a synthetic catalogue
def test_rendered_drug_pages_are_about_1200_words(catalogue_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = Project.at(ROOT, catalogue_dir)
    generated = generate(project, tmp_path / "docs")
    slugs = [p.stem for p in (catalogue_dir / "drug").glob("*.yaml")]
    counts = [words(generated.site.pages[f"drugs/{slug}.md"]) for slug in slugs]
    mean = sum(counts) / len(counts)
    print(f"\nsynthetic drug pages: {min(counts)}-{max(counts)} words, mean {mean:.0f} (target {TARGET_WORDS})")
    assert 0.8 * TARGET_WORDS <= mean <= 1.25 * TARGET_WORDS
    assert min(counts) >= 0.6 * TARGET_WORDS
    # Past 50 names the A–Z index is one page per letter (generator/pages/letters.py): every letter has one.
    assert all(f"a-z-{letter}.md" in generated.site.pages for letter in "abcdefghijklmnopqrstuvwxyz"), "the A–Z index has a page per letter"


def test_refuses_the_real_content_folder_and_foreign_folders(tmp_path: Path) -> None:
    before = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "content").rglob("*"))
    for target in (ROOT / "content", ROOT / "content" / "drug", ROOT):
        with pytest.raises(SynthRefused, match="real content folder"):
            synthesise(target, 3, real_content=ROOT / "content")
    assert sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "content").rglob("*")) == before
    foreign = tmp_path / "notes"
    foreign.mkdir()
    (foreign / "mine.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(SynthRefused, match="not an earlier synthetic catalogue"):
        synthesise(foreign, 3)
    assert (foreign / "mine.txt").read_text(encoding="utf-8") == "keep me"
    # An earlier synthetic catalogue is replaced whole: nothing of a bigger one is left behind.
    synthesise(tmp_path / "cat", 40)
    synthesise(tmp_path / "cat", 3)
    assert (tmp_path / "cat" / MARKER).is_file()
    assert len(list((tmp_path / "cat" / "drug").iterdir())) == 3


@pytest.mark.slow
def test_cli_writes_a_catalogue_that_builds_with_mkdocs_and_refuses_content(project: Path, tmp_path: Path) -> None:
    refused = run(project, "synth", "--drugs", "5", "--out", "content")
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == [f"synth: refusing to write a synthetic catalogue into or over the real content folder {project / 'content'}"]
    assert not (project / "content" / MARKER).exists()

    made = run(project, "synth", "--drugs", str(DRUGS), "--out", str(tmp_path / "synthetic"), "--seed", str(SEED))
    assert made.returncode == 0, made.stderr
    assert "drug 30, procedure 3, condition 1, provider 1, faq 1" in made.stdout
    # `check` validates and runs the content lints, as for real content.
    checked = run(project, "--content", str(tmp_path / "synthetic"), "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # The real MkDocs build in strict mode: every generated link between synthetic pages resolves.
    built = run(project, "--content", str(tmp_path / "synthetic"), "build", "--site-dir", str(project / "site"), timeout=300)
    assert built.returncode == 0, built.stderr
    drug = next((tmp_path / "synthetic" / "drug").glob("*.yaml")).stem
    assert NOTICE in (project / "site" / "drugs" / drug / "index.html").read_text(encoding="utf-8")
