"""The live view: its data endpoint, and the page itself in a real headless Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import requests

from moto_stacksets_ext import control
from moto_stacksets_ext.server import ThreadedStackSetsServer

from support import ACCOUNT_A, ACCOUNT_B, ACCOUNT_C, REGION, TOPIC_TEMPLATE

EU, AP = "eu-west-1", "ap-south-1"
FAILED_RGB = (220, 38, 38)


@pytest.fixture
def failed_rollout(server_cf: Any) -> str:
    server_cf.create_stack_set(StackSetName="demo", TemplateBody=TOPIC_TEMPLATE)
    control.fail(account=ACCOUNT_B, region=EU, reason="scripted failure")
    operation_id: str = server_cf.create_stack_instances(
        StackSetName="demo",
        Accounts=[ACCOUNT_A, ACCOUNT_B, ACCOUNT_C],
        Regions=[REGION, EU, AP],
        OperationPreferences={"RegionOrder": [REGION, EU, AP]},
    )["OperationId"]
    return operation_id


def test_state_endpoint(server: ThreadedStackSetsServer, failed_rollout: str) -> None:
    state = requests.get(f"{server.endpoint}/moto-api/stacksets/view/state", timeout=10).json()
    (namespace,) = state["namespaces"]
    assert (namespace["cloud"], namespace["region"]) == ("aws", REGION)
    (stack_set,) = namespace["stack_sets"]
    (operation,) = stack_set["operations"]
    assert operation["operation_id"] == failed_rollout
    assert operation["status"] == "FAILED"
    assert operation["preferences"]["RegionOrder"] == [REGION, EU, AP]
    assert operation["pace"] is None  # finished
    cells = {(c["account"], c["region"]): (c["status"], c["reason"]) for c in operation["cells"]}
    assert cells[(ACCOUNT_B, EU)] == ("FAILED", "scripted failure")
    assert cells[(ACCOUNT_A, AP)][0] == "CANCELLED"
    assert state["hook_results"] == []


def test_page_is_served_without_external_resources(server: ThreadedStackSetsServer) -> None:
    response = requests.get(f"{server.endpoint}/moto-api/stacksets/", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert "/moto-api/stacksets/view/state" in response.text
    assert "http://" not in response.text and "https://" not in response.text


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run installs Debian's chromium for this test")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return found


def _headless(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--window-size=1200,900",
            "--virtual-time-budget=3000",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_grid_shows_the_failed_cell_in_a_real_browser(
    server: ThreadedStackSetsServer, failed_rollout: str, tmp_path: Path
) -> None:
    from PIL import Image

    binary = _chromium()
    url = f"{server.endpoint}/moto-api/stacksets/"
    dom = _headless(binary, tmp_path / "profile-dom", "--dump-dom", url)
    assert f'data-status="FAILED" data-account="{ACCOUNT_B}" data-region="{EU}"' in dom.stdout, dom.stderr[-2000:]
    assert "scripted failure" in dom.stdout

    screenshot = tmp_path / "live-view.png"
    _headless(binary, tmp_path / "profile-shot", f"--screenshot={screenshot}", url)
    image = Image.open(screenshot).convert("RGB")
    colours = image.getcolors(maxcolors=image.width * image.height) or []
    red = sum(
        count
        for count, colour in colours
        if all(abs(channel - wanted) <= 12 for channel, wanted in zip(colour, FAILED_RGB, strict=True))
    )
    # One FAILED grid cell (about 100x25 px) plus the operation's FAILED badge are painted in the FAILED colour.
    assert red > 2000, f"only {red} pixels in the FAILED colour"


@pytest.fixture
def stuck_rollout(server_cf: Any) -> str:
    """A rollout that is still RUNNING (manual progression), with a repeated failure reason and outcomes left."""
    control.set_progression("manual", times=3)
    server_cf.create_stack_set(StackSetName="slow", TemplateBody=TOPIC_TEMPLATE)
    control.fail(region=EU, reason="quota exceeded")
    control.fail(account=ACCOUNT_C, region=AP, reason="never used yet", times=2)
    operation_id: str = server_cf.create_stack_instances(
        StackSetName="slow",
        Accounts=[ACCOUNT_A, ACCOUNT_B],
        Regions=[EU, REGION],
        OperationPreferences={"FailureToleranceCount": 2, "MaxConcurrentCount": 2, "RegionOrder": [EU, REGION]},
    )["OperationId"]
    for _ in range(3):  # one step: the eu-west-1 targets fail with the same reason
        server_cf.describe_stack_set_operation(StackSetName="slow", OperationId=operation_id)
    return operation_id


def test_state_endpoint_answers_why_it_is_still_running(server: ThreadedStackSetsServer, stuck_rollout: str) -> None:
    state = requests.get(f"{server.endpoint}/moto-api/stacksets/view/state", timeout=10).json()
    assert state["clock"]["now"]
    progressions = {p["cloud"]: p["transition"] for p in state["progressions"]}
    assert progressions["aws"] == {"progression": "manual", "times": 3}
    assert progressions["huawei"] == {"progression": "immediate"}
    waiting = state["outcomes_waiting"]["deployments"]
    assert [o["reason"] for o in waiting] == ["quota exceeded", "never used yet"]  # the first is persistent
    (operation,) = state["namespaces"][0]["stack_sets"][0]["operations"]
    assert operation["status"] == "RUNNING"
    assert operation["pace"] == {"progression": "manual", "times": 3, "reads": 0}
    assert operation["preferences"]["FailureToleranceCount"] == 2
    assert operation["preferences"]["RegionOrder"] == [EU, REGION]
    (grouped,) = operation["reasons"]
    assert (grouped["reason"], grouped["count"]) == ("quota exceeded", 2)
    assert {(t["account"], t["region"]) for t in grouped["targets"]} == {(ACCOUNT_A, EU), (ACCOUNT_B, EU)}


def test_the_page_answers_why_it_is_still_running_in_a_real_browser(
    server: ThreadedStackSetsServer, stuck_rollout: str, tmp_path: Path
) -> None:
    binary = _chromium()
    dom = _headless(binary, tmp_path / "profile", "--dump-dom", f"{server.endpoint}/moto-api/stacksets/").stdout
    assert "aws (cloudformation::stackset-operation): manual: a step every 3 read(s) of the operation" in dom
    assert "pace: manual, a step every 3 read(s); 0 read(s) since the last step" in dom
    assert "engine clock: " in dom
    assert "FAIL region=eu-west-1 reason=quota exceeded · until removed" in dom
    assert "FAIL account=333333333333 region=ap-south-1 reason=never used yet · 2 use(s) left" in dom
    assert "FailureToleranceCount=2" in dom and "RegionOrder=eu-west-1,us-east-1" in dom
    assert 'data-count="2"' in dom and "\u00d72 quota exceeded (" in dom
    assert 'href="/moto-api/stacksets/view/state"' in dom


SELECTION_HARNESS = """<!doctype html><html><body>
<div id="updated"></div><div id="engine"></div><div id="stacksets"></div><div id="hooks"></div><pre id="result"></pre>
<script>
let version = 0;
function snapshot(n) {
  return {clock: {now: "t" + n}, progressions: [], outcomes_waiting: {deployments: [], hooks: []},
          namespaces: [], hook_results: []};
}
window.fetch = async () => ({json: async () => snapshot(++version)});
</script>
<script>LIVE_VIEW_SCRIPT</script>
<script>
setTimeout(async () => {
  const clock = document.getElementById("clock");
  const before = clock.textContent;
  const range = document.createRange();
  range.selectNodeContents(clock);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
  await refresh();  // newer data arrives while the user has text selected
  const during = document.getElementById("clock").textContent;
  const kept = document.getElementById("clock") === clock && getSelection().toString() === before;
  getSelection().removeAllRanges();
  show();  // what the selectionchange event does once the selection is gone
  const after = document.getElementById("clock").textContent;
  document.getElementById("result").textContent = JSON.stringify({before, during, kept, after});
}, 200);
</script></body></html>"""


def test_the_page_does_not_redraw_over_a_text_selection(tmp_path: Path) -> None:
    import json
    import re

    binary = _chromium()
    page = (Path(__file__).resolve().parent.parent / "moto_stacksets_ext/static/live_view.html").read_text()
    (script,) = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    harness = tmp_path / "harness.html"
    harness.write_text(SELECTION_HARNESS.replace("LIVE_VIEW_SCRIPT", script))
    dom = _headless(binary, tmp_path / "profile", "--dump-dom", harness.as_uri()).stdout
    found = re.search(r'<pre id="result">(.*?)</pre>', dom, re.DOTALL)
    assert found is not None and found.group(1), dom[-2000:]
    result = json.loads(found.group(1).replace("&quot;", '"'))
    assert result["kept"] is True  # the selected node and the selection survived the refresh
    assert result["during"] == result["before"]
    assert result["after"] != result["before"] and result["after"].startswith("engine clock: t")
