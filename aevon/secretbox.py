"""Seals secret settings with a key of the deployment (`AEVON_SECRET_KEY`, or one generated
into the data directory) before they reach the event store, and masks them for display."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, MultiFernet

from domain.integrations.integration import Sealed


class SecretBox:
    """`secret_key` may list several keys, comma-separated: the first seals, any opens — so a
    new key can be put first while values sealed with the old one stay readable."""

    def __init__(self, secret_key: str) -> None:
        self.fernet = MultiFernet([_fernet(key) for key in secret_key.split(",") if key.strip()])

    def seal(self, value: str) -> Sealed:
        return Sealed(masked=mask(value), sealed=self.fernet.encrypt(value.encode()).decode())

    def open(self, sealed: Sealed) -> str:
        return self.fernet.decrypt(sealed.sealed.encode()).decode()


def _fernet(secret: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(secret.strip().encode()).digest()))


def mask(value: str) -> str:
    """`sk_live_…3456`-style: enough to recognise a value, never enough to use it."""
    if len(value) < 12:
        return "•" * 8
    return f"{value[:4]}…{value[-4:]}"
