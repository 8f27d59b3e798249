"""Packaging a user can trust: licence, metadata, extras, an sdist that can run the tests, and a server
command that says what it is and where it listens (or why it cannot)."""

from __future__ import annotations

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


def test_project_urls_are_only_true_ones() -> None:
    # The PyPI page is the project's address until its public repository exists (no invented Source URL).
    assert metadata("moto-stacksets-ext").get_all("Project-URL") == [
        "Homepage, https://pypi.org/project/moto-stacksets-ext/"
    ]


def test_extras_install_the_official_sdks_from_the_versions_tested() -> None:
    assert _requirements("huawei") == [
        "huaweicloudsdkcore<3.2,>=3.1.219",
        "huaweicloudsdkrfs<3.2,>=3.1.219",
        "python-hcl2<9,>=8.1",  # RFS stack templates in HCL
        "regopy<2,>=1.5.2",  # RFS private hooks' Rego (only where it has wheels: a platform marker)
    ]
    assert _requirements("alibaba") == ["alibabacloud_ros20190910<4,>=3.7.0", "alibabacloud_tea_openapi<0.5,>=0.4.6"]
    assert _requirements("all") == ["moto-stacksets-ext[alibaba,huawei]"]
    tested = set(_requirements("test"))  # the suite runs on exactly the lower bounds
    assert {
        "huaweicloudsdkcore==3.1.219",
        "huaweicloudsdkrfs==3.1.219",
        "alibabacloud_ros20190910==3.7.0",
        "alibabacloud_tea_openapi==0.4.6",
        "python-hcl2==8.1.4",
        "regopy==1.5.2",
    } <= tested


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
    for needed in ("LICENSE", "README.md", "CHANGELOG.md", "pyproject.toml", "mkdocs.yml", "MANIFEST.in", ".ci/run"):
        assert needed in names, needed
    for folder, suffix in (("tests", ".py"), ("docs", ".md"), ("benchmarks", ".py")):
        expected = {
            str(p.relative_to(ROOT)) for p in (ROOT / folder).rglob(f"*{suffix}") if "__pycache__" not in p.parts
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
