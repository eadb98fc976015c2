"""KPS v3 driven with the official KpsClient: keypair lifecycles, name rules, fingerprints,
private-key custody, batch operations, pagination and errors."""
import base64
import hashlib
import io
import zipfile

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from huaweicloudsdkkps.v3 import (BatchExportPrivateKeyRequest, BatchImportKeypairRequest,
                                  ClearPrivateKeyRequest, CreateKeypairAction,
                                  CreateKeypairRequest, CreateKeypairRequestBody,
                                  DeleteKeypairRequest, Encryption, ExportPrivateKeyRequest,
                                  ExportPrivateKeyRequestBody, ImportPrivateKeyKeypairBean,
                                  ImportPrivateKeyProtection, ImportPrivateKeyRequest,
                                  ImportPrivateKeyRequestBody, KeypairBean, KeyProtection,
                                  Keypair, Keypairs, ListKeypairDetailRequest,
                                  ListKeypairsRequest, UpdateKeypairDescriptionReq,
                                  UpdateKeypairDescriptionRequest,
                                  UpdateKeypairDescriptionRequestBody)

from huawei_support import KMS_ALIAS, KMS_ID, PROJECT, USER_ID, client, sdk_error, signed

KEYPAIRS = "/v3/%s/keypairs" % PROJECT


@pytest.fixture
def kps(emulator):
    return client(emulator, "kps")


def md5_fingerprint(public_line):
    digest = hashlib.md5(base64.b64decode(public_line.split()[1])).hexdigest()
    return ":".join(digest[i:i + 2] for i in range(0, 32, 2))


def new_public_key(kind="rsa"):
    key = rsa.generate_private_key(65537, 2048) if kind == "rsa" else \
        ed25519.Ed25519PrivateKey.generate()
    private = key.private_bytes(serialization.Encoding.PEM,
                                serialization.PrivateFormat.TraditionalOpenSSL
                                if kind == "rsa" else serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                           serialization.PublicFormat.OpenSSH).decode()
    return private, public + " me@laptop"


def create(kps, name, **fields):
    body = CreateKeypairRequestBody(keypair=CreateKeypairAction(name=name, **fields))
    return kps.create_keypair(CreateKeypairRequest(body=body)).keypair


def escrow(alias=None, key_id=None, private_key=None, kind="kms"):
    return KeyProtection(private_key=private_key, encryption=Encryption(
        type=kind, kms_key_name=alias, kms_key_id=key_id))


def test_create_generates_a_real_rsa_pair_returned_once(kps):
    created = create(kps, "demo-1")
    assert created.private_key.startswith("-----BEGIN RSA PRIVATE KEY-----\n")
    assert created.public_key.startswith("ssh-rsa ") and \
        created.public_key.endswith(" Generated-by-Nova\n")
    private = serialization.load_pem_private_key(created.private_key.encode(), None)
    assert private.key_size == 2048
    mine = private.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                             serialization.PublicFormat.OpenSSH).decode()
    assert created.public_key.split()[1] == mine.split()[1]
    assert created.fingerprint == md5_fingerprint(created.public_key)
    assert (created.name, created.type, created.user_id) == ("demo-1", "ssh", USER_ID)
    detail = kps.list_keypair_detail(ListKeypairDetailRequest(keypair_name="demo-1")).keypair
    assert (detail.public_key, detail.fingerprint) == (created.public_key, created.fingerprint)
    assert detail.is_key_protection is False and detail.key_id == ""
    assert isinstance(detail.id, int) and isinstance(detail.create_time, int)
    assert (detail.scope, detail.deleted, detail.frozen_state, detail.algorithm) == (
        "user", False, 0, "RSA2048")
    # nobody can get the private key back: it was not kept
    err = sdk_error(kps.export_private_key, ExportPrivateKeyRequest(
        body=ExportPrivateKeyRequestBody(keypair=KeypairBean(name="demo-1"))))
    assert (err.status_code, err.error_code) == (400, "KPS.0009")


