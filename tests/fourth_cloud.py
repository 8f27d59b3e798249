"""A fourth cloud, as small as a cloud can be: what docs/architecture.md ("Adding a cloud") says one needs.

Its front-end answers one call, ``GET https://stacksets.testcloud.example/v1/{account}/{region}/stack-sets``
(the namespace's stack sets, through the engine), and hands the gateway what it understood of the request.
``register()`` is the one registration; ``unregister()`` takes it back.
"""

from __future__ import annotations

import re
import uuid

from moto_stacksets_ext import _clouds
from moto_stacksets_ext._state import namespaces
from moto_stacksets_ext._transport.gateway import GatewayRequest, GatewayResponse, Understood, compile_patterns
from moto_stacksets_ext.engine import regions
from moto_stacksets_ext.engine.clock import clock
from moto_stacksets_ext.engine.execution import Executor, RecordingDeployer
from moto_stacksets_ext.engine.model import StackSet
from moto_stacksets_ext.engine.outcomes import outcomes
from moto_stacksets_ext.engine.requests import ListQuery
from moto_stacksets_ext.engine.stacksets import StackSetNamespace

CLOUD = "testcloud"
OPERATION_MODEL = "testcloud::stackset-operation"
REGIONS = ("north-1", "south-1")
_LIST = re.compile(r"^/v1/(?P<account>[^/]+)/(?P<region>[^/]+)/stack-sets$")


class Naming:
    def stack_set_id(self, name: str) -> str:
        return str(uuid.uuid4())

    def stack_set_arn(self, stack_set_id: str) -> str | None:
        return None

    def stack_name(self, stack_set: StackSet) -> str:
        return stack_set.stack_set_name


def _create(key: tuple[str, str, str]) -> StackSetNamespace:
    executor = Executor(CLOUD, RecordingDeployer(), clock, outcomes)
    transition = namespaces.operation_model(OPERATION_MODEL)
    return StackSetNamespace(identity=key, naming=Naming(), executor=executor, clock=clock, transition=transition)


def namespace(account: str, region: str) -> StackSetNamespace:
    return namespaces.namespace((CLOUD, account, region), _create)


class FourthCloudFrontEnd:
    name = "testcloud"
    serves = "testcloud stack sets"
    host_patterns = compile_patterns(r"^https?://stacksets\.testcloud\.example(:\d+)?/.*$")

    def claims(self, request: GatewayRequest) -> bool:
        return request.host.startswith("stacksets.testcloud.example")

    def handle(self, request: GatewayRequest) -> GatewayResponse:
        found = _LIST.match(request.path)
        if request.method != "GET" or found is None or found["region"] not in REGIONS:
            understood = Understood(CLOUD, f"{request.method} {request.path}", None, None, {}, "NotFound")
            return GatewayResponse.json(404, {"code": "NotFound"}).with_understood(understood)
        account, region = found["account"], found["region"]
        page = namespace(account, region).page_stack_sets("stack-sets", ListQuery())
        names = [s.stack_set_name for s in page.items]
        understood = Understood(CLOUD, "ListStackSets", account, region, {})
        return GatewayResponse.json(200, {"stack_sets": names}).with_understood(understood)


def register() -> _clouds.Cloud:
    regions.register(CLOUD, lambda home: frozenset(REGIONS))
    return _clouds.register(
        _clouds.Cloud(
            name=CLOUD,
            operation_model=OPERATION_MODEL,
            account_pattern=re.compile(r"tc-\d{4}"),
            account_description="'tc-' and 4 digits",
            account_example="tc-1234",
            regions=lambda: REGIONS,
            namespace=namespace,
            namespaces=lambda: namespaces.all_namespaces(CLOUD),
            front_end=FourthCloudFrontEnd(),
            provider_domains=r"testcloud\.example",
        )
    )


def unregister() -> None:
    _clouds.unregister(CLOUD)
