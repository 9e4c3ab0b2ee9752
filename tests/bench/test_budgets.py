"""Bench budgets: every contract figure has a bound, and a result is judged against it with its reference shown."""

from __future__ import annotations

from bench import budgets

CONTRACT_FIGURES = {
    "build_snapshot_s", "import_1m_rows_cpu_s", "import_speed_vs_raw_sqlite", "import_scaling_exponent",
    "callback_cold_p95_ms", "callback_warm_p95_ms", "cached_callback_vs_static_throughput", "page_load_p95_s",
    "first_visit_kib", "export_speed_vs_datasette", "worker_rss_mb", "db_bytes_per_observation",
}


def test_every_contract_figure_has_a_budget_and_nothing_else_does():
    assert set(budgets.budgets()) == CONTRACT_FIGURES


def test_a_ratio_below_its_bound_is_not_met_and_names_the_absolute_reference():
    results = {"import_speed_vs_raw_sqlite": {"value": 0.125, "unit": "ratio"},
               "import_raw_sqlite_cpu_s": {"value": 5.7, "unit": "s"},
               "build_snapshot_s": {"value": 2.5, "unit": "s"}}
    budgets.annotate(results)
    assert results["import_speed_vs_raw_sqlite"]["met"] is False
    assert results["import_speed_vs_raw_sqlite"]["budget"] == ">= 0.33"
    assert results["build_snapshot_s"]["met"] is True
    assert ("| `import_speed_vs_raw_sqlite` | 0.125 | ratio | executemany of the same rows into the same schema "
            "(5.7 s CPU for 1M rows) | >= 0.33 | no |") in budgets.markdown(results, "abc")