def test_full_lifecycle(kps, emulator):
    _private, public = new_public_key("ed25519")
    imported = create(kps, "laptop", public_key=public, type="ssh", scope="domain")
    assert imported.private_key is None
    assert imported.fingerprint == md5_fingerprint(public)
    kps.update_keypair_description(UpdateKeypairDescriptionRequest(
        keypair_name="laptop", body=UpdateKeypairDescriptionRequestBody(
            keypair=UpdateKeypairDescriptionReq(description="my laptop"))))
    detail = kps.list_keypair_detail(ListKeypairDetailRequest(keypair_name="laptop")).keypair
    assert (detail.description, detail.scope, detail.public_key) == ("my laptop", "domain", public)
    listed = kps.list_keypairs(ListKeypairsRequest()).keypairs
    assert [(k.keypair.name, k.keypair.fingerprint, k.keypair.frozen_state) for k in listed] == [
        ("laptop", imported.fingerprint, "0")]
    kps.delete_keypair(DeleteKeypairRequest(keypair_name="laptop"))
    assert kps.list_keypairs(ListKeypairsRequest()).keypairs == []
    err = sdk_error(kps.delete_keypair, DeleteKeypairRequest(keypair_name="laptop"))
    assert (err.status_code, err.error_code) == (404, "KPS.0005")
    err = sdk_error(kps.list_keypair_detail, ListKeypairDetailRequest(keypair_name="laptop"))
    assert (err.status_code, err.error_code) == (404, "KPS.0005")
    calls = emulator.admin("GET", "/__admin/stats")["calls"]
    assert calls["kps:CreateKeypair"] == 1 and calls["kps:DeleteKeypair"] == 2


def test_duplicate_name_conflicts(kps):
    create(kps, "twice", public_key=new_public_key("ed25519")[1])
    err = sdk_error(create, kps, "twice", public_key=new_public_key("ed25519")[1])
    assert (err.status_code, err.error_code) == (409, "KPS.0004")


@pytest.mark.parametrize("name", ["a" * 65, "has space", "dot.ted", "ünïcode", ""])
def test_name_rules(kps, name):
    err = sdk_error(create, kps, name)
    assert (err.status_code, err.error_code) == (400, "KPS.0003")


def test_longest_name_and_allowed_characters(kps):
    name = "A_z-9" + "x" * 59
    assert create(kps, name, public_key=new_public_key("ed25519")[1]).name == name


@pytest.mark.parametrize("public_key", ["ssh-rsa", "ssh-rsa AAAA!!!!", "not a key at all",
                                        "ssh-rsa QUJD comment"])
def test_invalid_public_key(kps, public_key):
    err = sdk_error(create, kps, "bad-key", public_key=public_key)
    assert (err.status_code, err.error_code) == (400, "KPS.0006")


@pytest.mark.parametrize("fields, code", [({"type": "pgp"}, "KPS.0002"),
                                          ({"scope": "world"}, "KPS.0002")])
def test_invalid_enumerations(kps, fields, code):
    err = sdk_error(create, kps, "enum", **fields)
    assert (err.status_code, err.error_code) == (400, code)


def test_create_with_kms_custody_and_export(kps):
    created = create(kps, "hosted", key_protection=escrow(alias=KMS_ALIAS))
    assert created.private_key  # still returned by the create
    detail = kps.list_keypair_detail(ListKeypairDetailRequest(keypair_name="hosted")).keypair
    assert (detail.is_key_protection, detail.key_id) == (True, KMS_ID)
    exported = kps.export_private_key(ExportPrivateKeyRequest(
        body=ExportPrivateKeyRequestBody(keypair=KeypairBean(name="hosted")))).keypair
    assert (exported.name, exported.private_key) == ("hosted", created.private_key)
    kps.clear_private_key(ClearPrivateKeyRequest(keypair_name="hosted"))
    detail = kps.list_keypair_detail(ListKeypairDetailRequest(keypair_name="hosted")).keypair
    assert detail.is_key_protection is False
    err = sdk_error(kps.clear_private_key, ClearPrivateKeyRequest(keypair_name="hosted"))
    assert (err.status_code, err.error_code) == (400, "KPS.0009")


