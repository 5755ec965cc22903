"""Typed settings from the environment (prefix CASEPREP_) and the instance folder.

Checked at start-up: production refuses debug mode and a missing, default or weak
secret key (as SecureDrop does; a warning is not enough).
"""

from __future__ import annotations

import math
import os
import secrets
import zlib
from collections import Counter
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from caseprep import paths
from caseprep.rules.packs import installed_rules_dir

_KNOWN_WEAK_KEYS = {"", "dev", "changeme", "secret", "change-me", "development", "test"}
_MIN_SECRET_LEN = 32
# 32 spaces or "aaaa...": long enough, but guessable. 90 bits as measured below is less than
# 32 random hexadecimal characters reach; `secrets.token_urlsafe(48)` gives over 300.
_MIN_SECRET_BITS = 90
_ZLIB_OVERHEAD = 11  # header, checksum and block framing of a tiny zlib stream


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the app refuses to start."""


class Settings(BaseSettings):
    """Every setting caseprep reads. Environment: CASEPREP_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="CASEPREP_", extra="ignore")

    env: Literal["development", "production", "testing"] = "development"
    debug: bool = False
    instance_path: Path = Field(default_factory=lambda: Path.cwd() / "instance")
    secret_key: str | None = None
    database_url: str | None = None  # default: SQLite under the instance folder
    redis_url: str | None = None  # task queue and rate limits shared by several servers
    # Upload limits (bytes).
    max_upload_bytes: int = 50 * 1024 * 1024
    max_case_bytes: int = 2 * 1024 * 1024 * 1024
    # Abandoned cases are purged after this many days without a visit (`caseprep purge-expired`).
    retention_days: int = 180
    # Passphrase key derivation (scrypt); stored per case so it can be raised later.
    kdf_n: int = 2**15
    kdf_r: int = 8
    kdf_p: int = 1
    session_idle_minutes: int = 30
    # A browser session or API token ends this long after sign-in, however active.
    session_absolute_hours: int = 12
    # Where the quick-exit control sends the browser (the user's own navigation, not a fetch).
    quick_exit_url: str = "https://www.weather.com/"
    # A neutral site in her language or region (issue 12, item 7): keyed by locale (zh_Hans)
    # or jurisdiction code (cn); the locale is tried first, then her case's places, then
    # quick_exit_url. Environment: CASEPREP_QUICK_EXIT_URLS='{"zh_Hans": "https://..."}'.
    quick_exit_urls: dict[str, str] = Field(default_factory=lambda: {
        "zh_Hans": "https://www.weather.com.cn/", "cn": "https://www.weather.com.cn/",
        # The Korea Meteorological Administration's weather site (날씨누리).
        "ko": "https://www.weather.go.kr/", "kr": "https://www.weather.go.kr/"})
    api_token_ttl_minutes: int = 60
    # The rules folder (facts.yaml and one rule file per jurisdiction) every service reads;
    # an NGO points this at its own copy. Unset: the rule pack installed under
    # <instance>/rules (`caseprep rules install`), else the shipped jurisdictions/.
    rules_path: Path | None = None
    # Browser cookies: Secure flag and HSTS are set when served over TLS.
    behind_tls: bool = False
    # Reverse proxies in front of the app (0 = none). With one, the client address (used by
    # the rate limits) comes from X-Forwarded-For; without this every client would share
    # the proxy's address and one flood would lock everyone out of resume.
    trusted_proxies: int = 0
    # Failed resume attempts (web form and API tokens together), moving window. Per client
    # address, and per case code so spreading guesses over many addresses does not help.
    resume_limit_per_client: str = "10 per minute; 50 per hour"
    resume_limit_per_code: str = "5 per minute; 20 per hour"
    # Uploads (evidence files and chat exports) per client address, web and API.
    upload_limit_per_client: str = "30 per minute; 300 per hour"
    # Wrong current passphrases when changing it, per case (web and API together).
    passphrase_change_limit_per_code: str = "5 per 15 minutes; 10 per day"  # noqa: S105
    # `caseprep serve` removes stored files no row refers to (left by a crash) at start,
    # when older than this: another server sharing the store may be writing younger ones.
    orphan_grace_minutes: float = 10

    @model_validator(mode="after")
    def _exit_urls_are_web_pages(self) -> Settings:
        for url in [self.quick_exit_url, *self.quick_exit_urls.values()]:
            if not url.startswith(("https://", "http://")):
                raise ValueError(f"quick exit destination must be an http(s) URL, got {url!r}")
        return self

    @model_validator(mode="after")
    def _rules_in_use(self) -> Settings:
        if self.rules_path is None:
            self.rules_path = (installed_rules_dir(Path(self.instance_path) / "rules")
                               or paths.resource_dir("jurisdictions"))
        return self

    @property
    def secret(self) -> str:
        """`secret_key` once prepare_instance() and check() have made sure there is one."""
        if self.secret_key is None:
            raise ConfigError("no secret key: call prepare_instance() and check() first")
        return self.secret_key

    @property
    def rules_folder(self) -> Path:
        """The rules folder in use: `rules_path` as given or as the check above chose it."""
        if self.rules_path is None:  # only a Settings built without validation has none
            raise ConfigError("no rules folder: build Settings through load_settings()")
        return self.rules_path

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{self.instance_path / 'caseprep.sqlite3'}"

    def prepare_instance(self) -> None:
        """Create the instance folder (mode 0700) and, outside production, a persistent key."""
        self.instance_path.mkdir(parents=True, exist_ok=True)
        os.chmod(self.instance_path, 0o700)
        if self.secret_key is None and self.env != "production":
            key_file = self.instance_path / "secret_key"
            if not key_file.exists():
                fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as fh:
                    fh.write(secrets.token_urlsafe(48))
            self.secret_key = key_file.read_text().strip()

    def check(self) -> None:
        """Refuse unsafe production settings; raise ConfigError naming the problem."""
        if self.env != "production":
            return
        if self.debug:
            raise ConfigError("CASEPREP_DEBUG must be off in production")
        key = self.secret_key or ""
        if not key:
            raise ConfigError("CASEPREP_SECRET_KEY is required in production")
        if (key.lower() in _KNOWN_WEAK_KEYS or len(key) < _MIN_SECRET_LEN
                or estimated_entropy_bits(key) < _MIN_SECRET_BITS):
            raise ConfigError(
                f"CASEPREP_SECRET_KEY is too weak: use at least {_MIN_SECRET_LEN} random characters"
            )


def estimated_entropy_bits(text: str) -> float:
    """A rough upper bound of the bits in `text`: the smaller of its length times the
    Shannon entropy of its own character frequencies (low for "      " or "aaaa") and the
    size zlib compresses it to (low for "0123456789" repeated). Far from a proof of
    randomness, but it refuses the keys people type (issue 13, item 9)."""
    if not text:
        return 0.0
    counts = Counter(text)
    n = len(text)
    shannon = n * -sum(c / n * math.log2(c / n) for c in counts.values())
    compressed = 8 * max(0, len(zlib.compress(text.encode("utf-8"), 9)) - _ZLIB_OVERHEAD)
    return max(0.0, min(shannon, float(compressed)))


def load_settings(overrides: dict | None = None) -> Settings:
    """Settings from the environment, with `overrides` (e.g. from tests) on top."""
    settings = Settings(**(overrides or {}))
    settings.instance_path = Path(settings.instance_path).resolve()
    return settings
