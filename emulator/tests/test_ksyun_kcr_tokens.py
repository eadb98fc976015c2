"""kcrs access credentials through kscore."""
import datetime

import pytest
from kscore.exceptions import ClientError

from ksyun_support import client, client_error, running_instance


@pytest.fixture
def kcrs(emulator):
    return client(emulator, "kcrs")


def _parse(text):
    return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


def test_token_lifecycle(emulator, kcrs):
    instance_id = running_instance(emulator, kcrs)
    created = kcrs.create_instance_token(InstanceId=instance_id, TokenType="Hour", TokenTime=24,
                                         Desc="ci pipeline")
    token_id = created["tokenId"]  # lower-case t, as the real API answers
    assert "TokenId" not in created
    assert created["Username"] == "2000000001"
    assert len(created["Token"]) >= 32
    listed = kcrs.describe_instance_token(InstanceId=instance_id)
    assert listed["TotalCount"] == 1 and listed["Marker"] == 0 and listed["MaxResults"] == 20
    token = listed["TokenSet"][0]
    assert set(token) == {"TokenId", "Enable", "Desc", "CreateTime", "ExpireTime"}
    assert token["TokenId"] == token_id and token["Enable"] is True
    assert token["Desc"] == "ci pipeline"
    assert token["ExpireTime"] == created["ExpireTime"]
    assert _parse(token["ExpireTime"]) - _parse(token["CreateTime"]) == datetime.timedelta(hours=24)

    kcrs.modify_instance_token_status(InstanceId=instance_id, TokenId=token_id, Enable=False)
    assert kcrs.describe_instance_token(InstanceId=instance_id)["TokenSet"][0]["Enable"] is False

    kcrs.modify_instance_token_information(InstanceId=instance_id, TokenId=token_id,
                                           TokenType="Day", TokenTime=3, Desc="renamed")
    token = kcrs.describe_instance_token(InstanceId=instance_id)["TokenSet"][0]
    assert token["Desc"] == "renamed"
    assert _parse(token["ExpireTime"]) - _parse(token["CreateTime"]) == datetime.timedelta(days=3)

    kcrs.modify_instance_token_information(InstanceId=instance_id, TokenId=token_id,
                                           TokenType="NeverExpire")
    token = kcrs.describe_instance_token(InstanceId=instance_id)["TokenSet"][0]
    assert token["ExpireTime"] is None and token["Desc"] == "renamed"

    kcrs.delete_instance_token(InstanceId=instance_id, TokenId=token_id)
    assert kcrs.describe_instance_token(InstanceId=instance_id)["TotalCount"] == 0
    with pytest.raises(ClientError) as exc:
        kcrs.delete_instance_token(InstanceId=instance_id, TokenId=token_id)
    assert client_error(exc) == (404, "TokenNotFound", "The token %s does not exist in "
                                 "instance %s." % (token_id, instance_id))


def test_token_secret_is_not_listed_or_stored(emulator, kcrs):
    instance_id = running_instance(emulator, kcrs)
    created = kcrs.create_instance_token(InstanceId=instance_id, TokenType="NeverExpire")
    assert created["ExpireTime"] is None
    listed = kcrs.describe_instance_token(InstanceId=instance_id)
    assert created["Token"] not in str(listed)
    assert created["Token"] not in str(emulator.emu.store.list("kcrs.token"))


def test_token_listing_newest_first_and_paged(emulator, kcrs):
    instance_id = running_instance(emulator, kcrs)
    ids = [kcrs.create_instance_token(InstanceId=instance_id, TokenType="Day",
                                      TokenTime=n)["tokenId"] for n in range(1, 6)]
    page = kcrs.describe_instance_token(InstanceId=instance_id, Marker=1, MaxResults=2)
    assert page["TotalCount"] == 5
    assert [t["TokenId"] for t in page["TokenSet"]] == [ids[3], ids[2]]


@pytest.mark.parametrize("params,code,param", [
    ({"TokenType": "Week", "TokenTime": 1}, "InvalidParameterValue", "TokenType"),
    ({"TokenType": "Hour"}, "MissingParameter", "TokenTime"),
    ({"TokenType": "Hour", "TokenTime": 0}, "InvalidParameterValue", "TokenTime"),
    ({"TokenType": "Day", "TokenTime": 10000}, "InvalidParameterValue", "TokenTime"),
    ({"TokenType": "Day", "TokenTime": 1, "Desc": "d" * 257}, "InvalidParameterValue", "Desc"),
])
def test_token_validation(emulator, kcrs, params, code, param):
    instance_id = running_instance(emulator, kcrs)
    with pytest.raises(ClientError) as exc:
        kcrs.create_instance_token(InstanceId=instance_id, **params)
    status, got, message = client_error(exc)
    assert (status, got) == (400, code) and message.endswith("parameter %s." % param)


def test_token_of_another_instance_is_not_found(emulator, kcrs):
    first = running_instance(emulator, kcrs, "first")
    second = running_instance(emulator, kcrs, "second")
    token_id = kcrs.create_instance_token(InstanceId=first, TokenType="Day",
                                          TokenTime=1)["tokenId"]
    with pytest.raises(ClientError) as exc:
        kcrs.modify_instance_token_status(InstanceId=second, TokenId=token_id, Enable=True)
    assert client_error(exc)[:2] == (404, "TokenNotFound")
