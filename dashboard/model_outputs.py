"""Read the shortage model's output tables (model_*) from the data product; absent tables read as empty frames."""

from __future__ import annotations

import pandas as pd

from dashboard import database

MODEL_TABLES = ("model_score", "model_prediction", "model_forecast", "model_scorecard", "model_shown", "model_reliability",
                "model_target", "model_setting")


def available() -> bool:
    """True when the database holds every model table (a build with --no-model has none)."""
    return set(MODEL_TABLES) <= set(database.current().tables(""))


def _read(sql: str, params: tuple = ()) -> pd.DataFrame:
    if not available():
        return pd.DataFrame()
    return database.current().query(sql, params)


def targets() -> pd.DataFrame:
    """Every target the model knows, evaluated or not, with the stored reason when it is not."""
    return _read("SELECT target, country, kind, evaluable, reason, labelled_periods, about FROM model_target "
                 "ORDER BY evaluable DESC, target")


def latest_predictions() -> pd.DataFrame:
    """The forward predictions (kind 'forecast') from the latest origin of each target."""
    return _read("""SELECT p.* FROM model_prediction p
        JOIN (SELECT target, MAX(origin_period) AS origin_period FROM model_prediction WHERE kind = 'forecast'
              GROUP BY target) l ON l.target = p.target AND l.origin_period = p.origin_period
        WHERE p.kind = 'forecast' ORDER BY p.target, p.scheme, p.code""")


def latest_scores(family: str) -> pd.DataFrame:
    """The 0-3 scores of one family ('sector' or 'occupation') in its latest scored period, one row per indicator."""
    return _read("""SELECT * FROM model_score WHERE family = ? AND period = (
        SELECT MAX(period) FROM model_score WHERE family = ?) ORDER BY scheme, code, indicator""", (family, family))


def scores_at(family: str, period: str) -> pd.DataFrame:
    return _read("SELECT * FROM model_score WHERE family = ? AND period = ? ORDER BY scheme, code, indicator",
                 (family, period))


def forecast_sectors() -> list[str]:
    """NACE codes with forward forecasts."""
    found = _read("SELECT DISTINCT code FROM model_forecast WHERE kind = 'forecast' AND scheme = 'nace2' ORDER BY code")
    return list(found["code"]) if not found.empty else []


def sector_forecasts(code: str) -> pd.DataFrame:
    """The forward forecasts and the latest backtest with every horizon observed, of one NACE code, both indicators."""
    return _read("""SELECT * FROM model_forecast WHERE scheme = 'nace2' AND code = ? AND (kind = 'forecast'
        OR origin_period = (SELECT MAX(origin_period) FROM model_forecast WHERE kind = 'backtest' AND horizon = 4))
        ORDER BY indicator, kind, horizon""", (code,))


def tension_outlook() -> pd.DataFrame:
    """Class probabilities one quarter ahead from the latest origin, per NACE code."""
    return _read("""SELECT * FROM model_forecast WHERE kind = 'forecast' AND indicator = 'open_filled_ratio'
        AND horizon = 1 AND scheme = 'nace2' ORDER BY code""")


def shown() -> pd.DataFrame:
    """Per target and horizon: the method the page shows (the model only where it beats the best baseline)."""
    return _read("SELECT * FROM model_shown ORDER BY target, horizon")


def reliability() -> pd.DataFrame:
    return _read("SELECT * FROM model_reliability ORDER BY model, bin_low")


def scorecard() -> pd.DataFrame:
    return _read("SELECT * FROM model_scorecard ORDER BY target, horizon, metric, model, baseline")


def settings() -> pd.DataFrame:
    return _read("SELECT key, value, note FROM model_setting ORDER BY key")
