"""How a blueprint lists its URLs: each area's `views/__init__.py` holds one table of every route it serves,
(rule, view, methods[, endpoint]), so the URLs of an area read top to bottom in one place and a route cannot
be attached by an import someone forgot. The endpoint is the view's name unless the row gives one."""

from __future__ import annotations

from flask import Blueprint

GET, POST, GET_POST, PUT = ("GET",), ("POST",), ("GET", "POST"), ("PUT",)


def add_routes(bp: Blueprint, *routes: tuple) -> None:
    for rule, view, methods, *endpoint in routes:
        bp.add_url_rule(rule, endpoint[0] if endpoint else None, view_func=view, methods=methods)
