# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plugin options -> the parameter dicts the module clients take (``HuaweiApi.client(params)``,
``KsyunApi.client(params)``), and errors that name the plugin's option.

The instances plugin serves two clouds, so its credential options carry the cloud's prefix
(``huaweicloud_access_key``, ``ksyun_access_key``); the keypairs plugin takes the modules' names.
The transport options (``allow_insecure_http``, ``validate_certs``, ``ca_bundle``, ``timeout``,
``retries``) are shared.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

HUAWEI_PARAMS = ("access_key", "secret_key", "security_token", "project_id", "auth_username", "auth_password",
                 "auth_domain", "endpoint_url", "iam_endpoint_url")
KSYUN_PARAMS = ("access_key", "secret_key", "security_token", "endpoint_url")
TRANSPORT_PARAMS = ("allow_insecure_http", "validate_certs", "ca_bundle", "timeout", "retries")


def client_params(get_option, names, region, prefix="", **overrides):
    """{param: value} for a client: ``<prefix><param>`` options, the transport options and ``region``
    (then ``overrides``, such as the region's own ``project_id``)."""
    params = dict((name, get_option(prefix + name)) for name in names)
    params.update((name, get_option(name)) for name in TRANSPORT_PARAMS)
    params["region"] = region
    params.update(overrides)
    return params


def region_projects(get_option, regions, prefix=""):
    """({region: Huawei Cloud project ID, or None to look it up through IAM}, warning or None).

    A project ID belongs to one region. ``<prefix>project_ids`` names one per region;
    ``<prefix>project_id`` (one ID, such as an AWX credential injects) applies when one region is
    listed. With several it cannot say whose it is, so those regions are looked up instead, with a
    warning, rather than all listed in one region's project."""
    option = prefix + "project_ids"
    mapping = get_option(option) or {}
    if not isinstance(mapping, dict) or not all(isinstance(v, str) and v.strip() for v in mapping.values()):
        raise ValueError("%s: must map each region to its project ID, such as {cn-north-4: <project ID>}, got %r"
                         % (option, mapping))
    projects = dict((region, mapping.get(region, "").strip() or None) for region in regions)
    single = (get_option(prefix + "project_id") or "").strip()
    unnamed = [region for region in regions if projects[region] is None]
    if not single or not unnamed:
        return projects, None
    if len(regions) == 1:
        projects[regions[0]] = single
        return projects, None
    return projects, ("%sproject_id: a project ID belongs to one region and %d regions are listed (%s): the "
                      "project of %s is looked up through IAM instead; name each region's in %s"
                      % (prefix, len(regions), ", ".join(regions), ", ".join(unnamed), option))


def option_error(message, prefix="", region_option="region"):
    """A client's ``ValueError("<param>: <rule>")`` message, naming the plugin's option instead."""
    param, sep, rule = message.partition(":")
    if not sep or " " in param:
        return message
    if param == "region":
        return "%s:%s" % (region_option, rule)
    if param in TRANSPORT_PARAMS:
        return message
    return "%s%s:%s" % (prefix, param, rule)


def list_option(get_option, name, choices=None):
    """A list option's values as strings; ValueError naming the option for an unknown choice."""
    values = [str(v).strip() for v in (get_option(name) or []) if str(v).strip()]
    if choices is not None:
        unknown = [v for v in values if v not in choices]
        if unknown:
            raise ValueError("%s: unknown value %s; choose from %s"
                             % (name, ", ".join(repr(v) for v in unknown), ", ".join(choices)))
    return values


def rate_limit(get_option, name="rate_limit_per_minute"):
    value = get_option(name)
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise ValueError("%s: must be a whole number of calls (0 = no pacing), got %r" % (name, value))
    if value < 0:
        raise ValueError("%s: must be 0 (no pacing) or more, got %d" % (name, value))
    return value
