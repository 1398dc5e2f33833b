"""``is_public`` refuses IPv6 forms that embed or reach IPv4 addresses, and site-local addresses."""

from __future__ import annotations

import pytest

from vigie.crawlers.middlewares.ssrf import is_public

REFUSED = [
    "2002:7f00:1::1",          # 6to4 of 127.0.0.1
    "2002:808:808::1",         # 6to4 of a public address: refused outright all the same
    "fec0::1",                 # site-local
    "fec0:0:0:1::10",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "64:ff9b::7f00:1",         # NAT64 of 127.0.0.1
    "64:ff9b::a00:1",          # NAT64 of 10.0.0.1
    "64:ff9b::808:808",        # NAT64 of 8.8.8.8: refused outright
    "64:ff9b:1::a00:1",        # NAT64 local use
    "::127.0.0.1",             # IPv4-compatible
    "::8.8.8.8",
    "::ffff:127.0.0.1",        # IPv4-mapped: judged by the IPv4 address
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "[::ffff:192.168.1.1]",
]
ACCEPTED = ["93.184.216.34", "2001:4860:4860::8888", "2a00:1450:4007:80e::200e", "::ffff:8.8.8.8",
            "[2606:4700:4700::1111]"]


@pytest.mark.parametrize("address", REFUSED)
def test_embedded_and_site_local_addresses_are_refused(address):
    assert not is_public(address)


@pytest.mark.parametrize("address", ACCEPTED)
def test_public_addresses_are_accepted(address):
    assert is_public(address)
