"""The files of extensions/awx/ read the way the awx CLI's `awx import -f yaml` reads them
(awxkit's YAML loader and its import resources), and resolved the way awxkit's import resolves
them: every reference (inventory, project, credential, credential type) by its natural key in
awxkit's page cache, each asset's own natural key equal to the one awxkit computes for the object
it creates (so that a second import updates it instead of making another one).

The cache holds what an AWX has before the import, as docs/awx.md says to prepare it: the
organization Default, the project and the credentials created in the UI. Nothing is sent: the
AWX server is the one part not here."""
import glob
import os

import pytest
import yaml
from awxkit.api import utils as awx_utils
from awxkit import yaml_file
# awxkit.api.pages registers the page types that PageCache and get_registered_page look up
from awxkit.api import pages  # noqa: F401  pylint: disable=unused-import
from awxkit.api.client import Connection
from awxkit.api.pages.api import EXPORTABLE_RESOURCES
from awxkit.api.pages.page import PageCache, get_registered_page
from awxkit.api.resources import resources

from e2e_support import ROOT

AWX = os.path.join(ROOT, "extensions", "awx")
CREDENTIAL_TYPES = sorted(glob.glob(os.path.join(AWX, "credential_type_*.yml")))
INVENTORY_SOURCES = sorted(glob.glob(os.path.join(AWX, "inventory_source_*.yml")))
# what docs/awx.md has the admin make in the UI before importing the inventory sources
PROJECT = "cloudops"
CREDENTIALS = {"Huawei Cloud": "Huawei Cloud", "Kingsoft Cloud (KSYUN)": "Kingsoft Cloud (KSYUN)"}


def load(path):
    """The file as `awx import -f yaml < path` reads it."""
    with open(path) as stream:
        return yaml.load(stream, Loader=yaml_file.Loader)


class Controller:
    """An AWX's objects as awxkit's import sees them: pages in its cache, by URL and natural key."""

    def __init__(self):
        self.cache = PageCache(Connection("https://awx.invalid"))
        self.ids = {}
        self.organization = self.add("organization", {"name": "Default"})

    def add(self, kind, fields, **refs):
        """An object of ``kind`` with plain ``fields`` and ``refs`` (field -> page) as AWX serves it."""
        self.ids[kind] = self.ids.get(kind, 0) + 1
        url = getattr(resources, kind).replace(r"\d+", str(self.ids[kind]))
        doc = dict(fields, id=self.ids[kind], type=kind, url=url,
                   related=dict((field, ref.endpoint) for field, ref in refs.items()))
        doc.update((field, ref["id"]) for field, ref in refs.items())
        return self.cache.set_page(get_registered_page(url)(self.cache.connection, endpoint=url, json=doc))

    def find(self, natural_key):
        """awxkit's lookup by natural key (PageCache.get_by_natural_key) within what is here."""
        url = self.cache.pages_by_natural_key.get(awx_utils.freeze(natural_key))
        return self.cache.pages_by_url[url] if url else None

    def import_assets(self, data):
        """awxkit's ApiV2.import_assets on this controller: the resources in its order, each
        reference found by its natural key, each asset created; the created pages."""
        unknown = set(data) - set(EXPORTABLE_RESOURCES)
        assert not unknown, "awx import ignores %s" % unknown
        created = []
        for resource in EXPORTABLE_RESOURCES:
            for asset in data.get(resource) or []:
                created.append(self.create(asset))
        return created

    def create(self, asset):
        kind = asset["natural_key"]["type"]
        assert getattr(resources, kind, None), "no AWX resource type %r" % kind
        fields, refs = {}, {}
        for field, value in asset.items():
            if field in ("natural_key", "related"):
                continue
            if isinstance(value, dict) and "type" in value:
                ref = self.find(value)
                assert ref is not None, "%s %r: %s %r is not in AWX" % (kind, asset["name"], field, value)
                refs[field] = ref
            else:
                fields[field] = value
        page = self.add(kind, fields, **refs)
        computed = page.get_natural_key(self.cache)
        assert self.find(asset["natural_key"]) is page, (
            "%s %r: its natural_key is not the one awxkit computes: %r" % (kind, asset["name"], computed))
        return page


@pytest.fixture
def controller():
    """An AWX prepared as docs/awx.md says: the credential types imported, then a project and one
    credential of each type made in the UI."""
    awx = Controller()
    types = [page for path in CREDENTIAL_TYPES for page in awx.import_assets(load(path))]
    awx.add("project", {"name": PROJECT}, organization=awx.organization)
    for page in types:
        awx.add("credential", {"name": CREDENTIALS[page["name"]]}, organization=awx.organization,
                credential_type=page)
    return awx


def test_the_credential_types_import():
    awx = Controller()
    for path in CREDENTIAL_TYPES:
        (page,) = awx.import_assets(load(path))
        assert page["kind"] == "cloud"
        assert set(page["inputs"]) == {"fields", "required"} and set(page["injectors"]) == {"env"}
    # a second import finds them again (no duplicate)
    for path in CREDENTIAL_TYPES:
        for asset in load(path)["credential_types"]:
            assert awx.find(asset["natural_key"]) is not None


@pytest.mark.parametrize("path", INVENTORY_SOURCES, ids=os.path.basename)
def test_an_inventory_source_imports_with_its_inventory_project_and_credential(controller, path):
    pages_ = controller.import_assets(load(path))
    (source,) = [p for p in pages_ if p["type"] == "inventory_source"]
    assert source["source"] == "scm" and source["update_on_launch"] is True
    (asset,) = load(path)["inventory_sources"]
    for field, kind in (("inventory", "inventory"), ("source_project", "project"), ("credential", "credential")):
        ref = controller.find(asset[field])
        assert ref["type"] == kind and source[field] == ref["id"]
    # the file it reads is shipped beside it, where the project is told to hold it
    assert os.path.isfile(os.path.join(AWX, source["source_path"]))


def test_the_cgs_source_reuses_its_last_update_for_an_hour(controller):
    (path,) = [p for p in INVENTORY_SOURCES if "container_nodes" in p]
    (source,) = load(path)["inventory_sources"]
    assert source["update_cache_timeout"] >= 3600


@pytest.mark.parametrize("path", INVENTORY_SOURCES, ids=os.path.basename)
def test_the_inventory_files_take_the_region_from_the_credential(path):
    (source,) = load(path)["inventory_sources"]
    with open(os.path.join(AWX, source["source_path"])) as handle:
        config = yaml.safe_load(handle)
    assert not {"cgs_regions", "kcr_regions", "regions"} & set(config), config
    # the plugin's own cache would die with the job's container
    assert not config.get("cache"), config
