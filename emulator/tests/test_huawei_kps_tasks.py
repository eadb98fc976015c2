"""KPS keypair binding tasks on the fixture ECS servers: associate (reset / replace), batch
associate, disassociate, task status and the running / failed task lists."""
import pytest
from huaweicloudsdkkps.v3 import (AssociateKeypairRequest, AssociateKeypairRequestBody, Auth,
                                  BatchAssociateKeypairRequest,
                                  BatchAssociateKeypairRequestBody, CreateKeypairAction,
                                  CreateKeypairRequest, CreateKeypairRequestBody,
                                  DeleteAllFailedTaskRequest, DeleteFailedTaskRequest,
                                  DisassociateEcsServerInfo, DisassociateKeypairRequest,
                                  DisassociateKeypairRequestBody, EcsServerInfo,
                                  ListFailedTaskRequest, ListKeypairTaskRequest,
                                  ListRunningTaskRequest)

from huawei_support import SERVERS, advance, client, sdk_error, set_delays

WEB1, WEB2, STOPPED = SERVERS


@pytest.fixture
def kps(emulator):
    set_delays(emulator, kps_task=30)
    kps = client(emulator, "kps")
    for name in ("deploy", "rotate"):
        kps.create_keypair(CreateKeypairRequest(body=CreateKeypairRequestBody(
            keypair=CreateKeypairAction(name=name))))
    return kps


def associate(kps, name, server, auth=None, **extra):
    return kps.associate_keypair(AssociateKeypairRequest(body=AssociateKeypairRequestBody(
        keypair_name=name, server=EcsServerInfo(id=server, auth=auth, **extra))))


def status(kps, task_id):
    return kps.list_keypair_task(ListKeypairTaskRequest(task_id=task_id)).task_status


def test_associate_runs_then_succeeds(emulator, kps):
    answer = associate(kps, "deploy", WEB1, disable_password=True, port=22)
    assert (answer.server_id, answer.status) == (WEB1, "SUCCESS") and answer.task_id
    assert status(kps, answer.task_id) == "RUNNING_RESET"
    running = kps.list_running_task(ListRunningTaskRequest())
    assert running.total == 1
    assert (running.tasks[0].server_name, running.tasks[0].keypair_name) == ("ecs-web-1", "deploy")
    err = sdk_error(associate, kps, "deploy", WEB1)  # one task per server at a time
    assert (err.status_code, err.error_code) == (409, "KPS.0013")
    advance(emulator, 31)
    assert status(kps, answer.task_id) == "SUCCESS_RESET"
    assert kps.list_running_task(ListRunningTaskRequest()).total == 0


def test_replace_needs_the_current_private_key(emulator, kps):
    created = kps.create_keypair(CreateKeypairRequest(body=CreateKeypairRequestBody(
        keypair=CreateKeypairAction(name="first"))))
    associate(kps, "first", WEB2)
    advance(emulator, 31)
    not_the_key = "-----BEGIN RSA PRIVATE KEY-----\nx\n-----END RSA PRIVATE KEY-----\n"
    wrong = associate(kps, "rotate", WEB2, auth=Auth(type="keypair", key=not_the_key))
    assert status(kps, wrong.task_id) == "RUNNING_REPLACE"
    advance(emulator, 31)
    assert status(kps, wrong.task_id) == "FAILED_RESET"
    failed = kps.list_failed_task(ListFailedTaskRequest())
    assert failed.total == 1
    entry = failed.tasks[0]
    assert (entry.task_id, entry.operate_type, entry.task_error_code) == (
        wrong.task_id, "FAILED_REPLACE", "KPS.0007")
    right = associate(kps, "rotate", WEB2,
                      auth=Auth(type="keypair", key=created.keypair.private_key))
    advance(emulator, 31)
    assert status(kps, right.task_id) == "SUCCESS_RESET"


