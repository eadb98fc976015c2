"""Make the checkout importable as ansible_collections.cloudops.multicloud for pytest.

ansible-test lays the collection out itself; a plain `pytest` run from the checkout needs the same
import path, so we point a symlink at the checkout from a scratch directory.
"""
import os
import sys

_ROOT = os.path.dirname(os.path.abspath(__file__))
_TREE = os.path.join(_ROOT, ".pytest-collections")
_LINK = os.path.join(_TREE, "ansible_collections", "cloudops", "multicloud")


def _ensure_collection_path():
    if os.path.basename(os.path.dirname(os.path.dirname(_ROOT))) == "ansible_collections":
        return  # already inside an ansible_collections tree (ansible-test, make test)
    if not os.path.islink(_LINK):
        os.makedirs(os.path.dirname(_LINK), exist_ok=True)
        try:
            os.symlink(_ROOT, _LINK)
        except FileExistsError:
            pass
    if _TREE not in sys.path:
        sys.path.insert(0, _TREE)


_ensure_collection_path()
