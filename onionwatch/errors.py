"""The user-facing error types: each prints as one line (`onionwatch: error: ...`) with exit status 1."""

from __future__ import annotations


class OnionwatchError(Exception):
    """Base for errors the user can fix (bad input, unreachable service, missing setup)."""


def _user_errors() -> tuple[type[BaseException], ...]:
    from crawler.credentials import CredentialsError
    from crawler.markets import MarketDefinitionError
    from crawler.policy import CrawlRefused
    from crawler.reextract import ArchiveError
    from extractors.fx import FxConfigError
    from extractors.lexicon import LexiconError
    from indexer.store import StoreError

    errors: list[type[BaseException]] = [
        OnionwatchError, MarketDefinitionError, CredentialsError, CrawlRefused, StoreError, ArchiveError,
        FxConfigError, LexiconError,
    ]
    try:
        from crawler.transport import TransportError

        errors.append(TransportError)
    except ImportError:
        pass
    return tuple(errors)


USER_ERRORS = _user_errors()
