"""The ids of what the fixtures seed, for writing playbooks against the emulator: the things the
APIs cannot create (VPCs, subnets, EIPs, lines, ECS servers, CGS nodes, KMS keys, public VPCEP
services, other accounts) and the account itself (projects, access key ids; never a secret).

`cloudops-emulator --list-fixtures [--fixtures FILE]` prints `table(rows(doc))`;
`GET /__admin/fixtures` returns `rows(emu.fixtures)` as JSON.
"""
COLUMNS = ("cloud", "kind", "id", "name", "region", "note")


def _row(cloud, kind, ident, name="", region="", note=""):
    return {"cloud": cloud, "kind": kind, "id": str(ident), "name": name or "",
            "region": region or "", "note": note or ""}


def _ksyun(section):
    rows = [_row("ksyun", "account", section.get("account_id", ""))]
    rows += [_row("ksyun", "access_key", key["access_key"],
                  note="temporary: needs a security token" if key.get("sts") else "")
             for key in section.get("access_keys") or ()]
    if section.get("regions"):
        rows.append(_row("ksyun", "regions", ", ".join(section["regions"])))
    for vpc in section.get("vpcs") or ():
        rows.append(_row("ksyun", "vpc", vpc["VpcId"], vpc.get("VpcName"), note=vpc.get("CidrBlock")))
        rows += [_row("ksyun", "subnet", subnet["SubnetId"], subnet.get("SubnetName"),
                      note="%s %s in %s" % (subnet.get("SubnetType", ""), subnet.get("CidrBlock", ""),
                                            vpc["VpcId"]))
                 for subnet in vpc.get("subnets") or ()]
    bws = section.get("bws") or {}
    rows += [_row("ksyun", "line", line["LineId"], line.get("LineName"))
             for line in bws.get("lines") or ()]
    rows += [_row("ksyun", "eip", eip["AllocationId"], eip.get("PublicIp"),
                  note="%s Mbps" % eip["BandWidth"] if "BandWidth" in eip else "")
             for eip in bws.get("eips") or ()]
    return rows


def _huawei_network(section):
    rows = []
    for vpc in section.get("vpcs") or ():
        region = vpc.get("region")
        rows.append(_row("huawei", "vpc", vpc["id"], vpc.get("name"), region, vpc.get("cidr")))
        rows += [_row("huawei", "subnet", subnet["id"], subnet.get("name"), region,
                      "%s in %s" % (subnet.get("cidr", ""), vpc["id"]))
                 for subnet in vpc.get("subnets") or ()]
        rows += [_row("huawei", "port", port["id"], port.get("ip"), region, "in %s" % vpc["id"])
                 for port in vpc.get("ports") or ()]
    return rows


def _key_note(key):
    return "user %s%s" % (key.get("user", ""), "; temporary: needs a security token" if key.get("sts") else "")


def _huawei(section):
    domain = section.get("domain") or {}
    rows = [_row("huawei", "domain", domain.get("id", ""), domain.get("name"))] if domain else []
    rows += [_row("huawei", "user", user["id"], user["name"]) for user in section.get("users") or ()]
    rows += [_row("huawei", "access_key", key["access_key"], note=_key_note(key))
             for key in section.get("access_keys") or ()]
    rows += [_row("huawei", "project", project["id"], project["name"], project["name"])
             for project in section.get("projects") or ()]
    rows += _huawei_network(section)
    rows += [_row("huawei", "kms_key", key["id"], key.get("alias"))
             for key in section.get("kms_keys") or ()]
    rows += [_row("huawei", "ecs_server", server["id"], server.get("name"), server.get("region"),
                  server.get("status"))
             for server in section.get("ecs_servers") or ()]
    rows += [_row("huawei", "cgs_node", node["host_id"], node.get("host_name"), "(every)",
                  note="protect %s, agent %s" % (node.get("protect_status"), node.get("agent_status")))
             for node in section.get("cgs_nodes") or ()]
    vpcep = section.get("vpcep") or {}
    rows += [_row("huawei", "vpcep_public_service", service["id"], service.get("service_name"),
                  service.get("region"), service.get("service_type"))
             for service in vpcep.get("public_services") or ()]
    rows += [_row("huawei", "vpcep_consumer", account, note="another account's domain id")
             for account in vpcep.get("consumers") or ()]
    return rows


def rows(doc):
    """Every id the fixture document `doc` ({"ksyun": ..., "huawei": ...}) seeds, as dicts."""
    return _ksyun(doc.get("ksyun") or {}) + _huawei(doc.get("huawei") or {})


def table(items):
    """`items` as a plain-text table, one row per id, columns aligned."""
    lines = [COLUMNS] + [tuple(item[column] for column in COLUMNS) for item in items]
    widths = [max(len(line[index]) for line in lines) for index in range(len(COLUMNS))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip()
                     for line in lines)


def markdown(items):
    """`items` as the Markdown table docs/emulator.md carries (emulator/tests keeps them equal)."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for item in items:
        cells = ["`%s`" % item[column] if column == "id" else item[column] for column in COLUMNS]
        lines.append(("| " + " | ".join(cells) + " |").replace("  ", " "))
    return "\n".join(lines)


if __name__ == "__main__":
    from .core import load_fixture_document
    print(markdown(rows(load_fixture_document())))
