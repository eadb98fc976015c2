#!/usr/bin/env bash
# Lay the checkout out as build/ansible_collections/cloudops/multicloud, or the directory given
# (a fresh copy of every file git tracks or would track), the layout ansible-test requires. Prints
# the tree's path.
#
#   tools/build_collection_tree.sh [DEST]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest=$(realpath -m "${1:-$root/build/ansible_collections/cloudops/multicloud}")
rm -rf "$dest"
mkdir -p "$dest"
cd "$root"
git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
  | tar --null -T - -cf - | tar -xf - -C "$dest"
# ansible-test lists its targets with git; the copy lives under an ignored directory of the
# checkout, so give it an index of its own.
git -C "$dest" init -q
git -C "$dest" add -A
echo "$dest"
