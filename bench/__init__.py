"""Benchmarks: `python -m bench` (build benchmark, see README.md) or `python -m bench.<name>`,
from the repository root."""
