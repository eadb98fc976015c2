"""docs/awx.md step by step, where a step can run without an AWX: what goes into the credential
type form, the names the files and the page agree on, the project's collections/requirements.yml
installed from the project's root as AWX's project sync installs it, and the execution
environment built from the release tarball up to the image's galaxy step (ansible-builder create,
then that step's ansible-galaxy command in the build context)."""
import glob
import json
import os
import re
import shutil

import jinja2
import jinja2.meta
import yaml

from e2e_support import BIN, ROOT, run

PAGE = os.path.join(ROOT, "docs", "awx.md")
AWX = os.path.join(ROOT, "extensions", "awx")


def page():
    with open(PAGE) as handle:
        return handle.read()


def documented_file(name):
    """The YAML block of the page whose first line is ``# <name>``."""
    for block in re.findall(r"```yaml\n(.*?)```", page(), re.S):
        if block.startswith("# %s\n" % name):
            return block
    raise AssertionError("docs/awx.md shows no %s" % name)


def load(path):
    with open(path) as handle:
        return yaml.safe_load(handle)


def test_the_credential_type_forms_take_what_is_beneath_inputs_and_injectors():
    for path in glob.glob(os.path.join(AWX, "credential_type_*.yml")):
        (cred_type,) = load(path)["credential_types"]
        inputs, injectors = cred_type["inputs"], cred_type["injectors"]
        assert set(inputs) == {"fields", "required"} and set(injectors) == {"env"}, path
        ids = [field["id"] for field in inputs["fields"]]
        assert set(inputs["required"]) <= set(ids), path
        # AWX renders each injector with the credential's inputs: only fields of this type
        for template in injectors["env"].values():
            used = jinja2.meta.find_undeclared_variables(jinja2.Environment().parse(template))
            assert used <= set(ids), (path, template)
        # what is pasted into each form is that mapping, moved to the left edge
        assert yaml.safe_load(yaml.safe_dump(inputs)) == inputs
    assert "only what is **beneath** `inputs:`" in page() and "only what is **beneath** `injectors:`" in page()


def test_the_page_and_the_inventory_source_files_name_the_same_things():
    text = page()
    words = " ".join(text.split())
    for path in glob.glob(os.path.join(AWX, "inventory_source_*.yml")):
        data = load(path)
        (source,) = data["inventory_sources"]
        assert "awx import -f yaml < extensions/awx/%s" % os.path.basename(path) in text
        for name in (source["source_project"]["name"], source["inventory"]["name"], source["credential"]["name"],
                     source["source_project"]["organization"]["name"]):
            assert "**%s**" % name in words, name
        assert "\n%s " % source["source_path"] in text  # in the project's layout
        assert os.path.isfile(os.path.join(AWX, source["source_path"]))
    for path in glob.glob(os.path.join(AWX, "credential_type_*.yml")):
        assert "awx import -f yaml < extensions/awx/%s" % os.path.basename(path) in text


def documented_tarball(collection_tarball):
    """The release tarball under the name the page gives it (which must be its name)."""
    requirements = yaml.safe_load(documented_file("collections/requirements.yml"))
    (entry,) = requirements["collections"]
    assert entry["type"] == "file"
    assert os.path.basename(entry["name"]) == os.path.basename(collection_tarball)
    return entry["name"]


def installed_version(collections_path):
    with open(os.path.join(collections_path, "ansible_collections", "cloudops", "multicloud", "MANIFEST.json")) as handle:
        return json.load(handle)["collection_info"]["version"]


def test_the_project_requirements_install_the_release_tarball_from_the_project_root(tmp_path, collection_tarball):
    project = tmp_path / "project"
    (project / "collections").mkdir(parents=True)
    (project / "collections" / "requirements.yml").write_text(documented_file("collections/requirements.yml"))
    shutil.copy(collection_tarball, str(project / documented_tarball(collection_tarball)))
    # AWX's project update: ansible-galaxy collection install -r collections/requirements.yml,
    # run in the project's root
    out = run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "--offline",
               "-r", "collections/requirements.yml", "-p", str(tmp_path / "installed")], cwd=str(project))
    assert installed_version(str(tmp_path / "installed")) == load(os.path.join(ROOT, "galaxy.yml"))["version"], out.streams


def test_the_execution_environment_builds_from_the_release_tarball_up_to_its_galaxy_step(tmp_path, collection_tarball):
    ee = tmp_path / "ee"
    (ee / "collections").mkdir(parents=True)
    (ee / "execution-environment.yml").write_text(documented_file("ee/execution-environment.yml"))
    (ee / "collections" / "requirements.yml").write_text(documented_file("collections/requirements.yml"))
    shutil.copy(collection_tarball, str(ee / os.path.basename(documented_tarball(collection_tarball))))

    out = run([os.path.join(BIN, "ansible-builder"), "create", "-c", "context", "--output-filename", "Containerfile"],
              cwd=str(ee))
    assert "Complete!" in out.stdout, out.streams
    containerfile = (ee / "context" / "Containerfile").read_text()
    galaxy_stage = containerfile.split("FROM base AS galaxy", 1)[1].split("\nFROM ", 1)[0]
    assert "COPY _build /build" in galaxy_stage and "WORKDIR /build" in galaxy_stage, galaxy_stage
    install = re.search(r"^RUN .*ansible-galaxy collection install .*-r requirements\.yml.*$", galaxy_stage, re.M)
    assert install, galaxy_stage

    # that step, in the build context's _build (the image's /build)
    out = run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "--offline",
               "-r", "requirements.yml", "-p", str(tmp_path / "image")], cwd=str(ee / "context" / "_build"))
    assert installed_version(str(tmp_path / "image")) == load(os.path.join(ROOT, "galaxy.yml"))["version"], out.streams
