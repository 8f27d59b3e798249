"""The performance table of docs/performance.md, measured side by side in one run.

Run: ``python benchmarks/bench_performance.py`` (about two minutes; ``--quick`` for a shorter, noisier run;
``--in-process`` for the in-process rows alone).

Rows (each printed with the times it compares and their ratio):

1. A page of 100 ListStackSetOperations summaries with 100 and with 5,000 operations stored: the *floor*
   (botocore parsing a pre-built reply of the same page, with no mock at all: the client's own cost),
   moto alone (``mock_aws``, moto's own stack sets) and the plugin (``mock_stacksets``). The plugin and
   the floor are sampled in turn, in the same process, so both see the same load and heap.
2. Creating an operation: CreateStackInstances for one new account in one region (each deploys one real
   moto stack), moto alone and the plugin; its floor is botocore's own cost for the call (a pre-built
   reply, nothing deployed), sampled in turn with the plugin. Floor clients have moto's stubber taken off
   their events, and every floor call is checked to be answered by its pre-built reply, never the mock.
3. Server mode: four client processes sending DescribeStackSet and ListStackSetOperations(MaxResults=20)
   in turn for a fixed time to ``moto_server`` and to ``moto-stacksets-server``, both started here on free
   loopback ports and loaded in turn, in four windows each, so both see the same load. The clients replay
   requests signed once by botocore over plain ``http.client``, so the count measures the servers, not the
   clients' parsing. Each client keeps its connection while the server keeps it open (moto_server closes
   every one; ``--no-keep-alive``: a new connection per request to both). ``--server-only``: these rows only.
4. pytest start-up added by the plugin: ``pytest --collect-only`` of one trivial test with the plugin
   loaded and with ``-p no:stacksets``.

In-process rows are medians of the benchmark process's CPU time per call (no I/O happens, and CPU time
leaves out what other processes on a busy machine take); the server row is wall-clock throughput, and,
on Linux, also requests per second of the server process's CPU time (the server's own cost per request,
steady on a busy machine). Ratios are what to compare across machines.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
from botocore.awsrequest import AWSResponse

ACCOUNT = "123456789012"
REGION = "us-east-1"
TEMPLATE = '{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}'
#: moto names an instance's resources after a stack name its SNS and SQS models refuse; this one it records.
HANDLE_TEMPLATE = '{"Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}}}'
SERVER_OPERATIONS = 20  # moto answers every operation whatever MaxResults says: 20 stored, 20 listed
CLIENTS = 4


def median_ms(call: Callable[[], Any], repeat: int, clock: Callable[[], float] = time.process_time) -> float:
    """Median milliseconds of ``call``: CPU time of this process by default (in-process calls do no I/O,
    and CPU time does not count the time other processes on a busy machine take)."""
    samples = []
    for _ in range(repeat):
        start = clock()
        call()
        samples.append(clock() - start)
    return statistics.median(samples) * 1000


def client() -> Any:
    return boto3.client("cloudformation", region_name=REGION)


def page_call(cf: Any, name: str) -> Callable[[], Any]:
    def call() -> Any:
        summaries = cf.list_stack_set_operations(StackSetName=name, MaxResults=100)["Summaries"]
        assert len(summaries) >= 100, len(summaries)

    return call


def create_call(cf: Any, name: str) -> Callable[[], Any]:
    """CreateStackInstances for one new account in one region: one operation, one stack deployed."""
    cf.create_stack_set(StackSetName=name, TemplateBody=HANDLE_TEMPLATE)
    accounts = (f"{100_000_000_000 + index}" for index in range(1_000_000))

    def call() -> Any:
        cf.create_stack_instances(StackSetName=name, Accounts=[next(accounts)], Regions=[REGION])

    return call


# -- in-process ---------------------------------------------------------------------------------------
def moto_alone(sizes: list[int], repeat: int) -> tuple[dict[int, float], float]:
    """moto's own stack sets (the plugin is not installed)."""
    from moto import mock_aws
    from moto.cloudformation.models import cloudformation_backends

    from moto_stacksets_ext import plugin

    plugin.uninstall()
    pages: dict[int, float] = {}
    with mock_aws():
        cf = client()
        backend = cloudformation_backends[ACCOUNT][REGION]
        for size in sizes:
            name = f"moto-{size}"
            cf.create_stack_set(StackSetName=name, TemplateBody=TEMPLATE)
            stack_set = backend.describe_stack_set(name)
            for _ in range(size):
                stack_set._create_operation(str(uuid.uuid4()), "UPDATE", "SUCCEEDED")
            pages[size] = median_ms(page_call(cf, name), repeat)
        create = median_ms(create_call(cf, "moto-create"), repeat * 8)
    return pages, create


