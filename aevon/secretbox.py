"""Seals secret settings with a key of the deployment (`AEVON_SECRET_KEY`, or one generated
into the data directory) before they reach the event store, and masks them for display."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet

from domain.integrations.integration import Sealed


class SecretBox:
    def __init__(self, secret_key: str) -> None:
        key = hashlib.sha256(secret_key.encode()).digest()
        self.fernet = Fernet(base64.urlsafe_b64encode(key))

    def seal(self, value: str) -> Sealed:
        return Sealed(masked=mask(value), sealed=self.fernet.encrypt(value.encode()).decode())

    def open(self, sealed: Sealed) -> str:
        return self.fernet.decrypt(sealed.sealed.encode()).decode()


def mask(value: str) -> str:
    """`sk_live_…3456`-style: enough to recognise a value, never enough to use it."""
    if len(value) < 12:
        return "•" * 8
    return f"{value[:4]}…{value[-4:]}"
