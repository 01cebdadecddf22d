"""Fixtures shared with the crawler tests (mini market, crawl environment)."""

from tests.audit_env import private_data_dir  # noqa: F401,E402
from tests.crawler.conftest import crawl_env, mini  # noqa: F401
