"""Exports of searches, vendors, alert lists and cases (CSV, XLSX, MISP, STIX 2.1, Maltego CSV).

``sources`` turns store data into :class:`~onionwatch.exports.table.Export` (named tables of typed columns,
rows streamed); one module per format writes an Export to a binary file; ``output`` writes atomically,
hashes the file and records it in the audit trail before it is handed over.
"""
