"""Bad-input sweep: every option of every module, given values that no API accepts, must be
refused before any write, with a message that names the option - and never with a traceback.

Each module runs in-process (a real AnsibleModule and a real client) against the emulator, from a
valid base task (BASES) with one option replaced at a time. A base task must be a no-op once it
has run (a second run changes nothing and writes nothing), so that every write a changed option
causes is the option's doing; a module whose base is not is skipped and reported. Resources some
bases refer to by generated IDs are made first (SETUP). The emulator's CGS rate limit is lifted
while sweeping: throttling is not bad input (the drills cover it). For each value it records: a
traceback, writes that reached the emulator (/__admin/stats), and, when the module failed,
whether the message names the option. Probes (unicode, path tricks, injection strings) may be
valid for some options: their outcome is listed but a write with them is not a failure.

    python tools/sweep.py [--output bench/results/sweep.md] [MODULE ...]
"""

import argparse
import collections
import contextlib
import importlib
import inspect
import io
import json
import os
import sys
import tempfile
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import drills  # noqa: E402  (shares the emulator helpers)

INSTANCE = {"instance_name": "demo-registry"}
PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBFGhGNW0RLJbdG8EGYsBHTHUo1cYgXAg0KYYNq5oC0q sweep@cloudops"
VPC = {"ksyun": ("31e21dca-c92e-4b06-a8ce-000000000001", "372bdbac-ea1d-4f99-9c30-000000000001"),
       "huawei": ("4dfe5c6e-0000-4000-8000-000000000001", "5e6f7a8b-0000-4000-8000-000000000001")}
HUAWEI_PROJECT = {"project_id": "0f1e2d3c4b5a69788796a5b4c3d2e1f0"}
# The demo's endpoint service serves 8443 on the same backend port: this one serves 9443.
SERVICE = dict(HUAWEI_PROJECT, name="sweep-svc", vpc_id=VPC["huawei"][0], server_type="LB",
               port_id="a1b2c3d4-0000-4000-8000-000000000001", ports=[{"client_port": 443, "server_port": 9443}],
               approval_enabled=False)

# Made before the sweep, in order: (module, task, {placeholder: path in the result}); BASES refer
# to the placeholders as "{name}".
SETUP = [
    ("vpcep_service", SERVICE, {"service_id": ("service", "id"), "service_name": ("service", "service_name")}),
    ("vpcep_endpoint", dict(HUAWEI_PROJECT, service_id="{service_id}", vpc_id=VPC["huawei"][0],
                            subnet_id=VPC["huawei"][1], port_ip="192.168.0.61"),
     {"endpoint_id": ("endpoint", "id")}),
]

# A valid task per module; the sweep skips (and reports) a module whose base task fails.
BASES = {
    "kcr_instance": {"name": "demo-registry", "instance_type": "basic"},
    "kcr_instance_info": {"name": "demo-registry"},
    "kcr_namespace": dict(INSTANCE, name="sweep-ns", public=False),
    "kcr_namespace_info": dict(INSTANCE),
    "kcr_repo": dict(INSTANCE, namespace="team-builds", name="app", description="sweep"),
    "kcr_repo_info": dict(INSTANCE, namespace="team-builds"),
    "kcr_image": dict(INSTANCE, namespace="team-builds", repository="app", tag="v1"),
    "kcr_image_info": dict(INSTANCE, namespace="team-builds", repository="app"),
    "kcr_token": dict(INSTANCE, description="sweep-token", token_type="Day", token_time=1),
    "kcr_token_info": dict(INSTANCE),
    "kcr_webhook": dict(INSTANCE, namespace="team-builds", name="sweep-hook", event_types=["PushImage"],
                        url="https://deploy.example.com/hook"),
    "kcr_webhook_info": dict(INSTANCE, namespace="team-builds"),
    "kcr_internal_endpoint": dict(INSTANCE, vpc_id=VPC["ksyun"][0], subnet_id=VPC["ksyun"][1], wait=False),
    "ssh_keypair": {"name": "sweep-key", "public_key": PUBLIC_KEY},
    "ssh_keypair_info": {"name": "sweep-key"},
    "ssh_keypair_binding": {"keypair_name": "sweep-key", "server_ids": ["e1c50000-0000-4000-8000-000000000001"]},
    "cgs_node_info": {},
    "bandwidth_share": {"name": "sweep-pool", "line_id": "5fc2595f-1bfd-481b-bf64-2d08f116d800",
                        "charge_type": "Peak", "bandwidth": 10},
    "bandwidth_share_info": {},
    "vpcep_service": SERVICE,
    "vpcep_service_info": dict(HUAWEI_PROJECT, name="sweep-svc"),
    "vpcep_endpoint": dict(HUAWEI_PROJECT, service_id="{service_id}", vpc_id=VPC["huawei"][0],
                           subnet_id=VPC["huawei"][1], port_ip="192.168.0.61"),
    "vpcep_endpoint_info": dict(HUAWEI_PROJECT, service_name="{service_name}"),
    "vpcep_connection": dict(HUAWEI_PROJECT, service_id="{service_id}", action="accept",
                             endpoint_ids=["{endpoint_id}"]),
}

