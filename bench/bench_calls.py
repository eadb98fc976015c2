"""API calls per module: create / no-op / update / delete of every module, against the API minimum.

One real ``ansible-playbook`` run against a fresh emulator applies every module of
plugins/modules/ through its life cycle (create, the same task again = no-op, one option changed =
update, state=absent = delete; the ``_info`` modules list N items). After each task a ``uri`` task
reads the emulator's per-operation counters (``/__admin/stats``) and clears them, so every cell is
the exact set of calls that one task made. Each step declares the minimum the API allows, per
operation, and why; a cell with more calls than its minimum is a finding.

Conditions, so that the counts are reproducible:
  * the emulator's delays are 0 (a resource is ready at its first read: a wait costs the one read
    that sees it ready, never a timing-dependent number of polls);
  * KCR modules get ``instance_id`` (``instance_name`` costs one DescribeInstance: its own row);
  * Huawei modules get ``project_id`` (without it the client looks the project up once a task with
    IAM KeystoneListProjects: a no-op row without ``project_id`` shows it);
  * the CGS rate limit is lifted (``cgs_rate_limit: 0``, ``rate_limit_per_minute: 0``).

Writes Markdown to bench/results/calls.md.

    python bench/bench_calls.py [--output bench/results/calls.md] [--keep]
"""

import argparse
import collections
import json
import math
import os
import subprocess
import sys
import tempfile
import time

import yaml

from benchlib import environment, load_runner, streams

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BIN = os.path.dirname(sys.executable)
FIXTURES = os.path.join(ROOT, "emulator", "cloudops_emulator", "fixtures")

PROJECT = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"  # the fixtures' cn-north-4 project
KSYUN_VPC, KSYUN_SUBNET = "31e21dca-c92e-4b06-a8ce-000000000001", "372bdbac-ea1d-4f99-9c30-000000000001"
LINE = "5fc2595f-1bfd-481b-bf64-2d08f116d800"
EIPS = ["9f4b2a10-0000-4000-8000-000000000001", "9f4b2a10-0000-4000-8000-000000000002"]
HW_VPC, HW_SUBNET = "4dfe5c6e-0000-4000-8000-000000000001", "5e6f7a8b-0000-4000-8000-000000000001"
HW_PORT = "a1b2c3d4-0000-4000-8000-000000000001"
SERVERS = ["e1c50000-0000-4000-8000-000000000001", "e1c50000-0000-4000-8000-000000000002"]
PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBFGhGNW0RLJbdG8EGYsBHTHUo1cYgXAg0KYYNq5oC0q bench@cloudops"

# Bulk data for the listings (page sizes: KCR 99, VPCEP/KPS/CGS 1000).
NAMESPACES, REPOSITORIES, IMAGES, NODES, KEYPAIRS = 250, 120, 150, 2500, 2500
PAGE = {"kcrs": 99, "bws": 99, "kps": 1000, "cgs": 1000, "vpcep": 1000}
READ_PREFIXES = ("Describe", "List", "Show", "Keystone", "Count", "Get", "Check")

INSTANCE = {"instance_id": "{{ seeded_instance }}"}
HW = {"project_id": PROJECT}
SERVICE = dict(HW, name="bench-svc", vpc_id=HW_VPC, server_type="VM", port_id=HW_PORT,
               ports=[{"client_port": 443, "server_port": 8443}], approval_enabled=True)
ENDPOINT = dict(HW, service_id="{{ step_vpcep_service_create.service.id }}", vpc_id=HW_VPC,
                subnet_id=HW_SUBNET, port_ip="192.168.0.61", wait=False)
CONNECTION = dict(HW, service_id="{{ step_vpcep_service_create.service.id }}", action="accept",
                  endpoint_ids=["{{ step_vpcep_endpoint_create.endpoint.id }}"])


def step(module, name, args, minimum, why, changed=None, items=None, extra=False):
    """One task of the bench: ``minimum`` maps operations to their least count; ``items`` names
    the result list of an _info module (its length is the N of the paging minimum)."""
    return dict(module=module, step=name, args=args, minimum=minimum, why=why, changed=changed,
                items=items, extra=extra)


