"""Scheduled reports: report jobs `(store, period) -> files`, their renderers and the cron scheduler."""