def plugin_in_process(sizes: list[int], repeat: int) -> tuple[dict[int, float], float, float, float]:
    """The plugin, each call sampled in turn with its floor in the same process and heap (so both see the
    same load and the same garbage collector): pages by size, the page's floor, creating an operation and
    its floor."""
    from moto_stacksets_ext import mock_stacksets
    from moto_stacksets_ext.cloudformation.models import stacksets_backends
    from moto_stacksets_ext.engine.stacksets import OperationRequest

    reply: dict[str, bytes] = {}

    def keep(response_dict: dict[str, Any], **_: Any) -> None:
        reply["body"] = response_dict["body"]

    with mock_stacksets():
        cf = client()
        namespace = stacksets_backends[ACCOUNT][REGION].namespace
        for size in sizes:
            name = f"plugin-{size}"
            cf.create_stack_set(StackSetName=name, TemplateBody=TEMPLATE)
            for _ in range(size):
                namespace.delete_instances(name, [], False, OperationRequest())
        cf.meta.events.register("before-parse.cloudformation.ListStackSetOperations", keep)
        page_call(cf, f"plugin-{sizes[0]}")()
        cf.meta.events.unregister("before-parse.cloudformation.ListStackSetOperations", keep)
        pages_calls = {f"page-{size}": page_call(cf, f"plugin-{size}") for size in sizes}
        # The floors: botocore's whole client path with the reply handed over before sending, on clients
        # that moto's stubber is taken off (and checked never to reach it).
        floor = floor_client(reply["body"])
        pages_calls["page-floor"] = floor_call(floor, page_call(floor, "floor"))
        medians = interleaved(pages_calls, repeat)
        create_calls = {"create": create_call(cf, "plugin-create"), "create-floor": create_floor_call()}
        medians.update(interleaved(create_calls, repeat * 8))
    pages = {size: medians[f"page-{size}"] for size in sizes}
    return pages, medians["page-floor"], medians["create"], medians["create-floor"]


def interleaved(calls: dict[str, Callable[[], Any]], repeat: int) -> dict[str, float]:
    """Median CPU milliseconds of each call, sampled in rounds that take every call once in turn."""
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(repeat):
        for name, call in calls.items():
            start = time.process_time()
            call()
            samples[name].append(time.process_time() - start)
    return {name: statistics.median(values) * 1000 for name, values in samples.items()}


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


def floor_client(body: bytes, operation: str = "ListStackSetOperations") -> Any:
    """A client whose ``operation`` replies ``body`` before anything is sent: botocore's own cost, no mock.

    moto adds its stubber to the events of every client made after moto is imported, so it is taken off
    this client's events; ``replies`` counts the answers given here, and ``floor_call`` checks that every
    call of the floor was answered here, never by the mock."""
    from moto.core.models import botocore_stubber

    cf = client()
    cf.meta.events.unregister("before-send", botocore_stubber)
    replies = [0]

    def reply(request: Any, **_: Any) -> AWSResponse:
        replies[0] += 1
        return AWSResponse(request.url, 200, {"Content-Type": "text/xml"}, _Raw(body))

    cf.meta.events.register(f"before-send.cloudformation.{operation}", reply)
    cf.floor_replies = replies
    return cf


def floor_call(cf: Any, call: Callable[[], Any]) -> Callable[[], Any]:
    """``call`` on a floor client, checked to be answered by the floor's reply (so never by the mock)."""

    def run() -> Any:
        before = cf.floor_replies[0]
        result = call()
        assert cf.floor_replies[0] == before + 1, "the floor client reached the mock"
        return result

    return run


