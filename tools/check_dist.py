"""Check the release artifacts in a directory (default dist/): the collection tarball holds exactly
what users run, and the emulator's wheel and sdist carry the collection's version.

    python tools/check_dist.py [DIR]

The collection tarball must hold every shipped file of the checkout (SHIPPED below) and nothing
else besides ansible-galaxy's MANIFEST.json and FILES.json. Files tracked by git, or untracked but
not ignored, are the checkout; galaxy.yml's build_ignore must agree with SHIPPED.
"""
import ast
import fnmatch
import posixpath
import re
import glob
import os
import subprocess
import sys
import tarfile
import zipfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# What a user of the collection runs or reads. Patterns match paths relative to the collection
# root; "*" crosses directories.
SHIPPED = [
    "README.md", "COPYING", "CHANGELOG.rst", "requirements.txt", "bindep.txt",
    "changelogs/changelog.yaml", "changelogs/config.yaml",
    "meta/*", "plugins/*", "roles/*", "playbooks/*", "docs/*", "extensions/awx/*", "extensions/eda/*",
]
# docs/dev/ is the developer reference: it is about the checkout (tests/, tools/, bench/, the
# emulator's source), which an installed collection has not, so it stays out rather than ship
# pages whose paths lead nowhere.
NOT_SHIPPED = ["*/__pycache__/*", "*.pyc", "docs/conf.py", "docs/dev/*"]
GENERATED = {"MANIFEST.json", "FILES.json"}
REQUIRED = {"README.md", "COPYING", "requirements.txt", "meta/runtime.yml",
            "meta/execution-environment.yml", "changelogs/changelog.yaml", "playbooks/demo.yml"}


# Paths that only a checkout has, and paths of someone's machine: in a shipped doc they lead
# nowhere. A path is matched where it starts a word, so `plugins/modules/` or `~/emu-tls` pass.
CHECKOUT_PATH = re.compile(
    r"(?<![\w.~/-])(?:(?:emulator|tests|bench|tools|build|dist|\.venv|docs/dev|changelogs/fragments)/"
    r"|(?:/work|/home|/root|/Users)/|Makefile\b|conftest\.py)")
CD_INTO_A_CHECKOUT = re.compile(r"\bcd +(?!/tmp\b)[/$~]")
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")
# The changelog records changes to the whole project, developer tooling included, by name.
NOT_DOCS = {"CHANGELOG.rst", "changelogs/changelog.yaml", "changelogs/config.yaml", "COPYING"}
DOC_BLOCKS = re.compile(r'^(?:DOCUMENTATION|EXAMPLES|RETURN) = r?("""|\'\'\')(.*?)\1', re.S | re.M)


def doc_text(path, text):
    """What of a shipped file a user reads as documentation: the ansible-doc blocks of Python
    files, all of any other text file (None: not a doc)."""
    if path in NOT_DOCS:
        return None
    if path.endswith(".py"):
        return "\n".join(match.group(2) for match in DOC_BLOCKS.finditer(text))
    return text


def _dead_link(path, target, files):
    if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
        return False  # a URL, or a place on the same page
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target.split("#")[0]))
    return resolved not in files and not any(f.startswith(resolved + "/") for f in files)


def doc_problems(texts):
    """Problems of the shipped docs `texts` ({path: text}), as sentences: checkout and machine
    paths, and relative Markdown links to a file the collection does not hold."""
    problems = []
    for path in sorted(texts):
        text = doc_text(path, texts[path])
        if text is None:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            for pattern, what in ((CHECKOUT_PATH, "a path only a checkout has"),
                                  (CD_INTO_A_CHECKOUT, "a cd into someone's directory")):
                found = pattern.search(line)
                if found:
                    problems.append("%s:%d: %s (%r): %s"
                                    % (path, number, what, found.group(0), line.strip()))
            if path.endswith(".md"):
                problems += ["%s:%d: a link to %s, which the collection does not hold"
                             % (path, number, target)
                             for target in MARKDOWN_LINK.findall(line)
                             if _dead_link(path, target, texts)]
    return problems


def shipped_texts(root=ROOT):
    """{path: text} of every shipped text file of the checkout."""
    texts = {}
    for path in sorted(f for f in checkout_files(root) if shipped(f)):
        try:
            with open(os.path.join(root, path), encoding="utf-8") as handle:
                texts[path] = handle.read()
        except UnicodeDecodeError:
            continue
    return texts


def shipped(path):
    return (any(fnmatch.fnmatchcase(path, p) for p in SHIPPED)
            and not any(fnmatch.fnmatchcase(path, p) for p in NOT_SHIPPED))


