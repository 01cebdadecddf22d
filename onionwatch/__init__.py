"""onionwatch: darknet marketplace monitoring pipeline (thin CLI and shared paths)."""

__version__ = "0.1.0"
