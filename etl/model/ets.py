"""ETS(A,N,A) on the log scale (statsmodels) as a baseline: parameters estimated once on data up to a cut-off row,
then the filter runs forward so the forecast made at origin t uses the states after observing t and nothing later.

Estimating once per series (not at every origin) keeps the build fast; the parameters never see data after the
cut-off, which is the first validation origin, so no validation or evaluation target informs them.
"""

from __future__ import annotations

import warnings

import numpy as np

NAME = "ets"


def _runs(present: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of each run of consecutive present values."""
    edges = np.diff(np.r_[0, present.astype(int), 0])
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True))


def _model(values: np.ndarray, season: int):
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel  # a second to load: only where the fits run

    return ETSModel(values, error="add", trend=None, seasonal="add", seasonal_periods=season,
                    initialization_method="heuristic")


def forecasts(levels: np.ndarray, horizons: list[int], season: int, fit_until: int, min_quarters: int,
              series: np.ndarray) -> dict[int, np.ndarray]:
    """Per horizon, a (rows x series) matrix of ETS forecasts made at each row; NaN where there is none.

    A series is forecast within each run of consecutive values; parameters come from the run's values up to
    row fit_until (or its first min_quarters values when it starts later), and forecasts start once those are known.
    """
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    logs = np.log(np.where(levels > 0, levels, np.nan))
    out = {h: np.full(levels.shape, np.nan) for h in horizons}
    for column in series:
        for start, stop in _runs(~np.isnan(logs[:, column])):
            fit_stop = max(min(stop, fit_until + 1), start + min_quarters)
            if stop - start < min_quarters or fit_stop > stop:
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                warnings.simplefilter("ignore", RuntimeWarning)
                params = _model(logs[start:fit_stop, column], season).fit(disp=False).params
                states = np.asarray(_model(logs[start:stop, column], season).smooth(params).states)
            level, seasonal = states[:, 0], states[:, 1]
            for h in horizons:
                # made at t (row start + i): level after t plus the seasonal state of the same quarter a year before t+h
                made = np.arange(fit_stop - 1 - start, stop - start)
                made = made[made + h - season >= 0]
                out[h][start + made, column] = np.exp(level[made] + seasonal[made + h - season])
    return out
