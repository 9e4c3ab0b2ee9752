"""Benchmarks of the build, the queries behind the dashboard and the model; figures go to bench/results.json."""
