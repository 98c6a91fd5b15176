"""Benchmarks of Pact Advisor, run by hand on a quiet machine (never in CI).

* ``python -m benchmarks.run``: the engine against two baselines (quality, speed, memory);
* ``python -m benchmarks.load``: the Discord bot under thousands of interactions in SimCord.

Run them from the repository's root; ``benchmarks/README.md`` says what each figure means.
"""
