# -*- coding: utf-8 -*-
"""The AWS Signature Version 4 test suite (as shipped with botocore) against our signer.

Each case gives a raw HTTP request and the expected canonical request, string to sign and
Authorization header for fixed credentials and time. botocore's own runner skips four cases (a
request line with a raw space, and three with a repeated query key, which botocore's runner cannot
express because it passes the query as a dict). Our signer takes the URL query as sent, so it runs
all of them; nothing is skipped.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import os
import re
from urllib.parse import quote

import pytest

from ansible_collections.cloudops.multicloud.plugins.module_utils import sigv4

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TIMESTAMP = datetime.datetime(2015, 8, 30, 12, 36, 0)
REGION = "us-east-1"
SERVICE = "service"
EXPECTED_CASES = 34
# What requests' requote_uri leaves alone: the query goes on the wire with everything else escaped.
_WIRE_SAFE = "!#$%&'()*+,/:;=?@[]~"


# Vendored with its licence and notice (tests/unit/testdata/README.md), so every clone runs it.
TESTSUITE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                         "testdata", "aws4_testsuite")


def case_names():
    names = []
    for directory, _dirs, files in os.walk(TESTSUITE):
        names.extend(os.path.relpath(os.path.join(directory, f[:-4]), TESTSUITE).replace(os.sep, "/")
                     for f in files if f.endswith(".req"))
    return sorted(names)


CASES = case_names()


def read(name, extension):
    with open(os.path.join(TESTSUITE, name + extension), "rb") as handle:
        return handle.read()


def parse_request(raw):
    """(method, url, [(name, value)], body) for a raw ``.req`` request.

    The path is kept as written (the signer quotes the path itself, as botocore does); the query is
    escaped the way an HTTP client puts it on the wire, because the signer takes it as sent.
    """
    head, _sep, body = raw.partition(b"\n\n")
    lines = head.decode("utf-8").split("\n")
    method, rest = lines[0].split(" ", 1)
    target = rest.rsplit(" ", 1)[0]  # "GET /example space/ HTTP/1.1" keeps its space
    headers = []
    for line in lines[1:]:
        if not line:  # some files end their header block with a lone newline
            continue
        if line[:1] in (" ", "\t"):  # folded continuation of the previous header
            name, value = headers[-1]
            headers[-1] = (name, value + " " + line.strip())
        else:
            name, _colon, value = line.partition(":")
            headers.append((name, value))
    path, question, query = target.partition("?")
    host = [value for name, value in headers if name.lower() == "host"][0]
    url = "https://%s%s%s%s" % (host, path, question, quote(query, safe=_WIRE_SAFE))
    return method, url, headers, body


def test_the_testsuite_is_complete():
    assert len(CASES) == EXPECTED_CASES


@pytest.mark.parametrize("name", CASES)
def test_case(name):
    method, url, headers, body = parse_request(read(name, ".req"))
    expected_creq = read(name, ".creq").decode("utf-8").replace("\r", "")
    token = re.search(r"^x-amz-security-token:(.*)$", expected_creq, re.MULTILINE)
    token = token.group(1) if token else None

    added = sigv4.sign(method, url, headers, body, access_key=ACCESS_KEY, secret_key=SECRET_KEY,
                       region=REGION, service=SERVICE, timestamp=TIMESTAMP, security_token=token)

    # Reconstruct the request as it would be sent and check every intermediate step.
    sent = [(n, v) for n, v in headers if n.lower() not in {k.lower() for k in added}]
    sent.extend((n, v) for n, v in added.items() if n != "Authorization")
    creq = sigv4.canonical_request(method, url, sent, body)
    assert creq == expected_creq
    scope = sigv4.credential_scope(added["X-Amz-Date"], REGION, SERVICE)
    sts = sigv4.string_to_sign(creq, added["X-Amz-Date"], scope)
    assert sts == read(name, ".sts").decode("utf-8").replace("\r", "")
    assert added["Authorization"] == read(name, ".authz").decode("utf-8").replace("\r", "")
    assert added["X-Amz-Date"] == "20150830T123600Z"
    if token:
        assert added["X-Amz-Security-Token"] == token
