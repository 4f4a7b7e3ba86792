"""The repository's own configuration: CI workflow, pre-commit hook, editor settings, recipes.

The workflow is validated by check-jsonschema against its vendored schema of GitHub workflow
files (offline), the hook manifest and the documented `.pre-commit-config.yaml` snippets by
pre-commit's own validators; on top of those, the structure GitHub Pages and this project
need is checked here (the workflows' permissions and pins in tests/test_workflows.py), and
every command line these files run is parsed by the real CLI.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import _parser
from generator.commands.check import report, run_check
from generator.commands.schema import FILE_KINDS
from generator.load.content import COLLECTIONS, load_content
from tests.conftest import REAL_CONTENT, REPO, minimal_site, write_tree

WORKFLOWS = REPO / ".github" / "workflows"
WORKFLOW = WORKFLOWS / "site.yml"
REVIEW = WORKFLOWS / "review.yml"
REVIEW_COMMENT = WORKFLOWS / "review-comment.yml"
ALL_WORKFLOWS = sorted(WORKFLOWS.glob("*.yml"))
HOOKS = REPO / ".pre-commit-hooks.yaml"
SETTINGS = REPO / ".vscode" / "settings.json"
PUBLISHING = REPO / "docs" / "publishing.md"
EDITOR_SETUP = REPO / "docs" / "editor-setup.md"
GOLDEN_CONTENT = REPO / "tests" / "golden" / "small" / "content"


def run_tool(*args: str | Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def load_yaml(path: Path) -> Any:
    # BaseLoader keeps `on:` a string key (YAML 1.1 would read it as True) and every scalar
    # text, as GitHub and pre-commit see them before their own typing.
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


REPORT_SCHEMAS = {"diff-report.schema.json"}
"""Schemas of the generator's reports, not of content files: written by hand, not by
`explainer schema`."""


def parses_as_cli(command: str) -> list[str]:
    """Parse `explainer …` (or `python -m generator …`) with the real parser; return argv."""
    words = shlex.split(command)
    if words[:3] == ["python", "-m", "generator"]:
        words = words[2:]
    assert words[0].endswith("explainer") or words[0] == "generator", command
    try:
        _parser().parse_args(words[1:])
    except SystemExit as exc:  # argparse exits on an unknown command or option
        pytest.fail(f"`{command}` is not a valid command line: exit {exc.code}")
    return words[1:]


def cli_commands(script: str) -> Iterator[str]:
    """The generator's command lines in a shell snippet, split at `&&`, `;` and newlines."""
    for part in re.split(r"&&|;|\n", script):
        part = part.strip()
        if re.match(r"(\S*/)?explainer\s|python -m generator\s", part):
            yield part


# --- GitHub workflow -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    data = load_yaml(WORKFLOW)
    assert isinstance(data, dict)
    return data


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job["steps"])


def runs(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in steps(job))


def uses(job: dict[str, Any]) -> list[str]:
    return [step["uses"] for step in steps(job) if "uses" in step]


