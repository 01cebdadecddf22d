"""Extraction stage: spaCy components turn raw pages into normalised listings and vendors."""
