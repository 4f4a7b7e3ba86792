"""The new-case scaffold: it builds at once, documents every field, and never overwrites."""

from __future__ import annotations

import errno
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import pytest
import yaml
from pydantic.fields import FieldInfo
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.build.site import build_site
from generator.commands.scaffold import TEMPLATES, ScaffoldError, new_case
from generator.dates import PartialDate
from generator.load.content import load_content
from generator.models import COLLECTION_MODELS, Case, Model
from generator.validate.content import RESERVED_CASE_SLUGS, validate_content
from tests.conftest import REAL_CONTENT, SITE_YAML

SLUG = "new-case"
FILE_MODELS: dict[str, type[Model]] = {
    "case.yaml": Case,
    **{f"{name}.yaml": model for name, model in COLLECTION_MODELS.items()},
}
SLUG_SHAPE = "use lowercase letters, digits and single hyphens, e.g. `microsoft-ireland`"
CONTENT_HINT = "`--content` names the content folder, the one that holds site.yaml"
DATE_FORMS = ("`2014-07-31`", "`2014-07`", "`2014`", "`{date: 2013-06, approximate: true}`")
PLACEHOLDER_DATE = "2000-01-01"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the real content with a new case, and its clean build."""
    root = tmp_path_factory.mktemp("scaffold")
    content = root / "content"
    shutil.copytree(REAL_CONTENT, content)
    new_case(content, SLUG)
    output = root / "output"
    build_site(content, output)
    return content, output


@pytest.fixture
def content(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, copy)
    return copy


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every path under `folder` with its bytes (None for folders)."""
    return {
        str(path.relative_to(folder)): None if path.is_dir() else path.read_bytes()
        for path in sorted(folder.rglob("*"))
    }


# --- The new case builds -------------------------------------------------------------------


def test_returns_the_written_files_sorted(content: Path) -> None:
    written = new_case(content, SLUG)
    case_dir = content / "cases" / SLUG
    expected = sorted(case_dir / name for name in FILE_MODELS)
    assert written == expected
    assert sorted(case_dir.iterdir()) == expected
    assert [path.read_text(encoding="utf-8") for path in written] == [
        TEMPLATES[path.name] for path in written
    ]


@pytest.mark.parametrize(
    ("page", "shows"),
    [
        ("index.html", "New case: replace this title"),
        ("timeline/index.html", "Replace with a short headline"),
        ("timeline/replace-me-event/index.html", "Replace with what happened"),
        ("quotes/replace-me-quote/index.html", "Replace with the words exactly as the source"),
        ("parties/replace-me-party/index.html", "Replace with the part this party plays"),
        ("rulings/replace-me-ruling/index.html", "Replace with what the court decided"),
        ("polls/replace-me-poll/index.html", "Replace with the answer as the source words it"),
        ("sources/index.html", "https://example.org/replace-me"),
    ],
)
def test_a_clean_build_has_the_new_case_pages(
    site: tuple[Path, Path], page: str, shows: str
) -> None:
    _, output = site
    html = (output / SLUG / page).read_text(encoding="utf-8")
    assert shows in html


def test_the_real_case_is_still_built_beside_it(site: tuple[Path, Path]) -> None:
    _, output = site
    assert (output / "microsoft-ireland" / "index.html").is_file()
    assert f'href="{SLUG}/"' in (output / "index.html").read_text(encoding="utf-8")


def test_the_scaffold_loads_and_validates(site: tuple[Path, Path]) -> None:
    content, _ = site
    validated = validate_content(load_content(content))
    case = next(c for c in validated.cases if c.slug == SLUG)
    assert case.case.title == "New case: replace this title"
    for name in COLLECTION_MODELS:
        # media.yaml's example is commented out: its file does not exist yet.
        assert len(getattr(case, name)) == (0 if name == "media" else 1), name
    (quote,) = case.quotes
    (party,) = case.parties
    (event,) = case.events
    assert quote.speaker == party.id
    assert event.ruling == case.rulings[0].id
    assert event.quotes == [quote.id]
    assert case.polls[0].questions[0].results


