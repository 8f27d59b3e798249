"""Who is calling and where: the management domain (from the access key), the region, the project.

* The **domain** (account) of a caller is a 32-hex-character id derived from its access key:
  ``domain_id_for``. The same AK is the same domain in every region and in both modes.
* The **region** comes from the endpoint (``rfs.<region>.myhuaweicloud.com``). On any other host (server
  mode), it comes from the project (``X-Project-Id``): a project id handed out by the mock's IAM lookup
  (``project_id_for``) names its region; so does one in the project table (``map_projects`` in-process,
  ``MOTO_STACKSETS_HUAWEI_PROJECTS="<project id>:<region>[,...]"`` for a server in another process). Any
  other well-formed project id (32 hexadecimal characters, as Huawei's project ids are) is the user's own
  and works by default: it names ``MOTO_STACKSETS_HUAWEI_REGION``'s region, ``cn-north-4`` when that is
  unset. Only in strict mode (below) is a project id the mock does not know refused (401, ``RF.10012001``),
  as Huawei refuses a project that is not the signing account's; a malformed project id is refused always.
* **Signatures** (SDK-HMAC-SHA256) are verified only in strict mode: when
  ``MOTO_STACKSETS_HUAWEI_CREDENTIALS`` (``AK:SK[,AK:SK...]``) is set or ``require_signatures`` was
  called. A wrong or missing signature is then 401.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import threading
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

from .._state import credentials as credentials_module
from .._state import namespaces
from .._transport.gateway import GatewayRequest
from .errors import AUTHENTICATION_FAILED, RfsError

#: The region of every project id the mock does not know (default ``DEFAULT_REGION``).
REGION_ENV = "MOTO_STACKSETS_HUAWEI_REGION"
#: The region of a project id the mock does not know, unless ``MOTO_STACKSETS_HUAWEI_REGION`` names one.
DEFAULT_REGION = "cn-north-4"
#: A Huawei project id: 32 hexadecimal characters.
PROJECT_ID = re.compile(r"[0-9a-fA-F]{32}")
#: The format of ``MOTO_STACKSETS_HUAWEI_PROJECTS``, as its error messages show it.
PROJECTS_FORMAT = "<project id>:<region>[,<project id>:<region>...]"
#: The project table for a server in another process: ``<project id>:<region>[,...]``.
PROJECTS_ENV = "MOTO_STACKSETS_HUAWEI_PROJECTS"
CREDENTIALS_ENV = "MOTO_STACKSETS_HUAWEI_CREDENTIALS"

#: Regions of the SDK's RfsRegion and of IAM's endpoint table (project ids of these regions resolve back).
KNOWN_REGIONS = (
    "cn-north-1", "cn-north-2", "cn-north-4", "cn-north-9", "cn-north-11", "cn-north-12", "cn-east-2",
    "cn-east-3", "cn-east-4", "cn-east-5", "cn-south-1", "cn-south-2", "cn-southwest-2", "cn-southwest-3",
    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
    "my-kualalumpur-1", "me-east-1", "tr-west-1", "la-south-2", "la-north-2", "sa-brazil-1", "af-south-1",
    "af-north-1", "eu-west-0", "eu-west-101", "na-mexico-1", "ru-moscow-1", "ae-ad-1",
)  # fmt: skip

_RFS_HOST = re.compile(r"rfs\.([a-z0-9-]+)\.myhuaweicloud\.(?:com|eu)(?::\d+)?$")
_IAM_HOST = re.compile(r"iam(?:\.([a-z0-9-]+))?\.myhuaweicloud\.(?:com|eu)(?::\d+)?$")
_AUTHORIZATION = re.compile(
    r"(?P<algorithm>SDK-[A-Z0-9-]+)\s+Access=(?P<ak>[^,\s]+),\s*SignedHeaders=(?P<headers>[^,\s]+),"
    r"\s*Signature=(?P<signature>[0-9a-fA-F]+)"
)
logger = logging.getLogger(__name__)
_EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
_projects_lock = threading.Lock()


def domain_id_for(ak: str) -> str:
    """The management domain id (32 hex characters) of an access key."""
    return hashlib.sha256(f"rfs-domain:{ak}".encode()).hexdigest()[:32]


def project_id_for(ak: str, region: str) -> str:
    """The project id the mock's IAM gives an access key's project in ``region``."""
    return hashlib.sha256(f"rfs-project:{ak}:{region}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Authorization:
    algorithm: str
    ak: str
    signed_headers: tuple[str, ...]
    signature: str


def authorization(request: GatewayRequest) -> Authorization:
    """The caller's signature header, or 401."""
    match = _AUTHORIZATION.fullmatch((request.headers.get("Authorization") or "").strip())
    if match is None:
        raise RfsError(AUTHENTICATION_FAILED, "The request carries no valid SDK-HMAC-SHA256 Authorization header.")
    return Authorization(
        match["algorithm"], match["ak"], tuple(match["headers"].split(";")), match["signature"].lower()
    )


