"""RFC 9497 OPRF (ristretto255-SHA512): the RFC's test vectors and the protocol's refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from barnskydd.lookup import oprf

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "rfc9497_ristretto255_sha512_oprf.json").read_text()
)


def test_derive_key_pair_gives_the_rfc_secret_key() -> None:
    pair = oprf.derive_key_pair(bytes.fromhex(VECTORS["Seed"]), bytes.fromhex(VECTORS["KeyInfo"]))
    assert pair.secret.hex() == VECTORS["skSm"]


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=["vector1", "vector2"])
def test_blind_evaluate_finalize_reproduce_the_rfc_vectors(vector: dict[str, str]) -> None:
    data = bytes.fromhex(vector["Input"])
    blinded = oprf.blind(data, blind_scalar=bytes.fromhex(vector["Blind"]))
    assert blinded.element.hex() == vector["BlindedElement"]
    evaluated = oprf.blind_evaluate(bytes.fromhex(VECTORS["skSm"]), blinded.element)
    assert evaluated.hex() == vector["EvaluationElement"]
    assert oprf.finalize(data, blinded.blind, evaluated).hex() == vector["Output"]
    assert oprf.evaluate(bytes.fromhex(VECTORS["skSm"]), data).hex() == vector["Output"]


def test_a_random_blind_gives_the_same_output_and_hides_the_input() -> None:
    key = oprf.derive_key_pair(oprf.generate_seed(), b"test")
    first, second = oprf.blind(b"200101012384"), oprf.blind(b"200101012384")
    assert first.element != second.element
    outputs = {
        oprf.finalize(b"200101012384", b.blind, oprf.blind_evaluate(key.secret, b.element))
        for b in (first, second)
    }
    assert outputs == {oprf.evaluate(key.secret, b"200101012384")}


def test_expand_message_xmd_matches_rfc9380_sha512_vector() -> None:
    # RFC 9380, Appendix K.3 (expand_message_xmd(SHA-512)), msg "" and len_in_bytes 0x20.
    dst = b"QUUX-V01-CS02-with-expander-SHA512-256"
    assert oprf.expand_message_xmd(b"", dst, 0x20).hex() == (
        "6b9a7312411d92f921c6f68ca0b6380730a1a4d982c507211a90964c394179ba"
    )


@pytest.mark.parametrize(
    "element",
    [
        bytes(32),  # the identity
        b"\xff" * 32,  # not canonical
        bytes.fromhex("609a0ae68c15a3cf6903766461307e5c8bb2f95e7e6550e1ffa2dc99e412803d"),
        b"\x01" * 31,  # too short
    ],
    ids=["identity", "non-canonical", "not-on-curve", "short"],
)
def test_blind_evaluate_refuses_a_malformed_element(element: bytes) -> None:
    key = oprf.derive_key_pair(bytes(32), b"")
    with pytest.raises(oprf.OprfError):
        oprf.blind_evaluate(key.secret, element)


def test_a_blind_outside_the_scalar_range_is_refused() -> None:
    with pytest.raises(oprf.OprfError):
        oprf.blind(b"x", blind_scalar=bytes(32))
    with pytest.raises(oprf.OprfError):
        oprf.blind(b"x", blind_scalar=b"\xff" * 32)
