"""Shortage model: transparent scores, classifiers and forecasts trained on the data product."""
