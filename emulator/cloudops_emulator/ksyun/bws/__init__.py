"""bws (KSYUN shared bandwidth, API version 2016-03-04), one module per resource as in
plugins/module_utils/bws/: shares and their members. Importing registers the actions."""
from . import members, shares

__all__ = ["members", "shares"]
