"""How a ROS stack action runs: its resources one after another, events, failure and rollback.

An action (CREATE, UPDATE, DELETE, and the rollbacks of a failed create or update) is a queue of resource
tasks. Each task is a generator (a resource type's handler: the stack-group types' in ``resource_types``,
registered with ``register_handler``; every other type is recorded, not run): it returns the resource's
physical id, or yields a ``Wait`` (a stack-group operation it started) and is resumed once that has ended.
``advance`` runs tasks until the action ends or a task waits.

What drives ``advance``: for a stack created with ``CreateStack``, its ``Pace`` (the same progression as
stack-group operations: immediate, manual reads, time); for a stack-group instance's stack, the stack-group
deployment that deploys it (``deployer``).
"""

from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Protocol

from ..engine.clock import clock
from ..engine.lifecycle import Mode
from ..engine.model import Parameter
from .errors import RosError
from .stack_model import Phase, RosStack, StackAction, StackEvent, StackResource, StackStore, status_word
from .template_resources import PSEUDO_PARAMETERS, Resolver, StackTemplate, Unresolved, opaque


class Verb(str, Enum):
    CREATE = "CREATE"
    UPDATE = "UPDATE"
    DELETE = "DELETE"


class ResourceFailed(Exception):
    """A resource task failed (its reason is the resource's StatusReason)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Wait(Protocol):
    """What a task waits for; ``ready(read)`` says whether it may resume (``read``: the stack was read)."""

    def ready(self, read: bool) -> bool: ...


@dataclass(frozen=True)
class Produced:
    physical_id: str | None
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ResourceTask:
    """One step of the action: ``verb`` on a resource, towards ``properties`` of ``resource_type``."""

    logical_id: str
    verb: Verb
    resource_type: str
    properties: dict[str, object]
    #: Deleting without touching what the resource manages (RetainResources / RetainAllResources).
    retain: bool = False


@dataclass(frozen=True)
class TaskContext:
    stack: RosStack
    task: ResourceTask
    resource: StackResource
    #: ``task.properties`` with references resolved (unresolvable values kept as written).
    properties: dict[str, object]
    #: The properties the resource had before an update (resolved then), else None.
    previous: dict[str, object] | None
    resolver: Resolver


TaskGenerator = Generator[Wait, None, Produced]


@dataclass
class Work:
    task: ResourceTask
    generator: TaskGenerator
    wait: Wait | None = None
    #: The resource's type and properties before the task (None: it did not exist).
    before_type: str | None = None
    before_properties: dict[str, object] | None = None
    #: The properties the task deploys, references resolved.
    resolved: dict[str, object] | None = None


@dataclass
class StackRun:
    action: StackAction
    tasks: deque[ResourceTask]
    current: Work | None = None
    #: What this action changed, for its rollback: (task done, the resource's type and properties before).
    done: list[tuple[ResourceTask, str | None, dict[str, object] | None]] = field(default_factory=list)


def _now() -> datetime:
    return clock.now()


def record(
    stack: RosStack,
    store: StackStore,
    logical_id: str,
    resource_type: str,
    status: str,
    reason: str | None = None,
    physical_id: str | None = None,
) -> None:
    """Add an event to ``stack`` (now, by the engine clock)."""
    stack.events.append(
        StackEvent(
            seq=store.next_event(),
            event_id=str(uuid.uuid4()),
            stack_id=stack.stack_id,
            stack_name=stack.stack_name,
            logical_id=logical_id,
            resource_type=resource_type,
            status=status,
            created_at=_now(),
            physical_id=physical_id,
            status_reason=reason,
        )
    )


def _stack_event(stack: RosStack, store: StackStore, status: str, reason: str | None) -> None:
    stack.status = status
    stack.status_reason = reason
    record(stack, store, stack.stack_name, "ALIYUN::ROS::Stack", status, reason, stack.stack_id)


def resolver(stack: RosStack) -> Resolver:
    values = stack.template.parameter_values(stack.parameters)
    pseudo = {
        "ALIYUN::StackId": stack.stack_id,
        "ALIYUN::StackName": stack.stack_name,
        "ALIYUN::Region": stack.region,
        "ALIYUN::AccountId": stack.account,
        "ALIYUN::NoValue": None,
    }

    def ref(name: str) -> object:
        if name in PSEUDO_PARAMETERS:
            return pseudo[name]
        if name in values:
            return values[name]
        resource = stack.resources.get(name)
        if resource is not None and resource.physical_id is not None:
            return resource.physical_id
        raise Unresolved(name)

    def attribute(name: str, attribute_name: str) -> object:
        resource = stack.resources.get(name)
        if resource is not None and attribute_name in resource.attributes:
            return resource.attributes[attribute_name]
        raise Unresolved(f"{name}.{attribute_name}")

    return Resolver(ref, attribute)


def resolve_leniently(value: object, found: Resolver) -> object:
    """``value`` with what resolves resolved; an expression that does not resolve is kept as written."""
    try:
        return found.resolve(value)
    except Unresolved:
        if isinstance(value, dict) and not opaque(value):
            return {key: resolve_leniently(item, found) for key, item in value.items()}
        if isinstance(value, list):
            return [resolve_leniently(item, found) for item in value]
        return value


def outputs(stack: RosStack) -> list[dict[str, object]]:
    """The stack's outputs that resolve (literal, ``Ref``, known ``Fn::GetAtt``), in template order."""
    found = resolver(stack)
    rendered: list[dict[str, object]] = []
    for output in stack.template.outputs:
        try:
            value = found.resolve(output.value)
        except Unresolved:
            continue
        item: dict[str, object] = {"OutputKey": output.key, "OutputValue": value}
        if output.description is not None:
            item["Description"] = output.description
        rendered.append(item)
    return rendered


