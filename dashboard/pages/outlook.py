"""Shortage outlook: the model's latest scores and probabilities, sector vacancy forecasts, backtest and unevaluated targets."""

from __future__ import annotations

import dash
import pandas as pd
import plotly.graph_objects as go
from dash import Input, State, dcc, html

from dashboard import database, enrich, figures, model_outputs, params
from dashboard.downloads import view_links
from dashboard.i18n import format_number, format_value, text
from dashboard.panel import GRAPH_CONFIG, downloads, source_line
from etl.model import features, settings
from etl.periods import sort_key

NAME = "outlook"
SCORE_TARGETS = {"score_sector": "sector", "score_occupation": "occupation"}
# Sector targets are predicted for sector series; their entities are scored in the sector family.
PREDICTION_FAMILY = "sector"
DEFAULT_SECTOR = "N"
VACANCY_DATASET = features.SECTOR_VACANCY_DATASET
OBSERVED_QUARTERS = 40
FORECAST_INDICATORS = {"vacancies_open": "vacancies", "open_filled_ratio": "ratio"}
UNITS = {"vacancies_open": "vacancies", "open_filled_ratio": "ratio"}
TENSION_TARGET = "nl_sector_tension_class"
MODEL_NAME = "ridge_ets"
TOP_SCORED = 3
# Score rows are listed from the tightest class down; 'insufficient' last even with a high mean of one indicator.
CLASS_ORDER = {"shortage": 0, "watch": 1, "none": 2, "insufficient": 3}
# The latest view holds what its table shows, each class as its code and its label; the indicator values behind an
# entity are a view of their own (INDICATOR_COLUMNS), so neither table needs a column per indicator.
LATEST_COLUMNS = ["target", "scheme", "code", "entity", "origin_period", "period", "probability", "shown", "shown_label",
                  "current_class", "current_class_label", "score_period", "score_class", "score_class_label",
                  "mean_score", "n_scored", "top_indicators"]
INDICATOR_COLUMNS = ["target", "scheme", "code", "entity", "score_period", "indicator", "indicator_label", "value",
                     "value_period", "score"]
# The entity parameter names a row of the latest table as 'scheme:code'; the national total has neither.
NATIONAL_ENTITY = "total"
INDICATOR_DECIMALS = 2
FORECAST_COLUMNS = ["indicator", "indicator_label", "sector_scheme", "sector_code", "sector_label", "series", "period",
                    "value", "low_80", "high_80", "unit", "status", "origin_period", "horizon", "shown", "shown_label",
                    "observed", "dataset_id"]
SCORECARD_COLUMNS = ["target", "target_label", "horizon", "metric", "metric_label", "model", "baseline",
                     "baseline_label", "value", "baseline_value", "diff_ci_low", "diff_ci_high", "n", "n_periods",
                     "periods", "note"]
RELIABILITY_COLUMNS = ["target", "horizon", "event", "model", "model_label", "bin_low", "bin_high", "n",
                       "mean_probability", "observed_rate", "periods"]
UNEVALUATED_COLUMNS = ["target", "target_label", "country", "kind", "labelled_periods", "reason", "about"]


def _label(group: str, key: str, lang: str) -> str:
    """A translated name for a model code; a code the texts do not know yet is shown as it is."""
    try:
        return text(f"outlook.{group}.{key}", lang)
    except KeyError:
        return key


def target_choices() -> list[str]:
    predicted = model_outputs.latest_predictions()
    occupation = sorted(set(predicted["target"])) if not predicted.empty else []
    return [TENSION_TARGET] + occupation + list(SCORE_TARGETS)


def sector_choices() -> list[str]:
    return model_outputs.forecast_sectors() or [DEFAULT_SECTOR]


def state(query: dict) -> params.PageState:
    targets = target_choices()
    # An entity is checked only when the URL names one: listing every target's entities costs ~50 ms and ~4 MiB.
    return params.read(query, {"target": (targets[0], set(targets)), "sector": (DEFAULT_SECTOR, set(sector_choices())),
                               "entity": ("", lambda key: key in _entity_keys())})


# -- the rows behind each view ---------------------------------------------------------------------------------

def _entity_label(scheme: str, code: str, lang: str) -> str:
    if code == "":
        return text("series.national", lang)
    labels = enrich.occupation_labels(lang) if scheme in ("brc2014", "brc2014e2025", "uwv", "vdab", "isco08") \
        else enrich.sector_labels(lang)
    label = labels.get((scheme, code), "")
    # Published range labels already start with their code ("B-F Industry and construction").
    return label if label.startswith(code + " ") else f"{code} {label}".strip()


