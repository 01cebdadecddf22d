"""Exports write the audit trail: a private data dir per test."""

from tests.audit_env import private_data_dir  # noqa: F401