INVALID = {
    "str": ["x\n", "\x00", "a" * 5000],
    "path": ["x\n", "\x00"],
    "int": [-1, 10 ** 12],
    "float": [-1.0],
    "list": [["x\n"], ["a" * 5000]],
    "dict": [{"x\n": "v"}],
}
PROBES = {"str": ["", "../x", "名字", "'; DROP TABLE x;--", "x y"]}
# Free text, where a newline or a long value may be legitimate: probed, not required to fail.
FREE_TEXT = ("description", "desc")
READ_PREFIXES = ("Describe", "List", "Show", "Keystone", "Count", "Get", "Check")


def module_class(name):
    module = importlib.import_module("ansible_collections.cloudops.multicloud.plugins.modules.%s" % name)
    from ansible_collections.cloudops.multicloud.plugins.module_utils.engine.base import CloudModule
    classes = [c for _n, c in inspect.getmembers(module, inspect.isclass)
               if issubclass(c, CloudModule) and c.__module__ == module.__name__]
    return classes[0]


def run_in_process(cls, args):
    """(result dict or None, traceback text or None)."""
    from ansible.module_utils.testing import patch_module_args
    out = io.StringIO()
    with patch_module_args(args), contextlib.redirect_stdout(out):
        try:
            cls().run()
        except SystemExit:
            pass
        except Exception:  # pylint: disable=broad-except
            return None, traceback.format_exc()
    text = out.getvalue()
    try:
        return json.loads(text), None
    except ValueError:
        return None, "unparsable output: %r" % text[:300]


def writes(before, after):
    delta = collections.Counter(after) - collections.Counter(before)
    return sorted(op for op in delta if not op.split(":", 1)[1].startswith(READ_PREFIXES))


def filled(value, made):
    """``value`` with "{placeholder}" strings replaced by what SETUP made."""
    if isinstance(value, dict):
        return dict((k, filled(v, made)) for k, v in value.items())
    if isinstance(value, list):
        return [filled(v, made) for v in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}") and value[1:-1] in made:
        return made[value[1:-1]]
    return value


def set_up(url, runner, credentials, made):
    for name, task, keep in SETUP:
        cls = module_class(name)
        result, trace = run_in_process(cls, dict(filled(task, made), **credentials(cls)))
        if trace or (result or {}).get("failed"):
            raise SystemExit("sweep setup %s failed: %s" % (name, trace or result.get("msg")))
        for placeholder, path in keep.items():
            value = result
            for key in path:
                value = value[key]
            made[placeholder] = value


