"""Downloader middlewares and the download handler that route and guard crawl traffic (Tor, egress, blocks)."""