# -- starting actions ---------------------------------------------------------------------------------------
def start_create(stack: RosStack, store: StackStore) -> None:
    tasks = deque(
        ResourceTask(r.logical_id, Verb.CREATE, r.resource_type, dict(r.properties)) for r in stack.template.resources
    )
    stack.run = StackRun(StackAction.CREATE, tasks)
    _stack_event(stack, store, status_word(StackAction.CREATE, Phase.IN_PROGRESS), None)


def start_update(stack: RosStack, store: StackStore, template: StackTemplate, parameters: list[Parameter]) -> None:
    stack.previous = (stack.template, stack.parameters)
    old = stack.template
    stack.template = template
    stack.parameters = parameters
    tasks: deque[ResourceTask] = deque()
    for declaration in template.resources:
        before = old.resource(declaration.logical_id)
        verb = Verb.CREATE if before is None or declaration.logical_id not in stack.resources else Verb.UPDATE
        tasks.append(
            ResourceTask(declaration.logical_id, verb, declaration.resource_type, dict(declaration.properties))
        )
    for declaration in reversed(old.resources):
        if template.resource(declaration.logical_id) is None and declaration.logical_id in stack.resources:
            tasks.append(
                ResourceTask(
                    declaration.logical_id, Verb.DELETE, declaration.resource_type, dict(declaration.properties)
                )
            )
    stack.run = StackRun(StackAction.UPDATE, tasks)
    stack.updated_at = _now()
    _stack_event(stack, store, status_word(StackAction.UPDATE, Phase.IN_PROGRESS), None)


def start_delete(stack: RosStack, store: StackStore, retain: frozenset[str] | None) -> None:
    """``retain``: logical ids whose managed resources stay (None: every one, RetainAllResources)."""
    tasks = deque(
        ResourceTask(
            resource.logical_id,
            Verb.DELETE,
            resource.resource_type,
            dict(resource.properties),
            retain=retain is None or resource.logical_id in retain,
        )
        for resource in reversed(list(stack.resources.values()))
    )
    stack.run = StackRun(StackAction.DELETE, tasks)
    _stack_event(stack, store, status_word(StackAction.DELETE, Phase.IN_PROGRESS), None)


# -- starting a task ------------------------------------------------------------------------------------------
#: What running a task of a resource type does (a generator over the task's context).
Handler = Callable[[TaskContext], TaskGenerator]
#: The resource types with a handler of their own (``register_handler``); every other type is recorded, not run.
_HANDLERS: dict[str, Handler] = {}


def register_handler(resource_type: str, handler: Handler) -> None:
    """Run tasks of ``resource_type`` with ``handler`` (``resource_types`` registers the stack-group types when
    the cloud's record imports it, so the runner needs no import of the front-end's stack-group calls)."""
    _HANDLERS[resource_type] = handler


#: Physical-id prefixes of common resource types (Alibaba Cloud's id styles), followed by 20 characters.
PHYSICAL_ID_PREFIXES = {
    "ALIYUN::ECS::VPC": "vpc-",
    "ALIYUN::ECS::VSwitch": "vsw-",
    "ALIYUN::ECS::SecurityGroup": "sg-",
    "ALIYUN::ECS::Instance": "i-",
    "ALIYUN::ECS::InstanceGroup": "i-",
    "ALIYUN::ECS::Disk": "d-",
    "ALIYUN::VPC::EIP": "eip-",
    "ALIYUN::VPC::NatGateway": "ngw-",
    "ALIYUN::SLB::LoadBalancer": "lb-",
    "ALIYUN::RDS::DBInstance": "rm-",
    "ALIYUN::REDIS::Instance": "r-",
}
#: Types whose physical id is one of their properties (the resource's name), when given.
NAME_PROPERTIES = {
    "ALIYUN::OSS::Bucket": "BucketName",
    "ALIYUN::RAM::Role": "RoleName",
    "ALIYUN::RAM::User": "UserName",
    "ALIYUN::RAM::Group": "GroupName",
    "ALIYUN::RAM::ManagedPolicy": "PolicyName",
    "ALIYUN::FC::Service": "ServiceName",
    "ALIYUN::SLS::Project": "Name",
}


