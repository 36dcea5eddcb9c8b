"""A figure hidden by complementary suppression says why in the export and the bar chart, not "too few answers"."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import timedelta

from openpyxl import Workbook, load_workbook

from bot.organisation import Role
from tests.adapters.web.conftest import Clock, Demo, answer_round
from tests.adapters.web.dashboard.page_helpers import dashboard, sign_in

REASON = {
    "en": "hidden so that a smaller group's answers cannot be worked out from the unit's total",
    "fi": "piilotettu, jotta pienemmän ryhmän vastauksia ei voisi päätellä yksikön kokonaistuloksesta",
}


def protect_kotihoito(demo: Demo, clock: Clock) -> None:
    # Kotihoito's six would leave ruokapalvelu's two by subtraction from perusturva's eight: kotihoito is hidden
    # although six answered, ruokapalvelu because two did.
    answer_round(demo.db, demo.org, clock.now - timedelta(hours=1), {"kotihoito": [4] * 6, "ruokapalvelu": [2] * 2})


def sheet_words(workbook: Workbook, team: str) -> list[str]:
    """Every cell of the team's sheet, as text."""
    sheet = next(workbook[name] for name in workbook.sheetnames if name.endswith(team))
    return [str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None]


async def test_the_exports_give_the_true_reason_beside_the_too_few_answers_word(demo: Demo, clock: Clock) -> None:
    protect_kotihoito(demo, clock)
    officer = next(m for m in demo.members if m.role is Role.WELLBEING_OFFICER)
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer.id)
        await client.get("/dashboard?lang=en")  # the exports speak the session's language
        data = await (await client.get("/dashboard/export.xlsx")).read()
        text = await (await client.get("/dashboard/export.csv")).text()
    rows = list(csv.reader(io.StringIO(text)))
    column = rows[0].index("Response rate (%)")
    by_team = {row[0]: row for row in rows[1:]}
    assert by_team["Kotihoito"][column] == REASON["en"]
    assert by_team["Ruokapalvelu"][column] == "hidden"  # too few answered: the plain word
    workbook = load_workbook(io.BytesIO(data))
    kotihoito, ruokapalvelu = (sheet_words(workbook, team) for team in ("Kotihoito", "Ruokapalvelu"))
    assert REASON["en"] in kotihoito
    assert REASON["en"] not in ruokapalvelu and "hidden" in ruokapalvelu


async def test_the_response_rate_bar_hidden_to_protect_a_smaller_group_says_so(demo: Demo, clock: Clock) -> None:
    protect_kotihoito(demo, clock)
    officer = next(m for m in demo.members if m.role is Role.WELLBEING_OFFICER)
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer.id)
        for language, reason in REASON.items():
            page = await (await client.get(f"/dashboard/team/kotihoito?lang={language}")).text()
            titles = [html.unescape(t) for t in re.findall(r'class="hidden-value"[^>]*><title>([^<]*)</title>', page)]
            assert titles and titles[-1].endswith(f": {reason}"), titles  # the newest round, hidden to protect
        small = await (await client.get("/dashboard/team/ruokapalvelu?lang=en")).text()
        titles = re.findall(r'class="hidden-value"[^>]*><title>([^<]*)</title>', small)
        assert titles[-1].endswith(": hidden, too few answers")