@pytest.mark.parametrize(
    "schema", ["vendor.github-workflows", "custom.github-workflows-require-timeout"]
)
def test_workflow_passes_check_jsonschema(schema: str) -> None:
    result = run_tool("check_jsonschema", "--builtin-schema", schema, *ALL_WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_jsonschema_rejects_a_broken_workflow(tmp_path: Path) -> None:
    """The validator is not a rubber stamp: a misspelled key fails it."""
    broken = tmp_path / "site.yml"
    broken.write_text(WORKFLOW.read_text().replace("runs-on:", "runs_on:"))
    result = run_tool("check_jsonschema", "--builtin-schema", "vendor.github-workflows", broken)
    assert result.returncode == 1
    assert "'runs-on' is a required property" in result.stdout


def test_site_runs_on_pushes_to_main_and_review_on_pull_requests(
    workflow: dict[str, Any],
) -> None:
    assert set(workflow["on"]) == {"push", "workflow_dispatch"}
    assert workflow["on"]["push"]["branches"] == ["main"]
    review = load_yaml(REVIEW)
    assert set(review["on"]) == {"pull_request"}
    paths = review["on"]["pull_request"]["paths"]
    assert {"content/**", "templates/**"} <= set(paths)
    assert {f".github/workflows/{p.name}" for p in (REVIEW, REVIEW_COMMENT)} <= set(paths)
    comment = load_yaml(REVIEW_COMMENT)
    assert comment["on"] == {
        "workflow_run": {"workflows": [review["name"]], "types": ["completed"]}
    }


@pytest.mark.parametrize(
    ("path", "names"),
    [(WORKFLOW, {"build", "deploy"}), (REVIEW, {"review"}), (REVIEW_COMMENT, {"comment"})],
    ids=lambda value: value.name if isinstance(value, Path) else "",
)
def test_workflow_jobs_are_shaped_for_a_runner(path: Path, names: set[str]) -> None:
    assert path in ALL_WORKFLOWS
    jobs = load_yaml(path)["jobs"]
    assert set(jobs) == names
    for name, job in jobs.items():
        assert job["runs-on"] == "ubuntu-latest", name
        assert int(job["timeout-minutes"]) > 0, name
        for step in steps(job):
            assert ("uses" in step) != ("run" in step), (name, step)
        for need in [job["needs"]] if isinstance(job.get("needs"), str) else job.get("needs", []):
            assert need in jobs, (name, need)


def test_workflow_uses_the_official_pages_actions(workflow: dict[str, Any]) -> None:
    used = {action.split("@")[0] for job in workflow["jobs"].values() for action in uses(job)}
    assert {
        "actions/checkout",
        "actions/setup-python",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    } <= used


@pytest.mark.parametrize("path", ALL_WORKFLOWS, ids=lambda path: path.name)
def test_every_step_reference_names_a_step_of_its_job(path: Path) -> None:
    for name, job in load_yaml(path)["jobs"].items():
        ids = {step["id"] for step in steps(job) if "id" in step}
        referenced = set(re.findall(r"steps\.([\w-]+)\.", json.dumps(job)))
        assert referenced <= ids, name


def test_workflow_pins_python_3_11_or_newer(workflow: dict[str, Any]) -> None:
    version = workflow["env"]["PYTHON_VERSION"]
    assert tuple(map(int, version.split("."))) >= (3, 11)
    review = load_yaml(REVIEW)
    assert review["env"]["PYTHON_VERSION"] == version
    for job in (workflow["jobs"]["build"], review["jobs"]["review"]):
        setup = next(s for s in steps(job) if s.get("uses", "").startswith("actions/setup-python"))
        assert setup["with"]["python-version"] == "${{ env.PYTHON_VERSION }}"


def test_pull_requests_install_check_list_changes_and_build_from_disk() -> None:
    job = load_yaml(REVIEW)["jobs"]["review"]
    checkout = steps(job)[0]
    assert checkout["uses"].startswith("actions/checkout@")
    # `explainer diff` reads both revisions from the history.
    assert checkout["with"]["fetch-depth"] == "0"
    assert "python -m pip install ." in runs(job)
    commands = list(cli_commands(runs(job)))
    assert [shlex.split(command)[1] for command in commands] == ["check", "diff", "build"]
    check, diff, build = commands
    assert parses_as_cli(check) == ["check", "--format", "github"]
    # The diff between the base the pull request merges into and the merge, as markdown.
    assert parses_as_cli(diff.split(">")[0]) == ["diff", "$base", "$head", "--format", "markdown"]
    assert parses_as_cli(build) == ["build", "--file-links", "--output", "output"]
    uploads = [step for step in steps(job) if step.get("uses", "").startswith("actions/upload-")]
    assert [(step["with"]["name"], step["with"]["path"]) for step in uploads] == [
        ("review", "review/"),
        ("site", "output/"),
    ]
    assert not any("pages" in action for action in uses(job))


def test_pushes_build_with_the_pages_base_url_and_upload_output(workflow: dict[str, Any]) -> None:
    job = workflow["jobs"]["build"]
    assert "if" not in job
    configure = next(s for s in steps(job) if s.get("uses", "").startswith("actions/configure-"))
    assert configure["id"] == "pages"
    build = next(s for s in steps(job) if "explainer build" in s.get("run", ""))
    assert build["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert parses_as_cli(build["run"]) == ["build", "--base-url", "$BASE_URL"]
    assert steps(job).index(configure) < steps(job).index(build)
    upload = steps(job)[-1]
    assert upload["uses"].startswith("actions/upload-pages-artifact@")
    assert upload["with"]["path"].rstrip("/") == "output"
    assert [parses_as_cli(c)[0] for c in cli_commands(runs(job))] == ["check", "build"]


def test_deploy_job_has_pages_permissions_environment_and_concurrency(
    workflow: dict[str, Any],
) -> None:
    assert workflow["permissions"] == {}
    job = workflow["jobs"]["deploy"]
    assert job["needs"] == "build"
    assert job["permissions"] == {"pages": "write", "id-token": "write"}
    assert job["environment"] == {
        "name": "github-pages",
        "url": "${{ steps.deployment.outputs.page_url }}",
    }
    assert job["concurrency"] == {"group": "pages", "cancel-in-progress": "false"}
    (step,) = steps(job)
    assert step["id"] == "deployment"
    assert step["uses"].startswith("actions/deploy-pages@")


def test_workflow_concurrency_cancels_only_superseded_pull_request_runs(
    workflow: dict[str, Any],
) -> None:
    assert workflow["concurrency"] == {
        "group": "site-${{ github.ref }}",
        "cancel-in-progress": "false",
    }
    review = load_yaml(REVIEW)["concurrency"]
    assert review == {
        "group": "review-${{ github.event.pull_request.number }}",
        "cancel-in-progress": "true",
    }


# --- pre-commit hook -----------------------------------------------------------------------


def test_hook_manifest_passes_pre_commit_validate_manifest() -> None:
    result = run_tool("pre_commit", "validate-manifest", HOOKS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_rejects_a_broken_manifest(tmp_path: Path) -> None:
    broken = tmp_path / ".pre-commit-hooks.yaml"
    broken.write_text(HOOKS.read_text().replace("language: python", "language: pythn"))
    assert run_tool("pre_commit", "validate-manifest", broken).returncode == 1


def test_hook_runs_explainer_check_once_on_content_yaml() -> None:
    (hook,) = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert hook["id"] == "explainer-check"
    assert hook["language"] == "python"
    assert hook["entry"] == "explainer check"
    assert hook["pass_filenames"] is False
    assert parses_as_cli(hook["entry"]) == ["check"]
    files = re.compile(hook["files"])  # pre-commit matches with Python's re.search
    for path in (
        "content/site.yaml",
        "content/cases/microsoft-ireland/quotes.yaml",
        "content/cases/demo/quotes/one.yml",
    ):
        assert files.search(path), path
    for path in ("README.md", "templates/base.html", "tests/golden/small/content/site.yaml"):
        assert not files.search(path), path


# --- VS Code settings ----------------------------------------------------------------------


def glob_regex(pattern: str) -> re.Pattern[str]:
    """How the YAML language server matches a `yaml.schemas` pattern against a file's path.

    It strips a leading `/`, prefixes `**/` and matches the whole path, where `*` stands for
    any characters but `/` (vscode-json-languageservice's FilePatternAssociation).
    """
    assert re.fullmatch(r"[\w./*-]+", pattern) and "**" not in pattern, (
        f"{pattern}: only `*` wildcards, whose meaning this test knows"
    )
    body = "".join("[^/]*" if char == "*" else re.escape(char) for char in pattern.lstrip("/"))
    return re.compile(rf"(.*/)?{body}")


@pytest.fixture(scope="module")
def settings() -> dict[str, Any]:
    data = json.loads(SETTINGS.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    assert set(data) == {"yaml.schemas", "yaml.yamlVersion"}
    return data


@pytest.fixture(scope="module")
def schema_globs(settings: dict[str, Any]) -> dict[str, list[str]]:
    mapping: dict[str, list[str]] = settings["yaml.schemas"]
    return mapping


QUOTE_WITH = """\
- id: said
  text: Words.
  speaker: someone
  said_on: 2014-08-27
  venue: {venue}
  key: {key}
  sources: [report]
  verbatim_in: report
"""
SPEAKER = "- id: someone\n  name: Someone\n  kind: person\n  role: Speaks\n"


@pytest.mark.parametrize(
    ("venue", "key", "printed"),
    [
        ("Blog post", "yes", "ok: 1 case(s), 3 items, no errors"),
        ("no", "true", "`venue` should be text, but YAML reads `no` as false"),
    ],
    ids=["yes-as-true", "no-as-false"],
)
def test_settings_make_the_editor_read_yaml_1_1_as_the_generator_does(
    settings: dict[str, Any], tmp_path: Path, venue: str, key: str, printed: str
) -> None:
    """The YAML extension reads 1.2 unless told: `key: yes` would be a word, `venue: no` text."""
    assert settings["yaml.yamlVersion"] == "1.1"
    quotes = QUOTE_WITH.format(venue=venue, key=key)
    files = minimal_site(**{"quotes.yaml": quotes, "parties.yaml": SPEAKER})
    content = write_tree(tmp_path / "content", files)
    assert printed in report(run_check(content), "text")


def test_editor_setup_names_the_title_the_status_bar_shows() -> None:
    """The YAML extension's status bar shows the schema's `title`, not its file name."""
    shown = re.search(r"for a quote file, \*([^*]+)\*", EDITOR_SETUP.read_text(encoding="utf-8"))
    assert shown is not None
    schema = json.loads((REPO / "schema" / "quotes.schema.json").read_text(encoding="utf-8"))
    assert shown[1] == schema["title"]


def kind_of_schema(schema_path: str) -> str:
    return Path(schema_path).name.removesuffix(".schema.json")


def test_settings_map_every_schema_file_and_only_existing_ones(
    schema_globs: dict[str, list[str]],
) -> None:
    for schema_path in schema_globs:
        # "./…" resolves against the workspace folder; a bare name could be taken for the
        # name of a workspace folder by the language server.
        assert schema_path.startswith("./schema/"), schema_path
        assert (REPO / schema_path).is_file(), schema_path
    assert sorted(kind_of_schema(path) for path in schema_globs) == sorted(FILE_KINDS)
    content_schemas = [p for p in (REPO / "schema").iterdir() if p.name not in REPORT_SCHEMAS]
    assert sorted(content_schemas) == sorted((REPO / path).resolve() for path in schema_globs)


def kinds_matching(schema_globs: dict[str, list[str]], path: Path) -> list[str]:
    posix = path.as_posix()
    return [
        kind_of_schema(schema)
        for schema, globs in schema_globs.items()
        if any(glob_regex(glob).fullmatch(posix) for glob in globs)
    ]


TRANSLATION_FILE = re.compile(r"[a-z0-9-]+\.[a-z]{2,3}(-[A-Za-z0-9]+)?\.ya?ml")


def expected_kind(relative: Path) -> str:
    parts = relative.parts
    if len(parts) == 1:
        return "site"
    if len(parts) == 3:
        return relative.stem
    return parts[2]


@pytest.mark.parametrize("root", [REAL_CONTENT, GOLDEN_CONTENT], ids=["content", "golden"])
def test_every_content_file_gets_exactly_its_kinds_schema(
    schema_globs: dict[str, list[str]], root: Path
) -> None:
    files = sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml"))
    assert files
    for path in files:
        # A translation file (`case.de.yaml`, `events/<id>.de.yaml`) has no schema of its own.
        translation = TRANSLATION_FILE.fullmatch(path.name) is not None
        expected = [] if translation else [expected_kind(path.relative_to(root))]
        assert kinds_matching(schema_globs, path) == expected, path


def test_real_content_files_are_all_matched(schema_globs: dict[str, list[str]]) -> None:
    matched = {
        glob
        for globs in schema_globs.values()
        for glob in globs
        for path in REAL_CONTENT.rglob("*.yaml")
        if glob_regex(glob).fullmatch(path.as_posix())
    }
    assert {"content/site.yaml", "content/cases/*/case.yaml"} <= matched
    # The real case has no media yet: its pictures wait for the build to process them; nor
    # periods: it has none.
    kept = [name for name in COLLECTIONS if name not in ("media", "periods")]
    assert {f"content/cases/*/{name}.yaml" for name in kept} <= matched


def example_path(glob: str) -> str:
    """A file path the glob matches, relative to the repository (`*` → a name)."""
    return glob.replace("cases/*/", "cases/demo/").replace("*", "item")


def test_every_glob_matches_a_file_the_loader_reads(
    schema_globs: dict[str, list[str]], tmp_path: Path
) -> None:
    """Each pattern is a real place for content: a tree holding a file there loads cleanly.

    The real content uses one file per collection; the patterns also cover a folder of one
    item per file and the `.yml` spelling, which the loader reads as well.
    """
    for index, (schema, glob) in enumerate(
        (schema, glob) for schema, globs in schema_globs.items() for glob in globs
    ):
        kind = kind_of_schema(schema)
        relative = Path(example_path(glob))
        assert relative.parts[0] == "content", glob
        root = tmp_path / str(index)
        tree = {Path("content/site.yaml"): "{}", Path("content/cases/demo/case.yaml"): "{}"}
        if kind in ("site", "case"):
            tree = {p: body for p, body in tree.items() if p.stem != kind}
        body = "{id: item}" if relative.parent.name == kind and kind in COLLECTIONS else "[]"
        tree[relative] = "{}" if kind in ("site", "case") else body
        for path, text in tree.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text + "\n", encoding="utf-8")
        content = load_content(root / "content")  # raises on a file it would not read
        assert str(root / relative) in content.files, glob
        assert kinds_matching(schema_globs, root / relative) == [kind], glob


# --- Documentation recipes -----------------------------------------------------------------


def code_blocks(path: Path, language: str) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)


def test_documented_pre_commit_configs_pass_pre_commit_validate_config(tmp_path: Path) -> None:
    snippets = [block for block in code_blocks(PUBLISHING, "yaml") if "repos:" in block]
    assert len(snippets) == 2
    for index, snippet in enumerate(snippets):
        config = tmp_path / f"config-{index}.yaml"
        config.write_text(snippet, encoding="utf-8")
        result = run_tool("pre_commit", "validate-config", config)
        assert result.returncode == 0, result.stdout + result.stderr
        (hook,) = yaml.safe_load(snippet)["repos"][0]["hooks"]
        assert hook["id"] == "explainer-check"
        for argv in [hook.get("args", [])]:
            _parser().parse_args(["check", *argv])


def test_documented_netlify_toml_builds_into_output_with_python_3_11_or_newer() -> None:
    """Both netlify.toml files of the guide: the one for Deploy Previews (under "Review pull
    requests") builds each for its own address, and otherwise is the same."""
    blocks = [tomllib.loads(block) for block in code_blocks(PUBLISHING, "toml")]
    assert len(blocks) == 2
    for config in blocks:
        assert config["build"]["publish"] == "output"
        version = config["build"]["environment"]["PYTHON_VERSION"]
        assert tuple(map(int, version.split("."))) >= (3, 11)
        commands = list(cli_commands(config["build"]["command"]))
        assert [parses_as_cli(c) for c in commands] == [["build", "--base-url", "$URL"]]
        assert config["build"]["command"].startswith("python -m pip install . &&")
    previews = [config["context"]["deploy-preview"]["command"] for config in blocks[:1]]
    assert [parses_as_cli(c) for c in cli_commands(previews[0])] == [
        ["build", "--base-url", "$DEPLOY_PRIME_URL"]
    ]
    assert previews[0].startswith("python -m pip install . &&")
    assert "context" not in blocks[1]


@pytest.mark.parametrize("document", [PUBLISHING, EDITOR_SETUP], ids=lambda p: p.name)
def test_documented_command_lines_are_valid(document: Path) -> None:
    text = document.read_text(encoding="utf-8")
    snippets = code_blocks(document, "sh") + re.findall(r"`([^`\n]+)`", text)
    commands = [command for snippet in snippets for command in cli_commands(snippet + "\n")]
    assert commands
    for command in commands:
        parses_as_cli(command.replace('"$kind"', "quotes"))


def test_documented_schema_command_writes_the_committed_files(tmp_path: Path) -> None:
    """The loop in docs/editor-setup.md, run for real, reproduces schema/ byte for byte."""
    (loop,) = [block for block in code_blocks(EDITOR_SETUP, "sh") if "schema" in block]
    explainer = Path(sys.executable).parent / "explainer"
    if not explainer.exists():
        pytest.skip("the `explainer` command is not installed beside this Python")
    (tmp_path / "schema").mkdir()
    script = loop.replace(".venv/bin/explainer", shlex.quote(str(explainer)))
    subprocess.run(["bash", "-c", script], cwd=tmp_path, check=True, timeout=120)
    for committed in sorted((REPO / "schema").iterdir()):
        if committed.name in REPORT_SCHEMAS:
            continue
        assert (tmp_path / "schema" / committed.name).read_bytes() == committed.read_bytes()
