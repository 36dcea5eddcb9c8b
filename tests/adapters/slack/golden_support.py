"""Golden files and Block Kit limit checks for the Slack render tests (no tests here)."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("TYHY_UPDATE_GOLDEN") == "1"


def check_golden(name: str, rendered: dict[str, Any]) -> None:
    """Compare with tests/slack/golden/<name>.json; with TYHY_UPDATE_GOLDEN=1 write it instead (then review it)."""
    path = GOLDEN / f"{name}.json"
    text = json.dumps(rendered, ensure_ascii=False, indent=2) + "\n"
    if UPDATE:
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path.name}: run with TYHY_UPDATE_GOLDEN=1, then review it"
    assert json.loads(path.read_text(encoding="utf-8")) == rendered, f"{path.name} differs from the rendering"


def elements(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every interactive element: buttons of actions blocks and the elements of input blocks."""
    found: list[dict[str, Any]] = []
    for block in blocks:
        found.extend(block.get("elements", []) if block["type"] == "actions" else [])
        if block["type"] == "input":
            found.append(block["element"])
    return found


def block_kit_problems(body: dict[str, Any], *, max_blocks: int = 50) -> list[str]:
    """What Slack would refuse in a message or view body: our own reading of the limits, then slack_sdk's."""
    blocks: list[dict[str, Any]] = body.get("blocks", [])
    problems: list[str] = []
    if "type" not in body and not str(body.get("text", "")).strip():
        problems.append("a message without top-level text")
    if len(blocks) > max_blocks:
        problems.append(f"{len(blocks)} blocks")
    action_ids = Counter(e["action_id"] for e in elements(blocks))
    problems += [f"action_id {a!r} used {n} times" for a, n in action_ids.items() if n > 1]
    block_ids = Counter(b["block_id"] for b in blocks if "block_id" in b)
    problems += [f"block_id {b!r} used {n} times" for b, n in block_ids.items() if n > 1]
    for block in blocks:
        problems += _block_problems(block)
        # slack_sdk's typed blocks validate their limits (and their elements') in to_dict(); a block that does not
        # come back the same has a field slack_sdk does not know or a value of the wrong shape.
        parsed = Block.parse(block)
        try:
            if parsed is None or parsed.to_dict() != block:
                problems.append(f"slack_sdk reads a {block['type']} block differently")
        except SlackObjectFormationError as error:
            problems.append(f"slack_sdk: {error}")
    return problems


def _block_problems(block: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    kind = block["type"]
    if kind == "header" and not 0 < len(block["text"]["text"]) <= 150:
        problems.append("header text length")
    if kind == "section":
        if "text" in block and not 0 < len(block["text"]["text"]) <= 3000:
            problems.append("section text length")
        fields = block.get("fields", [])
        if len(fields) > 10 or any(not 0 < len(f["text"]) <= 2000 for f in fields):
            problems.append("section fields")
    if kind == "actions" and not 0 < len(block["elements"]) <= 25:
        problems.append("actions elements")
    for element in block.get("elements", []) if kind == "actions" else []:
        if not 0 < len(element["text"]["text"]) <= 75:
            problems.append(f"button text {element['text']['text']!r}")
        if len(element.get("value", "")) > 2000 or len(element["action_id"]) > 255:
            problems.append("button value or action_id length")
    if kind == "input":
        for option in block["element"].get("options", []):
            if not 0 < len(option["text"]["text"]) <= 75 or not 0 < len(option["value"]) <= 150:
                problems.append(f"option {option['value']!r}")
    return problems
