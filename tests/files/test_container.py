"""The native container: round trips of every dtype and shape, every malformed header,
and the string blobs that carry words."""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest

from wordvec.errors import ConfigError, FormatError
from wordvec.files.container import decode_strings, encode_strings, read_container, write_container


# --------------------------------------------------------------------------- container
def test_container_round_trip_of_dtypes_and_shapes(tmp_path):
    arrays = {
        "f4": np.arange(12, dtype=np.float32).reshape(3, 4),
        "f8": np.array(2.5),  # 0-d
        "i8": np.arange(5, dtype=">i8"),  # big-endian in, little-endian on disk
        "u1": np.frombuffer(b"bytes", np.uint8),
        "empty": np.zeros((0, 3), np.float32),
        "i4": np.arange(6, dtype=np.int32).reshape(1, 2, 3)[:, :, ::2],  # not contiguous
    }
    meta = {"kind": "test", "nested": {"list": [1, 2.5, None, "é"]}}
    path = tmp_path / "c.bin"
    write_container(path, meta, arrays)
    for mmap in (True, False):
        m, got = read_container(path, mmap=mmap)
        assert m == meta and list(got) == list(arrays)
        for name, arr in arrays.items():
            assert got[name].shape == arr.shape
            np.testing.assert_array_equal(got[name], arr)
            assert got[name].dtype == arr.dtype.newbyteorder("<")
    data = path.read_bytes()
    assert data[:8] == b"\x89WVEC\r\n\x1a"
    header_len = struct.unpack("<I", data[12:16])[0]
    header = json.loads(data[16 : 16 + header_len])
    data_start = -(-(16 + header_len) // 64) * 64
    for spec in header["arrays"].values():
        assert (data_start + spec["offset"]) % 64 == 0


@pytest.mark.parametrize(
    "meta, arrays, match",
    [
        ([], {}, "meta"),
        ({"x": {1, 2}}, {}, "JSON"),
        ({"x": float("nan")}, {}, "JSON"),
        ({}, {"s": np.array(["a"])}, "numeric"),
        ({}, {"o": np.array([object()])}, "numeric"),
        ({}, {"c": np.zeros(2, np.complex64)}, "numeric"),
        ({}, {"": np.zeros(2)}, "names"),
    ],
)
def test_write_container_refuses(tmp_path, meta, arrays, match):
    with pytest.raises(ConfigError, match=match):
        write_container(tmp_path / "c", meta, arrays)
    assert not (tmp_path / "c").exists()


def _container(tmp_path, header: dict | bytes, body: bytes = b"", version: int = 1):
    raw = header if isinstance(header, bytes) else json.dumps(header).encode()
    head = struct.pack("<8sII", b"\x89WVEC\r\n\x1a", version, len(raw)) + raw
    path = tmp_path / "c.wvec"
    path.write_bytes(head + b"\0" * (-len(head) % 64) + body)
    return path


@pytest.mark.parametrize(
    "header, body, version, match",
    [
        ({"meta": {}, "arrays": {}}, b"", 2, "newer"),
        ({"meta": {}, "arrays": {}}, b"", 0, "version"),
        (b"{not json", b"", 1, "corrupt JSON"),
        (b"\xff\xfe", b"", 1, "corrupt JSON"),
        (b"[1, 2]", b"", 1, "'meta' and an 'arrays'"),
        ({"meta": 1, "arrays": {}}, b"", 1, "'meta' and an 'arrays'"),
        ({"meta": {}, "arrays": {"a": 5}}, b"", 1, "object"),
        (
            {"meta": {}, "arrays": {"a": {"dtype": "|O", "shape": [1], "offset": 0}}},
            b"\0" * 8,
            1,
            "dtype",
        ),
        (
            {"meta": {}, "arrays": {"a": {"dtype": ["<f4"], "shape": [1], "offset": 0}}},
            b"\0" * 8,
            1,
            "dtype",
        ),
        (
            {"meta": {}, "arrays": {"a": {"dtype": "<U4", "shape": [1], "offset": 0}}},
            b"\0" * 16,
            1,
            "dtype",
        ),
        (
            {"meta": {}, "arrays": {"a": {"dtype": "<f4", "shape": [-1], "offset": 0}}},
            b"",
            1,
            "shape",
        ),
        (
            {"meta": {}, "arrays": {"a": {"dtype": "<f4", "shape": [True], "offset": 0}}},
            b"",
            1,
            "shape",
        ),
        (
            {"meta": {}, "arrays": {"a": {"dtype": "<f4", "shape": "3", "offset": 0}}},
            b"",
            1,
            "shape",
        ),
        (
            {"meta": {}, "arrays": {"a": {"dtype": "<f4", "shape": [1], "offset": 3}}},
            b"\0" * 64,
            1,
            "multiple of 64",
        ),
        (
            {"meta": {}, "arrays": {"a": {"dtype": "<f4", "shape": [1], "offset": -64}}},
            b"\0" * 64,
            1,
            "multiple of 64",
        ),
        (
            {"meta": {}, "arrays": {"a": {"dtype": "<f8", "shape": [10**12, 10**12], "offset": 0}}},
            b"\0" * 64,
            1,
            "past the end",
        ),
        (
            {"meta": {}, "arrays": {"a": {"dtype": "<f4", "shape": [3], "offset": 0}}},
            b"\0" * 8,
            1,
            "past the end",
        ),
        (
            {
                "meta": {},
                "arrays": {
                    "a": {"dtype": "<f4", "shape": [16], "offset": 0},
                    "b": {"dtype": "<f4", "shape": [4], "offset": 0},
                },
            },
            b"\0" * 64,
            1,
            "overlap",
        ),
        (
            {"meta": {}, "arrays": {"a": {"dtype": "<f4", "shape": [2], "offset": 0}}},
            struct.pack("<2f", 1, float("inf")),
            1,
            r"non-finite value inf at index \(1,\)",
        ),
    ],
)
def test_read_container_refuses(tmp_path, header, body, version, match):
    path = _container(tmp_path, header, body, version)
    for mmap in (True, False):
        with pytest.raises(FormatError, match=match) as info:
            read_container(path, mmap=mmap, check_finite=True)
        assert str(path) in str(info.value)


def test_read_container_header_bounds(tmp_path):
    path = tmp_path / "c.wvec"
    path.write_bytes(b"\x89WVEC\r\n\x1a" + struct.pack("<II", 1, 2**31) + b"{}")
    with pytest.raises(FormatError, match="header length 2147483648"):
        read_container(path)
    path.write_bytes(b"PK\x03\x04" + b"\0" * 40)
    with pytest.raises(FormatError, match="magic"):
        read_container(path)
    path.write_bytes(b"\x89WVEC")
    with pytest.raises(FormatError, match="truncated"):
        read_container(path)


# --------------------------------------------------------------------------- strings
@pytest.mark.parametrize(
    "strings",
    [
        [],
        [""],
        ["a", "", "b"],
        ["the", "of", "café", "naïve", "日本", "a.b", "x-y", "Zoë"],
        ["line\nbreak", "tab\t", "nul\0"],
        [chr(i) for i in range(128)] + ["é"],
    ],
)
def test_strings_round_trip(strings):
    blob, offsets = encode_strings(strings)
    assert blob.dtype == np.uint8 and offsets.dtype == np.int64
    assert offsets.shape == (len(strings) + 1,)
    assert decode_strings(blob, offsets) == strings


def test_decode_strings_refuses_corrupt_input():
    blob, offsets = encode_strings(["ab", "é", "c"])
    bad_offsets = [
        np.array([1, 2, 4, 5]),  # does not start at 0
        np.array([0, 2, 4, 4]),  # does not end at the blob size
        np.array([0, 3, 2, 5]),  # decreasing
        np.array([], np.int64),
        np.zeros((2, 2), np.int64),
        offsets.astype(np.float64),
        np.array([0, 3, 2, 5], np.uint64),  # decreasing, hidden by unsigned arithmetic
        np.array([0, 2**63, 2, 5], np.uint64),
    ]
    for off in bad_offsets:
        with pytest.raises(FormatError, match="offsets"):
            decode_strings(blob, off, source="f.wvec")
    with pytest.raises(FormatError, match="string 1 is not valid UTF-8"):
        decode_strings(blob, np.array([0, 2, 3, 5]), source="f.wvec")  # splits "é"
    with pytest.raises(FormatError, match="blob"):
        decode_strings(blob.astype(np.int32), offsets)
