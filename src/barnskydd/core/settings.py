"""One typed settings object, read from BARNSKYDD_* environment variables."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEMO_SECRET = "demo-secret-not-for-production"  # noqa: S105  (refused outside demo mode below)


class Mode(StrEnum):
    DEMO = "demo"
    PRODUCTION = "production"


class Settings(BaseSettings):
    """Runtime configuration; refuses the demo secret outside demo mode."""

    model_config = SettingsConfigDict(env_prefix="BARNSKYDD_", extra="ignore")

    mode: Mode = Mode.DEMO
    database_url: str = "sqlite:///var/barnskydd.db"
    secret_key: SecretStr = SecretStr(DEMO_SECRET)
    # None: the database's own record (barnskydd.staff.deployment); if set, it must agree.
    municipality_code: str | None = None
    statistics_key_file: Path = Path("var/statistics.key")
    # The latest national release (`barnskydd stats release --out`) the municipality page compares
    # with; None: nothing loaded, and the page says so.
    national_release_dir: Path | None = None
    log_level: str = "INFO"
    oidc_issuer: str = ""  # empty: no OpenID Connect, local accounts only
    oidc_client_id: str = ""
    oidc_client_secret: SecretStr = SecretStr("")
    oidc_username_claim: str = "preferred_username"
    oidc_redirect_uri: str = ""  # empty: derived from the request
    lookup_pseudonymiser_url: str = ""
    lookup_index_url: str = ""
    lookup_key_file: Path = Path("var/lookup-municipality.jwk")
    lookup_contact: str = ""
    # What the chain does with a step SoL 2025:400 25 kap. 1 § reserves for qualified staff when
    # the worker does not qualify: "warn" (take it, record and show a warning) or "refuse".
    # "warn" by default, so that a deployment whose staff's competence is not recorded yet
    # keeps working (barnskydd.staff.competence, docs/competence.md).
    qualification_check: Literal["warn", "refuse"] = "warn"

    # The audit chain's anchors (docs/chain.md): signed heads published outside the database.
    audit_anchor_file: Path = Path("var/audit-anchors.jsonl")
    audit_anchor_key_file: Path = Path("var/audit-anchor.jwk")

    # The workload model (docs/workload.md): empty means the packaged Göteborg-shaped default.
    workload_model_file: Path | None = None
    # Dictation (docs/dictation.md): the model is a directory the operator installs, never a
    # download. Unset: dictation is shown as unavailable.
    dictation_model_dir: Path | None = None
    dictation_audio_days: int = Field(default=7, ge=1, le=90)  # the audio is deleted by then
    dictation_max_bytes: int = Field(default=20 * 1024 * 1024, ge=1024, le=200 * 1024 * 1024)
    dictation_max_seconds: int = Field(default=600, ge=5, le=3600)  # a recording's length
    dictation_timeout_seconds: int = Field(default=900, ge=10, le=7200)  # one transcription
    dictation_beam_size: int = Field(default=5, ge=1, le=10)
    dictation_threads: int = Field(default=2, ge=1, le=64)  # CPU threads of one worker
    dictation_workers: int = Field(default=1, ge=0, le=16)  # started by `barnskydd serve`

    @field_validator(
        "municipality_code", "national_release_dir", "dictation_model_dir", mode="before"
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if self.mode is Mode.PRODUCTION and self.secret_key.get_secret_value() == DEMO_SECRET:
            raise ValueError(
                "BARNSKYDD_SECRET_KEY must be set to a secret of your own in production mode"
            )
        return self

    @model_validator(mode="after")
    def _oidc_complete(self) -> Settings:
        if self.oidc_issuer and not self.oidc_client_id:
            raise ValueError("BARNSKYDD_OIDC_CLIENT_ID must be set with BARNSKYDD_OIDC_ISSUER")
        if self.mode is Mode.PRODUCTION and self.oidc_issuer.startswith("http:"):
            raise ValueError("BARNSKYDD_OIDC_ISSUER must be an https URL in production mode")
        return self


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings."""
    return Settings()
