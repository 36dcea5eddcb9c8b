"""The dependency rules: bot/ stays platform-neutral, packages depend one way, and no module imports in a circle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.import_graph import cycles, import_graph

pytestmark = pytest.mark.lint  # the code's shape, not its behaviour: counted apart in the summary

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN_IN_BOT = ("slack_bolt", "slack_sdk", "botbuilder", "sqlalchemy", "apscheduler", "aiohttp")


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth in the file (lazy imports inside functions count too)."""
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def offending(path: Path) -> list[str]:
    found = []
    for module in imported_modules(path):
        top = module.split(".")[0]
        if top in FORBIDDEN_IN_BOT:
            found.append(module)
        if top == "dateparser" and not path.name.startswith("dates"):
            found.append(module)
    return sorted(found)


@pytest.mark.parametrize("path", sorted(ROOT.joinpath("bot").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_bot_imports_no_platform_sdk(path: Path) -> None:
    assert offending(path) == []


def test_the_check_catches_a_forbidden_import(tmp_path: Path) -> None:
    sneaky = tmp_path / "flows.py"
    sneaky.write_text("def f():\n    from slack_sdk import WebClient\n    import dateparser\n")
    assert offending(sneaky) == ["dateparser", "slack_sdk"]
    allowed = tmp_path / "dates.py"
    allowed.write_text("import dateparser\nfrom bot.errors import DomainError\n")
    assert offending(allowed) == []


def test_botbuilder_stays_inside_adapters_teams() -> None:
    outside = [
        path.relative_to(ROOT)
        for folder in ("bot", "storage", "scheduler", "adapters")
        for path in ROOT.joinpath(folder).rglob("*.py")
        if "teams" not in path.relative_to(ROOT).parts
        and any(m.split(".")[0] == "botbuilder" for m in imported_modules(path))
    ]
    assert outside == []


# --- Between our own modules ------------------------------------------------------------------------------------

# The chat platforms: each stands alone, so a new one goes beside them without touching the others.
PLATFORMS = ("adapters.slack", "adapters.teams", "adapters.console", "adapters.web.chat")


def package_of(module: str, packages: tuple[str, ...]) -> str | None:
    return next((p for p in packages if module == p or module.startswith(p + ".")), None)


def dependency_breaches(graph: dict[str, set[str]]) -> list[str]:
    """Every import that runs against the packages' direction, as "importer -> imported"."""
    breaches = []
    for module, imported in graph.items():
        top = module.split(".")[0]
        platform = package_of(module, PLATFORMS)
        for target in sorted(imported):
            target_top = target.split(".")[0]
            target_platform = package_of(target, PLATFORMS)
            if (
                (top == "bot" and target_top != "bot")
                or (top in ("storage", "scheduler") and target_top == "adapters")
                or (platform and target_platform and platform != target_platform)
            ):
                breaches.append(f"{module} -> {target}")
    return sorted(breaches)


def test_no_module_imports_in_a_circle() -> None:
    found = [" -> ".join(cycle) for cycle in cycles(import_graph(ROOT))]
    assert found == [], "import cycles: " + "; ".join(found)


def test_packages_depend_one_way() -> None:
    assert dependency_breaches(import_graph(ROOT)) == []


def test_the_cycle_check_names_a_circle_through_lazy_and_relative_imports(tmp_path: Path) -> None:
    package = tmp_path / "storage"
    package.mkdir()
    (package / "__init__.py").write_text('"""A package."""\n')
    (package / "first.py").write_text("from storage import second\n")
    (package / "second.py").write_text("def later():\n    from .third import thing\n")
    (package / "third.py").write_text("import storage.first\nimport os\n")
    (package / "alone.py").write_text("from storage.first import x\n")
    graph = import_graph(tmp_path, ["storage"])
    assert cycles(graph) == [["storage.first", "storage.second", "storage.third", "storage.first"]]


def test_the_direction_check_catches_each_rule() -> None:
    graph = {
        "bot.plan": {"bot.dates", "storage.models"},
        "storage.models": {"bot.plan"},
        "scheduler.outbox": {"storage.models", "adapters.server.metrics"},
        "adapters.slack.app": {"adapters.common.interactions", "adapters.slack.port", "adapters.teams.render"},
        "adapters.web.chat.routes": {"adapters.web.page_layout", "adapters.web.dashboard.routes"},
        "adapters.server.app": {"adapters.slack.app", "adapters.teams.app", "adapters.web.chat.routes"},
    }
    assert dependency_breaches(graph) == [
        "adapters.slack.app -> adapters.teams.render",
        "bot.plan -> storage.models",
        "scheduler.outbox -> adapters.server.metrics",
    ]


def test_adapters_keeps_its_modules_in_packages_by_kind() -> None:
    """A newcomer sees the command line, the server, each platform and the web as packages: at most three loose."""
    loose = sorted(p.name for p in ROOT.joinpath("adapters").glob("*.py") if p.name != "__init__.py")
    assert len(loose) <= 3, loose
    packages = [p for p in ROOT.joinpath("adapters").iterdir() if p.is_dir() and not p.name.startswith("__")]
    for package in packages:
        init = package / "__init__.py"
        assert init.exists() and ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), package.name
