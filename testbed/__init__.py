"""Simulated darknet markets with ground truth, for tests, demos and benchmarks."""
