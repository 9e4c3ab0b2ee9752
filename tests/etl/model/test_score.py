"""The BA-style score: 0-3 points against the reference distribution, classes from the mean, explicit gaps."""

import sqlite3
from contextlib import closing

import numpy as np
import pandas as pd

from etl.model import score, settings

DEFINITIONS = [
    {"name": "growth", "direction": 1, "max_age_quarters": 4},
    {"name": "seekers_per_vacancy", "direction": -1, "max_age_quarters": 0},
    {"name": "churn", "direction": 0, "max_age_quarters": 0},
]


def value_rows(indicator, values, period="2025-Q4"):
    return pd.DataFrame({"family": "occupation", "country": "NL", "region": "", "scheme": "brc2014",
                         "code": [f"{i:04d}" for i in range(1, len(values) + 1)], "indicator": indicator,
                         "period": period, "end_q": 2025 * 4 + 3, "value": values})


def test_points_count_the_cutoffs_passed_in_the_tighter_direction():
    cutoffs = np.array([2.75, 4.5, 6.25])
    assert list(score.points(np.array([1.0, 3.0, 4.5, 8.0]), cutoffs, 1)) == [0.0, 1.0, 1.0, 3.0]
    assert list(score.points(np.array([1.0, 3.0, 4.5, 8.0]), cutoffs, -1)) == [3.0, 2.0, 1.0, 0.0]


def test_classes_follow_the_ba_thresholds():
    config = settings.load()
    assert [score.classify(m, 2, config) for m in (2.0, 1.99, 1.5, 1.49)] == ["shortage", "watch", "watch", "none"]
    assert score.classify(3.0, 1, config) == "insufficient"


def test_score_ranks_each_indicator_against_the_reference_level_and_keeps_gaps():
    values = pd.concat([value_rows("growth", [1.0, 2, 3, 4, 5, 6, 7, 8]),
                        value_rows("seekers_per_vacancy", [8.0, 7, 6, 5, 4, 3, 2, 1]),
                        value_rows("churn", [0.5] * 7)], ignore_index=True)
    levels = pd.DataFrame({"scheme": "brc2014", "code": [f"{i:04d}" for i in range(1, 9)], "level": "beroepsgroep"})
    out = score.score(values, levels, DEFINITIONS, "occupation", settings.load())
    top = out[out["code"] == "0008"].set_index("indicator")
    # values 1..8: quantiles 2.75, 4.5, 6.25; 8 beats all three; 1 seeker per vacancy is the tightest
    assert (top.loc["growth", "score"], top.loc["seekers_per_vacancy", "score"]) == (3.0, 3.0)
    assert top.loc["growth", ["cut_25", "cut_50", "cut_75"]].tolist() == [2.75, 4.5, 6.25]
    assert top.loc["growth", "class"] == "shortage" and top.loc["growth", "n_scored"] == 2
    assert "churn" not in top.index  # no value: not stored (the defined indicators not listed are the gaps)
    third = out[out["code"] == "0003"].set_index("indicator")
    assert third.loc["growth", "mean_score"] == 1.0 and third.loc["growth", "class"] == "none"
    assert third.loc["churn", "note"] == "not scored: direction not established"
    assert np.isnan(third.loc["churn", "score"])


def test_too_few_reference_entities_are_not_ranked():
    values = value_rows("growth", [1.0, 2.0, 3.0])
    levels = pd.DataFrame({"scheme": "brc2014", "code": ["0001", "0002", "0003"], "level": "beroepsgroep"})
    out = score.score(values, levels, DEFINITIONS[:1], "occupation", settings.load())
    assert set(out["note"]) == {"not ranked: 3 reference values"}
    assert set(out["class"]) == {"insufficient"}


def test_an_annual_value_describes_the_following_year_but_never_the_one_before():
    values = pd.concat([value_rows("growth", [float(v) for v in range(1, 9)], period="2024")]).assign(
        end_q=2024 * 4 + 3)
    cells = pd.DataFrame({"family": "occupation", "country": "NL", "region": "", "scheme": "brc2014",
                          "code": "0001", "period": ["2023", "2024", "2025", "2026"],
                          "end_q": [2023 * 4 + 3, 2024 * 4 + 3, 2025 * 4 + 3, 2026 * 4 + 3]})
    found = score.aligned(values, cells, DEFINITIONS[:1], "occupation").set_index("period")
    assert np.isnan(found.loc["2023", "value"]) and np.isnan(found.loc["2026", "value"])
    assert found.loc["2024", "value"] == found.loc["2025", "value"] == 1.0
    assert found.loc["2025", "value_period"] == "2024"


def test_sector_n_ratio_in_the_bundled_data_is_open_over_filled(bundled_db):
    from etl.model import features

    with closing(sqlite3.connect(bundled_db)) as conn:
        values = features.sector_values(conn, settings.load()["tension"]["min_filled_for_ratio"])
    row = values[(values["code"] == "N") & (values["period"] == "2023-Q3")].set_index("indicator")
    # 80472NED, section N, 2023-Q3: 29,500 open and 29,000 filled vacancies
    assert row.loc["open_filled_ratio", "value"] == 29500 / 29000


def test_a_scheme_without_a_reference_level_is_ranked_across_all_its_entities():
    values = value_rows("growth", [float(v) for v in range(1, 9)]).assign(scheme="uwv")
    levels = pd.DataFrame({"scheme": "uwv", "code": [f"{i:04d}" for i in range(1, 9)], "level": "beroepsgroep"})
    out = score.score(values, levels, DEFINITIONS[:1], "occupation", settings.load())
    assert out.set_index("code").loc["0008", "score"] == 3.0 and set(out["reference_n"]) == {8}
