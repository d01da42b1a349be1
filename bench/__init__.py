"""Benchmarks: `python -m bench [--peer] [--s3] [SIZE ...]` (see `make bench`); output under bench/out/."""
