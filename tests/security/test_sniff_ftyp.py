"""Issue 13, item 9: "ftyp" at byte 4 alone no longer makes a file an MP4 video."""

from __future__ import annotations

import pytest

from caseprep.evidence import sniff


def _ftyp(brand: bytes, size: int = 24) -> bytes:
    return size.to_bytes(4, "big") + b"ftyp" + brand + b"\x00\x00\x02\x00isommp41" + bytes(64)


@pytest.mark.parametrize("brand", [b"isom", b"mp42", b"M4V ", b"3gp5"])
def test_real_mp4_brands_are_mp4(brand):
    assert sniff.sniff(_ftyp(brand)) is sniff.MP4


@pytest.mark.parametrize("data", [
    b"MZ\x90\x00ftypisom" + bytes(64),          # an executable's header with ftyp pasted in
    _ftyp(b"evil"),                              # an unknown brand
    _ftyp(b"isom", size=0x7FFFFFFF),             # an absurd box size
    _ftyp(b"isom", size=10),                     # a box too small for its own brands
])
def test_forged_ftyp_is_not_mp4(data):
    assert sniff.sniff(data) is not sniff.MP4


def test_heic_and_mov_still_recognised():
    assert sniff.sniff(_ftyp(b"heic")) is sniff.HEIC
    assert sniff.sniff(_ftyp(b"qt  ")) is sniff.MOV
