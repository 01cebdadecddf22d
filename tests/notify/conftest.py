"""Notify tests write the audit trail through the CLI: a private data dir per test."""

from tests.audit_env import private_data_dir  # noqa: F401
