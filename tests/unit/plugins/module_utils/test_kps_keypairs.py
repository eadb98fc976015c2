# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""KPS keypair helpers: the local fingerprint (seed 001 samples, and cryptography's key blobs),
key parsing, the listing under every paging reading and absence under both "not found" readings
(against the emulator in process, ``readings.kps.*``), and the result shape."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from ansible_collections.cloudops.multicloud.plugins.module_utils.kps import keypairs
from ansible_collections.cloudops.multicloud.plugins.module_utils.transport import CloudError
from ansible_collections.cloudops.multicloud.tests.unit.plugins.emulated_cloud import kps_add_keypair, kps_readings

# Seed 001: import/create samples and the fingerprints KPS answered for them.
SEED_SAMPLES = [
    ('ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCXKzohKbFOqubYNunFNsrEYlk9NEIJIFvbmTe/LTeMzFIPKM53Zu2sYr/uuNcz'
     'iPkWpFchXdkD+O/Bf2ZzKaR1DYPMWss9TkaqU4RQ7CIBW7ChJF1Qzc1JPRBmKe6e8qs1QBBoS1QvXgSjbuf2Fb1yncSbphmQV8+5'
     'KA8xkxz4XdM1/gSAZZ14rJrMjgp7jCdgxWiHNcDuKxaPt+0eO8rEG/gxR7J0b9Uk53ao/xjLoKXYdLLiYUaha0fHdW3t6Lw1NdzU'
     'MmKnlLqN9O37Tbg7vM0nN4UJt0XXvM45KfnJiMx0HUKXdWkUj9cE8VBDPw/gBbQzSpJHgQFG7mNDZubN Generated-by-Nova\n',
     '49:ef:73:2b:9b:7f:2e:0c:58:d3:e3:42:8e:28:04:3b'),
    ('ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCyNtFZM04PFxERvZU5OBKTKr3mtRZABe5/+zX81lTgDFCBfq6OXia47M4qXOa3'
     'ciBEKKZF+fMfs8U2UNB9aK1R/uORsoEFtxSgZnWG6p4Ct1vnrqwDD934VaDFPEn+h3JeAfvTB+Ag1YQ9zh9uYyE9Z3qZcC9+Ui93'
     'BDGdBtQeav4odxdwXcr2mT2jJV0nsocV0O4UcKM8BaIm8eqbcroZEkyxqT3mUoSbmGx1hrngjBsP1ufgwJ6D85LFGQC1SjIOLvsR'
     '9i6v41BaLF8/kygvKOh2HlNVSMx38g52sTqoQ/xb3f8vR1VDXliAuD0frrG2Fy5wK4rOAnjuX9nh0bC9 Generated-by-Nova\n',
     'b4:9a:c3:12:c4:90:bf:8e:7a:e2:70:10:c3:00:55:3f'),
]


@pytest.mark.parametrize("public_key, expected", SEED_SAMPLES)
def test_fingerprint_matches_the_seed_samples(public_key, expected):
    assert keypairs.fingerprint(public_key) == expected


def _openssh(key):
    return key.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                         serialization.PublicFormat.OpenSSH).decode("ascii")


@pytest.mark.parametrize("key", [rsa.generate_private_key(public_exponent=65537, key_size=1024),
                                 ed25519.Ed25519PrivateKey.generate()])
def test_fingerprint_is_md5_of_the_blob_whatever_the_comment(key):
    line = _openssh(key)
    blob = base64.b64decode(line.split()[1])
    digest = hashlib.md5(blob).hexdigest()
    expected = ":".join(digest[i:i + 2] for i in range(0, 32, 2))
    assert keypairs.fingerprint(line) == expected
    assert keypairs.fingerprint(line + " someone@host\n") == expected
    assert keypairs.same_key(line, line + " Generated-by-Nova\n")


@pytest.mark.parametrize("text, why", [
    ("", "empty"),
    ("ssh-rsa", "not an OpenSSH public key line"),
    ("ssh-rsa AAAA!!", "not valid base64"),
    ("ssh-ed25519 " + base64.b64encode(b"\x00\x00\x00\x07ssh-rsa").decode(), "does not belong"),
    ("ssh-rsa AAAA\nssh-rsa BBBB", "2 lines"),
    ("-----BEGIN RSA PRIVATE KEY-----", "not an OpenSSH public key line"),
])
def test_unusable_public_keys_are_refused_with_the_reason(text, why):
    with pytest.raises(keypairs.KeyMaterialError, match=why):
        keypairs.fingerprint(text)


def test_different_keys_are_not_the_same():
    first, second = (_openssh(ed25519.Ed25519PrivateKey.generate()) for _i in range(2))
    assert not keypairs.same_key(first, second)
    assert not keypairs.same_key(first, "garbage")