CREATE_REPLY = (
    b'<CreateStackInstancesResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">'
    b"<CreateStackInstancesResult><OperationId>6f9e4a0c-2b1d-4c55-9a43-2e1a7c3b8d10</OperationId>"
    b"</CreateStackInstancesResult><ResponseMetadata><RequestId>floor</RequestId></ResponseMetadata>"
    b"</CreateStackInstancesResponse>"
)


def create_floor_call() -> Callable[[], Any]:
    """CreateStackInstances through botocore with the reply handed over: no mock, no deployment."""
    cf = floor_client(CREATE_REPLY, "CreateStackInstances")
    accounts = (f"{100_000_000_000 + index}" for index in range(1_000_000))

    def call() -> Any:
        cf.create_stack_instances(StackSetName="floor", Accounts=[next(accounts)], Regions=[REGION])

    return floor_call(cf, call)


# -- server mode --------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float | None:
    """CPU time a process has used so far (Linux ``/proc``; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def running(command: list[str], port: int) -> Iterator[tuple[str, int]]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{command[0]} did not start") from None
                time.sleep(0.1)
        yield endpoint, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def signed_requests(endpoint: str) -> list[tuple[str, str, dict[str, str], bytes]]:
    """DescribeStackSet and ListStackSetOperations(MaxResults=20), prepared and signed once by botocore."""
    cf = boto3.client("cloudformation", region_name=REGION, endpoint_url=endpoint)
    cf.create_stack_set(StackSetName="bench", TemplateBody=TEMPLATE)
    for index in range(SERVER_OPERATIONS):
        cf.update_stack_set(StackSetName="bench", Description=f"v{index}")
    captured: list[tuple[str, str, dict[str, str], bytes]] = []

    def capture(request: Any, **_: Any) -> None:
        body = request.body if isinstance(request.body, bytes) else (request.body or "").encode()
        captured.append((request.method, urlsplit(request.url).path or "/", dict(request.headers.items()), body))

    cf.meta.events.register("before-send.cloudformation", capture)
    cf.describe_stack_set(StackSetName="bench")
    assert len(cf.list_stack_set_operations(StackSetName="bench", MaxResults=20)["Summaries"]) == 20
    return captured


def _client_loop(args: tuple[int, list[tuple[str, str, dict[str, str], bytes]], float, bool]) -> int:
    """Requests answered in ``seconds``: one connection kept while the server keeps it (``reuse``), else a
    new connection per request."""
    port, requests, seconds, reuse = args
    done = 0
    deadline = time.monotonic() + seconds
    connection: http.client.HTTPConnection | None = None
    while time.monotonic() < deadline:
        method, path, headers, body = requests[done % len(requests)]
        if connection is None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        if response.will_close or not reuse:  # the server closes the connection after its answer: open a new one
            connection.close()
            connection = None
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status} from port {port}")
        done += 1
    if connection is not None:
        connection.close()
    return done


ROUNDS = 4  # server windows per server, taken in turn (moto, plugin, moto, ...) so both see the same load


def server_rates(seconds: float, reuse: bool = True) -> tuple[tuple[float, float | None], tuple[float, float | None]]:
    """Requests per second of wall time, and per second of the server's CPU time (None off Linux), of
    ``moto_server`` and of the plugin's server: both run at once, and the clients load them in turn, in
    ``ROUNDS`` windows each of ``seconds / ROUNDS`` (a server waiting for its turn uses no CPU). Each client
    keeps its connection for as long as the server keeps it open (``reuse``; moto_server closes every
    connection, the plugin's server keeps HTTP/1.1 connections), else opens one per request."""
    bin_dir = Path(sys.executable).parent
    moto_port, plugin_port = free_port(), free_port()
    moto_command = [str(bin_dir / "moto_server"), "-p", str(moto_port)]
    plugin_command = [sys.executable, "-m", "moto_stacksets_ext", "--port", str(plugin_port)]
    window = seconds / ROUNDS
    with running(moto_command, moto_port) as moto, running(plugin_command, plugin_port) as plugin:
        servers = [(moto, signed_requests(moto[0])), (plugin, signed_requests(plugin[0]))]
        served = [0, 0]
        cpu: list[float | None] = [0.0, 0.0]
        with multiprocessing.get_context("spawn").Pool(CLIENTS) as pool:
            for (endpoint, _), requests in servers:  # warm up (and start the workers)
                pool.map(_client_loop, [(int(urlsplit(endpoint).port or 80), requests, 0.5, reuse)] * CLIENTS)
            for _ in range(ROUNDS):
                for index, ((endpoint, pid), requests) in enumerate(servers):
                    port = int(urlsplit(endpoint).port or 80)
                    before = cpu_seconds(pid)
                    served[index] += sum(pool.map(_client_loop, [(port, requests, window, reuse)] * CLIENTS))
                    after = cpu_seconds(pid)
                    used = cpu[index]
                    cpu[index] = None if used is None or before is None or after is None else used + after - before
    rates = []
    for index in range(2):
        used = cpu[index]
        rates.append((served[index] / seconds, served[index] / used if used else None))
    return rates[0], rates[1]


def print_server_rows(moto: tuple[float, float | None], plugin: tuple[float, float | None]) -> None:
    (moto_rate, moto_per_cpu), (plugin_rate, plugin_per_cpu) = moto, plugin
    label = f"server, {CLIENTS} clients, DescribeStackSet + ListStackSetOperations(20) (req/s)"
    print(f"{label:58} {'':9} {moto_rate:10.0f} {plugin_rate:10.0f}   {plugin_rate / moto_rate:.2f}x moto")
    if moto_per_cpu is not None and plugin_per_cpu is not None:
        label = "  the same, per second of server CPU time (req/CPU-s)"
        ratio = plugin_per_cpu / moto_per_cpu
        print(f"{label:58} {'':9} {moto_per_cpu:10.0f} {plugin_per_cpu:10.0f}   {ratio:.2f}x moto")


# -- pytest start-up ----------------------------------------------------------------------------------
def pytest_startup(repeat: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as directory:
        Path(directory, "test_one.py").write_text("def test_one():\n    pass\n")
        base = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", directory]

        def run(extra: list[str]) -> Callable[[], Any]:
            return lambda: subprocess.run(base + extra, check=True, capture_output=True, cwd=directory)

        without = median_ms(run(["-p", "no:stacksets"]), repeat, time.perf_counter)
        with_plugin = median_ms(run([]), repeat, time.perf_counter)
    return without, with_plugin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples and a shorter server run")
    parser.add_argument("--server-only", action="store_true", help="only the server rows")
    parser.add_argument(
        "--no-keep-alive", action="store_true", help="server rows: a new connection per request, for both servers"
    )
    parser.add_argument("--in-process", action="store_true", help="only the in-process rows (no server, no pytest)")
    args = parser.parse_args()
    repeat, seconds, startups = (7, 3.0, 2) if args.quick else (25, 10.0, 5)
    warnings.simplefilter("ignore")  # moto warns that it does not model WaitConditionHandle
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    if args.server_only:
        print_server_rows(*server_rates(seconds, reuse=not args.no_keep_alive))
        return
    sizes = [100, 5_000]

    moto_pages, moto_create = moto_alone(sizes, repeat)
    plugin_pages, floor_page, plugin_create, floor_create = plugin_in_process(sizes, repeat)
    if not args.in_process:
        servers = server_rates(seconds, reuse=not args.no_keep_alive)
        without, with_plugin = pytest_startup(startups)

    print(f"{'':58} {'floor':>9} {'moto':>10} {'plugin':>10}   ratio")
    for size in sizes:
        label = f"page of 100, {size:,} stored (ms)"
        ratio = plugin_pages[size] / floor_page
        print(f"{label:58} {floor_page:9.2f} {moto_pages[size]:10.2f} {plugin_pages[size]:10.2f}   {ratio:.2f}x floor")
    label = "create an operation: CreateStackInstances, 1 target (ms)"
    ratio = plugin_create / floor_create
    print(
        f"{label:58} {floor_create:9.2f} {moto_create:10.2f} {plugin_create:10.2f}   {ratio:.2f}x floor"
        f" ({plugin_create / moto_create:.2f}x moto)"
    )
    if args.in_process:
        return
    print_server_rows(*servers)
    label = "pytest start-up added by the plugin (ms)"
    print(f"{label:58} {'':9} {without:10.0f} {with_plugin:10.0f}   +{with_plugin - without:.0f} ms")


if __name__ == "__main__":
    main()
