"""Benchmarks: load generator, peers, data set and the driver (``bench/run.py --help``)."""
