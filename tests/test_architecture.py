"""The dependency rule: bot/ stays platform-neutral; dateparser lives only in bot/dates*.py."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

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
