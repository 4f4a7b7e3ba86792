"""Every GitHub workflow gives each job's token what its actions need, and runs pinned actions.

The table `NEEDS` says which permissions of the job's `GITHUB_TOKEN` each action needs, from
the action's own documentation and code; an action missing from it is a problem, so that a
new action cannot come in without someone looking up what it needs. A job's permissions are
its own `permissions:`, else the workflow's; they must cover what its actions need (`write`
covers `read`) and grant nothing else. Every action from another repository is pinned to a
full commit SHA with its version in a comment, and every checkout leaves no credentials in
the working copy (zizmor's excessive-permissions, unpinned-uses and artipacked).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
SITE = WORKFLOWS / "site.yml"
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
}
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


def job_problems(name: str, job: dict[str, Any], default: dict[str, str] | None) -> list[str]:
    problems = []
    actions = [step["uses"] for step in job.get("steps", []) if "uses" in step]
    needed: dict[str, str] = {}
    for uses in actions:
        if uses.startswith(("./", "docker://")):
            continue
        action = action_name(uses)
        if action not in NEEDS:
            problems.append(f"{name}: {action} is not in NEEDS: look up what it needs")
            continue
        for scope, level in NEEDS[action].items():
            if LEVELS[level] > LEVELS[needed.get(scope, "none")]:
                needed[scope] = level
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


def workflow_problems(text: str) -> list[str]:
    """What is wrong with a workflow's permissions, pins and checkouts; [] when nothing."""
    workflow = yaml.safe_load(text)
    assert isinstance(workflow, dict)
    # PyYAML reads YAML 1.1, where the key `on` is the boolean true.
    assert workflow.get("on", workflow.get(True)), "a workflow without triggers"
    problems = []
    for target in USES.findall(text):
        if not target.startswith(("./", "docker://")) and not PINNED.fullmatch(target):
            problems.append(f"`uses: {target}` is not pinned as owner/repo@<commit SHA> # vX.Y.Z")
    default = granted(workflow.get("permissions"))
    for name, job in workflow["jobs"].items():
        problems += job_problems(name, job, default)
    return problems


def workflow_files() -> list[Path]:
    return sorted(p for p in WORKFLOWS.iterdir() if p.suffix in (".yml", ".yaml"))


def test_workflow_files_include_the_site_workflow() -> None:
    assert SITE in workflow_files()


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_workflow_grants_what_its_actions_need_and_pins_them(path: Path) -> None:
    assert workflow_problems(path.read_text(encoding="utf-8")) == []


CHECKOUT = "actions/checkout@d23441a48e516b6c34aea4fa41551a30e30af803 # v6.1.0"
DEPLOY = "actions/deploy-pages@cd2ce8fcbc39b97be8ca5fce6e763baed58fa128 # v5.0.0"
CHECK_PERMISSIONS = (
    "    permissions:\n      contents: read # to check out the repository\n    steps:"
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
            CHECK_PERMISSIONS,
            "    permissions: write-all\n    steps:",
            "check: grants actions: write, but needs only none",
            id="check-with-write-all",
        ),
        pytest.param(
            CHECKOUT + KEEPS_NO_CREDENTIALS,
            CHECKOUT + "\n",
            "check: checkout without persist-credentials: false",
            id="checkout-without-persist-credentials",
        ),
        pytest.param(
            "persist-credentials: false",
            "persist-credentials: true",
            "check: checkout without persist-credentials: false",
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
        for job in ("check", "build", "deploy")
    ]


def test_publishing_guide_lists_each_jobs_permissions() -> None:
    jobs = yaml.safe_load(SITE.read_text(encoding="utf-8"))["jobs"]
    text = PUBLISHING.read_text(encoding="utf-8")
    listed = {
        job: dict(re.findall(r"`([\w-]+): (\w+)`", cell))
        for job, cell in re.findall(r"^\| `([\w-]+)` \| ([^|]+) \|", text, flags=re.M)
    }
    assert listed == {name: job["permissions"] for name, job in jobs.items()}
