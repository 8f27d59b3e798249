"""Packaging a user can trust: licence, metadata, extras, an sdist that can run the tests, and a server
command that says what it is and where it listens (or why it cannot)."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import tarfile
from importlib.metadata import metadata
from pathlib import Path

import moto_stacksets_ext

ROOT = Path(__file__).resolve().parent.parent


def _requirements(extra: str) -> list[str]:
    found = metadata("moto-stacksets-ext").get_all("Requires-Dist") or []
    return sorted(r.split(";")[0].replace(" ", "") for r in found if f'extra == "{extra}"' in r)


def test_the_licence_is_apache_2_and_declared_as_spdx() -> None:
    text = (ROOT / "LICENSE").read_text()
    assert "Apache License" in text and "Version 2.0, January 2004" in text and "END OF TERMS AND CONDITIONS" in text
    meta = metadata("moto-stacksets-ext")
    assert meta["License-Expression"] == "Apache-2.0"
    assert "LICENSE" in (meta.get_all("License-File") or [])


def test_classifiers_say_what_the_package_is() -> None:
    classifiers = set(metadata("moto-stacksets-ext").get_all("Classifier") or [])
    assert {
        "Framework :: Pytest",
        "Topic :: Software Development :: Testing :: Mocking",
        "Typing :: Typed",
    } <= classifiers


def test_no_project_url_is_invented() -> None:
    # Not published and no public repository yet: no address until one exists (the PyPI page does not).
    assert metadata("moto-stacksets-ext").get_all("Project-URL") is None


def test_extras_install_the_official_sdks_as_ranges_from_the_versions_tested() -> None:
    assert _requirements("huawei") == [
        "huaweicloudsdkcore<3.2,>=3.1.219",
        "huaweicloudsdkrfs<3.2,>=3.1.219",
        "python-hcl2<9,>=8.1.4",  # RFS stack templates in HCL
        "regopy<2,>=1.5.2",  # RFS private hooks' Rego (only where it has wheels: a platform marker)
    ]
    assert _requirements("alibaba") == [
        "aiohttp<4,>=3.7",
        "alibabacloud_ros20190910<4,>=3.7.0",
        "alibabacloud_tea_openapi<0.5,>=0.4.6",
        "aliyun-python-sdk-core<3,>=2.16.1",
        "aliyun-python-sdk-ros<4,>=3.6.1",
    ]
    assert _requirements("all") == ["moto-stacksets-ext[alibaba,huawei]"]
    for extra in ("huawei", "alibaba", "all", "hooks", "test", "docs"):  # never a downgrade of a user's packages
        assert not [r for r in _requirements(extra) if "==" in r], extra
    assert "moto-stacksets-ext[alibaba,hooks,huawei]" in _requirements("test")


def test_the_constraints_pin_the_lower_bounds_of_the_extras() -> None:
    pins = dict(
        line.split("==")
        for line in (ROOT / ".ci/constraints.txt").read_text().splitlines()
        if line and not line.startswith("#")
    )
    bounds = {
        r.split("<")[0]: r.split(">=")[1]
        for r in _requirements("huawei") + _requirements("alibaba")
        if not r.startswith("aiohttp")
    }
    assert pins == bounds


def test_all_installs_every_sdk_the_readme_says_is_served() -> None:
    readme = (ROOT / "README.md").read_text()
    served = {"huaweicloudsdkrfs", "alibabacloud_ros20190910", "aliyun-python-sdk-ros"}
    assert all(name in readme for name in served)
    installed = {r.split("<")[0].split(">")[0] for r in _requirements("huawei") + _requirements("alibaba")}
    assert served <= installed
    assert {"huaweicloudsdkcore", "alibabacloud_tea_openapi", "aliyun-python-sdk-core"} <= installed


def test_the_readme_sets_up_with_two_commands_that_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text()
    setup = readme[readme.index("## Set-up") : readme.index("## Documentation")]
    commands = re.findall(r"```bash\n(.*?)\n```", setup, re.DOTALL)
    assert len(commands) == 2
    server, tests = commands
    assert server.endswith("moto-stacksets-server --port 5000") and "'.[all]'" in server
    assert "-c .ci/constraints.txt" in tests
    assert tests in (ROOT / ".ci/run").read_text()  # CI runs the README's test command as written
    assert "not published on PyPI yet" in setup and "pip install 'moto-stacksets-ext" not in readme


def test_the_readme_s_wheel_command_builds_the_wheel_it_names(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text()
    command = re.search(r"`(python3 -m pip wheel [^`]+)`", readme)
    assert command is not None
    named = re.search(r"'dist/([^'\[]+)\[all\]'", readme)
    assert named is not None
    arguments = command.group(1).split()[1:]  # python3 -> this interpreter
    arguments[arguments.index("dist")] = str(tmp_path / "dist")
    subprocess.run([sys.executable, *arguments], cwd=ROOT, check=True, capture_output=True, timeout=600)
    assert (tmp_path / "dist" / named.group(1)).is_file()


def test_the_sdist_carries_what_the_tests_and_docs_need(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--outdir", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (archive,) = tmp_path.glob("moto_stacksets_ext-*.tar.gz")
    with tarfile.open(archive) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    for needed in (
        "LICENSE",
        "README.md",
        "CHANGELOG.md",
        "pyproject.toml",
        "mkdocs.yml",
        "MANIFEST.in",
        ".ci/run",
        ".ci/constraints.txt",
    ):
        assert needed in names, needed
    for folder, suffix in (("tests", ".py"), ("docs", ".md"), ("benchmarks", ".py"), ("tests/fixtures", ".json")):
        expected = {
            str(p.relative_to(ROOT))
            for p in (ROOT / folder).rglob(f"*{suffix}")
            if "__pycache__" not in p.parts and "node_modules" not in p.parts and p.name != "package-lock.json"
        }
        assert expected <= names, sorted(expected - names)
    assert {"moto_stacksets_ext/py.typed", "moto_stacksets_ext/static/live_view.html"} <= names


def _server(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "moto_stacksets_ext", *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_the_server_prints_its_version() -> None:
    import moto

    result = _server("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"moto-stacksets-server {moto_stacksets_ext.__version__} (moto {moto.__version__})"


def test_a_taken_port_is_one_clear_line_and_exit_1() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = _server("--port", str(port))
    assert result.returncode == 1
    assert "listening on" not in result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"moto-stacksets-server: cannot listen on 127.0.0.1:{port}: Address already in use")


def test_listening_is_printed_with_the_bound_port() -> None:
    import requests

    process = subprocess.Popen(
        [sys.executable, "-m", "moto_stacksets_ext", "--port", "0"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("moto-stacksets-ext server listening on http://127.0.0.1:")
        endpoint = line.split(" on ", 1)[1].strip()
        assert not endpoint.endswith(":0")
        # Printed after the bind: the port answers at once.
        assert requests.get(f"{endpoint}/moto-api/stacksets/clock", timeout=30).status_code == 200
    finally:
        process.terminate()
        process.communicate(timeout=30)
