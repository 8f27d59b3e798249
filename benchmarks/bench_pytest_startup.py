"""What the pytest plugin adds to every pytest run in an environment where the package is installed.

Run: ``python benchmarks/bench_pytest_startup.py [runs]``. In one run, it times ``pytest`` on a one-line
test without the plugin (``-p no:stacksets``) and with it, alternating the two so that both see the same
machine load, and prints the medians, their difference (the goal: under 0.2 s) and their ratio. It also
times ``import moto_stacksets_ext`` against a bare interpreter. Nothing heavy is imported until a test
uses a fixture, the marker or ``mock_stacksets``, so the difference stays near zero.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 10
GOAL_SECONDS = 0.2


def _seconds(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def _medians(commands: dict[str, list[str]], cwd: Path) -> dict[str, float]:
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():  # warm the file cache and .pyc files once
        _seconds(command, cwd)
    for _ in range(RUNS):
        for name, command in commands.items():
            samples[name].append(_seconds(command, cwd))
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        cwd = Path(folder)
        (cwd / "test_one.py").write_text("def test_one():\n    assert 1 + 1 == 2\n")
        pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_one.py"]
        pytest_times = _medians({"without": [*pytest, "-p", "no:stacksets"], "with": pytest}, cwd)
        import_times = _medians(
            {"bare": [sys.executable, "-c", "pass"], "import": [sys.executable, "-c", "import moto_stacksets_ext"]},
            cwd,
        )
    added = pytest_times["with"] - pytest_times["without"]
    print(f"pytest on a one-line test, median of {RUNS} runs each (alternating):")
    print(f"  without the plugin (-p no:stacksets): {pytest_times['without']:.3f} s")
    print(f"  with the plugin:                      {pytest_times['with']:.3f} s")
    print(
        f"  added by the plugin: {added:+.3f} s, ratio {pytest_times['with'] / pytest_times['without']:.3f} "
        f"(goal: under {GOAL_SECONDS} s) -> {'OK' if added < GOAL_SECONDS else 'OVER THE GOAL'}"
    )
    print(
        f"import moto_stacksets_ext: {import_times['import']:.3f} s vs a bare interpreter {import_times['bare']:.3f} s "
        f"(+{import_times['import'] - import_times['bare']:.3f} s)"
    )


if __name__ == "__main__":
    main()
