"""Dashboard views are audited: each test writes its own audit trail in a private data dir."""

from tests.audit_env import private_data_dir  # noqa: F401
