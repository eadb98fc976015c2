"""The collection artifact holds what users run and nothing only developers need; the emulator
package has the collection's version."""
import importlib.util
import io
import os
import tarfile

from e2e_support import ROOT

_spec = importlib.util.spec_from_file_location("check_dist", os.path.join(ROOT, "tools", "check_dist.py"))
check_dist = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_dist)


def test_artifact_holds_exactly_the_shipped_files(collection_tarball):
    assert check_dist.check_collection_tarball(collection_tarball) == []
    with tarfile.open(collection_tarball) as tar:
        names = set(tar.getnames())
    for developer_only in ("Makefile", "conftest.py", ".ansible-lint", "tools/dist.sh",
                           "tests/unit", "emulator/pyproject.toml", "changelogs/fragments", "bench",
                           "docs/dev"):
        assert not any(n == developer_only or n.startswith(developer_only + "/") for n in names)
    assert {"COPYING", "README.md", "plugins/modules/kcr_namespace.py", "playbooks/demo.yml",
            "docs/emulator.md", "meta/runtime.yml", "requirements.txt",
            "extensions/eda/plugins/event_source/kcr_images.py", "extensions/eda/rulebooks/scan_on_push.yml"} <= names


def test_a_stray_file_in_the_artifact_is_reported(collection_tarball, tmp_path):
    doctored = str(tmp_path / os.path.basename(collection_tarball))
    with tarfile.open(collection_tarball) as src, tarfile.open(doctored, "w:gz") as dst:
        for member in src.getmembers():
            if member.name != "COPYING":
                dst.addfile(member, src.extractfile(member) if member.isfile() else None)
        stray = tarfile.TarInfo("Makefile")
        stray.size = 4
        dst.addfile(stray, io.BytesIO(b"all:"))
    problems = check_dist.check_collection_tarball(doctored)
    assert any("Makefile" in p and "build_ignore" in p for p in problems)
    assert any("COPYING" in p for p in problems)


def test_a_checkout_path_or_dead_link_in_a_shipped_doc_is_reported(collection_tarball, tmp_path):
    doctored = str(tmp_path / os.path.basename(collection_tarball))
    page = b"See [the bench](../bench/results.md); fixtures: emulator/cloudops_emulator/fixtures/\n"
    with tarfile.open(collection_tarball) as src, tarfile.open(doctored, "w:gz") as dst:
        for member in src.getmembers():
            if member.name == "docs/troubleshooting.md":
                member.size = len(page)
                dst.addfile(member, io.BytesIO(page))
            else:
                dst.addfile(member, src.extractfile(member) if member.isfile() else None)
    problems = check_dist.check_collection_tarball(doctored)
    assert problems == [
        "docs/troubleshooting.md:1: a path only a checkout has ('emulator/'): " + page.decode().strip(),
        "docs/troubleshooting.md:1: a link to ../bench/results.md, which the collection does not hold"]


def test_emulator_version_is_the_collection_version():
    assert check_dist.emulator_version() == check_dist.collection_version()


def test_licence_is_the_gpl3_text_in_both_packages():
    with open(os.path.join(ROOT, "COPYING")) as handle:
        text = handle.read()
    assert text.lstrip().startswith("GNU GENERAL PUBLIC LICENSE\n                       Version 3, 29 June 2007")
    assert "END OF TERMS AND CONDITIONS" in text
    with open(os.path.join(ROOT, "emulator", "COPYING")) as handle:
        assert handle.read() == text
