"""Every Python code block in the README and docs/ runs, so the docs cannot rot.

A block runs in a fresh namespace; functions it defines whose names start with ``test_`` are called too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from moto_stacksets_ext import control

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
BLOCKS = [
    pytest.param(code, id=f"{path.relative_to(ROOT)}#{index}")
    for path in DOCUMENTS
    for index, code in enumerate(BLOCK.findall(path.read_text()), start=1)
]


@pytest.mark.parametrize("code", BLOCKS)
def test_code_block_runs(code: str) -> None:
    namespace: dict[str, object] = {"__name__": "docs_example"}
    try:
        exec(compile(code, "<docs>", "exec"), namespace)
        for name, value in list(namespace.items()):
            if name.startswith("test_") and callable(value):
                value()
    finally:
        control.reset_progression()
