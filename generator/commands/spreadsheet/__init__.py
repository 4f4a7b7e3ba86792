"""Spreadsheets in and out: `explainer import` and `explainer export`."""
