"""The package's import graph: no import circle spans more than two modules.

Every ``import``/``from ... import`` of the package's own modules is an arrow (imports under
``TYPE_CHECKING`` are not: they never run), wherever it stands (function-level imports included, since
they run too). A circle of three or more modules means no module of it can be read, tested or moved alone.
"""

from __future__ import annotations

import ast
from pathlib import Path

import moto_stacksets_ext

PACKAGE = Path(moto_stacksets_ext.__file__).parent
NAME = "moto_stacksets_ext"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(module: str, path: Path, known: set[str]) -> set[str]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def resolve(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.startswith(NAME) and (target := resolve(alias.name)):
                        found.add(target)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - (child.level - 1)]
                    origin = ".".join([*base, child.module] if child.module else base)
                else:
                    origin = child.module or ""
                if not origin.startswith(NAME):
                    continue
                for alias in child.names:
                    target = resolve(f"{origin}.{alias.name}")  # a submodule, or a name of ``origin``
                    if target:
                        found.add(target)
            visit(child)

    visit(ast.parse(path.read_text(), str(path)))
    found.discard(module)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def connect(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_the_graph_sees_the_package_imports() -> None:
    graph = import_graph()
    assert "moto_stacksets_ext._transport.gateway" in graph["moto_stacksets_ext.huawei_rfs.frontend"]
    assert "moto_stacksets_ext._clouds" in graph["moto_stacksets_ext.plugin"]


def test_no_import_circle_spans_more_than_two_modules() -> None:
    wide = [circle for circle in circles(import_graph()) if len(circle) > 2]
    assert wide == [], "\n".join(" -> ".join(circle) for circle in wide)