def test_stopped_server_fails_and_failed_tasks_can_be_deleted(emulator, kps):
    first = associate(kps, "deploy", STOPPED)
    advance(emulator, 31)
    assert status(kps, first.task_id) == "FAILED_RESET"
    second = associate(kps, "rotate", STOPPED, auth=Auth(type="password", key="Root-pass-1"))
    advance(emulator, 31)
    failed = kps.list_failed_task(ListFailedTaskRequest(limit=1, offset=1))
    assert failed.total == 2 and len(failed.tasks) == 1
    assert failed.tasks[0].task_error_code == "KPS.0014"
    kps.delete_failed_task(DeleteFailedTaskRequest(task_id=first.task_id))
    err = sdk_error(kps.delete_failed_task, DeleteFailedTaskRequest(task_id=first.task_id))
    assert (err.status_code, err.error_code) == (404, "KPS.0012")
    assert [t.task_id for t in kps.list_failed_task(ListFailedTaskRequest()).tasks] == [
        second.task_id]
    kps.delete_all_failed_task(DeleteAllFailedTaskRequest())
    assert kps.list_failed_task(ListFailedTaskRequest()).total == 0


def test_disassociate(emulator, kps):
    err = sdk_error(kps.disassociate_keypair, DisassociateKeypairRequest(
        body=DisassociateKeypairRequestBody(server=DisassociateEcsServerInfo(id=WEB1))))
    assert (err.status_code, err.error_code) == (409, "KPS.0013")
    associate(kps, "deploy", WEB1)
    advance(emulator, 31)
    answer = kps.disassociate_keypair(DisassociateKeypairRequest(
        body=DisassociateKeypairRequestBody(server=DisassociateEcsServerInfo(
            id=WEB1, auth=Auth(type="password", key="New-root-pass-1")))))
    assert status(kps, answer.task_id) == "RUNNING_UNBIND"
    advance(emulator, 31)
    assert status(kps, answer.task_id) == "SUCCESS_UNBIND"


def test_batch_associate_reports_each_server(emulator, kps):
    associate(kps, "rotate", WEB2)
    advance(emulator, 31)
    entries = [AssociateKeypairRequestBody(keypair_name="deploy", server=EcsServerInfo(id=s))
               for s in (WEB1, WEB2, "00000000-0000-0000-0000-00000000dead")]
    answer = kps.batch_associate_keypair(BatchAssociateKeypairRequest(
        body=BatchAssociateKeypairRequestBody(batch_keypairs=entries)))
    assert [(t.server_id, t.status, t.error_code) for t in answer.tasks] == [
        (WEB1, "SUCCESS", None), (WEB2, "FAILED", "KPS.0013"),
        ("00000000-0000-0000-0000-00000000dead", "FAILED", "KPS.0011")]
    mixed = entries[:1] + [AssociateKeypairRequestBody(keypair_name="rotate",
                                                       server=EcsServerInfo(id=WEB2))]
    err = sdk_error(kps.batch_associate_keypair, BatchAssociateKeypairRequest(
        body=BatchAssociateKeypairRequestBody(batch_keypairs=mixed)))
    assert (err.status_code, err.error_code) == (400, "KPS.0002")
    err = sdk_error(kps.batch_associate_keypair, BatchAssociateKeypairRequest(
        body=BatchAssociateKeypairRequestBody(batch_keypairs=entries * 4)))
    assert (err.status_code, err.error_code) == (400, "KPS.0010")


@pytest.mark.parametrize("name, server, auth, code, http", [
    ("ghost", WEB1, None, "KPS.0005", 404),
    ("deploy", "00000000-0000-0000-0000-00000000dead", None, "KPS.0011", 404),
    ("deploy", WEB1, Auth(type="magic", key="x"), "KPS.0002", 400),
    ("deploy", WEB1, Auth(type="password"), "KPS.0002", 400),
])
def test_associate_input_errors(kps, name, server, auth, code, http):
    err = sdk_error(associate, kps, name, server, auth)
    assert (err.status_code, err.error_code) == (http, code)


def test_unknown_task(kps):
    err = sdk_error(kps.list_keypair_task, ListKeypairTaskRequest(task_id="nope"))
    assert (err.status_code, err.error_code) == (404, "KPS.0012")
