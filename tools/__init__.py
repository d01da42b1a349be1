"""Development tools kept apart from the product: the synthetic generator, the evaluation, S3 on loopback.

Run from the repository root: `python -m tools synth|eval` (see `make run`, `make eval`).
"""
