"""Reading Terraform templates (HCL and .tf.json shapes) and resolving simple references."""

from __future__ import annotations

import json

import pytest

from moto_stacksets_ext.huawei_rfs.terraform import Scope, TemplateError, parse_template, parse_vars, resolved


def test_json_blocks_may_be_lists_and_count_may_come_from_a_var() -> None:
    template = parse_template(
        json.dumps(
            {
                "variable": {"n": {"default": 1}},
                "resource": [{"huaweicloud_vpc": {"vpc": [{"count": "${var.n}", "name": "v"}]}}],
                "data": {"huaweicloud_availability_zones": {"zones": {}}},
                "output": [{"zone": {"value": "${data.huaweicloud_availability_zones.zones.id}"}}],
            }
        ),
        {"n": 3},
    )
    assert [r.address for r in template.resources] == [
        "huaweicloud_vpc.vpc[0]",
        "huaweicloud_vpc.vpc[1]",
        "huaweicloud_vpc.vpc[2]",
        "data.huaweicloud_availability_zones.zones",
    ]
    zones = template.resources[-1]
    scope = Scope({}, {zones.address: (zones, "zone-id")})
    assert resolved(scope, template.outputs[0].expression) == (True, "zone-id")


def test_references_resolve_literals_vars_and_attributes_or_not_at_all() -> None:
    template = parse_template('resource "a_b" "c" {\n  name = "n-${var.x}"\n  size = 2\n}\n', {"x": "1"})
    [res] = template.resources
    scope = Scope({"x": "1", "flag": True}, {res.address: (res, "pid")})
    assert resolved(scope, "${a_b.c.name}") == (True, "n-1")
    assert resolved(scope, "${a_b.c.size}") == (True, 2)
    assert resolved(scope, "id=${a_b.c.id}, flag=${var.flag}") == (True, "id=pid, flag=true")
    assert resolved(scope, "${a_b.c.missing}") == (False, None)
    assert resolved(scope, "${var.unknown}") == (False, None)
    assert resolved(scope, "${max(1, 2)}") == (False, None)


@pytest.mark.parametrize("text", ['resource "x" {', "[1, 2]", "{not json"])
def test_unreadable_templates_are_refused(text: str) -> None:
    with pytest.raises(TemplateError):
        parse_template(text)


def test_vars_bodies_are_tfvars_or_json() -> None:
    assert parse_vars('a = "x"\nb = 2\nc = ["p", "q"]') == {"a": "x", "b": 2, "c": ["p", "q"]}
    assert parse_vars('{"a": "x"}') == {"a": "x"}
    with pytest.raises(TemplateError):
        parse_vars("= nope")
