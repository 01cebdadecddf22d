"""Fixtures shared with the crawler tests (mini market, crawl environment)."""

from tests.crawler.conftest import crawl_env, mini  # noqa: F401
