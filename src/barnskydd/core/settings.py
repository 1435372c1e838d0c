"""One typed settings object, read from BARNSKYDD_* environment variables."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import SecretStr, model_validator
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
    municipality_code: str = "1480"
    statistics_key_file: Path = Path("var/statistics.key")
    log_level: str = "INFO"

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if self.mode is Mode.PRODUCTION and self.secret_key.get_secret_value() == DEMO_SECRET:
            raise ValueError(
                "BARNSKYDD_SECRET_KEY must be set to a secret of your own in production mode"
            )
        return self


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings."""
    return Settings()
