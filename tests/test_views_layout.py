"""Routes are found by name: every route of an area is a function in its `views/` package, listed in the
table of `views/__init__.py`, and no guarded view there is left out of that table."""

import importlib
import inspect
import pkgutil

import drill


def views_modules():
    for area in pkgutil.iter_modules(drill.__path__):
        try:
            package = importlib.import_module(f"drill.{area.name}.views")
        except ModuleNotFoundError:
            continue
        for module in pkgutil.iter_modules(package.__path__):
            yield importlib.import_module(f"{package.__name__}.{module.name}")


def test_every_route_is_served_from_its_areas_views_package(app):
    outside = {
        endpoint: view.__module__
        for endpoint, view in app.view_functions.items()
        if endpoint not in ("static", "bootstrap.static")
        and not view.__module__.startswith(
            f"drill.{app.blueprints[endpoint.split('.')[0]].import_name.split('.')[1]}.views."
        )
    }
    assert outside == {}


def test_no_guarded_view_is_left_out_of_its_blueprints_table(app):
    routed = set(app.view_functions.values())
    unrouted = [
        f"{module.__name__}.{name}"
        for module in views_modules()
        for name, function in vars(module).items()
        if inspect.isfunction(function)
        and function.__module__ == module.__name__
        and hasattr(function, "__wrapped__")  # role_required / login_required: a page, not a helper
        and function not in routed
    ]
    assert unrouted == []
