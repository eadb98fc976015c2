"""CGS v5 (container guard), one module per resource as in plugins/module_utils/cgs/: container
nodes. Importing registers the routes."""
from . import nodes

__all__ = ["nodes"]