def test_custody_with_default_encryption_and_by_key_id(kps):
    create(kps, "default-enc", key_protection=escrow(kind="default"))
    create(kps, "by-id", key_protection=escrow(key_id=KMS_ID))
    for name in ("default-enc", "by-id"):
        assert kps.list_keypair_detail(ListKeypairDetailRequest(
            keypair_name=name)).keypair.is_key_protection


@pytest.mark.parametrize("protection, code, status", [
    (escrow(alias="kps/nope"), "KPS.0008", 404),
    (escrow(key_id="00000000-0000-0000-0000-000000000000"), "KPS.0008", 404),
    (escrow(), "KPS.0002", 400),
    (escrow(kind="vault"), "KPS.0002", 400),
])
def test_custody_errors(kps, protection, code, status):
    err = sdk_error(create, kps, "hosted", key_protection=protection)
    assert (err.status_code, err.error_code) == (status, code)
    assert sdk_error(kps.list_keypair_detail,
                     ListKeypairDetailRequest(keypair_name="hosted")).status_code == 404


def test_import_with_custody_checks_the_private_key(kps):
    private, public = new_public_key()
    other_private, _other_public = new_public_key()
    err = sdk_error(create, kps, "mine", public_key=public,
                    key_protection=escrow(alias=KMS_ALIAS, private_key=other_private))
    assert (err.status_code, err.error_code) == (400, "KPS.0007")
    create(kps, "mine", public_key=public,
           key_protection=escrow(alias=KMS_ALIAS, private_key=private))
    exported = kps.export_private_key(ExportPrivateKeyRequest(
        body=ExportPrivateKeyRequestBody(keypair=KeypairBean(name="mine")))).keypair
    assert exported.private_key == private


def test_import_private_key_later(kps):
    private, public = new_public_key()
    create(kps, "later", public_key=public)

    def host(key):
        return kps.import_private_key(ImportPrivateKeyRequest(body=ImportPrivateKeyRequestBody(
            keypair=ImportPrivateKeyKeypairBean(name="later", key_protection=(
                ImportPrivateKeyProtection(private_key=key, encryption=Encryption(
                    type="kms", kms_key_id=KMS_ID)))))))
    err = sdk_error(host, new_public_key()[0])
    assert (err.status_code, err.error_code) == (400, "KPS.0007")
    err = sdk_error(host, "-----BEGIN RSA PRIVATE KEY-----\nnope\n-----END RSA PRIVATE KEY-----")
    assert (err.status_code, err.error_code) == (400, "KPS.0007")
    answer = host(private)
    assert answer.keypair.name == "later"
    assert answer.keypair.key_protection.encryption.kms_key_id == KMS_ID
    assert answer.keypair.key_protection.private_key is None  # never echoed
    assert private not in str(answer.raw_content)
    detail = kps.list_keypair_detail(ListKeypairDetailRequest(keypair_name="later")).keypair
    assert (detail.is_key_protection, detail.key_id) == (True, KMS_ID)


def test_batch_import(kps):
    good = [CreateKeypairRequestBody(keypair=CreateKeypairAction(
        name="batch-%d" % n, public_key=new_public_key("ed25519")[1])) for n in range(3)]
    bad = [CreateKeypairRequestBody(keypair=CreateKeypairAction(name="bad name", public_key="x")),
           CreateKeypairRequestBody(keypair=CreateKeypairAction(name="no-key")),
           CreateKeypairRequestBody(keypair=CreateKeypairAction(
               name="batch-0", public_key=new_public_key("ed25519")[1]))]
    answer = kps.batch_import_keypair(BatchImportKeypairRequest(body=good + bad))
    assert [k.keypair.name for k in answer.succeeded_keypairs] == ["batch-0", "batch-1",
                                                                   "batch-2"]
    assert all(k.keypair.private_key is None for k in answer.succeeded_keypairs)
    assert [f.keypair_name for f in answer.failed_keypairs] == ["bad name", "no-key", "batch-0"]
    assert "already exists" in answer.failed_keypairs[2].failed_reason
    err = sdk_error(kps.batch_import_keypair, BatchImportKeypairRequest(body=good * 4))
    assert (err.status_code, err.error_code) == (400, "KPS.0010")