def listing(module, args, operation, items):
    """An _info module's listing: its minimum, ceil(N / max page size), is known once N is."""
    service = operation.split(":", 1)[0]
    return step(module, "list", args, {operation: lambda n: pages(n, service)},
                "ceil(N/%d) list calls" % PAGE[service], False, items)


def pages(n, service):
    return max(1, int(math.ceil(n / float(PAGE[service]))))


def steps():
    """The bench, in order (later steps use the resources of earlier ones)."""
    return [
        # -- KCR (KSYUN) -----------------------------------------------------------------------
        step("kcr_instance", "create", {"name": "bench-registry", "instance_type": "basic"},
             {"kcrs:DescribeInstance": 2, "kcrs:CreateInstance": 1},
             "1 read (find) + 1 create + 1 read back (CreateInstance answers only the id); ready at once", True),
        step("kcr_instance", "no-op", {"name": "bench-registry", "instance_type": "basic"},
             {"kcrs:DescribeInstance": 1}, "1 read", False),
        step("kcr_instance", "delete", {"name": "bench-registry", "state": "absent"},
             {"kcrs:DescribeInstance": 2, "kcrs:DeleteInstance": 1},
             "1 read + 1 delete + 1 read that sees it gone (wait)", True),
        step("kcr_namespace", "create", dict(INSTANCE, name="bench-ns", public=False),
             {"kcrs:DescribeNamespace": 2, "kcrs:CreateNamespace": 1},
             "1 read + 1 create + 1 read back (the create answers no namespace)", True),
        step("kcr_namespace", "no-op", dict(INSTANCE, name="bench-ns", public=False),
             {"kcrs:DescribeNamespace": 1}, "1 read", False),
        step("kcr_namespace", "no-op with instance_name",
             {"instance_name": "seeded", "name": "bench-ns", "public": False},
             {"kcrs:DescribeInstance": 1, "kcrs:DescribeNamespace": 1},
             "1 read + 1 DescribeInstance to turn the name into an id", False, extra=True),
        step("kcr_namespace", "update", dict(INSTANCE, name="bench-ns", public=True),
             {"kcrs:DescribeNamespace": 1, "kcrs:ModifyNamespaceType": 1}, "1 read + 1 write", True),
        step("kcr_namespace", "delete", dict(INSTANCE, name="bench-ns", state="absent"),
             {"kcrs:DescribeNamespace": 1, "kcrs:DeleteNamespace": 1}, "1 read + 1 delete", True),
        step("kcr_repo", "no-op", dict(INSTANCE, namespace="library", name="app"),
             {"kcrs:DescribeRepository": 1}, "1 read (repositories come from docker push: no create)", False),
        step("kcr_repo", "update", dict(INSTANCE, namespace="library", name="app", description="bench"),
             {"kcrs:DescribeRepository": 2, "kcrs:ModifyRepoDesc": 1},
             "1 read + 1 write + 1 read back (the new update time)", True),
        step("kcr_image", "no-op", dict(INSTANCE, namespace="library", repository="app", tag="v1"),
             {"kcrs:DescribeImages": 1}, "1 read (images come from docker push: no create)", False),
        step("kcr_image", "update (scan)", dict(INSTANCE, namespace="library", repository="app", tag="v1",
                                                scan=True),
             {"kcrs:DescribeImages": 1, "kcrs:DescribeImageScan": 2, "kcrs:StartImageScan": 1},
             "1 read + 1 scan read (is one under way?) + 1 start + 1 read that sees it finished (wait)", True),
        step("kcr_image", "delete", dict(INSTANCE, namespace="library", repository="app", tag="v2",
                                         state="absent"),
             {"kcrs:DescribeImages": 1, "kcrs:DeleteImages": 1}, "1 read + 1 delete", True),
        step("kcr_repo", "delete", dict(INSTANCE, namespace="library", name="app", state="absent"),
             {"kcrs:DescribeRepository": 1, "kcrs:DeleteRepository": 1}, "1 read + 1 delete", True),
        step("kcr_token", "create", dict(INSTANCE, description="bench-token", token_type="Day", token_time=1,
                                         token_file="{{ workdir }}/token.json"),
             {"kcrs:DescribeInstanceToken": 2, "kcrs:CreateInstanceToken": 1},
             "1 read + 1 create + 1 read back (the create answers the token, not the credential)", True),
        step("kcr_token", "no-op", dict(INSTANCE, description="bench-token", token_type="Day", token_time=1,
                                        token_file="{{ workdir }}/token.json"),
             {"kcrs:DescribeInstanceToken": 1}, "1 read", False),
        step("kcr_token", "update", dict(INSTANCE, description="bench-token", token_type="Day", token_time=1,
                                         enabled=False, token_file="{{ workdir }}/token.json"),
             {"kcrs:DescribeInstanceToken": 1, "kcrs:ModifyInstanceTokenStatus": 1},
             "1 read + 1 write (a new status changes nothing the registry computes: no read back)", True),
        listing("kcr_token_info", dict(INSTANCE), "kcrs:DescribeInstanceToken", "tokens"),
        step("kcr_token", "delete", dict(INSTANCE, description="bench-token", state="absent"),
             {"kcrs:DescribeInstanceToken": 1, "kcrs:DeleteInstanceToken": 1}, "1 read + 1 delete", True),
        step("kcr_webhook", "create", dict(INSTANCE, namespace="library", name="bench-hook",
                                           event_types=["PushImage"], url="https://deploy.example.com/a"),
             {"kcrs:DescribeWebhookTrigger": 2, "kcrs:CreateWebhookTrigger": 1},
             "1 read + 1 create + 1 read back (the create answers the id only)", True),
        step("kcr_webhook", "no-op", dict(INSTANCE, namespace="library", name="bench-hook",
                                          event_types=["PushImage"], url="https://deploy.example.com/a"),
             {"kcrs:DescribeWebhookTrigger": 1}, "1 read", False),
        step("kcr_webhook", "update", dict(INSTANCE, namespace="library", name="bench-hook",
                                           event_types=["PushImage"], url="https://deploy.example.com/b"),
             {"kcrs:DescribeWebhookTrigger": 1, "kcrs:ModifyWebhookTrigger": 1}, "1 read + 1 write", True),
        listing("kcr_webhook_info", dict(INSTANCE, namespace="library"), "kcrs:DescribeWebhookTrigger", "webhooks"),
        step("kcr_webhook", "delete", dict(INSTANCE, namespace="library", name="bench-hook", state="absent"),
             {"kcrs:DescribeWebhookTrigger": 1, "kcrs:DeleteWebhookTrigger": 1}, "1 read + 1 delete", True),
        step("kcr_internal_endpoint", "create", dict(INSTANCE, vpc_id=KSYUN_VPC, subnet_id=KSYUN_SUBNET),
             {"kcrs:DescribeInternalEndpoint": 2, "kcrs:DescribeInternalEndpointDns": 1,
              "kcrs:CreateInternalEndpoint": 1},
             "1 read (none: no DNS to read) + 1 create + 1 read back of the access and its DNS (the create "
             "answers neither); ready at once", True),
        step("kcr_internal_endpoint", "no-op", dict(INSTANCE, vpc_id=KSYUN_VPC, subnet_id=KSYUN_SUBNET),
             {"kcrs:DescribeInternalEndpoint": 1, "kcrs:DescribeInternalEndpointDns": 1},
             "2 reads: the access and its private DNS are two API objects (DescribeInternalEndpoint does not "
             "say whether DNS is on)", False),
        step("kcr_internal_endpoint", "update", dict(INSTANCE, vpc_id=KSYUN_VPC, subnet_id=KSYUN_SUBNET,
                                                     private_dns=True),
             {"kcrs:DescribeInternalEndpoint": 1, "kcrs:DescribeInternalEndpointDns": 2,
              "kcrs:CreateInternalEndpointDns": 1},
             "2 reads (access + DNS) + 1 write + 1 read back of the DNS (its status); ready at once", True),
        step("kcr_internal_endpoint", "delete", dict(INSTANCE, vpc_id=KSYUN_VPC, state="absent"),
             {"kcrs:DescribeInternalEndpoint": 2, "kcrs:DescribeInternalEndpointDns": 1,
              "kcrs:DeleteInternalEndpointDns": 1, "kcrs:DeleteInternalEndpoint": 1},
             "2 reads (access + DNS) + 1 DNS delete + 1 delete + 1 read that sees it gone (wait)", True),
        listing("kcr_instance_info", {}, "kcrs:DescribeInstance", "instances"),
        listing("kcr_namespace_info", dict(INSTANCE), "kcrs:DescribeNamespace", "namespaces"),
        listing("kcr_repo_info", dict(INSTANCE, namespace="library"), "kcrs:DescribeRepository", "repositories"),
        listing("kcr_image_info", dict(INSTANCE, namespace="library", repository="many"), "kcrs:DescribeImages", "images"),
        # -- shared bandwidth (KSYUN BWS) ------------------------------------------------------
        step("bandwidth_share", "create", {"name": "bench-pool", "line_id": LINE, "charge_type": "Peak",
                                           "bandwidth": 10, "eips": EIPS[:1]},
             {"bws:DescribeBandWidthShares": 2, "bws:CreateBandWidthShare": 1, "bws:AssociateBandWidthShare": 1},
             "1 read (the pools of the project: also where the EIPs are) + 1 create + 1 join per EIP + 1 read "
             "back (the create answers only the id)", True),
        step("bandwidth_share", "no-op", {"name": "bench-pool", "bandwidth": 10, "eips": EIPS[:1]},
             {"bws:DescribeBandWidthShares": 1}, "1 read", False),
        step("bandwidth_share", "update", {"name": "bench-pool", "bandwidth": 20, "eips": EIPS[:1]},
             {"bws:DescribeBandWidthShares": 1, "bws:ModifyBandWidthShare": 1}, "1 read + 1 write", True),
        step("bandwidth_share", "update (+1 EIP)", {"name": "bench-pool", "bandwidth": 20, "eips": EIPS},
             {"bws:DescribeBandWidthShares": 1, "bws:AssociateBandWidthShare": 1},
             "1 read + 1 join (the result is predicted)", True, extra=True),
        listing("bandwidth_share_info", {}, "bws:DescribeBandWidthShares", "bandwidth_shares"),
        step("bandwidth_share", "delete", {"name": "bench-pool", "state": "absent", "eip_bandwidth": 5},
             {"bws:DescribeBandWidthShares": 1, "bws:DisassociateBandWidthShare": 2, "bws:DeleteBandWidthShare": 1},
             "1 read + 1 leave per EIP (each gets its own bandwidth back) + 1 delete", True),
        # -- KPS (Huawei) ----------------------------------------------------------------------
        step("ssh_keypair", "create", dict(HW, name="bench-key", public_key=PUBLIC_KEY, description="a"),
             {"kps:ListKeypairDetail": 2, "kps:CreateKeypair": 1, "kps:UpdateKeypairDescription": 1},
             "1 read + 1 create + 1 description (CreateKeypair takes none) + 1 read back (the create answers "
             "name, type, public key and fingerprint only)", True),
        step("ssh_keypair", "no-op", dict(HW, name="bench-key", public_key=PUBLIC_KEY, description="a"),
             {"kps:ListKeypairDetail": 1}, "1 read", False),
        step("ssh_keypair", "update", dict(HW, name="bench-key", public_key=PUBLIC_KEY, description="b"),
             {"kps:ListKeypairDetail": 2, "kps:UpdateKeypairDescription": 1},
             "1 read + 1 write + 1 read back (the result's update_time: the write answers nothing)", True),
        step("ssh_keypair_binding", "create", dict(HW, keypair_name="bench-key", server_ids=SERVERS[:1]),
             {"kps:ListKeypairDetail": 1, "ecs:ShowServer": 1, "kps:AssociateKeypair": 1, "kps:ListKeypairTask": 1},
             "1 keypair read (it must exist) + 1 ShowServer per server (KPS cannot say which keypair a server "
             "has: ECS key_name) + 1 bind + 1 task read that sees it done (wait)", True),
        step("ssh_keypair_binding", "no-op", dict(HW, keypair_name="bench-key", server_ids=SERVERS[:1]),
             {"kps:ListKeypairDetail": 1, "ecs:ShowServer": 1},
             "1 ShowServer per server + 1 keypair read (a server keeps the key_name of a deleted keypair)", False),
        step("ssh_keypair_binding", "update", dict(HW, keypair_name="bench-key", server_ids=SERVERS),
             {"kps:ListKeypairDetail": 1, "ecs:ShowServer": 2, "kps:AssociateKeypair": 1, "kps:ListKeypairTask": 1},
             "as create, for the one server of two added", True),
        step("ssh_keypair_binding", "delete", dict(HW, keypair_name="bench-key", server_ids=SERVERS,
                                                   state="absent"),
             {"ecs:ShowServer": 2, "kps:DisassociateKeypair": 2, "kps:ListKeypairTask": 2},
             "1 ShowServer per server + 1 unbind per server (the API unbinds one server a call) + 1 task read "
             "each (wait)", True),
        listing("ssh_keypair_info", dict(HW), "kps:ListKeypairs", "keypairs"),
        step("ssh_keypair", "delete", dict(HW, name="bench-key", state="absent"),
             {"kps:ListKeypairDetail": 1, "kps:DeleteKeypair": 1}, "1 read + 1 delete", True),
        # -- VPCEP (Huawei) --------------------------------------------------------------------
        step("vpcep_service", "create", dict(SERVICE, description="a"),
             {"vpcep:ListEndpointService": 2, "vpcep:CreateEndpointService": 1},
             "1 read + 1 create + 1 read that sees it available (wait: the create answers it creating)", True),
        step("vpcep_service", "no-op", dict(SERVICE, description="a"),
             {"vpcep:ListEndpointService": 1}, "1 read", False),
        step("vpcep_service", "update", dict(SERVICE, description="b"),
             {"vpcep:ListEndpointService": 2, "vpcep:UpdateEndpointService": 1},
             "1 read + 1 write + 1 read back (the update's answer, UpdateEndpointServiceResponse, has no "
             "connection_count, domain_id, error or supported_editions: the result a no-op returns needs the listing)",
             True),
        step("vpcep_endpoint", "create", ENDPOINT,
             {"vpcep:ListEndpoints": 2, "vpcep:CreateEndpoint": 1},
             "1 read + 1 create + 1 read back (with service_id given; CreateEndpointResponse has no dns_names "
             "or error, which the listing a no-op returns has)", True),
        step("vpcep_endpoint", "no-op", ENDPOINT, {"vpcep:ListEndpoints": 1}, "1 read", False),
        step("vpcep_connection", "update (accept)", CONNECTION,
             {"vpcep:ListServiceConnections": 2, "vpcep:AcceptOrRejectEndpoint": 1},
             "1 read + 1 write + 1 read that sees it accepted (wait); connections exist once an endpoint "
             "asks: no create", True),
        step("vpcep_connection", "no-op", CONNECTION, {"vpcep:ListServiceConnections": 1}, "1 read", False),
        step("vpcep_endpoint", "update", dict(ENDPOINT, whitelist=["10.0.0.0/24"], enable_whitelist=True),
             {"vpcep:ListEndpoints": 2, "vpcep:UpdateEndpointWhite": 1},
             "1 read + 1 write + 1 read back (UpdateEndpointWhiteResponse has no description, error or "
             "routetables)", True),
        listing("vpcep_service_info", dict(HW), "vpcep:ListEndpointService", "services"),
        listing("vpcep_endpoint_info", dict(HW), "vpcep:ListEndpoints", "endpoints"),
        listing("cgs_node_info", dict(HW, rate_limit_per_minute=0), "cgs:ListContainerNodes", "nodes"),
        step("vpcep_endpoint", "delete", dict(ENDPOINT, state="absent"),
             {"vpcep:ListEndpoints": 1, "vpcep:DeleteEndpoint": 1}, "1 read + 1 delete", True),
        step("vpcep_service", "delete", dict(SERVICE, state="absent"),
             {"vpcep:ListEndpointService": 2, "vpcep:DeleteEndpointService": 1},
             "1 read + 1 delete + 1 read that sees it gone (wait)", True),
    ]


