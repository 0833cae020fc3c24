"""An encrypted JSON envelope: AES-256-GCM under a key derived from a password with Argon2id.

    {"format": "aevon-envelope/v1", "cipher": "AES-256-GCM",
     "kdf": {"name": "argon2id", "memoryKiB": 19456, "iterations": 2, "parallelism": 1,
             "salt": <base64>},
     "nonce": <base64, 12 bytes>, "ciphertext": <base64, with the 16-byte tag>}

The header fields are authenticated too (associated data), so changing any byte fails.
"""

from __future__ import annotations

import base64
import os
from typing import Any

import msgspec
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FORMAT = "aevon-envelope/v1"
KDF = {"name": "argon2id", "memoryKiB": 19456, "iterations": 2, "parallelism": 1}


class EnvelopeError(ValueError):
    pass


def seal(plaintext: bytes, password: str) -> bytes:
    salt, nonce = os.urandom(16), os.urandom(12)
    kdf = {**KDF, "salt": _b64(salt)}
    header = {"format": FORMAT, "cipher": "AES-256-GCM", "kdf": kdf, "nonce": _b64(nonce)}
    ciphertext = AESGCM(_key(password, kdf)).encrypt(nonce, plaintext, _aad(header))
    return msgspec.json.encode({**header, "ciphertext": _b64(ciphertext)})


def open_envelope(sealed: bytes, password: str) -> bytes:
    try:
        document: dict[str, Any] = msgspec.json.decode(sealed)
        header = {k: document[k] for k in ("format", "cipher", "kdf", "nonce")}
        if header["format"] != FORMAT or header["kdf"]["name"] != "argon2id":
            raise EnvelopeError("not an aevon envelope")
        key = _key(password, header["kdf"])
        return AESGCM(key).decrypt(
            base64.b64decode(header["nonce"]),
            base64.b64decode(document["ciphertext"]),
            _aad(header),
        )
    except InvalidTag:
        raise EnvelopeError("wrong password, or the file was altered") from None
    except (KeyError, TypeError, ValueError, msgspec.DecodeError) as error:
        raise EnvelopeError(f"not a readable envelope ({error})") from None


def _key(password: str, kdf: dict[str, Any]) -> bytes:
    return hash_secret_raw(
        password.encode(),
        base64.b64decode(kdf["salt"]),
        time_cost=int(kdf["iterations"]),
        memory_cost=int(kdf["memoryKiB"]),
        parallelism=int(kdf["parallelism"]),
        hash_len=32,
        type=Type.ID,
    )


def _aad(header: dict[str, Any]) -> bytes:
    return msgspec.json.encode(header, order="sorted")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