@pytest.mark.parametrize("fmt", [serialization.PrivateFormat.TraditionalOpenSSL,
                                 serialization.PrivateFormat.PKCS8, serialization.PrivateFormat.OpenSSH])
def test_private_keys_in_every_pem_form_are_accepted(fmt):
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    pem = key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption()).decode("ascii")
    keypairs.check_private_key(pem)


def test_encrypted_or_foreign_private_keys_are_refused_without_echoing_them():
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    encrypted = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.BestAvailableEncryption(b"pass")).decode("ascii")
    for text in (encrypted, "ssh-rsa AAAA", "secret-material"):
        with pytest.raises(keypairs.KeyMaterialError) as info:
            keypairs.check_private_key(text)
        assert text not in str(info.value)


# -- the listing under each paging reading --------------------------------------------------------

NAMES = ["key-%03d" % i for i in range(1, 251)]
ED25519_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBzUHJ2W6pItk5P3Pr4tjCfZ5Y9ZPz2E8t6SS7wkBmxy"


def kps(cloud, names=(), **readings):
    """A KPS client on the emulator whose cn-north-4 project holds keypairs ``names`` (in that
    order), playing ``readings`` (``readings.kps.<point>``)."""
    kps_readings(cloud, **readings)
    for name in names:
        kps_add_keypair(cloud, name, ED25519_KEY)
    return cloud.huawei_client("kps")


def listings(cloud):
    """(query, status) of every ListKeypairs that reached the service."""
    return [(c.query, c.status) for c in cloud.calls if c.operation == "ListKeypairs"]


@pytest.mark.parametrize("readings", [
    {},
    {"max_limit": 100, "over_limit": "clamp"},
    {"max_limit": 100},  # over_limit reject: a limit above 100 is refused
    {"max_limit": 100, "over_limit": "clamp", "marker": "id"},
    {"max_limit": 100, "over_limit": "clamp", "next_marker": "absent"},
    {"max_limit": 100, "over_limit": "clamp", "next_marker": "url"},
    {"max_limit": 100, "over_limit": "clamp", "next_marker": "always"},
], ids=["a", "clamped", "refused", "id-marker", "no-next-marker", "url-next-marker", "next-marker-on-last"])
def test_the_listing_is_complete_and_read_once_under_every_reading(cloud, readings):
    client = kps(cloud, NAMES, **readings)
    listed = [item["name"] for item in keypairs.list_keypairs(client)]
    assert listed == NAMES
    calls = listings(cloud)
    assert calls[0][0]["limit"] == 1000
    # every page is asked for once (a refused page size once more, at the default); the last call
    # is the empty page that ends the listing
    answered = [query for query, status in calls if status == 200]
    refused = [query for query, status in calls if status != 200]
    assert len(calls) - len(answered) == len(refused) <= 1
    assert all(status in (200, 400) for _query, status in calls)
    markers = [query.get("marker") for query in answered]
    assert len(markers) == len(set(markers))


def test_a_service_that_ignores_the_paging_parameters_is_read_once_and_ends(cloud):
    # readings.kps.paging ignored: seed 001's list has no paging; the whole listing comes back
    # whatever limit and marker say, and the page after it adds no new name
    client = kps(cloud, NAMES, paging="ignored")
    assert [item["name"] for item in keypairs.list_keypairs(client)] == NAMES
    # the repeated page, then a one-keypair probe answered whole: the page size is ignored too
    assert listings(cloud) == [({"limit": 1000}, 200), ({"limit": 1000, "marker": NAMES[-1]}, 200),
                               ({"limit": 1}, 200)]


def test_a_service_that_takes_the_page_size_but_ignores_the_marker_fails_clearly(cloud):
    # readings.kps.paging limit_only: the first page every time; nothing can list past it, and a
    # listing quietly cut to its first page would hide keypairs from info and the inventory
    client = kps(cloud, NAMES, paging="limit_only", max_limit=100, over_limit="clamp")
    with pytest.raises(CloudError) as info:
        keypairs.list_keypairs(client)
    assert info.value.code == "PaginationError"
    assert "100 keypairs were listed and the rest cannot be reached" in str(info.value)
    assert listings(cloud) == [({"limit": 1000}, 200), ({"limit": 1000, "marker": NAMES[99]}, 200),
                               ({"limit": 1}, 200)]