def physical_id(resource_type: str, properties: dict[str, object]) -> str:
    name_property = NAME_PROPERTIES.get(resource_type)
    if name_property is not None and isinstance(properties.get(name_property), str):
        return str(properties[name_property])
    prefix = PHYSICAL_ID_PREFIXES.get(resource_type)
    if prefix is not None:
        return prefix + uuid.uuid4().hex[:20]
    return str(uuid.uuid4())


def _finished(produced: Produced) -> TaskGenerator:
    """A task that ends at once."""
    yield from ()
    return produced


def start_task(stack: RosStack, store: StackStore, task: ResourceTask) -> Work | None:
    """Begin ``task``: the resource IN_PROGRESS (and its event); None when an update changes nothing."""
    before = stack.resources.get(task.logical_id)
    found = resolver(stack)
    properties = resolve_leniently(task.properties, found)
    assert isinstance(properties, dict)
    previous: dict[str, object] | None = None
    if before is not None and task.verb is Verb.UPDATE and before.resource_type == task.resource_type:
        previous = before.resolved if before.resolved is not None else {}
        if previous == properties:
            return None
    now = clock.now()
    status = status_word(task.verb.value, Phase.IN_PROGRESS)
    if before is None:
        resource = StackResource(
            task.logical_id, task.resource_type, dict(task.properties), status, created_at=now, updated_at=now
        )
        stack.resources[task.logical_id] = resource
    else:
        resource = before
        resource.status = status
        resource.status_reason = None
        resource.updated_at = now
    before_type = before.resource_type if before is not None else None
    before_properties = dict(before.properties) if before is not None else None
    if task.verb is not Verb.DELETE:
        resource.resource_type = task.resource_type
        resource.properties = dict(task.properties)
    record(stack, store, task.logical_id, task.resource_type, status, None, resource.physical_id)
    handler = _HANDLERS.get(task.resource_type, _plain)
    context = TaskContext(stack, task, resource, properties, previous, found)
    return Work(
        task, handler(context), before_type=before_type, before_properties=before_properties, resolved=properties
    )


def _plain(context: TaskContext) -> TaskGenerator:
    if context.task.verb is Verb.DELETE:
        return _finished(Produced(None))
    if context.resource.physical_id is None or context.previous is None:
        return _finished(Produced(physical_id(context.task.resource_type, context.properties)))
    return _finished(Produced(context.resource.physical_id))


# -- running ------------------------------------------------------------------------------------------------
def advance(stack: RosStack, store: StackStore, *, read: bool = False) -> bool:
    """Run the action's tasks until it ends (True) or a task waits (False)."""
    run = stack.run
    if not isinstance(run, StackRun):
        return True
    while True:
        if run.current is None:
            if not run.tasks:
                _finish(stack, store, run)
                return True
            task = run.tasks.popleft()
            try:
                run.current = start_task(stack, store, task)
                if run.current is None:  # an update that leaves the resource as it is
                    continue
            except ResourceFailed as failure:
                _fail_task(stack, store, run, task, failure.reason)
                if stack.run is not run:
                    run = stack.run  # a rollback started (or the action ended)
                    if not isinstance(run, StackRun):
                        return True
                continue
        work = run.current
        assert work is not None
        if work.wait is not None and not work.wait.ready(read):
            return False
        try:
            work.wait = work.generator.send(None)
            continue
        except StopIteration as stopped:
            run.done.append((work.task, work.before_type, work.before_properties))
            _complete_task(stack, store, run, work.task, stopped.value)
            if work.task.logical_id in stack.resources:
                stack.resources[work.task.logical_id].resolved = work.resolved
        except (ResourceFailed, RosError) as error:
            _undo_partial(stack, run, work)
            reason = error.reason if isinstance(error, ResourceFailed) else f"{error.code}: {error.message}"
            _fail_task(stack, store, run, work.task, reason)
        run.current = None
        if stack.run is not run:
            run = stack.run
            if not isinstance(run, StackRun):
                return True


