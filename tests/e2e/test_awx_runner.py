"""The collection run the way AWX / Automation Controller runs it: ansible-runner on a private data
directory laid out as AWX writes it, the collection installed from the artifact into
``requirements_collections`` (where AWX's project sync puts collections), and the credentials
injected as environment variables by the credential types of extensions/awx/, rendered with a
credential's inputs as AWX renders them (an empty optional field is an empty string).

    <private data dir>/
      env/envvars     credential injectors' environment, ANSIBLE_COLLECTIONS_PATHS
      env/extravars   job template extra vars
      env/settings    runner settings
      inventory/hosts the inventory AWX writes for the job
      project/        the synced project (a playbook that imports cloudops.multicloud.demo)
      requirements_collections/ansible_collections/cloudops/multicloud
"""
import glob
import json
import os
import shutil
import subprocess

import ansible_runner
import jinja2
import pytest
import yaml

from e2e_support import BIN, KSYUN_ENV, HUAWEI_ENV, NO_DELAYS, ROOT

AWX = os.path.join(ROOT, "extensions", "awx")


def credential_type(name):
    with open(os.path.join(AWX, "credential_type_%s.yml" % name)) as handle:
        return yaml.safe_load(handle)


def inject(cred_type, inputs):
    """The environment AWX injects for a credential of ``cred_type`` with ``inputs``."""
    fields = [f["id"] for f in cred_type["inputs"]["fields"]]
    missing = [r for r in cred_type["inputs"].get("required", []) if not inputs.get(r)]
    assert not missing, "AWX refuses a credential without %s" % missing
    values = {f: inputs.get(f, "") for f in fields}
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    return {var: env.from_string(template).render(values)
            for var, template in cred_type["injectors"]["env"].items()}


def awx_env(emulator):
    env = inject(credential_type("ksyun"), {
        "access_key": KSYUN_ENV["KSYUN_ACCESS_KEY"], "secret_key": KSYUN_ENV["KSYUN_SECRET_KEY"],
        "endpoint_url": emulator.url})
    env.update(inject(credential_type("huaweicloud"), {
        "access_key": HUAWEI_ENV["HUAWEICLOUD_SDK_AK"], "secret_key": HUAWEI_ENV["HUAWEICLOUD_SDK_SK"],
        "region": HUAWEI_ENV["HW_REGION_NAME"], "endpoint_url": emulator.url}))
    return env


@pytest.fixture
def private_data_dir(tmp_path, collection_tarball, emulator):
    pdd = tmp_path / "runner"
    collections = pdd / "requirements_collections"
    subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "--offline",
                    "-p", str(collections), collection_tarball], check=True, stdout=subprocess.DEVNULL)
    (pdd / "env").mkdir()
    envvars = awx_env(emulator)
    envvars.update({
        "ANSIBLE_COLLECTIONS_PATH": str(collections),
        "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "False",
        "HOME": str(tmp_path),
        "PATH": BIN + os.pathsep + os.environ.get("PATH", ""),
        "ANSIBLE_FORCE_COLOR": "False",
    })
    (pdd / "env" / "envvars").write_text(yaml.safe_dump(envvars))
    (pdd / "env" / "extravars").write_text(yaml.safe_dump({"demo_output_dir": str(tmp_path / "demo")}))
    (pdd / "env" / "settings").write_text(yaml.safe_dump({"job_timeout": 600, "idle_timeout": 300,
                                                          "suppress_ansible_output": True}))
    (pdd / "inventory").mkdir()
    (pdd / "inventory" / "hosts").write_text(
        "localhost ansible_connection=local ansible_python_interpreter=%s\n" % os.path.join(BIN, "python"))
    (pdd / "project").mkdir()
    (pdd / "project" / "registry.yml").write_text(
        "---\n- name: Team registry, as a job template runs it\n"
        "  ansible.builtin.import_playbook: cloudops.multicloud.demo\n")
    return pdd


def test_empty_optional_fields_inject_empty_variables():
    env = inject(credential_type("ksyun"), {"access_key": "AK", "secret_key": "SK"})
    assert env == {"KSYUN_ACCESS_KEY": "AK", "KSYUN_SECRET_KEY": "SK", "KSYUN_SECURITY_TOKEN": "",
                   "KSYUN_REGION": "", "KSYUN_ENDPOINT_URL": ""}


def test_secret_fields_are_marked_secret():
    for name in ("ksyun", "huaweicloud"):
        fields = {f["id"]: f for f in credential_type(name)["inputs"]["fields"]}
        assert fields["secret_key"].get("secret") is True
        assert fields["security_token"].get("secret") is True
        assert not fields["access_key"].get("secret")


def test_demo_job_through_ansible_runner_twice(private_data_dir, emulator):
    emulator.reset(NO_DELAYS)
    first = ansible_runner.run(private_data_dir=str(private_data_dir), playbook="registry.yml", quiet=True)
    assert (first.status, first.rc) == ("successful", 0), first.stdout.read()
    assert sum(first.stats["changed"].values()) > 0

    second = ansible_runner.run(private_data_dir=str(private_data_dir), playbook="registry.yml", quiet=True)
    assert (second.status, second.rc) == ("successful", 0), second.stdout.read()
    assert second.stats["changed"] == {} and second.stats["failures"] == {}

    # The secrets the credentials injected appear nowhere in the job's output and events (what
    # AWX stores and shows). ansible-runner's own record of the command's environment
    # (artifacts/*/command) is runner's business, not the collection's.
    secrets = [KSYUN_ENV["KSYUN_SECRET_KEY"], HUAWEI_ENV["HUAWEICLOUD_SDK_SK"]]
    outputs = glob.glob(str(private_data_dir / "artifacts" / "*" / "stdout"))
    outputs += glob.glob(str(private_data_dir / "artifacts" / "*" / "job_events" / "*.json"))
    assert len(outputs) > 20
    for path in outputs:
        with open(path, errors="replace") as handle:
            content = handle.read()
        assert not any(s in content for s in secrets), path


def inventory_source_examples():
    return sorted(glob.glob(os.path.join(AWX, "inventory_source_*.yml")))


@pytest.mark.parametrize("example", inventory_source_examples(), ids=os.path.basename)
def test_inventory_source_through_ansible_runner(example, private_data_dir, emulator):
    """An inventory update as AWX runs it: ansible-inventory --list on the source's file, through
    ansible-runner, with the credential's environment."""
    with open(example) as handle:
        source = yaml.safe_load(handle)
    emulator.reset(NO_DELAYS)
    source_file = private_data_dir / "project" / os.path.basename(source["source_path"])
    shutil.copy(os.path.join(AWX, source["source_path"]), str(source_file))
    with open(private_data_dir / "env" / "envvars") as handle:
        envvars = yaml.safe_load(handle)
    out, err = ansible_runner.get_inventory(
        action="list", inventories=[str(source_file)], response_format="json",
        private_data_dir=str(private_data_dir), envvars=envvars, quiet=True)
    assert out, err
    hosts = out["_meta"]["hostvars"]
    assert sorted(hosts) == sorted(source["expected_hosts"]), json.dumps(out, indent=2)