def test_batch_export_answers_a_zip(kps):
    first = create(kps, "z1", key_protection=escrow(alias=KMS_ALIAS))
    second = create(kps, "z2", key_protection=escrow(kind="default"))
    answer = kps.batch_export_private_key(BatchExportPrivateKeyRequest(body=[
        Keypairs(keypair=Keypair(name="z1")), Keypairs(keypair=Keypair(name="z2"))]))
    with zipfile.ZipFile(io.BytesIO(answer.raw_content)) as archive:
        assert archive.read("z1.pem").decode() == first.private_key
        assert archive.read("z2.pem").decode() == second.private_key
    create(kps, "plain", public_key=new_public_key("ed25519")[1])
    err = sdk_error(kps.batch_export_private_key, BatchExportPrivateKeyRequest(body=[
        Keypairs(keypair=Keypair(name="z1")), Keypairs(keypair=Keypair(name="plain"))]))
    assert (err.status_code, err.error_code) == (400, "KPS.0009")


def test_pagination_by_marker(kps):
    names = ["page-%03d" % n for n in range(23)]
    for name in reversed(names):
        create(kps, name, public_key=new_public_key("ed25519")[1])
    seen, marker, pages = [], None, 0
    while True:
        answer = kps.list_keypairs(ListKeypairsRequest(limit="10", marker=marker))
        pages += 1
        seen += [k.keypair.name for k in answer.keypairs]
        assert answer.page_info.current_count == len(answer.keypairs)
        if not answer.page_info.next_marker:
            break
        marker = answer.page_info.next_marker
    assert (seen, pages) == (names, 3)
    assert len(kps.list_keypairs(ListKeypairsRequest()).keypairs) == 23  # default 50


@pytest.mark.parametrize("limit", ["0", "1001", "ten", "-1"])
def test_invalid_limit(kps, limit):
    err = sdk_error(kps.list_keypairs, ListKeypairsRequest(limit=limit))
    assert (err.status_code, err.error_code) == (400, "KPS.0002")


def test_update_description_rules(kps):
    create(kps, "desc", public_key=new_public_key("ed25519")[1])
    for description in ("<script>", "x" * 256):
        err = sdk_error(kps.update_keypair_description, UpdateKeypairDescriptionRequest(
            keypair_name="desc", body=UpdateKeypairDescriptionRequestBody(
                keypair=UpdateKeypairDescriptionReq(description=description))))
        assert (err.status_code, err.error_code) == (400, "KPS.0002")
    err = sdk_error(kps.update_keypair_description, UpdateKeypairDescriptionRequest(
        keypair_name="ghost", body=UpdateKeypairDescriptionRequestBody(
            keypair=UpdateKeypairDescriptionReq(description="x"))))
    assert (err.status_code, err.error_code) == (404, "KPS.0005")


@pytest.mark.parametrize("body, content_type, code", [
    (b"{not json", "application/json", "KPS.0001"),
    (b"", "application/json", "KPS.0001"),
    (b'["a list"]', "application/json", "KPS.0001"),
    (b'{"keypair": {"name": "x"}}', "text/plain", "KPS.0001"),
    (b'{"keypair": "x"}', "application/json", "KPS.0002"),
    (b'{"name": "x"}', "application/json", "KPS.0002"),
])
def test_malformed_bodies(emulator, body, content_type, code):
    response = signed(emulator, "POST", KEYPAIRS, body=body, content_type=content_type)
    assert response.status_code == 400
    assert response.json()["error_code"] == code
    assert set(response.json()) == {"error_code", "error_msg"}


def test_keypairs_are_regional(emulator, kps):
    create(kps, "north", public_key=new_public_key("ed25519")[1])
    south = client(emulator, "kps", project_id="5c4b3a2918074f6e8d7c6b5a4f3e2d1c")
    assert south.list_keypairs(ListKeypairsRequest()).keypairs == []
