"""The user-facing error types: each prints as one line (`onionwatch: error: ...`) with exit status 1."""

from __future__ import annotations


class OnionwatchError(Exception):
    """Base for errors the user can fix (bad input, unreachable service, missing setup)."""


def _user_errors() -> tuple[type[BaseException], ...]:
    from onionwatch.crawler.credentials import CredentialsError
    from onionwatch.crawler.markets import MarketDefinitionError
    from onionwatch.crawler.policy import CrawlRefused
    from onionwatch.crawler.reextract import ArchiveError
    from onionwatch.extractors.fx import FxConfigError
    from onionwatch.extractors.lexicon import LexiconError
    from onionwatch.indexer.store import StoreError

    errors: list[type[BaseException]] = [
        OnionwatchError, MarketDefinitionError, CredentialsError, CrawlRefused, StoreError, ArchiveError,
        FxConfigError, LexiconError,
    ]
    try:
        from onionwatch.crawler.transport import TransportError

        errors.append(TransportError)
    except ImportError:
        pass
    return tuple(errors)


USER_ERRORS = _user_errors()
