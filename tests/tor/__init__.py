"""Tor transport, egress guard, block detection and the private Tor network."""
