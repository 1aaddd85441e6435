""".github/workflows/refresh.yml: valid GitHub Actions YAML whose commands exist, with the options they pass."""
from __future__ import annotations

import re
import shlex

import pytest
import yaml

from loaders import add_figure, changes, refresh, watch
from loaders.__main__ import COMMANDS
from tests.conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "refresh.yml"
PARSERS = {"refresh": refresh.build_parser, "changes": changes.build_parser, "watch": watch.build_parser,
           "add-figure": add_figure.build_parser}


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(workflow) -> list[dict]:
    return [s for job in workflow["jobs"].values() for s in job["steps"]]


def run_lines(workflow) -> list[str]:
    return [ln.strip() for s in steps(workflow) if "run" in s for ln in s["run"].splitlines() if ln.strip()]


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return {m.group(1) for m in re.finditer(r"^([A-Za-z0-9_.-]+):", text, re.M)}


def loader_calls(workflow) -> list[list[str]]:
    """Each `python -m loaders CMD ARGS` in the run scripts, as argv (shell operators cut off)."""
    calls = []
    for line in run_lines(workflow):
        for m in re.finditer(r"python -m loaders (.+?)(?=\)|$|\s*(?:&&|\|\||;|\|)\s)", line):
            calls.append(shlex.split(m.group(1)))
    return calls


def test_workflow_runs_daily_and_by_hand(workflow):
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` key as true
    assert [s["cron"] for s in triggers["schedule"]] == ["17 0 * * *"]
    assert "workflow_dispatch" in triggers


def test_every_make_target_exists(workflow):
    used = {ln.split()[1] for ln in run_lines(workflow) if ln.startswith("make ")}
    assert used == {"check"}
    assert used <= make_targets()


def test_every_loaders_command_exists_and_accepts_its_options(workflow):
    calls = loader_calls(workflow)
    assert [c[0] for c in calls] == ["changes", "changes", "refresh", "watch", "changes", "changes"]
    for argv in calls:
        assert argv[0] in COMMANDS, argv
        PARSERS[argv[0]]().parse_args(argv[1:])  # SystemExit (a test error) on an unknown option


def test_workflow_runs_check_refresh_and_watch_in_order(workflow):
    names = [" ".join(c[:1]) for c in loader_calls(workflow)]
    lines = run_lines(workflow)
    assert lines.index("make check") < next(i for i, ln in enumerate(lines) if "loaders refresh" in ln)
    assert names.index("refresh") < names.index("watch")


def test_workflow_opens_a_pull_request_with_the_summary_as_description(workflow):
    pr = next(s for s in steps(workflow) if s.get("uses", "").startswith("peter-evans/create-pull-request@"))
    assert pr["with"]["body-path"] == "pr-body.md"
    body_step = next(s for s in steps(workflow) if "pr-body.md" in s.get("run", ""))
    assert "refresh-summary.md" in body_step["run"] and "watch-report.md" in body_step["run"]
    assert set(pr["with"]["add-paths"].split()) == {"data/**", "history/**", "review/**"}
    assert steps(workflow).index(body_step) < steps(workflow).index(pr)


def test_refresh_and_watch_failures_do_not_stop_the_pull_request(workflow):
    for cmd in ("loaders refresh", "loaders watch"):
        step = next(s for s in steps(workflow) if cmd in s.get("run", ""))
        assert step.get("continue-on-error") is True, cmd
