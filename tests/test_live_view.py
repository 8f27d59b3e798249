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
    assert operation["preferences"]["region_order"] == [REGION, EU, AP]
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