# Why a step known to be above its minimum is, and what was decided: printed with the finding
# when (and only when) the run finds the step above its minimum.
NOTES = {
    ("ssh_keypair_info", "list"): "the empty page that ends a KPS marker listing. KPS may omit `next_marker`, keep "
    "it on the last page or clamp the page size (the emulator's readings), so only an empty page ends a listing "
    "safely under all of them: kept, one call per listing.",
    ("vpcep_endpoint", "create"): "the service is read first (`ListServiceDescribeDetails`: it resolves "
    "`service_name`, and tells check mode whether the endpoint will be pendingAcceptance or accepted). Left: "
    "with `service_id` given, the read could be kept for check mode only, saving one call per create.",
}
for _step in ("create", "update", "delete"):
    NOTES[("ssh_keypair_binding", _step)] = (
        "`ListFailedTask` is read before every bind or unbind: the failed tasks that exist before the "
        "submission, so that an unclear answer can be settled afterwards (a new failed task is this run's). "
        "One read on every write for the error path only; left (the settling of unclear answers is #15's "
        "work): telling this run's failed task by its time instead would save it.")
NOTES[("ssh_keypair_info", "list without project_id")] = NOTES[("ssh_keypair_info", "list")]


def without_project(steps_list):
    """A no-op of every Huawei module without project_id (one IAM lookup more), placed right after
    the module's own no-op, while the resource exists."""
    out = []
    for item in steps_list:
        out.append(item)
        if item["step"] in ("no-op", "list") and "project_id" in item["args"]:
            args = dict((k, v) for k, v in item["args"].items() if k != "project_id")
            minimum = dict(item["minimum"], **{"iam:KeystoneListProjects": 1})
            out.append(step(item["module"], item["step"] + " without project_id", args, minimum,
                            item["why"] + " + 1 IAM project lookup", item["changed"], item["items"], extra=True))
    return out


