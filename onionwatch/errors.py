"""Every error onionwatch raises for a problem the user can fix, in one dependency-free module.

The command line catches `OnionwatchError` alone and prints it as one line (`onionwatch: error: ...`,
exit status 1); anything else is a bug and keeps its traceback. Importing this module imports nothing else,
so the CLI can know its user errors without loading Scrapy, spaCy or Elasticsearch. The stage modules
re-export the class they raise (`from onionwatch.crawler.markets import MarketDefinitionError` still works).

Names never reuse a dependency's (the Elasticsearch client has its own `TransportError`, Scrapy its own
`IgnoreRequest`, ...), so an `except` clause always says whose error it means.

Hierarchy::

    OnionwatchError
    ├── ConfigError ............... a file the user wrote is invalid; str() is `file: field: problem`
    │   ├── MarketDefinitionError . config/markets/<name>.yaml
    │   │   └── UnknownMarketError  no definition for that market name
    │   ├── CredentialsError ...... credentials.yaml or ONIONWATCH_CRED_* unusable or too open
    │   ├── FxConfigError ......... config/fx.yaml
    │   ├── LexiconError .......... the substance lexicon / non-drug cue data
    │   ├── ScheduleError ......... config/schedule.yaml
    │   └── NotifyConfigError ..... notify.yaml (SMTP, webhooks), its password/token files
    ├── InputError ................ a command-line or query value is malformed; the message names it
    │   ├── QueryError ............ search / trend / watch parameters
    │   ├── NothingToExport ....... an export matched nothing: no file
    │   └── PeriodError ........... report periods
    ├── CrawlError ................ a crawl must not start or cannot go on
    │   ├── CrawlRefused .......... policy: transport not allowed, egress not allowed, market not crawlable
    │   │   └── EgressBlocked ..... the process egress guard refused a socket destination (also an OSError)
    │   ├── TorUnavailable ........ Tor not running, wrong port, not bootstrapped, control auth failed
    │   └── ArchiveError .......... a WARC archive missing, unreadable or unwritable
    ├── StoreError ................ the store cannot do what was asked (bad URL, unreachable, rejected write)
    │   └── SpoolError ............ a spooled batch cannot be read back
    ├── OutputError ............... an output directory or file cannot be written
    │   └── ReportOutputError
    ├── ServeError ................ the dashboard cannot listen (also an OSError)
    │   └── ListenError
    ├── TestbedError .............. the simulated markets or the private Tor network
    │   ├── UnknownTestbedMarket
    │   └── TorNetError
    ├── DeliveryError ............. an alert mail or webhook could not be delivered (onionwatch/notify)
    ├── AuditError ................ the audit trail cannot be written: the audited action is refused
    └── EvidenceError ............. an evidence bundle cannot be made or fails verification

Errors that never reach the user stay with the code that handles them: `PageMismatch` (a page not matching
its definition: the spider fails the crawl with it), `EgressRefused` (a Scrapy `IgnoreRequest`), the
dashboards' `BadRequest`/`NotFound` (HTTP 400/404) and the Elasticsearch bulk writer's `Unreachable` (spooled).
"""

from __future__ import annotations


class OnionwatchError(Exception):
    """Base for errors the user can fix (bad input, unreachable service, missing setup)."""


# --- configuration files -----------------------------------------------------------------------------------


class ConfigError(OnionwatchError, ValueError):
    """A configuration file is missing, unreadable or invalid; str() is `file: field: problem`."""


class MarketDefinitionError(ConfigError):
    """A market definition is missing, unreadable or invalid; str() is ``file: field: problem``."""


class UnknownMarketError(MarketDefinitionError):
    """No definition file exists for the requested market name."""


class CredentialsError(ConfigError):
    """No usable credentials for a market that requires login (or the credentials file is too open)."""


class FxConfigError(ConfigError):
    """config/fx.yaml is malformed; the message names the file and the field."""


class LexiconError(ConfigError):
    """The lexicon data file is malformed; the message names the file and the entry."""


class ScheduleError(ConfigError):
    """The schedule file is unreadable or invalid; the message is `file: field: problem`."""


class NotifyConfigError(ConfigError):
    """notify.yaml (onionwatch/notify/config.py) or a password/token file it names is unusable."""


class DeliveryError(OnionwatchError):
    """An SMTP server or webhook refused or could not be reached; nothing is marked as sent."""


# --- command-line and query input ----------------------------------------------------------------------------


class InputError(OnionwatchError, ValueError):
    """A value given on the command line or in a query is malformed; the message names it."""


class QueryError(InputError):
    """A query parameter (date, interval, watch) is malformed; the message names it."""


class NothingToExport(InputError):
    """An export matched nothing (no hits, no such vendor or case): no file is written."""


class PeriodError(InputError):
    """A period is malformed (end not after start, unknown kind); the message names the field."""


# --- crawling ------------------------------------------------------------------------------------------------


class CrawlError(OnionwatchError):
    """A crawl must not start or cannot go on."""


class CrawlRefused(CrawlError):
    """The crawl must not start (transport not allowed, Tor down, credentials missing...)."""


class EgressBlocked(CrawlRefused, OSError):
    """The process egress guard (onionwatch.netguard) refused a socket destination: an OPSEC event.

    Also an OSError (errno EACCES), so every network library treats it as a failed connection or lookup
    rather than a crash; str() is the guard's sentence alone, without the ``[Errno 13]`` prefix.
    """

    def __str__(self) -> str:
        return str(self.strerror) if self.strerror else super().__str__()


class TorUnavailable(CrawlError):
    """Tor is unusable (not running, wrong port, not bootstrapped, control auth failed); do not crawl."""


class ArchiveError(CrawlError):
    """An archive file is missing, not a readable WARC, or cannot be written."""


# --- stores --------------------------------------------------------------------------------------------------


class StoreError(OnionwatchError):
    """The store cannot do what was asked (bad URL, unreachable server, rejected write)."""


class SpoolError(StoreError):
    """A spool file cannot be read back (corrupt or from an incompatible version); the message names it."""


# --- outputs and serving ---------------------------------------------------------------------------------------


class OutputError(OnionwatchError):
    """An output directory or file cannot be created or written; the message names it."""


class ReportOutputError(OutputError):
    """The report output directory cannot be created or written; the message names it."""


class ServeError(OnionwatchError):
    """The dashboard cannot be served."""


class ListenError(ServeError, OSError):
    """The dashboard cannot listen on host:port (in use, not an address of this machine, no permission)."""


# --- testbed ---------------------------------------------------------------------------------------------------


class TestbedError(OnionwatchError):
    """The simulated markets or the private Tor network cannot be set up."""

    __test__ = False  # not a pytest test class


class UnknownTestbedMarket(TestbedError, ValueError):
    """The market name is not one of the testbed templates."""


class TorNetError(TestbedError, RuntimeError):
    """The private Tor network could not be built or did not come up; the message says why."""


# --- audit trail and evidence ------------------------------------------------------------------------------------


class AuditError(OnionwatchError):
    """The audit trail cannot be written or read: the audited action is refused (fail closed)."""


class EvidenceError(OnionwatchError):
    """An evidence bundle cannot be made, or fails verification; the message names the file."""
