"""The README's Huawei example, unchanged, against a ``moto-stacksets-server`` process: under moto's
``TEST_SERVER_MODE`` as written, and pointed at the server (``with_endpoint``) with any project id."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import moto.settings
import pytest

from support import start_server_process

README = Path(__file__).resolve().parent.parent / "README.md"
HUAWEI_BLOCK = next(
    block for block in re.findall(r"```python\n(.*?)```", README.read_text(), re.DOTALL) if "huaweicloudsdkrfs" in block
)
README_PROJECT = "0123456789abcdef0123456789abcdef"
README_REGION = '.with_region(RfsRegion.value_of("cn-north-4"))'


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """A server as a user starts it: no project table, no default region, no strict mode."""
    process, address = start_server_process()
    try:
        yield address
    finally:
        process.terminate()
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def test_the_readme_huawei_example_runs_unchanged_under_test_server_mode(
    endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_SERVER_MODE", "true")
    monkeypatch.setattr(moto.settings, "TEST_SERVER_MODE", True)
    monkeypatch.setenv("TEST_SERVER_MODE_ENDPOINT", endpoint)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    exec(compile(HUAWEI_BLOCK, "README.md", "exec"), {"__name__": "readme"})


@pytest.mark.parametrize(
    "project", [README_PROJECT, "a6c07df0a3ec4f09973c99bd94214054", "F1A0D9224E184728A016B4DDAE1C434B"]
)
def test_the_readme_huawei_example_works_against_the_server_with_any_project_id(endpoint: str, project: str) -> None:
    assert README_PROJECT in HUAWEI_BLOCK and README_REGION in HUAWEI_BLOCK
    code = HUAWEI_BLOCK.replace(README_PROJECT, project).replace(README_REGION, f'.with_endpoint("{endpoint}")')
    code = code.replace("with mock_stacksets():", "if True:")  # a plain client of the server, no mock
    code += f"\nimport requests\nrequests.post('{endpoint}/moto-api/reset', timeout=10)\n"
    exec(compile(code, "README.md", "exec"), {"__name__": "readme"})