def fixtures():
    """The default fixtures plus a seeded registry and bulk data for the listings."""
    with open(os.path.join(FIXTURES, "ksyun.yaml")) as handle:
        ksyun = yaml.safe_load(handle)
    with open(os.path.join(FIXTURES, "huawei.yaml")) as handle:
        huawei = yaml.safe_load(handle)
    images = [{"repository": "app", "tag": tag} for tag in ("v1", "v2")]
    images += [{"repository": "many", "tag": "t%03d" % n} for n in range(IMAGES)]
    ksyun["ksyun"]["kcrs"] = {"instances": [{"InstanceName": "seeded", "namespaces": [
        {"Namespace": "library", "Public": False, "images": images}]}]}
    ksyun["ksyun"]["generate"] = {
        "kcrs.namespace": {"instance": "seeded", "count": NAMESPACES, "prefix": "bulk"},
        "kcrs.image": {"instance": "seeded", "namespace": "library", "repositories": REPOSITORIES - 2, "tags": 1},
    }
    huawei["huawei"]["generate"] = {"cgs.node": {"count": NODES}, "kps.keypair": {"count": KEYPAIRS}}
    delays = dict((key, 0) for key in list(ksyun["settings"]["delays"]) + list(huawei["settings"]["delays"]))
    settings = {"delays": delays, "cgs_rate_limit": 0, "kcrs": {"namespace_quota": NAMESPACES + 10}}
    return {"settings": settings, "ksyun": ksyun["ksyun"], "huawei": huawei["huawei"]}