@dataclass
class _MappedProjects:
    """The project table's entries ``map_projects`` added: the front-end's own state in the store of namespaces
    (``namespaces.extension``), so moto's reset clears it with the cloud's namespaces."""

    regions: dict[str, str] = field(default_factory=dict)  # project id → region


def _mapped_projects() -> _MappedProjects:
    found = namespaces.extension("huawei-rfs-projects", _MappedProjects)
    assert isinstance(found, _MappedProjects)
    return found


def map_projects(projects: dict[str, str]) -> None:
    """Add ``{project_id: region}`` entries to the project table (server mode; reset with moto)."""
    with _projects_lock:
        _mapped_projects().regions.update(projects)


def project_table() -> dict[str, str]:
    """The project table: entries of ``map_projects``, then of ``MOTO_STACKSETS_HUAWEI_PROJECTS``."""
    with _projects_lock:
        table = dict(_mapped_projects().regions)
    try:
        configured = parse_projects(os.environ.get(PROJECTS_ENV) or "")
    except ProjectTableError as error:  # the server refuses this at start; set later, it is ignored loudly
        logger.warning("%s (ignored)", error)
        configured = {}
    for project, region in configured.items():
        table.setdefault(project, region)
    return table


class ProjectTableError(ValueError):
    """``MOTO_STACKSETS_HUAWEI_PROJECTS`` is not ``<project id>:<region>[,...]``."""


def parse_projects(text: str) -> dict[str, str]:
    """``<project id>:<region>[,...]`` as a table (``ProjectTableError`` naming the entry and the format)."""
    table: dict[str, str] = {}
    for entry in text.split(","):
        if not entry.strip():
            continue
        project, separator, region = (part.strip() for part in entry.partition(":"))
        if not separator or not PROJECT_ID.fullmatch(project) or not re.fullmatch(r"[a-z]{2}-[a-z0-9-]+", region):
            raise ProjectTableError(
                f"{PROJECTS_ENV}: {entry.strip()!r} is not <project id>:<region> (a project id is 32 hexadecimal "
                f'characters, a region such as cn-north-4); the format is {PROJECTS_ENV}="{PROJECTS_FORMAT}"'
            )
        table[project] = region
    return table


def check_environment() -> None:
    """Refuse a malformed ``MOTO_STACKSETS_HUAWEI_PROJECTS`` (the server calls this at start)."""
    parse_projects(os.environ.get(PROJECTS_ENV) or "")


def _strict() -> bool:
    return bool(_credentials())