def test_a_service_that_refuses_the_paging_parameters_is_asked_without_them(cloud):
    # readings.kps.paging refused: 400 to limit and to marker; the answer without them is all
    client = kps(cloud, NAMES, paging="refused")
    assert [item["name"] for item in keypairs.list_keypairs(client)] == NAMES
    assert listings(cloud) == [({"limit": 1000}, 400), ({}, 200), ({"marker": NAMES[-1]}, 400)]


def test_a_400_to_a_listing_without_paging_parameters_is_an_error(cloud):
    client = kps(cloud, NAMES, paging="refused")
    request = client.request

    def everything_refused(method, path, query=None, **kwargs):
        return request(method, path, query=dict(query or {}, limit=0), **kwargs)
    client.request = everything_refused
    with pytest.raises(CloudError) as info:
        keypairs.list_keypairs(client)
    assert info.value.status == 400
    assert len(listings(cloud)) == 2  # with limit, then once without: never a loop


# -- absence under both "not found" readings ------------------------------------------------------

@pytest.mark.parametrize("status", [404, 400])
def test_absence_is_decided_by_reading_not_by_the_code(cloud, status):
    client = kps(cloud, ["present"], not_found_status=status)
    assert keypairs.get_keypair(client, "present")["name"] == "present"
    assert [c.operation for c in cloud.calls] == ["ListKeypairDetail"]
    assert keypairs.get_keypair(client, "missing") is None
    assert [(c.operation, c.status) for c in cloud.calls[1:]] == [("ListKeypairDetail", status)] + (
        [("ListKeypairs", 200), ("ListKeypairs", 200)] if status == 400 else [])


def test_a_400_for_a_listed_keypair_is_an_error_not_absence(cloud):
    # 400 for "not found" (KPS.0005), and the keypair is made by another client between the
    # detail and the listing that settles the 400: listed, so the 400 stands.
    client = kps(cloud, not_found_status=400)
    cloud.before_next("ListKeypairs", lambda: kps_add_keypair(cloud, "there", ED25519_KEY))
    with pytest.raises(CloudError) as info:
        keypairs.get_keypair(client, "there")
    assert (info.value.status, info.value.code) == (400, "KPS.0005")
    assert [c.operation for c in cloud.calls][:2] == ["ListKeypairDetail", "ListKeypairs"]


# -- the result shape -----------------------------------------------------------------------------

@pytest.mark.parametrize("frozen, times", [("0", 1700000000), (0, 1700000000000), ("3", 1700000000), (3, 1700000000000)])
def test_result_normalises_frozen_state_and_times(frozen, times):
    public_key = SEED_SAMPLES[0][0]
    result = keypairs.keypair_result({"name": "k", "public_key": public_key, "frozen_state": frozen,
                                      "is_key_protection": True, "key_id": "kms-id", "create_time": times,
                                      "private_key": "-----BEGIN RSA PRIVATE KEY-----"})
    assert result["frozen_state"] == int(frozen)
    assert result["frozen"] is (int(frozen) != 0)
    assert result["create_time"] == 1700000000
    assert result["fingerprint"] == SEED_SAMPLES[0][1]
    assert result["key_protection"] is True and result["kms_key_id"] == "kms-id"
    assert "private_key" not in result and "BEGIN" not in repr(result)


@pytest.mark.parametrize("fields", [
    {"id": 7, "create_time": 1399464373, "update_time": 1399464373000},  # SDK KeypairDetail
    {"id": "7", "created_at": "2014-05-07T12:06:13.681238", "updated_at": 1399464373},  # seed 001 L11-12
    {"id": "7", "created_at": "2014-05-07T12:06:13Z", "updated_at": "2014-05-07T14:06:13+02:00"},
])
def test_result_reads_either_time_field_in_any_form_and_gives_the_id_as_a_string(fields):
    result = keypairs.keypair_result(dict({"name": "k"}, **fields))
    assert (result["id"], result["create_time"], result["update_time"]) == ("7", 1399464373, 1399464373)


def test_result_leaves_what_the_answer_omits_unknown():
    # seed 001's detail table: no type, scope, key_id, frozen_state, algorithm
    result = keypairs.keypair_result({"name": "k", "id": "1", "is_key_protection": False,
                                      "created_at": "2014-05-07T12:06:13.681238"})
    assert [result[f] for f in ("type", "scope", "kms_key_id", "frozen_state", "frozen", "algorithm")] == [None] * 6
    assert result["key_protection"] is False


def test_result_finds_the_kms_key_where_either_reading_names_it():
    nested = {"key_protection": {"encryption": {"type": "kms", "kms_key_id": "kms-id"}}}
    assert keypairs.keypair_result(dict(nested, name="k"))["kms_key_id"] == "kms-id"
    assert keypairs.keypair_result({"name": "k", "key_id": "kms-id"})["kms_key_id"] == "kms-id"