def playbook(steps_list, url, workdir, instance_id, output):
    tasks = []
    for n, item in enumerate(steps_list):
        register = "step_%s_%s" % (item["module"], item["step"].split()[0].replace("-", "_")) if not item["extra"] \
            else "step_%d" % n
        item["register"] = register
        tasks.append({"name": "%s: %s" % (item["module"], item["step"]),
                      "cloudops.multicloud.%s" % item["module"]: item["args"],
                      "register": register, "ignore_errors": True})
        tasks.append({"name": "Calls of step %d" % n, "ansible.builtin.uri": {"url": url + "/__admin/stats"},
                      "register": "calls_%d" % n})
        clear = {"url": url + "/__admin/stats", "method": "DELETE"}
        tasks.append({"name": "Clear the counters", "ansible.builtin.uri": clear})
    summary = []
    for n, item in enumerate(steps_list):
        fields = ["'calls': calls_%d.json.calls" % n, "'changed': %s.changed | default(none)" % item["register"],
                  "'failed': %s.failed | default(false)" % item["register"],
                  "'msg': %s.msg | default('')" % item["register"]]
        if item["items"]:
            fields.append("'items': %s.%s | default([]) | length" % (item["register"], item["items"]))
        summary.append("{%s}" % ", ".join(fields))
    tasks.append({"name": "Write the counts", "ansible.builtin.copy": {
        "content": "{{ [%s] | to_json }}" % ", ".join(summary), "dest": output, "mode": "0600"}})
    play = [{"name": "Every module against the emulator", "hosts": "localhost", "connection": "local",
             "gather_facts": False, "vars": {"seeded_instance": instance_id, "workdir": workdir},
             "tasks": tasks}]
    path = os.path.join(workdir, "calls.yml")
    with open(path, "w") as handle:
        yaml.safe_dump(play, handle, sort_keys=False, width=1000)
    return path


