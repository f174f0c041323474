"""Benchmarks of the download engine against plain tools, on the local sandbox (development only,
never shipped). `python -m bench` runs them all; results are discussed in docs/PERFORMANCE.md."""
