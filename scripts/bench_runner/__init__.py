"""The parts ``make bench`` (scripts/run_bench.py) is built from."""
