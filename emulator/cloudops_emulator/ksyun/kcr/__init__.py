"""KCR, the KSYUN container registry (wire service `kcrs`, API version 2021-11-09), one module per
resource as in plugins/module_utils/kcr/: importing registers the actions."""
from . import endpoints, images, instances, namespaces, repositories, scans, tokens, webhooks

__all__ = ["endpoints", "images", "instances", "namespaces", "repositories", "scans", "tokens",
           "webhooks"]