def sweep_module(name, cls, url, runner, credentials, tmp, made):
    base = filled(dict(BASES[name]), made)
    if "token_file" in cls.argument_spec:
        base.setdefault("token_file", os.path.join(tmp, "%s.json" % name))
    base.update(credentials(cls))
    result, trace = run_in_process(cls, base)
    if trace or (result or {}).get("failed"):
        return None, "base task fails: %s" % (trace or result.get("msg"))
    before = runner.admin(url, "GET", "/__admin/stats")["calls"]
    result, trace = run_in_process(cls, base)
    again = writes(before, runner.admin(url, "GET", "/__admin/stats")["calls"])
    if trace or (result or {}).get("failed") or (result or {}).get("changed") or again:
        return None, "base task is not a no-op on its second run: %s" % (
            trace or result.get("msg") or "changed=%s, writes %s" % (result.get("changed"), ", ".join(again)))
    rows = []
    spec = dict(cls.shared_spec)
    spec.update(cls.argument_spec)
    for option, settings in sorted(spec.items()):
        if settings.get("choices") or settings.get("type") == "bool":
            continue  # AnsibleModule validates these and names the option
        kind = settings.get("type", "str")
        values = [(v, "invalid") for v in INVALID.get(kind, [])] + [(v, "probe") for v in PROBES.get(kind, [])]
        for value, label in values:
            if label == "invalid" and option in FREE_TEXT and isinstance(value, str) and len(value) < 100:
                label = "probe"
            args = dict(base)
            args[option] = value
            before = runner.admin(url, "GET", "/__admin/stats")["calls"]
            result, trace = run_in_process(cls, args)
            after = runner.admin(url, "GET", "/__admin/stats")["calls"]
            failed = bool(result and result.get("failed"))
            msg = (result or {}).get("msg") or ""
            names = [option] + list(settings.get("aliases") or [])
            rows.append(dict(option=option, value=value, label=label, traceback=trace, writes=writes(before, after),
                             failed=failed, named=failed and any(n in msg for n in names), msg=msg[:160]))
    return rows, None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("modules", nargs="*")
    parser.add_argument("--output", default=os.path.join(ROOT, "bench", "results", "sweep.md"))
    args = parser.parse_args()

    runner = drills.load_runner()
    sys.path.insert(0, runner.collections_path())
    workdir = tempfile.mkdtemp(prefix="cloudops-sweep-")
    proc, url = runner.start_emulator(os.path.join(workdir, "emulator.log"))
    names = args.modules or sorted(n for n in BASES
                                   if os.path.exists(os.path.join(ROOT, "plugins", "modules", n + ".py")))
    report = []
    try:
        env = drills.environment(runner, url, workdir)
        code, out, err = drills.finish(drills.playbook(env, os.path.join(ROOT, "playbooks", "demo.yml"),
                                                       ["-e", "demo_output_dir=%s" % os.path.join(workdir, "demo")]))
        if code != 0:
            sys.stdout.write(runner.labelled(out, err) + "\n")
            raise SystemExit("the demo (the sweep's base state) failed")
        runner.admin(url, "POST", "/__admin/kcr/push", {"instance_name": "demo-registry", "namespace": "team-builds",
                                                        "repository": "app", "tag": "v1"})

        def credentials(cls):
            common = cls.api.argument_spec()
            if "auth_username" in common:
                return dict(access_key=runner.HUAWEI_ENV["HUAWEICLOUD_SDK_AK"],
                            secret_key=runner.HUAWEI_ENV["HUAWEICLOUD_SDK_SK"], region="cn-north-4",
                            endpoint_url=url, retries=0)
            return dict(access_key=runner.KSYUN_ENV["KSYUN_ACCESS_KEY"], secret_key=runner.KSYUN_ENV["KSYUN_SECRET_KEY"],
                        endpoint_url=url, retries=0)

        runner.admin(url, "POST", "/__admin/settings", {"cgs_rate_limit": 0})
        made = {}
        set_up(url, runner, credentials, made)
        for name in names:
            rows, skipped = sweep_module(name, module_class(name), url, runner, credentials, workdir, made)
            report.append((name, rows, skipped))
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    totals = collections.Counter()
    lines = ["# Bad-input sweep", "", "| module | values | tracebacks | invalid values that wrote | failures not naming the option | probes accepted |",
             "|---|---:|---:|---:|---:|---:|"]
    details = []
    for name, rows, skipped in report:
        if skipped:
            lines.append("| %s | skipped: %s | | | | |" % (name, skipped.replace("|", "/")[:120]))
            totals["skipped"] += 1
            continue
        tb = [r for r in rows if r["traceback"]]
        wrote = [r for r in rows if r["label"] == "invalid" and r["writes"]]
        unnamed = [r for r in rows if r["failed"] and not r["named"]]
        accepted = [r for r in rows if r["label"] == "probe" and not r["failed"]]
        totals.update(values=len(rows), tracebacks=len(tb), wrote=len(wrote), unnamed=len(unnamed),
                      failures=sum(1 for r in rows if r["failed"]))
        lines.append("| %s | %d | %d | %d | %d | %d |" % (name, len(rows), len(tb), len(wrote), len(unnamed), len(accepted)))
        for r in tb + wrote + unnamed:
            details.append("- %s `%s` = %r: %s" % (name, r["option"], r["value"] if len(repr(r["value"])) < 40
                                                   else repr(r["value"])[:37] + "...",
                                                   "traceback" if r["traceback"] else
                                                   ("wrote %s" % ", ".join(r["writes"]) if r in wrote else
                                                    "message does not name it: %s"
                                                    % json.dumps(r["msg"], ensure_ascii=False)[1:-1])))
    named_share = 100.0 * (totals["failures"] - totals["unnamed"]) / totals["failures"] if totals["failures"] else 100.0
    summary = ("Values tried: %d; tracebacks: **%d**; invalid values that reached the cloud as writes: **%d**; "
               "failures naming the option: **%.0f%%**."
               % (totals["values"], totals["tracebacks"], totals["wrote"], named_share))
    lines += ["", summary, ""]
    if details:
        lines += ["Findings:", ""] + details + [""]
    text = "\n".join(lines)
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as handle:
        handle.write(text)
    sys.stdout.write(text)
    return 1 if totals["tracebacks"] or totals["wrote"] or totals["unnamed"] else 0


if __name__ == "__main__":
    sys.exit(main())
