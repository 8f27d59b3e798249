"""Which Alibaba Cloud account is calling: derived from the AccessKeyId the SDK sends.

Rule (deterministic, no set-up needed):

* an AccessKeyId made of exactly 16 digits *is* the account id (``Config(access_key_id="1234567890123456")``
  calls as account 1234567890123456);
* any other AccessKeyId maps to ``"1"`` followed by 15 digits of the SHA-256 of the key, so the same
  key is always the same account and different keys are (practically always) different accounts;
* a request without an AccessKeyId (only hand-made requests; the SDK always signs) is
  ``DEFAULT_ACCOUNT_ID``.
"""

from __future__ import annotations

import hashlib
import re

DEFAULT_ACCOUNT_ID = "1000000000000000"

_ACCOUNT = re.compile(r"^\d{16}$")


def calling_account(access_key_id: str | None) -> str:
    """The account id of ``access_key_id`` (see the module documentation for the rule)."""
    if not access_key_id:
        return DEFAULT_ACCOUNT_ID
    if _ACCOUNT.match(access_key_id):
        return access_key_id
    digest = int(hashlib.sha256(access_key_id.encode()).hexdigest(), 16)
    return "1" + str(digest % 10**15).zfill(15)