def checkout_files(root=ROOT):
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         cwd=root, check=True, stdout=subprocess.PIPE).stdout.decode()
    return {f for f in out.split("\0") if f and os.path.isfile(os.path.join(root, f))}


def collection_version(root=ROOT):
    with open(os.path.join(root, "galaxy.yml")) as handle:
        return str(yaml.safe_load(handle)["version"])


def released(root=ROOT):
    with open(os.path.join(root, "changelogs", "changelog.yaml")) as handle:
        return bool(yaml.safe_load(handle).get("releases"))


def emulator_version(root=ROOT):
    """The emulator package's version, read from its source (pyproject takes it from there)."""
    with open(os.path.join(root, "emulator", "cloudops_emulator", "__init__.py")) as handle:
        module = ast.parse(handle.read())
    for node in module.body:
        if isinstance(node, ast.Assign) and [t.id for t in node.targets] == ["__version__"]:
            return node.value.value
    raise ValueError("cloudops_emulator/__init__.py sets no __version__")


def check_collection_tarball(tarball, root=ROOT):
    """Problems with the collection artifact, as a list of sentences (empty = fine)."""
    with tarfile.open(tarball) as tar:
        members = tar.getmembers()
        texts = {}
        for member in members:
            if member.isfile() and member.name not in GENERATED:
                try:
                    texts[member.name] = tar.extractfile(member).read().decode("utf-8")
                except UnicodeDecodeError:
                    continue
    files = {m.name for m in members if not m.isdir()}
    problems = []
    for member in members:
        if member.issym() or member.islnk():
            problems.append("%s is a link" % member.name)
    unexpected = sorted(f for f in files - GENERATED if not shipped(f))
    if unexpected:
        problems.append("not for users, yet in the artifact (add to galaxy.yml build_ignore): "
                        + ", ".join(unexpected))
    missing = sorted({f for f in checkout_files(root) if shipped(f)} - files)
    if missing:
        problems.append("shipped files missing from the artifact (build_ignore too broad?): "
                        + ", ".join(missing))
    required = set(REQUIRED)
    if released(root):
        required.add("CHANGELOG.rst")  # antsibull-changelog renders it from the first release on
    absent = sorted(required - files)
    if absent:
        problems.append("required files absent: " + ", ".join(absent))
    problems += doc_problems(texts)
    expected_name = "cloudops-multicloud-%s.tar.gz" % collection_version(root)
    if os.path.basename(tarball) != expected_name:
        problems.append("%s is not named %s" % (os.path.basename(tarball), expected_name))
    return problems


def check_emulator_dists(directory, version):
    problems = []
    wheels = glob.glob(os.path.join(directory, "cloudops_emulator-*.whl"))
    sdists = glob.glob(os.path.join(directory, "cloudops_emulator-*.tar.gz"))
    want_wheel = "cloudops_emulator-%s-py3-none-any.whl" % version
    want_sdist = "cloudops_emulator-%s.tar.gz" % version
    if [os.path.basename(w) for w in wheels] != [want_wheel]:
        problems.append("expected one wheel %s, found %s" % (want_wheel, wheels))
    else:
        with zipfile.ZipFile(wheels[0]) as whl:
            names = set(whl.namelist())
        info = "cloudops_emulator-%s.dist-info/" % version
        for needed in ("cloudops_emulator/cli.py", "cloudops_emulator/fixtures/ksyun.yaml",
                       "cloudops_emulator/fixtures/huawei.yaml", info + "entry_points.txt",
                       info + "licenses/COPYING"):
            if needed not in names:
                problems.append("%s lacks %s" % (want_wheel, needed))
        if any(n.startswith("tests/") for n in names):
            problems.append("%s holds the emulator's tests" % want_wheel)
    if [os.path.basename(s) for s in sdists] != [want_sdist]:
        problems.append("expected one sdist %s, found %s" % (want_sdist, sdists))
    return problems


def main(argv):
    directory = argv[1] if len(argv) > 1 else os.path.join(ROOT, "dist")
    version = collection_version()
    problems = []
    if emulator_version() != version:
        problems.append("the emulator's version %s is not the collection's %s (galaxy.yml)"
                        % (emulator_version(), version))
    tarballs = glob.glob(os.path.join(directory, "cloudops-multicloud-*.tar.gz"))
    if len(tarballs) != 1:
        problems.append("expected one collection tarball in %s, found %s" % (directory, tarballs))
    else:
        problems += check_collection_tarball(tarballs[0])
    problems += check_emulator_dists(directory, version)
    for problem in problems:
        print("check_dist: " + problem, file=sys.stderr)
    if not problems:
        print("check_dist: %s holds cloudops.multicloud %s and cloudops-emulator %s (wheel + sdist)"
              % (directory, version, version))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
