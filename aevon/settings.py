"""Configuration from the environment only, parsed once into a frozen struct."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import msgspec

from domain.aegis.rules import Thresholds


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str | None
    nats_url: str | None
    data_dir: Path
    http_host: str
    http_port: int
    jwt_secret: str | None
    jwt_issuer: str
    jwt_audience: str
    access_token_minutes: int
    consistency_timeout: float
    namespace: str
    db_pool_size: int
    auth_rate_limit: int
    api_workers: int
    log_level: str
    log_format: str = "json"  # or "text"
    llm_base_url: str | None = None  # an OpenAI-compatible API: BEEP's optional planner
    llm_api_key: str | None = None
    llm_model: str = "gpt-4o-mini"
    aegis: Thresholds = Thresholds()
    secret_key: str | None = None  # encrypts integration secrets at rest
    stream_replicas: int = 1  # 3 on a three-node JetStream cluster

    @property
    def stream(self) -> str:
        return self.namespace.upper()

    def with_servers(
        self, database_url: str, nats_url: str, jwt_secret: str, secret_key: str
    ) -> Settings:
        return msgspec.structs.replace(
            self,
            database_url=database_url,
            nats_url=nats_url,
            jwt_secret=jwt_secret,
            secret_key=secret_key,
        )

    def as_environment(self) -> dict[str, str]:
        """The variables that make a child process see these settings."""
        env = {
            "AEVON_DATA_DIR": str(self.data_dir),
            "AEVON_HTTP_HOST": self.http_host,
            "AEVON_HTTP_PORT": str(self.http_port),
            "AEVON_NAMESPACE": self.namespace,
            "AEVON_CONSISTENCY_TIMEOUT": str(self.consistency_timeout),
            "AEVON_AUTH_RATE_LIMIT": str(self.auth_rate_limit),
            "AEVON_API_WORKERS": str(self.api_workers),
            "AEVON_LOG_FORMAT": self.log_format,
            "AEVON_STREAM_REPLICAS": str(self.stream_replicas),
            "AEVON_LLM_MODEL": self.llm_model,
        }
        for key, value in (
            ("AEVON_DATABASE_URL", self.database_url),
            ("AEVON_NATS_URL", self.nats_url),
            ("AEVON_JWT_SECRET", self.jwt_secret),
            ("AEVON_SECRET_KEY", self.secret_key),
            ("AEVON_LLM_BASE_URL", self.llm_base_url),
            ("AEVON_LLM_API_KEY", self.llm_api_key),
        ):
            if value:
                env[key] = value
        return env


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ

    def get(name: str, default: str) -> str:
        return env.get(f"AEVON_{name}") or default

    return Settings(
        database_url=env.get("AEVON_DATABASE_URL") or None,
        nats_url=env.get("AEVON_NATS_URL") or None,
        data_dir=Path(get("DATA_DIR", ".aevon")).resolve(),
        http_host=get("HTTP_HOST", "127.0.0.1"),
        http_port=int(get("HTTP_PORT", "8000")),
        jwt_secret=env.get("AEVON_JWT_SECRET") or None,
        jwt_issuer=get("JWT_ISSUER", "aevon"),
        jwt_audience=get("JWT_AUDIENCE", "aevon-api"),
        access_token_minutes=int(get("ACCESS_TOKEN_MINUTES", "15")),
        consistency_timeout=float(get("CONSISTENCY_TIMEOUT", "2")),
        namespace=get("NAMESPACE", "aevon"),
        db_pool_size=int(get("DB_POOL_SIZE", "10")),
        auth_rate_limit=int(get("AUTH_RATE_LIMIT", "120")),
        api_workers=int(get("API_WORKERS", "1")),
        log_level=get("LOG_LEVEL", "INFO"),
        log_format=get("LOG_FORMAT", "json"),
        llm_base_url=env.get("AEVON_LLM_BASE_URL") or None,
        llm_api_key=env.get("AEVON_LLM_API_KEY") or None,
        llm_model=get("LLM_MODEL", "gpt-4o-mini"),
        aegis=_thresholds(env),
        secret_key=env.get("AEVON_SECRET_KEY") or None,
        stream_replicas=int(get("STREAM_REPLICAS", "1")),
    )


def _thresholds(env: Mapping[str, str]) -> Thresholds:
    """`AEVON_AEGIS_<THRESHOLD>` overrides each of Aegis's rule thresholds."""
    overrides = {
        name: env[key]
        for name in Thresholds.__struct_fields__
        if (key := f"AEVON_AEGIS_{name.upper()}") in env
    }
    return msgspec.convert(overrides, Thresholds, strict=False)
