"""Malformed input never yields a traceback, and the server keeps serving."""
import socket

import pytest

from cloudops_emulator.ksyun.actions import SERVICES

from ksyun_support import call, error_of, ok


def _raw(emulator, data, read=65536):
    port = int(emulator.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        chunks = []
        try:
            while True:
                chunk = sock.recv(read)
                if not chunk:
                    break
                chunks.append(chunk)
                if b"\r\n\r\n" in b"".join(chunks) and _complete(b"".join(chunks)):
                    break
        except socket.timeout:
            pass
    return b"".join(chunks)


def _complete(data):
    head, _separator, body = data.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return True


def _still_serving(emulator):
    assert ok(call(emulator, "kcrs", "DescribeInstance"))["TotalCount"] == 0


def test_handler_exception_becomes_the_cloud_500(emulator, monkeypatch):
    def explode(call_):
        raise RuntimeError("secret internal detail")
    monkeypatch.setattr(SERVICES["kcrs"].actions["DescribeInstance"], "handler", explode)
    response = call(emulator, "kcrs", "DescribeInstance")
    assert error_of(response) == (500, "ServiceUnavailable", "OpenAPI or Service is "
                                  "unavailable because of an unknown error, exception or "
                                  "failure.")
    assert "Traceback" not in response.text and "secret internal" not in response.text
    monkeypatch.undo()
    _still_serving(emulator)


def test_oversized_body_is_refused_in_ksyun_shape(emulator):
    answer = _raw(emulator, b"POST / HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n"
                            b"Content-Length: 13000000\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 413")
    assert b'"Code": "RequestEntityTooLarge"' in answer
    _still_serving(emulator)


@pytest.mark.parametrize("data", [
    b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    b"GARBAGE\r\n\r\n",
    b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n"
    b"\xff\xfe\x00{[",
    b"GET /?Action=%ff%zz&Version=%&&== HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nAuthorization: AWS4-HMAC-SHA256 \x00\x01, ,=,\r\n\r\n",
    b"GET /?X-Amz-Credential=a/b HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET / HTTP/1.1\r\nAuthorization: AWS4-HMAC-SHA256 Credential=a\r\n\r\n",
])
def test_malformed_requests_get_an_error_not_a_traceback(emulator, data):
    answer = _raw(emulator, data)
    if answer.startswith(b"HTTP/"):
        assert 400 <= int(answer.split(b" ", 2)[1]) < 500, answer[:200]
    else:  # a one-word request line is HTTP/0.9: the answer has no status line
        assert answer.startswith(b'{"error": {"code": 400'), answer[:200]
    assert b"Traceback" not in answer
    _still_serving(emulator)


def test_chunked_body_is_read_and_the_connection_stays_usable(emulator):
    body = b"Action=DescribeInstance&Version=2021-11-09"
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    request = (b"POST / HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n"
               b"Transfer-Encoding: chunked\r\nContent-Type: application/x-www-form-urlencoded"
               b"\r\n\r\n" + chunked)
    port = int(emulator.url.rsplit(":", 1)[1])
    answer = b""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request + request)  # two requests on one connection
        while answer.count(b"Authentication Token.") < 2:
            chunk = sock.recv(65536)
            assert chunk, answer
            answer += chunk
    assert answer.count(b"HTTP/1.1 403") == 2
    assert b"Request is missing Authentication Token." in answer
    assert emulator.emu.stats.get("kcrs:DescribeInstance") == 0  # unsigned: no scope, no count


def test_signed_request_with_non_utf8_body(emulator):
    def corrupt(request):
        request.data = b"Action=DescribeInstance&x=\xff\xfe"
    response = call(emulator, "kcrs", "DescribeInstance", method="POST", mutate=corrupt)
    assert response.status_code in (400, 403)
    assert "Traceback" not in response.text


def test_ksyun_error_for_missing_host_header(emulator):
    answer = _raw(emulator, b"GET /?Action=DescribeInstance HTTP/1.0\r\n"
                            b"Accept: application/json\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 403")
    assert b"Request is missing 'Host' header." in answer
