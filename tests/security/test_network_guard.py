"""The autouse network guard (tests/conftest.py) stops every kind of outside access."""

from __future__ import annotations

import http.client
import socket
import urllib.request

import pytest
import requests

# tests/conftest.py's NetworkAccessError (an AssertionError); imported by pytest under its own
# module name, so match on the message.
GUARD = "attempted during tests"



def test_urllib_is_stopped():
    with pytest.raises(AssertionError, match=GUARD):
        urllib.request.urlopen("http://example.org/", timeout=2)


def test_urllib_by_ip_is_stopped():
    with pytest.raises(AssertionError, match=GUARD):
        urllib.request.urlopen("http://192.0.2.10/", timeout=2)


def test_http_client_is_stopped():
    conn = http.client.HTTPSConnection("example.org", timeout=2)
    with pytest.raises(AssertionError, match=GUARD):
        conn.request("GET", "/")


def test_requests_is_stopped():
    with pytest.raises(AssertionError, match=GUARD):
        requests.get("https://example.org/", timeout=2)


def test_create_connection_to_an_ipv6_address_is_stopped():
    with pytest.raises(AssertionError, match=GUARD):
        socket.create_connection(("2001:db8::1", 80), timeout=2)


def test_udp_datagram_is_stopped():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        with pytest.raises(AssertionError, match=GUARD):
            s.sendto(b"\x00", ("192.0.2.53", 53))
    finally:
        s.close()


def test_loopback_still_works():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.socket()
    try:
        client.connect(server.getsockname())
    finally:
        client.close()
        server.close()