def run(runner, url, workdir, steps_list):
    runner.admin(url, "POST", "/__admin/reset", fixtures())
    state = runner.admin(url, "GET", "/__admin/state/kcrs")["kinds"]["kcrs.instance"]
    instance_id = state[0]["id"]  # the one seeded registry
    output = os.path.join(workdir, "calls.json")
    path = playbook(steps_list, url, workdir, instance_id, output)
    env = environment(runner, url, {"CLOUDOPS_WAIT_INTERVAL": "0.1", "ANSIBLE_NOCOLOR": "1"})
    runner.admin(url, "DELETE", "/__admin/stats")
    started = time.monotonic()
    proc = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", path], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    seconds = time.monotonic() - started
    if proc.returncode != 0 or not os.path.exists(output):
        sys.stdout.write(streams(proc))
        raise SystemExit("the calls playbook failed")
    with open(output) as handle:
        return json.load(handle), seconds


def resolve_minimums(steps_list, results):
    """A listing's minimum depends on the N it listed: fill it in from the run."""
    for item, measured in zip(steps_list, results):
        item["minimum"] = dict((op, n(measured.get("items") or 0) if callable(n) else n)
                               for op, n in item["minimum"].items())


def is_read(operation):
    return operation.split(":", 1)[1].startswith(READ_PREFIXES)


