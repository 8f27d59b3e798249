"""Strict signature mode of the non-AWS clouds resets with moto's reset."""

from __future__ import annotations

import pytest

from moto_stacksets_ext import alibaba_ros, control, huawei_rfs, mock_stacksets
from moto_stacksets_ext.alibaba_ros.signatures import configured_credentials as alibaba_credentials
from moto_stacksets_ext.huawei_rfs.identity import _credentials as huawei_credentials


def test_strict_mode_is_switched_off_by_a_reset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOTO_STACKSETS_HUAWEI_CREDENTIALS", raising=False)
    monkeypatch.delenv("MOTO_STACKSETS_ALIBABA_CREDENTIALS", raising=False)
    with mock_stacksets():
        huawei_rfs.require_signatures({"AK": "SK"})
        alibaba_ros.require_signatures({"LTAI": "secret"})
        assert huawei_credentials() == {"AK": "SK"}
        assert alibaba_credentials() == {"LTAI": "secret"}
        control.reset()
        assert huawei_credentials() == {}
        assert alibaba_credentials() == {}


def test_environment_credentials_stay(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTO_STACKSETS_HUAWEI_CREDENTIALS", "ENVAK:ENVSK")
    with mock_stacksets():
        control.reset()
        assert huawei_credentials() == {"ENVAK": "ENVSK"}


def test_strict_mode_needs_a_key() -> None:
    with mock_stacksets(), pytest.raises(ValueError, match="at least one"):
        huawei_rfs.require_signatures({})
