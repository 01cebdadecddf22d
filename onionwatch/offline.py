"""Dependencies that would reach the network on their own are pinned offline here, before they are used.

Why a module of its own: the egress guard (onionwatch.netguard) refuses such attempts, but a refused attempt
is still an OPSEC event and a failed code path; the fix is that no dependency tries. Audit of every
dependency that runs in a command able to talk to a market (Scrapy 2.19, tldextract 5.4, spaCy 3.8, stem
1.8, elasticsearch 9 / elastic-transport, requests 2.34, httpx 0.29, Twisted, APScheduler 3.11, PGPy 0.6,
warcio 1.8, Playwright 1.x):

- tldextract (through Scrapy's cookie middleware, ``scrapy/downloadermiddlewares/cookies.py``: a module-level
  ``_split_domain = TLDExtract(include_psl_private_domains=True)``; tldextract's own module-level
  ``TLD_EXTRACTOR`` too): the first call fetches the Public Suffix List from publicsuffix.org, then
  raw.githubusercontent.com, and falls back to its bundled snapshot only after the attempt. Fixed here:
  ``TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS`` is set empty (read by every TLDExtract built afterwards) and every
  TLDExtract instance already built in a loaded module is replaced by one with ``suffix_list_urls=()`` and
  no disk cache (:func:`pin_tldextract`, called by crawler/settings.py, i.e. before Scrapy builds its
  middlewares). Scrapy builds no other extractor (``scrapy.utils.url`` uses none in this version).
- Scrapy: robots.txt fetching off, telnet console off (crawler/settings.py); HttpProxyMiddleware would send
  a direct crawl to an ``http_proxy`` from the environment: it is disabled for transport ``direct``
  (crawler/transport.py). For transport ``tor`` every request carries its own SOCKS proxy.
- requests: ``trust_env`` reads ``*_PROXY``/``NO_PROXY`` and ``~/.netrc``; tldextract was its only user in
  a product command. Code that uses it through Tor must pass ``proxies`` explicitly (they win over the
  environment) and should set ``trust_env=False``.
- httpx: ``trust_env`` applies only when no proxy is given; the Tor handler always gives one; the testbed's
  Tor probe and `onionwatch kibana` (loopback/explicit URL, not a market command) pass their URL directly.
- spaCy: blank pipelines (``spacy.blank``) load nothing; no model download, no telemetry (only the
  ``spacy download``/``spacy info`` CLIs, never run, talk to the network).
- stem: connects only to the control port it is given; descriptor downloads (``stem.descriptor.remote``)
  are never imported.
- elasticsearch/elastic-transport: sniffing is off unless asked (``sniff_on_start`` etc.); no proxies from
  the environment (urllib3 reads none); it connects only to the store URL's host.
- APScheduler, PGPy, warcio (no ``capture_http``), Twisted (only the reactor connections Scrapy asks for),
  Jinja2, pydantic: no network use of their own.
- Playwright/Chromium: only in the browser tests, never in a product command (Chromium's own update and
  safe-browsing traffic is outside Python and out of scope here).
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any

PSL_ENV = "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"


def pin_environment() -> None:
    """Environment read by dependencies at construction time: empty PSL URL list (snapshot only)."""
    os.environ[PSL_ENV] = ""


def offline_extractor(include_psl_private_domains: bool = False, extra_suffixes: Any = ()) -> Any:
    """A TLDExtract that uses only the Public Suffix List snapshot bundled with tldextract: no fetch, no cache."""
    from tldextract import TLDExtract

    return TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True,
                      include_psl_private_domains=include_psl_private_domains, extra_suffixes=extra_suffixes)


def pin_tldextract() -> int:
    """Replace every online TLDExtract instance held by a loaded module (Scrapy's cookie middleware included,
    imported here first); return how many were replaced."""
    pin_environment()
    try:
        import tldextract
    except ImportError:
        return 0
    with contextlib.suppress(ImportError):
        import scrapy.downloadermiddlewares.cookies  # noqa: F401 - builds its module-level extractor now
    replaced = 0
    for module in list(sys.modules.values()):
        namespace = getattr(module, "__dict__", None)
        if not isinstance(namespace, dict):
            continue
        for name, value in list(namespace.items()):
            if isinstance(value, tldextract.TLDExtract) and is_online(value):
                namespace[name] = offline_extractor(
                    include_psl_private_domains=bool(getattr(value, "include_psl_private_domains", False)),
                    extra_suffixes=tuple(getattr(value, "extra_suffixes", ()) or ()),
                )
                replaced += 1
    return replaced


def is_online(extractor: Any) -> bool:
    """True when this TLDExtract would fetch the suffix list over the network."""
    return bool(getattr(extractor, "suffix_list_urls", ()))


def online_extractors() -> list[str]:
    """``module.name`` of every loaded TLDExtract that would fetch over the network (the tests want [])."""
    try:
        import tldextract
    except ImportError:
        return []
    found = []
    for module_name, module in list(sys.modules.items()):
        namespace = getattr(module, "__dict__", None)
        if isinstance(namespace, dict):
            found += [f"{module_name}.{name}" for name, value in list(namespace.items())
                      if isinstance(value, tldextract.TLDExtract) and is_online(value)]
    return found
