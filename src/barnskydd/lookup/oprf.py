"""RFC 9497 OPRF, mode 0x00, suite ristretto255-SHA512: the protocol layer over libsodium.

The group arithmetic (ristretto255 encoding, the one-way map, scalar multiplication and
inversion) is libsodium's, reached through rbcl, whose wheel bundles libsodium (so no system
library is needed). What is ours is the small part the RFC adds on top: expand_message_xmd
(RFC 9380, 5.3.1) with SHA-512, HashToGroup, HashToScalar, DeriveKeyPair, Blind,
BlindEvaluate and Finalize with the suite's domain separation.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field

import rbcl

MODE_OPRF = 0x00
SUITE = b"ristretto255-SHA512"
CONTEXT = b"OPRFV1-" + bytes([MODE_OPRF]) + b"-" + SUITE
ELEMENT_BYTES = 32  # Ne
SCALAR_BYTES = 32  # Ns
OUTPUT_BYTES = 64  # Nh
SEED_BYTES = 32
IDENTITY = bytes(ELEMENT_BYTES)
GROUP_ORDER = 2**252 + 27742317777372353535851937790883648493
MAX_INPUT = 2**16 - 1


class OprfError(ValueError):
    """An input the protocol refuses (malformed element, empty key, oversized input)."""


def _i2osp(value: int, length: int) -> bytes:
    return value.to_bytes(length, "big")


def expand_message_xmd(message: bytes, dst: bytes, length: int) -> bytes:
    """Expand a message to `length` uniform bytes with SHA-512 (RFC 9380, 5.3.1)."""
    block, rate = 64, 128  # b_in_bytes and s_in_bytes of SHA-512
    ell = -(-length // block)
    if ell > 255 or length > 65535 or len(dst) > 255:
        raise OprfError("expand_message_xmd: requested length or DST too long")
    dst_prime = dst + _i2osp(len(dst), 1)
    b0 = hashlib.sha512(
        bytes(rate) + message + _i2osp(length, 2) + _i2osp(0, 1) + dst_prime
    ).digest()
    blocks = [hashlib.sha512(b0 + _i2osp(1, 1) + dst_prime).digest()]
    for i in range(2, ell + 1):
        mixed = bytes(x ^ y for x, y in zip(b0, blocks[-1], strict=True))
        blocks.append(hashlib.sha512(mixed + _i2osp(i, 1) + dst_prime).digest())
    return b"".join(blocks)[:length]


def hash_to_group(message: bytes) -> bytes:
    """Map bytes to a ristretto255 element (the suite's HashToGroup)."""
    uniform = expand_message_xmd(message, b"HashToGroup-" + CONTEXT, 64)
    return bytes(rbcl.crypto_core_ristretto255_from_hash(uniform))


def hash_to_scalar(message: bytes, dst: bytes | None = None) -> bytes:
    """Map bytes to a scalar modulo the group order (the suite's HashToScalar)."""
    uniform = expand_message_xmd(message, dst or b"HashToScalar-" + CONTEXT, 64)
    return bytes(rbcl.crypto_core_ristretto255_scalar_reduce(uniform))


def deserialize_element(data: bytes) -> bytes:
    """Return a canonical, non-identity ristretto255 encoding or raise OprfError."""
    if len(data) != ELEMENT_BYTES:
        raise OprfError(f"an element is {ELEMENT_BYTES} bytes, not {len(data)}")
    if data == IDENTITY or not rbcl.crypto_core_ristretto255_is_valid_point(data):
        raise OprfError("not a valid ristretto255 element")
    return data


def deserialize_scalar(data: bytes) -> bytes:
    """Return a canonical, non-zero scalar encoding or raise OprfError."""
    if len(data) != SCALAR_BYTES:
        raise OprfError(f"a scalar is {SCALAR_BYTES} bytes, not {len(data)}")
    value = int.from_bytes(data, "little")
    if not 0 < value < GROUP_ORDER:
        raise OprfError("scalar out of range")
    return data


def _mult(scalar: bytes, element: bytes) -> bytes:
    try:
        return bytes(rbcl.crypto_scalarmult_ristretto255(scalar, element))
    except (RuntimeError, ValueError) as error:  # libsodium refuses an identity product
        raise OprfError("scalar multiplication gave the identity element") from error


@dataclass(frozen=True, slots=True)
class KeyPair:
    """The server's secret scalar skS and public element pkS (unused in OPRF mode)."""

    secret: bytes = field(repr=False)
    public: bytes


def derive_key_pair(seed: bytes, info: bytes) -> KeyPair:
    """Derive a key pair from a 32-byte seed and public info (RFC 9497, 3.2.1)."""
    if len(seed) != SEED_BYTES:
        raise OprfError(f"the seed is {SEED_BYTES} bytes")
    derive_input = seed + _i2osp(len(info), 2) + info
    dst = b"DeriveKeyPair" + CONTEXT
    for counter in range(256):
        secret = hash_to_scalar(derive_input + _i2osp(counter, 1), dst)
        if any(secret):
            return KeyPair(secret, bytes(rbcl.crypto_scalarmult_ristretto255_base(secret)))
    raise OprfError("DeriveKeyPairError")  # pragma: no cover (probability about 2^-2000)


def generate_seed() -> bytes:
    """Return a fresh random seed for derive_key_pair."""
    return secrets.token_bytes(SEED_BYTES)


def random_scalar() -> bytes:
    """Return a uniformly random non-zero scalar."""
    while True:
        scalar = bytes(rbcl.crypto_core_ristretto255_scalar_random())
        if any(scalar):
            return scalar


@dataclass(frozen=True, slots=True)
class Blinded:
    """The client's secret blind and the blinded element it sends."""

    blind: bytes = field(repr=False)
    element: bytes


def blind(data: bytes, *, blind_scalar: bytes | None = None) -> Blinded:
    """Blind an input; pass blind_scalar only to reproduce test vectors."""
    if len(data) > MAX_INPUT:
        raise OprfError("input longer than 65535 bytes")
    scalar = random_scalar() if blind_scalar is None else deserialize_scalar(blind_scalar)
    input_element = hash_to_group(data)
    if input_element == IDENTITY:
        raise OprfError("InvalidInputError")  # pragma: no cover (needs a hash preimage)
    return Blinded(scalar, _mult(scalar, input_element))


def blind_evaluate(secret: bytes, blinded_element: bytes) -> bytes:
    """Multiply a (validated) blinded element by the server's secret scalar."""
    return _mult(secret, deserialize_element(blinded_element))


def finalize(data: bytes, blind_scalar: bytes, evaluated_element: bytes) -> bytes:
    """Unblind the server's answer and hash it with the input into the 64-byte output."""
    inverse = bytes(rbcl.crypto_core_ristretto255_scalar_invert(blind_scalar))
    return _finalize_hash(data, _mult(inverse, deserialize_element(evaluated_element)))


def evaluate(secret: bytes, data: bytes) -> bytes:
    """Compute the OPRF output directly with the key (tests and benchmarks only)."""
    return _finalize_hash(data, _mult(secret, hash_to_group(data)))


def _finalize_hash(data: bytes, unblinded: bytes) -> bytes:
    hash_input = _i2osp(len(data), 2) + data + _i2osp(len(unblinded), 2) + unblinded + b"Finalize"
    return hashlib.sha512(hash_input).digest()
