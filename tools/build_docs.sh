#!/usr/bin/env bash
# make docs: the HTML docs site in build/docs/html - the guides in docs/*.md (MyST Markdown) and
# the plugin reference that antsibull-docs generates from the collection's own documentation.
# Any Sphinx warning fails the build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin="${DOCS_VENV:-$root/.venv-docs}/bin"  # docs.lock (make docs builds it)
src="$root/build/docs/src"
out="$root/build/docs/html"
link="$root/build/collections/ansible_collections/cloudops/multicloud"
[ -L "$link" ] || { mkdir -p "$(dirname "$link")"; ln -s "$root" "$link"; }

rm -rf "$root/build/docs"
mkdir -p "$src/reference" "$src/dev"
chmod 0700 "$src/reference"  # antsibull-docs writes only into a directory no one else can write
cp "$root"/docs/*.md "$root/docs/conf.py" "$src/"
cp "$root"/docs/dev/*.md "$src/dev/"  # the developer reference: on the site, not in the tarball
cp "$root/tools/docs_ansible_core.rst" "$src/ansible_core.rst"  # targets in ansible-core's docs
export PATH="$bin:$PATH" ANSIBLE_COLLECTIONS_PATH="$root/build/collections"
antsibull-docs lint-collection-docs --plugin-docs "$link"
antsibull-docs collection --use-current --squash-hierarchy --fail-on-error --cleanup everything \
  --no-add-antsibull-docs-version --dest-dir "$src/reference" cloudops.multicloud >/dev/null
sphinx-build -q -W --keep-going -n -b html "$src" "$out"
echo "docs: $out/index.html"