def test_a_fresh_content_folder_gets_its_cases_folder(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    new_case(content, SLUG)
    result = build_site(content, tmp_path / "output")
    assert result.cases == 1
    assert (tmp_path / "output" / SLUG / "quotes" / "replace-me-quote" / "index.html").is_file()


def test_site_yml_is_a_content_folder_too(tmp_path: Path) -> None:
    (tmp_path / "site.yml").write_text(SITE_YAML, encoding="utf-8")
    assert len(new_case(tmp_path, SLUG)) == len(FILE_MODELS)


# --- Every field is documented ---------------------------------------------------------------
#
# Optional fields are commented out; `uncomment` turns them back into YAML (a commented line
# whose text is a field, a list item or indented), leaving the prose comments as they are.
# The result is walked against the pydantic models, so a field added to a model and not to
# the scaffold fails here.

_COMMENTED = re.compile(r"^(\s*)# (.*)$")
_YAML_LINE = re.compile(r"^(?:\s|- |[a-z_]+:(?: |$))")


def uncomment(text: str) -> str:
    lines = []
    for line in text.splitlines():
        match = _COMMENTED.match(line)
        lines.append(match[1] + match[2] if match and _YAML_LINE.match(match[2]) else line)
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class FieldLine:
    path: str
    line: int
    """0-based line of the field's key."""
    info: FieldInfo
    value: Node


def field_lines(node: Node, model: type[Model], path: str) -> Iterator[FieldLine]:
    assert isinstance(node, MappingNode), f"{path} should be a mapping"
    for key, value in node.value:
        name = key.value
        assert name in model.model_fields, f"{path}.{name} is not a field of {model.__name__}"
        info = model.model_fields[name]
        yield FieldLine(f"{path}.{name}", key.start_mark.line, info, value)
        nested = nested_model(info.annotation)
        if nested is not None:
            items = value.value if isinstance(value, SequenceNode) else [value]
            assert items, f"{path}.{name} should hold an example"
            for item in items:
                yield from field_lines(item, nested, f"{path}.{name}")


def nested_model(annotation: Any) -> type[Model] | None:
    if isinstance(annotation, type) and issubclass(annotation, Model):
        return annotation
    for arg in get_args(annotation):
        found = nested_model(arg)
        if found is not None:
            return found
    return None


def model_paths(model: type[Model], path: str) -> Iterator[str]:
    for name, info in model.model_fields.items():
        yield f"{path}.{name}"
        nested = nested_model(info.annotation)
        if nested is not None:
            yield from model_paths(nested, f"{path}.{name}")


def item_node(file_name: str, text: str) -> Node:
    node = yaml.compose(text)
    assert node is not None
    if file_name == "case.yaml":
        return node
    assert isinstance(node, SequenceNode) and len(node.value) == 1, "one example item"
    item: Node = node.value[0]
    return item


def scaffold_fields(file_name: str) -> list[FieldLine]:
    text = uncomment(TEMPLATES[file_name])
    return list(field_lines(item_node(file_name, text), FILE_MODELS[file_name], file_name))


def comment_above(text: str, line: int) -> str:
    lines = text.splitlines()
    block: list[str] = []
    while line > 0 and lines[line - 1].lstrip().startswith("#"):
        line -= 1
        block.insert(0, lines[line].strip().removeprefix("#").strip())
    return " ".join(block)


def has_type(annotation: Any, wanted: type) -> bool:
    return annotation is wanted or any(has_type(arg, wanted) for arg in get_args(annotation))


def scalars(node: Node) -> Iterator[str]:
    if isinstance(node, ScalarNode):
        yield node.value
    elif isinstance(node, SequenceNode):
        for child in node.value:
            yield from scalars(child)
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            yield from scalars(key)
            yield from scalars(value)


def test_the_scaffold_has_a_template_for_every_file() -> None:
    assert set(TEMPLATES) == set(FILE_MODELS)


@pytest.mark.parametrize("file_name", sorted(FILE_MODELS))
def test_every_field_of_every_model_appears(file_name: str) -> None:
    model = FILE_MODELS[file_name]
    found = {field.path for field in scaffold_fields(file_name)}
    assert set(model_paths(model, file_name)) - found == set(), "fields missing in the scaffold"


@pytest.mark.parametrize("file_name", sorted(FILE_MODELS))
def test_the_example_is_valid_with_its_optional_fields_too(file_name: str) -> None:
    data = yaml.safe_load(uncomment(TEMPLATES[file_name]))
    item = data if file_name == "case.yaml" else data[0]
    FILE_MODELS[file_name].model_validate(_dates_as_text(item))


def _dates_as_text(value: Any) -> Any:
    """PyYAML reads 2000-01-01 as a date; the content loader keeps it as the text written."""
    if isinstance(value, dict):
        return {key: _dates_as_text(child) for key, child in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(child) for child in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


@pytest.mark.parametrize("file_name", sorted(FILE_MODELS))
def test_each_field_says_whether_it_is_required(file_name: str) -> None:
    text = uncomment(TEMPLATES[file_name])
    for field in scaffold_fields(file_name):
        comment = comment_above(text, field.line)
        expected = "Required." if field.info.is_required() else "Optional."
        assert comment.startswith(expected), f"{field.path}: {comment!r}"
        assert len(comment) > len(expected) + 10, f"{field.path} says what it is"


@pytest.mark.parametrize("file_name", sorted(FILE_MODELS))
def test_each_field_lists_the_values_it_takes(file_name: str) -> None:
    text = uncomment(TEMPLATES[file_name])
    for field in scaffold_fields(file_name):
        comment = comment_above(text, field.line)
        if get_origin(field.info.annotation) is Literal:
            for value in get_args(field.info.annotation):
                assert f"`{value}`" in comment, f"{field.path} names `{value}`"
        if has_type(field.info.annotation, PartialDate):
            for form in DATE_FORMS:
                assert form in comment, f"{field.path} shows the date form {form}"


@pytest.mark.parametrize("file_name", sorted(FILE_MODELS))
def test_every_value_is_an_obvious_placeholder(file_name: str) -> None:
    for field in scaffold_fields(file_name):
        annotation = field.info.annotation
        if has_type(annotation, PartialDate):
            assert list(scalars(field.value)) == [PLACEHOLDER_DATE], field.path
        elif has_type(annotation, str) and get_origin(annotation) is not Literal:
            for value in scalars(field.value):
                assert "replace" in value.casefold(), f"{field.path}: {value!r}"


def test_uncomment_leaves_prose_comments_alone() -> None:
    text = "# Required. A slug.\n# questions:\n#   - One\n  # note: x\n# e.g. `a`: b\n"
    assert uncomment(text) == "# Required. A slug.\nquestions:\n  - One\n  note: x\n# e.g. `a`: b\n"


# --- Refusals ------------------------------------------------------------------------------


def test_refuses_an_existing_case_and_leaves_it_byte_for_byte(content: Path) -> None:
    before = snapshot(content)
    with pytest.raises(ScaffoldError) as raised:
        new_case(content, "microsoft-ireland")
    assert str(raised.value) == (
        "cases/microsoft-ireland already exists — choose another slug or edit that case"
    )
    assert snapshot(content) == before


@pytest.mark.parametrize("kind", ["empty folder", "file"])
def test_refuses_anything_already_at_the_case_path(content: Path, kind: str) -> None:
    target = content / "cases" / SLUG
    if kind == "file":
        target.write_text("notes\n", encoding="utf-8")
    else:
        target.mkdir()
    before = snapshot(content)
    with pytest.raises(ScaffoldError, match=f"^cases/{SLUG} already exists — "):
        new_case(content, SLUG)
    assert snapshot(content) == before


@pytest.mark.parametrize(
    "slug",
    [
        "Microsoft-Ireland",
        "microsoft_ireland",
        "microsoft ireland",
        "-microsoft",
        "microsoft-",
        "microsoft--ireland",
        "café",
        "../escape",
        "cases/nested",
        ".hidden",
        "new-case\n",
    ],
)
def test_refuses_an_invalid_slug(content: Path, slug: str) -> None:
    before = snapshot(content)
    with pytest.raises(ScaffoldError) as raised:
        new_case(content, slug)
    assert str(raised.value) == f"`{slug}` is not a valid case slug — {SLUG_SHAPE}"
    assert snapshot(content) == before


def test_refuses_an_empty_slug(content: Path) -> None:
    with pytest.raises(ScaffoldError) as raised:
        new_case(content, "")
    assert str(raised.value) == f"a new case needs a slug — {SLUG_SHAPE}"


@pytest.mark.parametrize("slug", sorted(RESERVED_CASE_SLUGS))
def test_refuses_a_reserved_slug(content: Path, slug: str) -> None:
    before = snapshot(content)
    with pytest.raises(ScaffoldError) as raised:
        new_case(content, slug)
    assert str(raised.value) == (
        f"`{slug}` cannot be a case slug: the site uses that address — choose another slug"
    )
    assert snapshot(content) == before


def test_refuses_a_missing_content_folder(tmp_path: Path) -> None:
    missing = tmp_path / "contnet"
    with pytest.raises(ScaffoldError) as raised:
        new_case(missing, SLUG)
    assert str(raised.value) == f"content folder {missing} does not exist — {CONTENT_HINT}"
    assert not missing.exists()


def test_refuses_a_content_folder_that_is_a_file(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "content"
    not_a_folder.write_text("", encoding="utf-8")
    with pytest.raises(ScaffoldError) as raised:
        new_case(not_a_folder, SLUG)
    assert str(raised.value) == f"content folder {not_a_folder} is not a folder — {CONTENT_HINT}"


def test_refuses_a_folder_without_site_yaml(tmp_path: Path) -> None:
    with pytest.raises(ScaffoldError) as raised:
        new_case(tmp_path, SLUG)
    assert str(raised.value) == (
        f"{tmp_path} has no site.yaml, so it is not a content folder — {CONTENT_HINT}"
    )
    assert list(tmp_path.iterdir()) == []


# --- A failed write leaves nothing ---------------------------------------------------------


def fail_on(monkeypatch: pytest.MonkeyPatch, file_name: str, error: BaseException) -> None:
    """Make writing the new case's `file_name` fail after part of it is on disk."""
    real_open = Path.open

    def open_then_fail(self: Path, *args: Any, **kwargs: Any) -> Any:
        if (self.parent.name, self.name) != (SLUG, file_name):
            return real_open(self, *args, **kwargs)
        with real_open(self, *args, **kwargs) as file:
            file.write("- id: half")
        raise error

    monkeypatch.setattr(Path, "open", open_then_fail)


def test_a_failed_write_removes_what_was_written(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(content)
    target = content / "cases" / SLUG / "quotes.yaml"
    fail_on(monkeypatch, "quotes.yaml", OSError(errno.ENOSPC, "No space left", str(target)))
    with pytest.raises(ScaffoldError) as raised:
        new_case(content, SLUG)
    assert str(raised.value) == (
        f"could not write {target}: No space left — nothing of the new case was kept"
    )
    assert snapshot(content) == before


def test_a_failed_write_removes_the_cases_folder_it_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    fail_on(monkeypatch, "polls.yaml", OSError(errno.EACCES, "Permission denied"))
    with pytest.raises(ScaffoldError, match="Permission denied — nothing of the new case"):
        new_case(tmp_path, SLUG)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site.yaml"]


def test_an_interrupted_write_removes_what_was_written(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(content)
    fail_on(monkeypatch, "events.yaml", KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        new_case(content, SLUG)
    assert snapshot(content) == before