def _undo_partial(stack: RosStack, run: StackRun, work: Work) -> None:
    """A failed update may have changed part of what it manages: its rollback updates it back from what
    it attempted to what it was."""
    resource = stack.resources.get(work.task.logical_id)
    if work.task.verb is Verb.UPDATE and resource is not None:
        resource.resolved = work.resolved
        run.done.append((work.task, work.before_type, work.before_properties))


def _complete_task(stack: RosStack, store: StackStore, run: StackRun, task: ResourceTask, produced: Produced) -> None:
    resource = stack.resources[task.logical_id]
    status = status_word(task.verb.value, Phase.COMPLETE)
    if task.verb is Verb.DELETE:
        record(stack, store, task.logical_id, task.resource_type, status, None, resource.physical_id)
        del stack.resources[task.logical_id]
        return
    resource.physical_id = produced.physical_id
    resource.attributes = dict(produced.attributes)
    resource.status = status
    resource.status_reason = None
    resource.updated_at = _now()
    record(stack, store, task.logical_id, task.resource_type, status, None, resource.physical_id)


def _fail_task(stack: RosStack, store: StackStore, run: StackRun, task: ResourceTask, reason: str) -> None:
    resource = stack.resources.get(task.logical_id)
    status = status_word(task.verb.value, Phase.FAILED)
    if resource is not None:
        resource.status = status
        resource.status_reason = reason
        resource.updated_at = _now()
    record(
        stack, store, task.logical_id, task.resource_type, status, reason, resource.physical_id if resource else None
    )
    run.current = None
    run.tasks.clear()
    stack_reason = f"Resource {task.verb.value} failed: {reason}"
    if run.action in (StackAction.CREATE, StackAction.UPDATE) and not stack.disable_rollback:
        _stack_event(stack, store, status_word(run.action, Phase.FAILED), stack_reason)
        _start_rollback(stack, store, run)
        return
    _stack_event(stack, store, status_word(run.action, Phase.FAILED), stack_reason)
    stack.run = None
    stack.pace = None


def _start_rollback(stack: RosStack, store: StackStore, run: StackRun) -> None:
    if run.action is StackAction.CREATE:
        tasks = deque(
            ResourceTask(r.logical_id, Verb.DELETE, r.resource_type, dict(r.properties))
            for r in reversed(list(stack.resources.values()))
        )
        action = StackAction.CREATE_ROLLBACK
    else:
        tasks = deque()
        for task, old_type, old_properties in reversed(run.done):
            if task.verb is Verb.CREATE:
                tasks.append(ResourceTask(task.logical_id, Verb.DELETE, task.resource_type, task.properties))
            elif task.verb is Verb.UPDATE and old_type is not None and old_properties is not None:
                tasks.append(ResourceTask(task.logical_id, Verb.UPDATE, old_type, old_properties))
            elif task.verb is Verb.DELETE and old_type is not None and old_properties is not None:
                tasks.append(ResourceTask(task.logical_id, Verb.CREATE, old_type, old_properties))
        for logical_id, resource in list(stack.resources.items()):  # the one that failed, if it was new
            if resource.status == "CREATE_FAILED":
                tasks.appendleft(ResourceTask(logical_id, Verb.DELETE, resource.resource_type, resource.properties))
        action = StackAction.ROLLBACK
        if stack.previous is not None:  # the rollback deploys the template and parameters of before
            stack.template, stack.parameters = stack.previous
    stack.run = StackRun(action, tasks)
    # A rollback keeps the failure that caused it as the stack's StatusReason.
    _stack_event(stack, store, status_word(action, Phase.IN_PROGRESS), stack.status_reason)


def _finish(stack: RosStack, store: StackStore, run: StackRun) -> None:
    stack.previous = None
    stack.run = None
    stack.pace = None
    rolled_back = run.action in (StackAction.CREATE_ROLLBACK, StackAction.ROLLBACK)
    _stack_event(stack, store, status_word(run.action, Phase.COMPLETE), stack.status_reason if rolled_back else None)
    if run.action is StackAction.DELETE:
        store.stacks.pop(stack.stack_id, None)


def catch_up(stack: RosStack, store: StackStore, *, read: bool) -> None:
    """Advance a ``CreateStack`` stack by its pace (``read``: this call reads it)."""
    pace = stack.pace
    if stack.run is None or pace is None:
        return
    mode = pace.progression.mode
    if mode is Mode.IMMEDIATE:
        advance(stack, store, read=read)
    elif mode is Mode.MANUAL:
        run = stack.run
        if read and isinstance(run, StackRun) and run.current is not None and run.current.wait is not None:
            run.current.wait.ready(True)  # reading the stack reads the operation it waits for
        for _ in range(pace.on_read() if read else 0):
            if advance(stack, store, read=False):  # the operation was read just above, once
                break
    else:
        for _ in pace.due(_now()):
            if advance(stack, store, read=False):
                break
