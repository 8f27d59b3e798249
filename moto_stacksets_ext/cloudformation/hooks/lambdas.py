"""Running a moto Lambda function's own Python code in-process (no docker), for Lambda Hooks and account gates.

The function's deployment package (the zip moto stores) is unpacked once per code digest into a
temporary directory; its ``Handler`` (``module.function``, modules in packages with dots) is imported
from there under a private module name, with the function's environment variables set while it runs.
Only ``python*`` runtimes run; anything else is ``None`` (the Hook then fails, as a function that cannot
answer).
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ... import moto_internals

_unpacked: dict[str, str] = {}


def _unpack(code: bytes) -> str:
    digest = hashlib.sha256(code).hexdigest()
    found = _unpacked.get(digest)
    if found is None:
        found = tempfile.mkdtemp(prefix=f"moto-stacksets-lambda-{digest[:12]}-")
        with zipfile.ZipFile(io.BytesIO(code)) as archive:
            archive.extractall(found)
        _unpacked[digest] = found
    return found


def _load(root: str, handler: str) -> Callable[..., Any]:
    module_path, _, function_name = handler.rpartition(".")
    relative = module_path.replace(".", os.sep)
    candidates = [os.path.join(root, relative + ".py"), os.path.join(root, relative, "__init__.py")]
    path = next((c for c in candidates if os.path.isfile(c)), None)
    if path is None:
        raise ImportError(f"Unable to import module '{module_path}': No module named '{module_path}'")
    name = f"_moto_stacksets_lambda_{hashlib.sha1(path.encode(), usedforsecurity=False).hexdigest()}"
    module = sys.modules.get(name)
    if module is None:
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"Unable to import module '{module_path}'")
        module = importlib.util.module_from_spec(spec)
        sys.path.insert(0, root)  # the package's own modules and vendored dependencies
        try:
            spec.loader.exec_module(module)
        finally:
            sys.path.remove(root)
        sys.modules[name] = module
    function = getattr(module, function_name, None)
    if not callable(function):
        raise AttributeError(f"Handler '{function_name}' missing on module '{module_path}'")
    return function  # type: ignore[no-any-return]


@contextmanager
def _environment(variables: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in variables}
    os.environ.update({k: str(v) for k, v in variables.items()})
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@dataclass(frozen=True)
class MotoFunction:
    """A moto Lambda function found by ARN: its ``runner`` when its code can run in-process, else why not."""

    arn: str
    runner: Callable[[dict[str, Any], Any], Any] | None
    problem: str | None = None


def find_function(function_arn: str) -> MotoFunction | None:
    """The moto Lambda function ``function_arn`` (None when there is none): runnable when its runtime is
    ``python*`` and it has a zip deployment package and a handler."""
    from moto.awslambda.models import lambda_backends

    parts = function_arn.split(":")
    if len(parts) < 7 or parts[2] != "lambda":
        return None
    region, account = parts[3], parts[4]
    backend = moto_internals.existing_backend(lambda_backends, account, region)
    if backend is None:  # no Lambda backend there, so no function (and none is made just to look)
        return None
    try:
        function = backend.get_function(function_arn)
    except Exception:  # moto's own "function not found"
        return None
    runtime = str(function.run_time or "")
    code = getattr(function, "code_bytes", b"")
    if not runtime.startswith("python"):
        return MotoFunction(function_arn, None, f"runtime {runtime or 'none'} cannot run in-process (python only)")
    if not code or not function.handler:
        return MotoFunction(function_arn, None, "it has no zip deployment package and handler to run in-process")

    def run(event: dict[str, Any], context: Any) -> Any:
        handler = _load(_unpack(code), str(function.handler))
        with _environment(dict(function.environment_vars or {})):
            return handler(event, context)

    return MotoFunction(function_arn, run)


def moto_function(function_arn: str) -> Callable[[dict[str, Any], Any], Any] | None:
    """A runner for the moto Lambda function ``function_arn`` (Python runtimes), or None when there is none."""
    found = find_function(function_arn)
    return found.runner if found is not None else None
