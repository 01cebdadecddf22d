"""Kibana saved objects (data views, visualisations, dashboards) generated from code, as NDJSON."""
