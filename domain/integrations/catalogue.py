"""The integrations a workspace can connect, with the configuration each needs."""

from __future__ import annotations

import re

import msgspec

# Configuration values under names like these are secrets: sealed at rest, masked on read.
SECRET_NAME = re.compile(r"key|secret|token|password", re.IGNORECASE)


class ConfigField(msgspec.Struct, frozen=True, rename="camel"):
    name: str
    label: str
    required: bool = True

    @property
    def secret(self) -> bool:
        return is_secret(self.name)


class IntegrationType(msgspec.Struct, frozen=True, rename="camel"):
    id: str
    name: str
    config_fields: list[ConfigField]


def is_secret(name: str) -> bool:
    return bool(SECRET_NAME.search(name))


CATALOGUE: dict[str, IntegrationType] = {
    t.id: t
    for t in (
        IntegrationType(
            id="slack",
            name="Slack",
            config_fields=[
                ConfigField("workspaceUrl", "Workspace URL"),
                ConfigField("botToken", "Bot token"),
                ConfigField("signingSecret", "Signing secret", required=False),
            ],
        ),
        IntegrationType(
            id="google-workspace",
            name="Google Workspace",
            config_fields=[
                ConfigField("domain", "Primary domain"),
                ConfigField("clientId", "OAuth client id"),
                ConfigField("clientSecret", "OAuth client secret"),
            ],
        ),
        IntegrationType(
            id="stripe",
            name="Stripe",
            config_fields=[
                ConfigField("accountId", "Account id", required=False),
                ConfigField("secretKey", "Secret key"),
                ConfigField("webhookSecret", "Webhook signing secret", required=False),
            ],
        ),
    )
}