def _score_heads(scores: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per entity: its score period, class (code and label), mean score and number of scored indicators."""
    if scores.empty:
        return pd.DataFrame(columns=["scheme", "code", "score_period", "score_class", "score_class_label", "mean_score",
                                     "n_scored", "class_rank"])
    key = ["scheme", "code"]
    head = scores.drop_duplicates(key)[key + ["period", "class", "mean_score", "n_scored"]].rename(
        columns={"period": "score_period", "class": "score_class"})
    head["class_rank"] = head["score_class"].map(CLASS_ORDER).fillna(len(CLASS_ORDER))
    head["score_class_label"] = head["score_class"].map(lambda c: _label("class", c, lang))
    return head.reset_index(drop=True)


def _top_scored(scores: pd.DataFrame, lang: str) -> pd.Series:
    """The highest-scoring indicators of each entity, e.g. 'Jobs growth (%): 3; Hourly wage growth (%): 3'."""
    scored = scores[scores["score"].notna() & (scores["score"] > 0)].sort_values(
        ["scheme", "code", "score", "indicator"], ascending=[True, True, False, True])
    top = scored.groupby(["scheme", "code"]).head(TOP_SCORED)
    return top.groupby(["scheme", "code"]).apply(
        lambda part: "; ".join(f"{_label('indicator', i, lang)}: {format_number(s, lang)}"
                               for i, s in zip(part["indicator"], part["score"], strict=True)), include_groups=False)


def _shown_label(method: str, lang: str) -> str:
    """'the model' or the baseline's name, in words."""
    return _label("method", method, lang)


def _class_label(code, lang: str) -> str:
    return _label("class", code, lang) if isinstance(code, str) and code else ""


def _scores_behind(target: str) -> pd.DataFrame:
    """The per-indicator 0-3 scores behind the chosen target's rows: the latest scores, or those at the forecast origin."""
    if target in SCORE_TARGETS:
        return model_outputs.latest_scores(SCORE_TARGETS[target])
    if target == TENSION_TARGET:
        ahead = model_outputs.tension_outlook()
        origin = ahead["origin_period"].iloc[0] if len(ahead) else ""
        return model_outputs.scores_at(PREDICTION_FAMILY, origin)
    return model_outputs.latest_scores("occupation")


@database.per_version
def _latest(target: str, lang: str) -> pd.DataFrame:
    if not model_outputs.available():
        return pd.DataFrame(columns=LATEST_COLUMNS)
    scores = _scores_behind(target)
    if target in SCORE_TARGETS:
        rows = _score_heads(scores, lang)
        top = _top_scored(scores, lang)
        rows["top_indicators"] = [top.get((s, c), "") for s, c in zip(rows["scheme"], rows["code"], strict=True)]
    elif target == TENSION_TARGET:
        ahead = model_outputs.tension_outlook()
        choice = model_outputs.shown()
        method = choice.set_index(["target", "horizon"])["shown"].get((TENSION_TARGET, 1), "markov")
        column = "prob_tight" if method == MODEL_NAME else "markov_tight"
        rows = ahead.assign(probability=ahead[column], shown=method)[
            ["scheme", "code", "origin_period", "period", "probability", "shown", "current_class"]].merge(
            _score_heads(scores, lang), on=["scheme", "code"], how="left")
    else:
        predicted = model_outputs.latest_predictions()
        predicted = predicted[predicted["target"] == target]
        rows = predicted[["scheme", "code", "origin_period", "period", "probability", "current_class",
                          "top_indicators"]].assign(shown="logistic_calibrated")
    if "shown" in rows:
        # A row without a probability has no method behind it: the table says nothing rather than 'the model'.
        rows["shown"] = rows["shown"].where(rows["probability"].notna(), "")
        rows["shown_label"] = rows["shown"].map(lambda m: _shown_label(m, lang) if m else "")
    if "current_class" in rows:
        rows["current_class_label"] = rows["current_class"].map(lambda c: _class_label(c, lang))
    rows["target"] = target
    rows["entity"] = [_entity_label(s, c, lang) for s, c in zip(rows["scheme"], rows["code"], strict=True)]
    if target in SCORE_TARGETS:
        rows = rows.sort_values(["class_rank", "mean_score"], ascending=[True, False], kind="stable")
    else:
        rows = rows.sort_values("probability", ascending=False, kind="stable")
    return rows.reindex(columns=LATEST_COLUMNS).reset_index(drop=True)


def latest(s: params.PageState) -> pd.DataFrame:
    """The latest probabilities (or scores) of the chosen target, one row per sector or occupation, as the table shows
    them; the columns the table leaves out (probability and method for a score target) are left out here too."""
    rows = _latest(s.get("target"), s.lang)
    return rows[[c for c in LATEST_COLUMNS if c in _latest_shown(s.get("target"))]]


def _latest_shown(target: str) -> list[str]:
    """The latest view's columns for a target: keys, then what the table shows (codes beside their labels)."""
    keys = ["target", "scheme", "code", "entity"]
    if target in SCORE_TARGETS:
        return keys + ["score_period", "score_class", "score_class_label", "mean_score", "n_scored", "top_indicators"]
    return keys + ["origin_period", "period", "probability", "shown", "shown_label", "current_class",
                   "current_class_label", "score_class", "score_class_label", "mean_score", "n_scored"]


def entity_key(scheme: str, code: str) -> str:
    """The URL value naming one row of the latest table."""
    return f"{scheme}:{code}" if code else NATIONAL_ENTITY


@database.per_version
def _entity_keys() -> frozenset[str]:
    """Every entity any target's latest table lists (the URL parameter is checked against these)."""
    keys = set()
    for target in target_choices():
        rows = _latest(target, "en")
        keys.update(entity_key(s, c) for s, c in zip(rows["scheme"], rows["code"], strict=True))
    return frozenset(keys)


def chosen_entity(s: params.PageState) -> tuple[str, str] | None:
    """The (scheme, code) whose indicator values are shown: the chosen one when the target lists it, else the first row."""
    rows = _latest(s.get("target"), s.lang)
    if rows.empty:
        return None
    keys = [entity_key(sc, c) for sc, c in zip(rows["scheme"], rows["code"], strict=True)]
    at = keys.index(s.get("entity")) if s.get("entity") in keys else 0
    return rows["scheme"].iloc[at], rows["code"].iloc[at]


def indicators(s: params.PageState) -> pd.DataFrame:
    """The indicator values and 0-3 scores behind the chosen entity's class, one row per indicator."""
    chosen = chosen_entity(s)
    if chosen is None or not model_outputs.available():
        return pd.DataFrame(columns=INDICATOR_COLUMNS)
    scores = _scores_behind(s.get("target"))
    rows = scores[(scores["scheme"] == chosen[0]) & (scores["code"] == chosen[1])]
    rows = rows.rename(columns={"period": "score_period"}).assign(
        target=s.get("target"), entity=_entity_label(chosen[0], chosen[1], s.lang),
        indicator_label=rows["indicator"].map(lambda i: _label("indicator", i, s.lang)))
    return rows.reindex(columns=INDICATOR_COLUMNS).reset_index(drop=True)


@database.per_version
def _observed(code: str) -> pd.DataFrame:
    """Quarterly open and filled vacancies of one NACE code, all company sizes (breakdown '')."""
    rows = database.current().observations({
        "dataset_id": VACANCY_DATASET, "country": "NL", "region": "", "occupation_scheme": "", "sector_scheme": "nace2",
        "sector_code": code, "breakdown": "", "indicator": ["vacancies_open", "vacancies_filled"]})
    return rows[rows["period"].map(figures.frequency) == "quarter"]


def _observed_series(code: str, lang: str) -> pd.DataFrame:
    """The last OBSERVED_QUARTERS quarters of open vacancies and of the open/filled ratio, as the model derives it."""
    rows = _observed(code)
    if rows.empty:
        return pd.DataFrame(columns=FORECAST_COLUMNS)
    wide = rows.pivot_table(index="period", columns="indicator", values="value", aggfunc="first")
    status = rows.pivot_table(index="period", columns="indicator", values="status", aggfunc="first")
    periods = sorted(wide.index, key=sort_key)[-OBSERVED_QUARTERS:]
    wide, status = wide.loc[periods], status.loc[periods]
    min_filled = settings.load()["tension"]["min_filled_for_ratio"]
    ratio = features.open_filled_ratio(wide.reindex(columns=["vacancies_open", "vacancies_filled"]), min_filled)
    both = status.reindex(columns=["vacancies_open", "vacancies_filled"]).fillna("")
    ratio_status = [o if o == f or not f else "provisional" for o, f in zip(both["vacancies_open"],
                                                                             both["vacancies_filled"], strict=True)]
    observed = pd.concat([
        pd.DataFrame({"indicator": "vacancies_open", "period": periods, "value": wide["vacancies_open"].to_numpy(),
                      "unit": "vacancies", "status": both["vacancies_open"].to_numpy()}),
        pd.DataFrame({"indicator": "open_filled_ratio", "period": periods, "value": ratio.to_numpy(), "unit": "ratio",
                      "status": ratio_status}),
    ], ignore_index=True)
    observed = observed[observed["value"].notna()]
    return observed.assign(series=text("outlook.observed", lang), origin_period="", horizon=None, persistence=None,
                           seasonal_naive=None, dataset_id=VACANCY_DATASET, model="")


@database.per_version
def _forecast(code: str, lang: str) -> pd.DataFrame:
    if not model_outputs.available():
        return pd.DataFrame(columns=FORECAST_COLUMNS)
    stored = model_outputs.sector_forecasts(code)
    observed = _observed_series(code, lang)
    if stored.empty:
        rows = observed
    else:
        seen = observed.set_index(["indicator", "period"])["value"]
        parts = [observed]
        for kind, part in stored.groupby("kind"):
            origin = part["origin_period"].iloc[0]
            parts.append(part.assign(
                value=part["shown_value"], low_80=part["shown_low"], high_80=part["shown_high"],
                unit=part["indicator"].map(UNITS), status=kind,
                series=text(f"outlook.series_{kind}", lang, origin=origin),
                shown_label=part["shown"].map(lambda m: _shown_label(m, lang)),
                observed=[seen.get((i, p)) for i, p in zip(part["indicator"], part["period"], strict=True)],
                dataset_id=""))
        rows = pd.concat(parts, ignore_index=True)
    rows = rows.assign(indicator_label=rows["indicator"].map(lambda i: _label("indicator", i, lang)),
                       sector_scheme="nace2", sector_code=code, sector_label=_entity_label("nace2", code, lang))
    return rows.reindex(columns=FORECAST_COLUMNS).reset_index(drop=True)


def forecast(s: params.PageState) -> pd.DataFrame:
    """Observed quarters, the latest backtest against what was observed, and the forecast for the chosen NACE code."""
    return _forecast(s.get("sector"), s.lang)


def _number_or_dash(value, lang: str, decimals: int) -> str:
    return "–" if value is None or value != value else format_number(value, lang, decimals)


def _reading(choice, lang: str) -> str:
    """One sentence per target at horizon 1: does the model beat the best simple method, with the paired interval."""
    decimals = 3
    values = {"target": _label("target", choice.target, lang), "metric": _label("metric", choice.metric, lang),
              "baseline": _label("baseline", choice.best_baseline, lang),
              "value": _number_or_dash(choice.model_value, lang, decimals),
              "baseline_value": _number_or_dash(choice.baseline_value, lang, decimals),
              "low": _number_or_dash(choice.skill_ci_low, lang, decimals),
              "high": _number_or_dash(choice.skill_ci_high, lang, decimals)}
    key = "outlook.reading_model" if choice.shown == MODEL_NAME else "outlook.reading_baseline"
    return text(key, lang, **values)


@database.per_version
def _scorecard(lang: str) -> pd.DataFrame:
    card = model_outputs.scorecard()
    if card.empty:
        return pd.DataFrame(columns=SCORECARD_COLUMNS)
    card = card[card["value"].notna()]
    card = card.assign(target_label=card["target"].map(lambda t: _label("target", t, lang)),
                       metric_label=card["metric"].map(lambda m: _label("metric", m, lang)),
                       baseline_label=card["baseline"].map(lambda b: _label("baseline", b, lang)))
    return card.reindex(columns=SCORECARD_COLUMNS).reset_index(drop=True)


def scorecard(s: params.PageState) -> pd.DataFrame:
    """Every evaluated scorecard row: model and baseline on the same quarters, with the interval of the difference."""
    return _scorecard(s.lang)


def reliability(s: params.PageState) -> pd.DataFrame:
    """How often 'tight next quarter' came true per band of forecast probability, for the model and Markov persistence."""
    rows = model_outputs.reliability()
    if rows.empty:
        return pd.DataFrame(columns=RELIABILITY_COLUMNS)
    rows = rows.assign(model_label=rows["model"].map(lambda m: _shown_label(m, s.lang)))
    return rows.reindex(columns=RELIABILITY_COLUMNS).reset_index(drop=True)


def unevaluated(s: params.PageState) -> pd.DataFrame:
    """Targets the model does not evaluate, with the reason it stored."""
    found = model_outputs.targets()
    if found.empty:
        return pd.DataFrame(columns=UNEVALUATED_COLUMNS)
    found = found[found["evaluable"] == 0]
    found = found.assign(target_label=found["target"].map(lambda t: _label("target", t, s.lang)))
    return found.reindex(columns=UNEVALUATED_COLUMNS).reset_index(drop=True)


VIEWS = {"latest": latest, "indicators": indicators, "forecast": forecast, "scorecard": scorecard,
         "reliability": reliability, "unevaluated": unevaluated}


# -- rendering ---------------------------------------------------------------------------------------------------

# A number column's format: decimals, or BY_UNIT for the decimals its row's unit deserves (dashboard.i18n.format_value).
BY_UNIT = "unit"


def _column(column: str, lang: str, name: str | None = None, decimals: int | str | None = None) -> dict:
    return {"id": column, "name": name or text(f"outlook.column.{column}", lang), "decimals": decimals}


# Columns of running text: they wrap within a minimum width; every other cell keeps to one line.
TEXT_COLUMNS = {"entity", "top_indicators", "target_label", "metric_label", "baseline_label", "reason", "shown_label"}


def _formatted(row, column: dict, lang: str) -> str:
    value = getattr(row, column["id"])
    if column.get("decimals") is None:
        return "" if value is None or value != value else str(value)  # NaN is not equal to itself
    if column["decimals"] == BY_UNIT:
        return format_value(value, row.unit, lang)
    return format_number(value, lang, column["decimals"])


def _cell_class(column: dict) -> str:
    if column.get("decimals") is not None:
        return "number"
    return f"text {column['id'].replace('_', '-')}" if column["id"] in TEXT_COLUMNS else ""


def _table(view: str, rows: pd.DataFrame, columns: list[dict], lang: str, caption: str) -> html.Div:
    """A captioned HTML table, a header cell per column, numbers right-aligned and formatted per language; its rows
    are the view's rows (the download holds every column). It may be wider than the page, so its scroll box is a named
    region that the keyboard can reach and scroll."""
    caption_id = f"{NAME}-{view}-caption"
    # A class only where a cell needs one: a wide table's layout is sent as JSON, and 'className=""' on every cell adds up.
    classes = [{"className": _cell_class(c)} if _cell_class(c) else {} for c in columns]
    body = [html.Tr([html.Td(_formatted(row, c, lang), **k) for c, k in zip(columns, classes, strict=True)])
            for row in rows.itertuples(index=False)]
    table = html.Table([
        html.Caption(caption, id=caption_id),
        html.Thead(html.Tr([html.Th(c["name"], scope="col", **k) for c, k in zip(columns, classes, strict=True)])),
        html.Tbody(body),
    ], className="outlook-table")
    return html.Div(table, id=f"{NAME}-{view}-table", className="table-scroll", tabIndex="0", role="region",
                    **{"aria-labelledby": caption_id})


def _section(view: str, title: str, children: list, s: params.PageState, rows: pd.DataFrame | None = None) -> html.Section:
    heading_id = f"{NAME}-{view}-heading"
    body = [html.H2(title, id=heading_id), *children]
    if rows is not None and "dataset_id" in rows and rows["dataset_id"].fillna("").ne("").any():
        body.append(source_line(rows[rows["dataset_id"].fillna("") != ""], s.lang))
    body.append(downloads(view_links(NAME, view, s, s.lang), s.lang, NAME, view))
    return html.Section(body, className="panel", id=f"{NAME}-{view}", **{"aria-labelledby": heading_id})


def _control(name: str, lang: str, options: dict[str, str], value: str) -> html.Div:
    """A labelled dropdown whose choice goes into the URL parameter `name` (see the callbacks below)."""
    return html.Div([
        html.Label(text(f"outlook.choose_{name}", lang), htmlFor=f"{NAME}-{name}"),
        dcc.Dropdown(id=f"{NAME}-{name}", options=[{"label": label, "value": key} for key, label in options.items()],
                     value=value, clearable=False, searchable=len(options) > 10),
    ], className="control")


def _latest_panel(s: params.PageState) -> html.Section:
    """A narrow table: the probability or the class with the top indicators; the values behind them are the next view."""
    lang = s.lang
    rows = latest(s)
    target = s.get("target")
    columns = [_column("entity", lang)]
    if target not in SCORE_TARGETS:
        columns += [_column("period", lang), _column("probability", lang, decimals=2), _column("shown_label", lang),
                    _column("current_class_label", lang, text("outlook.column.current_class", lang))]
    columns += [_column("score_class_label", lang, text("outlook.column.score_class", lang)),
                _column("mean_score", lang, decimals=2), _column("n_scored", lang, decimals=0)]
    if target in SCORE_TARGETS:
        columns.append(_column("top_indicators", lang))
    control = _control("target", lang, {t: _label("target", t, lang) for t in target_choices()}, target)
    children = [control]
    if rows.empty:
        children.append(html.P(text("outlook.no_rows", lang), className="empty"))
    else:
        caption = f"{text('outlook.latest', lang)} — {_label('target', target, lang)}"
        if "origin_period" in rows and rows["origin_period"].fillna("").ne("").any():
            caption += f" ({text('outlook.from_origin', lang, origin=rows['origin_period'].dropna().iloc[0])})"
        children.append(_table("latest", rows, columns, lang, caption))
    note = "outlook.latest_score_note" if target in SCORE_TARGETS else "outlook.latest_probability_note"
    children.append(html.P(text(note, lang), className="note"))
    return _section("latest", text("outlook.latest", lang), children, s)


def _indicators_panel(s: params.PageState) -> html.Section:
    """The indicator values and scores behind one entity of the latest table, chosen in a dropdown."""
    lang = s.lang
    chosen = chosen_entity(s)
    rows = indicators(s)
    if chosen is None:
        return _section("indicators", text("outlook.indicators", lang),
                        [html.P(text("outlook.no_rows", lang), className="empty")], s)
    listed = _latest(s.get("target"), lang)
    options = {entity_key(sc, c): e for sc, c, e in zip(listed["scheme"], listed["code"], listed["entity"], strict=True)}
    entity = _entity_label(chosen[0], chosen[1], lang)
    columns = [_column("indicator_label", lang), _column("value", lang, text("table.value", lang), INDICATOR_DECIMALS),
               _column("value_period", lang), _column("score", lang, decimals=0)]
    children = [_control("entity", lang, options, entity_key(*chosen))]
    if rows.empty:
        children.append(html.P(text("outlook.no_rows", lang), className="empty"))
    else:
        children.append(_table("indicators", rows, columns, lang, f"{text('outlook.indicators', lang)} — {entity}"))
    children.append(html.P(text("outlook.indicators_note", lang), className="note"))
    return _section("indicators", text("outlook.indicators", lang), children, s)


def _band(figure: go.Figure, part: pd.DataFrame, colour: str, name: str, lang: str, decimals: int) -> None:
    """The 80% interval as a filled band and the shown forecast as a dashed line with markers."""
    part = part.sort_values("horizon")
    dates = [figures.period_date(p) for p in part["period"]]
    figure.add_trace(go.Scatter(x=dates + dates[::-1], y=list(part["high_80"]) + list(part["low_80"])[::-1],
                                fill="toself", fillcolor=colour, opacity=0.25, line=dict(width=0), hoverinfo="skip",
                                mode="lines",
                                name=f"{name}: {text('outlook.band', lang)}"))
    figure.add_trace(go.Scatter(
        x=dates, y=list(part["value"]), mode="lines+markers", name=name, line=dict(color=colour, width=2, dash="dash"),
        marker=dict(color=colour, size=8, symbol="triangle-up-open", line=dict(width=2)),
        customdata=[[p, format_number(v, lang, decimals), format_number(lo, lang, decimals),
                     format_number(hi, lang, decimals), m]
                    for p, v, lo, hi, m in zip(part["period"], part["value"], part["low_80"], part["high_80"],
                                               part["shown_label"], strict=True)],
        hovertemplate="%{customdata[0]}: %{customdata[1]} (%{customdata[2]}–%{customdata[3]}), %{customdata[4]}"
                      "<extra></extra>"))


def _forecast_figure(rows: pd.DataFrame, indicator: str, lang: str) -> go.Figure:
    part = rows[rows["indicator"] == indicator]
    observed = part[~part["status"].isin(["forecast", "backtest"])]
    unit = UNITS[indicator]
    decimals = 2 if unit == "ratio" else 0
    figure = figures.series_figure(observed, "series", lang, _label("indicator", indicator, lang)) if len(observed) \
        else go.Figure(layout=figures.base_layout(lang, _label("indicator", indicator, lang), unit=unit))
    for kind, colour in (("backtest", figures.COLOURS[2]), ("forecast", figures.COLOURS[1])):
        drawn = part[part["status"] == kind]
        if len(drawn):
            _band(figure, drawn, colour, drawn["series"].iloc[0], lang, decimals)
    # Bands go beneath every line, so the observed quarters stay visible through a backtest band; the legend keeps
    # the order in which the series were added.
    for rank, trace in enumerate(figure.data):
        trace.legendrank = rank + 1
    figure.data = sorted(figure.data, key=lambda trace: trace.fill != "toself")
    # Wider left margin than the house layout: five-digit vacancy counts otherwise run into the axis title.
    figure.update_layout(xaxis=figures.year_axis(part["period"]), margin=dict(l=80, r=20, t=20, b=40))
    return figure


def _forecast_panel(s: params.PageState) -> html.Section:
    lang = s.lang
    rows = forecast(s)
    code = s.get("sector")
    control = _control("sector", lang, {c: _entity_label("nace2", c, lang) for c in sector_choices()}, code)
    children = [control]
    if rows.empty:
        children.append(html.P(text("outlook.no_rows", lang), className="empty"))
        return _section("forecast", text("outlook.forecast", lang), children, s)
    ahead = rows[rows["status"] == "forecast"]
    origin = ahead["origin_period"].iloc[0] if len(ahead) else ""
    for indicator in FORECAST_INDICATORS:
        if (rows["indicator"] == indicator).any():
            children.append(html.H3(_label("indicator", indicator, lang)))
            children.append(dcc.Graph(figure=_forecast_figure(rows, indicator, lang), id=f"{NAME}-forecast-"
                                      f"{FORECAST_INDICATORS[indicator]}-graph", config=GRAPH_CONFIG,
                                      className="graph"))
            if not ((ahead["indicator"] == indicator).any()):
                children.append(html.P(text("outlook.no_forecast", lang), className="note"))
    drawn = rows[rows["status"].isin(["forecast", "backtest"])]
    shown = drawn.assign(status=drawn["status"].map(lambda st: text(f"outlook.kind_{st}", lang)))
    columns = [_column("indicator_label", lang), _column("period", lang, text("table.period", lang)),
               _column("horizon", lang, decimals=0), _column("value", lang, text("table.value", lang), BY_UNIT),
               _column("low_80", lang, decimals=BY_UNIT), _column("high_80", lang, decimals=BY_UNIT),
               _column("observed", lang, decimals=BY_UNIT), _column("shown_label", lang),
               {"id": "status", "name": text("table.status", lang)}]
    children.append(html.Details([html.Summary(text("panel.show_table", lang)),
                                  _table("forecast", shown, columns, lang, f"{text('outlook.forecast', lang)} — "
                                                                           f"{_entity_label('nace2', code, lang)}")],
                                 className="table-alt"))
    children.append(html.P(text("outlook.forecast_note", lang, quarters=OBSERVED_QUARTERS, origin=origin,
                                min_filled=format_number(settings.load()["tension"]["min_filled_for_ratio"], lang)),
                           className="note"))
    return _section("forecast", f"{text('outlook.forecast', lang)}: {_entity_label('nace2', code, lang)}", children,
                    s, rows)


def _scorecard_panel(s: params.PageState) -> html.Section:
    lang = s.lang
    rows = scorecard(s)
    if rows.empty:
        return _section("scorecard", text("outlook.scorecard", lang),
                        [html.P(text("outlook.no_rows", lang), className="empty")], s)
    choices = model_outputs.shown()
    readings = [_reading(c, lang) for c in choices[choices["horizon"] == 1].itertuples(index=False)]
    horizons = choices.assign(label=[f"{_label('target', c.target, lang)}, h={c.horizon}: {_shown_label(c.shown, lang)}"
                                     for c in choices.itertuples(index=False)])
    headline = rows[(rows["horizon"] == 1) & (rows["metric"] != "mae")]
    columns = [_column("target_label", lang, text("outlook.column.target", lang)),
               _column("metric_label", lang, text("outlook.column.metric", lang)),
               _column("baseline_label", lang, text("outlook.column.baseline", lang)),
               _column("value", lang, text("outlook.column.model_value", lang), 3),
               _column("baseline_value", lang, text("outlook.column.baseline_value", lang), 3),
               _column("diff_ci_low", lang, decimals=3), _column("diff_ci_high", lang, decimals=3),
               _column("n", lang, decimals=0)]
    reliable = reliability(s)
    reliability_columns = [_column("model_label", lang, text("outlook.column.model", lang)),
                           _column("bin_low", lang, decimals=1), _column("bin_high", lang, decimals=1),
                           _column("n", lang, decimals=0), _column("mean_probability", lang, decimals=2),
                           _column("observed_rate", lang, decimals=2)]
    children = [html.P(text("outlook.headline", lang)), html.Ul([html.Li(r) for r in readings], id=f"{NAME}-headline"),
                html.P(text("outlook.shown_intro", lang)),
                html.Ul([html.Li(label) for label in horizons["label"]], id=f"{NAME}-shown"),
                _table("scorecard", headline, columns, lang, text("outlook.scorecard_h1", lang)),
                html.P(text("outlook.scorecard_note", lang, periods=", ".join(sorted(set(rows["periods"])))),
                       className="note")]
    if len(reliable):
        children += [html.H3(text("outlook.reliability", lang)),
                     _table("reliability", reliable, reliability_columns, lang, text("outlook.reliability", lang)),
                     html.P(text("outlook.reliability_note", lang), className="note")]
    return _section("scorecard", text("outlook.scorecard", lang), children, s)


def _unevaluated_panel(s: params.PageState) -> html.Section:
    lang = s.lang
    rows = unevaluated(s)
    children = [html.P(text("outlook.occupation_note", lang)),
                html.P(text("outlook.literature_note", lang), className="note")]
    if rows.empty:
        children.insert(0, html.P(text("outlook.all_evaluated", lang)))
    else:
        # The stored reason is the developers' wording (with codes); the download holds it, the page says it in words.
        columns = [_column("target_label", lang, text("outlook.column.target", lang)), _column("labelled_periods", lang)]
        children[:0] = [_table("unevaluated", rows, columns, lang, text("outlook.unevaluated", lang)),
                        html.P(text("outlook.unevaluated_note", lang), className="note")]
    return _section("unevaluated", text("outlook.unevaluated", lang), children, s)


def render(s: params.PageState) -> html.Div:
    """The whole page for a validated state."""
    lang = s.lang
    header = [html.H1(text("outlook.heading", lang), id=f"{NAME}-title"), html.P(text("outlook.intro", lang))]
    if not model_outputs.available():
        return html.Div([*header, html.P(text("outlook.empty", lang), className="empty", id=f"{NAME}-empty")],
                        className="page outlook-page")
    version = model_outputs.settings().set_index("key")["value"].get("model_version", "")
    header.append(html.P(text("outlook.version", lang, version=version), className="updated"))
    panels = [_latest_panel(s), _indicators_panel(s), _forecast_panel(s), _scorecard_panel(s), _unevaluated_panel(s)]
    return html.Div([*header, *panels], className="page outlook-page")


def layout(**query) -> html.Div:
    """Dash Pages calls this with the URL's query parameters."""
    from dashboard import shell

    return shell.guarded(NAME, query, state, render)


# Put the chosen target, entity or sector in the URL; the router then renders the page for it. The target and the
# entity default to their dropdown's first option: the first target, and the latest table's first row, which the page
# shows when the URL names none (so a first visit does not rewrite its URL).
CHOOSE_TARGET = params.chosen_search_script(["target"], {}, with_options=("target",))
CHOOSE_ENTITY = params.chosen_search_script(["entity"], {}, with_options=("entity",))
CHOOSE_SECTOR = params.chosen_search_script(["sector"], {"sector": DEFAULT_SECTOR})
params.choice_in_url(CHOOSE_TARGET, Input(f"{NAME}-target", "value"), State(f"{NAME}-target", "options"))
params.choice_in_url(CHOOSE_ENTITY, Input(f"{NAME}-entity", "value"), State(f"{NAME}-entity", "options"))
params.choice_in_url(CHOOSE_SECTOR, Input(f"{NAME}-sector", "value"))


dash.register_page(__name__, path="/outlook", order=4, name=NAME, title_key="outlook.nav", layout=layout)