def region_of(request: GatewayRequest, ak: str, project_id: str | None) -> str:
    """The region a call is for: the RFS host's, else the project's: the IAM lookup's or the project table's,
    else (any well-formed project id) ``MOTO_STACKSETS_HUAWEI_REGION`` or ``cn-north-4``; in strict mode a
    project the mock does not know is refused, unless ``MOTO_STACKSETS_HUAWEI_REGION`` was set."""
    host_match = _RFS_HOST.match(urlsplit(request.url).netloc)
    if host_match is not None:
        return host_match[1]
    if project_id is not None:
        for region in KNOWN_REGIONS:
            if project_id_for(ak, region) == project_id:
                return region
        mapped = project_table().get(project_id)
        if mapped:
            return mapped
    if project_id is None or not PROJECT_ID.fullmatch(project_id):
        raise RfsError(
            AUTHENTICATION_FAILED,
            f"The project id {project_id!r} is not a Huawei project id (32 hexadecimal characters).",
        )
    fallback = os.environ.get(REGION_ENV)
    if fallback:
        return fallback
    if _strict():
        raise RfsError(
            AUTHENTICATION_FAILED,
            f"The project {project_id} is not a project of this account (strict mode): use a project id the IAM "
            f"project lookup returns, or map it to a region (map_projects / {PROJECTS_ENV}).",
        )
    return DEFAULT_REGION


def iam_region(request: GatewayRequest) -> str | None:
    """The region named by an IAM projects lookup (``?name=<region>``), else the IAM host's region."""
    names = request.query.get("name")
    if names:
        return names[0]
    match = _IAM_HOST.match(urlsplit(request.url).netloc)
    return match[1] if match is not None else None


# -- strict mode ------------------------------------------------------------------------------------------
def require_signatures(credentials: dict[str, str]) -> None:
    """Strict mode in-process: only these AK/SK pairs may call, with valid signatures (reset with moto)."""
    credentials_module.require_signatures("huawei", credentials)


def accept_any_signature() -> None:
    """Leave strict mode (the default: any AK is accepted, signatures are not checked)."""
    credentials_module.accept_any_signature("huawei")


def _credentials() -> dict[str, str]:
    return credentials_module.configured_credentials("huawei", CREDENTIALS_ENV)


def verify(request: GatewayRequest, auth: Authorization) -> None:
    """In strict mode, check the signature against the configured SK of the AK (401 otherwise)."""
    known = _credentials()
    if not known:
        return
    secret = known.get(auth.ak)
    if secret is None:
        raise RfsError(AUTHENTICATION_FAILED, f"The access key {auth.ak} is unknown.")
    if auth.algorithm != "SDK-HMAC-SHA256":
        raise RfsError(AUTHENTICATION_FAILED, f"The signing algorithm {auth.algorithm} is not supported.")
    date = request.headers.get("X-Sdk-Date")
    if not date:
        raise RfsError(AUTHENTICATION_FAILED, "The X-Sdk-Date header is missing.")
    expected = hmac.new(secret.encode(), _string_to_sign(request, auth, date).encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, auth.signature):
        raise RfsError(AUTHENTICATION_FAILED, "The request signature does not match.")


def _string_to_sign(request: GatewayRequest, auth: Authorization, date: str) -> str:
    parts = urlsplit(request.url)
    segments = [quote(segment, safe="~") for segment in unquote(parts.path).split("/")]
    canonical_uri = "/".join(segments)
    if not canonical_uri.endswith("/"):
        canonical_uri += "/"
    headers = []
    for name in auth.signed_headers:
        value = parts.netloc if name == "host" and "host" not in request.headers else request.headers.get(name, "")
        headers.append(f"{name}:{str(value).strip()}")
    payload_hash = request.headers.get("X-Sdk-Content-Sha256") or (
        hashlib.sha256(request.body).hexdigest() if request.body else _EMPTY_SHA256
    )
    canonical = "\n".join(
        [
            request.method.upper(),
            canonical_uri,
            parts.query,
            "\n".join(headers) + "\n",
            ";".join(auth.signed_headers),
            payload_hash,
        ]
    )
    return f"SDK-HMAC-SHA256\n{date}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
