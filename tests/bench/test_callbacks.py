"""The bench's typical page calls still fit the page callbacks they time (a changed signature must not break `make bench`)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bench.callbacks import TYPICAL_CALLS

PAGES = Path(__file__).parents[2] / "dashboard" / "pages"


def _parameters(module_name: str, function: str) -> tuple[set[str] | None, set[str]]:
    """(keyword-callable parameters, or None when it takes **kwargs; those without a default), read from the page's
    source: importing a page registers it with Dash, which needs an app."""
    tree = ast.parse((PAGES / f"{module_name}.py").read_text("utf-8"))
    [node] = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == function]
    positional = node.args.posonlyargs + node.args.args
    named = [a.arg for a in positional + node.args.kwonlyargs]
    defaulted = {a.arg for a in positional[len(positional) - len(node.args.defaults):]}
    defaulted |= {a.arg for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True) if d is not None}
    return (None if node.args.kwarg else set(named)), set(named) - defaulted


@pytest.mark.parametrize(("module_name", "function", "kwargs"), TYPICAL_CALLS)
def test_each_typical_call_names_exactly_parameters_its_page_callback_takes(module_name, function, kwargs):
    named, required = _parameters(module_name, function)
    assert named is None or set(kwargs) <= named
    assert required <= set(kwargs)
