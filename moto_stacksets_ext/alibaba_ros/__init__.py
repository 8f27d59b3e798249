"""Alibaba Cloud ROS stack groups (API 2019-09-10) on the stack-set engine, for the official Python SDK, and
the ROS stacks behind their instances (plus plain ``CreateStack`` stacks, with ``ALIYUN::ROS::StackGroup`` and
``ALIYUN::ROS::StackInstances`` resources).

The package registers its cloud (``cloud.py``: the front-end ``FRONT_END``, namespaces, regions): under
``mock_stacksets()`` requests to ``ros.aliyuncs.com`` / ``ros.<region>.aliyuncs.com`` are answered
in-process, and the plugin's server answers the SDK at ``Config(endpoint="127.0.0.1:<port>",
protocol="http")``. Strict mode (``require_signatures``) verifies both signature styles of the SDK. See
``docs/alibaba-ros.md``.
"""

from . import cloud as _cloud  # noqa: F401 - registers the cloud
from . import resource_directory
from .accounts import DEFAULT_ACCOUNT_ID, calling_account
from .frontend import FRONT_END, RosFrontEnd
from .signatures import accept_any_signature, require_signatures

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "FRONT_END",
    "RosFrontEnd",
    "accept_any_signature",
    "calling_account",
    "require_signatures",
    "resource_directory",
]
