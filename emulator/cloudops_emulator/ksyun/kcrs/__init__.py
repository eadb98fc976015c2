"""kcrs (KSYUN container registry, API version 2021-11-09): importing registers the actions."""
from . import endpoints, images, instances, namespaces, repositories, scans, tokens, webhooks

__all__ = ["endpoints", "images", "instances", "namespaces", "repositories", "scans", "tokens",
           "webhooks"]
