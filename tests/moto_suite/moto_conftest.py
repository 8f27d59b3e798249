"""The conftest.py moto's own ``tests/test_cloudformation`` runs with (copied next to it by ``.ci/moto-suite``).

It installs the plugin as a user's conftest would (``install()``), so every CloudFormation call of moto's
tests goes through moto_stacksets_ext. Then it holds the run to the list of known differences
(``known_differences.txt``): a failure that is not listed fails the run, and so does a listed test that
passes, so the list stays true.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from moto_stacksets_ext import install

install()

KNOWN_DIFFERENCES = Path(os.environ["MOTO_SUITE_KNOWN_DIFFERENCES"])


def _known() -> dict[str, str]:
    known: dict[str, str] = {}
    for line in KNOWN_DIFFERENCES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        node_id, _, evidence = line.partition(" | ")
        if not evidence.strip():
            raise pytest.UsageError(f"{KNOWN_DIFFERENCES}: no evidence for {node_id}")
        known[node_id.strip()] = evidence.strip()
    return known


_failed: set[str] = set()
_passed: set[str] = set()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.failed:
        _failed.add(report.nodeid)
    elif report.passed and report.when == "call":
        _passed.add(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if hasattr(session.config, "workerinput"):  # an xdist worker: the controller judges the run
        return
    known = _known()
    unexpected = sorted(_failed - set(known))
    stale = sorted(node_id for node_id in known if node_id in _passed)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = [f"moto suite: {len(_failed)} failed, {len(_failed & set(known))} of them known differences"]
    lines += [f"UNEXPECTED FAILURE (not in {KNOWN_DIFFERENCES.name}): {node_id}" for node_id in unexpected]
    lines += [f"LISTED BUT PASSES (remove it from {KNOWN_DIFFERENCES.name}): {node_id}" for node_id in stale]
    if reporter is not None:
        reporter.ensure_newline()
        for line in lines:
            reporter.write_line(line)
    if exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED if unexpected or stale else pytest.ExitCode.OK