def judge(item, measured):
    """(verdict, excess calls): ``ok`` at the minimum, ``+k`` above it, ``FAILED`` or ``changed?``."""
    calls = measured["calls"]
    if measured["failed"]:
        return "FAILED: %s" % measured["msg"][:160], None
    if item["changed"] is not None and measured["changed"] != item["changed"]:
        return "changed=%s, expected %s" % (measured["changed"], item["changed"]), None
    minimum = item["minimum"]
    excess = sum(calls.values()) - sum(minimum.values())
    over = dict((op, n - minimum.get(op, 0)) for op, n in calls.items() if n > minimum.get(op, 0))
    if not over:
        return ("ok" if excess == 0 else "%d below" % -excess), 0
    detail = ", ".join("%s +%d" % (op.split(":", 1)[1], n) for op, n in sorted(over.items()))
    return "+%d (%s)" % (sum(over.values()), detail), sum(over.values())


def short(calls):
    return ", ".join("%s %d" % (op.split(":", 1)[1], n) for op, n in sorted(calls.items())) or "none"


def cell(calls, minimum):
    reads = sum(n for op, n in calls.items() if is_read(op))
    writes = sum(calls.values()) - reads
    return "%dR+%dW / %d" % (reads, writes, sum(minimum.values()))


def markdown(steps_list, results, seconds, load):
    table = collections.OrderedDict()
    findings, failures = [], []
    for item, measured in zip(steps_list, results):
        verdict, excess = judge(item, measured)
        key = item["step"].split(" (")[0]
        row = table.setdefault(item["module"], {})
        if not item["extra"] or key == "no-op without project_id" or key == "list without project_id":
            column = {"list": "no-op", "list without project_id": "IAM", "no-op without project_id": "IAM",
                      "update": "update"}.get(key, key)
            mark = "" if excess == 0 else (" **+%d**" % excess if excess else " **!**")
            row[column] = cell(measured["calls"], item["minimum"]) + mark
        if excess:
            findings.append((item, measured, verdict))
        elif excess is None:
            failures.append((item, measured, verdict))
    out = ["API calls of one task of every module, counted by the emulator (`/__admin/stats`) in one "
           "`ansible-playbook` run (%.0f s, load average %s at the start, %s at the end). Cell: reads R + writes W / the API minimum "
           "(total calls); **+k** marks calls above the minimum. `_info` modules: the list calls for N items "
           "(the no-op column), minimum ceil(N / max page size) (KCR 99, KPS/VPCEP/CGS 1000). "
           "Huawei modules run with `project_id`; the IAM column is the same no-op without it (+1 "
           "`KeystoneListProjects`). KCR modules run with `instance_id` (with `instance_name`: +1 "
           "`DescribeInstance`, see the rows below). Emulator delays 0: a wait costs the one read that "
           "sees the resource ready." % ((seconds,) + tuple(load)), "",
           "| module | create | no-op / list | update | delete | no-op without project_id |",
           "|---|---|---|---|---|---|"]
    for module, row in sorted(table.items(), key=lambda pair: (pair[0].endswith("_info"), pair[0])):
        out.append("| %s | %s |" % (module, " | ".join(row.get(c, "—") for c in
                                                       ("create", "no-op", "update", "delete", "IAM"))))
    total = len(steps_list)
    at_min = total - len(findings) - len(failures)
    noops = [(i, m) for i, m in zip(steps_list, results) if i["step"] == "no-op"]
    one_read = [i["module"] for i, m in noops
                if sum(m["calls"].values()) == 1 and not m["failed"] and not m["changed"]]
    others = ["%s (%s: %s)" % (i["module"], short(m["calls"]), i["why"]) for i, m in noops
              if i["module"] not in one_read]
    out += ["", "Steps at their minimum: **%d of %d**. No-ops of one call (with `project_id`/`instance_id`): "
            "**%d of %d** stateful modules%s." % (at_min, total, len(one_read), len(noops),
                                                  "; the others: " + "; ".join(others) if others else ""), ""]
    out += ["### Every step", "", "| module | step | calls | changed | N | minimum, and why | verdict |",
            "|---|---|---|---|---:|---|---|"]
    for item, measured in zip(steps_list, results):
        verdict, _excess = judge(item, measured)
        out.append("| %s | %s | %s | %s | %s | %s: %s | %s |" % (
            item["module"], item["step"], short(measured["calls"]), measured["changed"],
            measured.get("items", "") if item["items"] else "", short(item["minimum"]), item["why"], verdict))
    if findings or failures:
        out += ["", "### Above the minimum", ""]
        for i, m, v in findings + failures:
            note = NOTES.get((i["module"], i["step"]))
            out.append("- %s %s: %s (calls: %s)%s" % (i["module"], i["step"], v, short(m["calls"]),
                                                      ": " + note if note else ""))
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", default=os.path.join(HERE, "results", "calls.md"))
    parser.add_argument("--json", help="also write the raw counts here")
    args = parser.parse_args()
    runner = load_runner()
    workdir = tempfile.mkdtemp(prefix="cloudops-bench-calls-")
    proc, url = runner.start_emulator(os.path.join(workdir, "emulator.log"))
    steps_list = without_project(steps())
    load = ["%.1f" % os.getloadavg()[0]]
    try:
        results, seconds = run(runner, url, workdir, steps_list)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    load.append("%.1f" % os.getloadavg()[0])
    resolve_minimums(steps_list, results)
    if args.json:
        with open(args.json, "w") as handle:
            json.dump([dict(step=i["module"] + " " + i["step"], **r) for i, r in zip(steps_list, results)],
                      handle, indent=1)
    text = "# API calls per module\n\n" + markdown(steps_list, results, seconds, load)
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as handle:
        handle.write(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
