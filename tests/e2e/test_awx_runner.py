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

import cloudops_emulator
from e2e_support import BIN, KSYUN_ENV, HUAWEI_ENV, NO_DELAYS, ROOT

AWX = os.path.join(ROOT, "extensions", "awx")
FIXTURES = os.path.join(os.path.dirname(cloudops_emulator.__file__), "fixtures")


def credential_type(name):
    with open(os.path.join(AWX, "credential_type_%s.yml" % name)) as handle:
        (cred_type,) = yaml.safe_load(handle)["credential_types"]  # the awx import format
    return cred_type


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
def private_data_dir(tmp_path, collection_tarball, emulator, monkeypatch):
    # ansible-runner looks its commands up on the PATH of the calling process.
    monkeypatch.setenv("PATH", BIN + os.pathsep + os.environ.get("PATH", ""))
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


def test_the_endpoint_help_asks_for_https_and_names_the_opt_in():
    for name in ("ksyun", "huaweicloud"):
        fields = {f["id"]: f for f in credential_type(name)["inputs"]["fields"]}
        text = " ".join(fields["endpoint_url"]["help_text"].split())
        assert "Must be https://" in text and "http://HOST" not in text
        assert "except for a loopback host" in text and "CLOUDOPS_ALLOW_INSECURE_HTTP=true" in text


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


# The region each credential of the test names: not the ones the inventory files once hard-coded
# (cn-south-4, cn-beijing-6), so that a listing of the credential's region shows it is honoured.
CREDENTIAL_REGIONS = {"Huawei Cloud": HUAWEI_ENV["HW_REGION_NAME"], "Kingsoft Cloud (KSYUN)": "cn-shanghai-2"}


def credential_env_by_name(emulator):
    """What each credential of the docs injects, keyed by its credential type's name."""
    ksyun, huawei = credential_type("ksyun"), credential_type("huaweicloud")
    return {
        ksyun["name"]: inject(ksyun, {"access_key": KSYUN_ENV["KSYUN_ACCESS_KEY"],
                                      "secret_key": KSYUN_ENV["KSYUN_SECRET_KEY"],
                                      "region": CREDENTIAL_REGIONS[ksyun["name"]],
                                      "endpoint_url": emulator.url}),
        huawei["name"]: inject(huawei, {"access_key": HUAWEI_ENV["HUAWEICLOUD_SDK_AK"],
                                        "secret_key": HUAWEI_ENV["HUAWEICLOUD_SDK_SK"],
                                        "region": CREDENTIAL_REGIONS[huawei["name"]],
                                        "endpoint_url": emulator.url}),
    }


def fixture_hosts(sources):
    """Host names the instances plugin must list from the emulator's default fixtures plus the
    registry the test seeds."""
    names = set()
    if "cgs" in sources:
        with open(os.path.join(FIXTURES, "huawei.yaml")) as handle:
            names |= {n["host_name"] for n in yaml.safe_load(handle)["huawei"]["cgs_nodes"]}
    if "kcr" in sources:
        names.add(SEEDED_REGISTRY)
    return names


SEEDED_REGISTRY = "prod-registry"


def plain(value):
    """ansible-inventory --list writes an untrusted string as {"__ansible_unsafe": value}."""
    return value["__ansible_unsafe"] if isinstance(value, dict) else value


@pytest.mark.parametrize("example", inventory_source_examples(), ids=os.path.basename)
def test_inventory_source_through_ansible_runner(example, private_data_dir, emulator):
    """An inventory update as AWX runs it: ansible-inventory --list on the source's file in the
    project, through ansible-runner, with only the source's credential injected."""
    with open(example) as handle:
        (source,) = yaml.safe_load(handle)["inventory_sources"]  # the awx import format
    region = CREDENTIAL_REGIONS[source["credential"]["name"]]
    with open(os.path.join(FIXTURES, "ksyun.yaml")) as handle:
        ksyun = yaml.safe_load(handle)["ksyun"]
    ksyun["kcrs"]["instances"] = [{"InstanceName": SEEDED_REGISTRY, "region": region}]
    emulator.admin("POST", "/__admin/reset", {"settings": NO_DELAYS, "ksyun": ksyun})

    source_file = private_data_dir / "project" / source["source_path"]
    source_file.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(os.path.join(AWX, source["source_path"]), str(source_file))
    with open(str(source_file)) as handle:
        config = yaml.safe_load(handle)
    with open(str(private_data_dir / "env" / "envvars")) as handle:
        envvars = {k: v for k, v in yaml.safe_load(handle).items()
                   if not k.startswith(("KSYUN_", "HUAWEICLOUD_", "HW_"))}
    envvars.update(credential_env_by_name(emulator)[source["credential"]["name"]])
    # the job's environment file, which ansible-runner prefers to its envvars argument
    (private_data_dir / "env" / "envvars").write_text(yaml.safe_dump(envvars))

    out, err = ansible_runner.get_inventory(
        action="list", inventories=[str(source_file)], response_format="json",
        private_data_dir=str(private_data_dir), envvars=envvars, quiet=True)
    assert out, err
    hosts = set(out.get("_meta", {}).get("hostvars", {}))
    assert hosts == fixture_hosts(config["sources"]), json.dumps(out, indent=2)
    # every host of the credential's region (its Region field), none of another
    assert {plain(v["region"]) for v in out["_meta"]["hostvars"].values()} == {region}
    for group in config.get("groups", {}):
        assert out.get(group, {}).get("hosts"), "group %s is empty" % group
    secrets = [KSYUN_ENV["KSYUN_SECRET_KEY"], HUAWEI_ENV["HUAWEICLOUD_SDK_SK"]]
    assert not any(s in json.dumps(out) for s in secrets)
