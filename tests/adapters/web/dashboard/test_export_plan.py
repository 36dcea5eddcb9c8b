"""The workbook carries the plans, actions, owners, dates, statuses, evaluations and success texts; no pulse comment."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from openpyxl import load_workbook

from storage.pulse_repository import PulseRepository
from tests.adapters.web.conftest import Clock, Demo, answer_round
from tests.adapters.web.dashboard.page_helpers import dashboard, sign_in
from tests.adapters.web.dashboard.test_export import section, table
from tests.adapters.web.dashboard.test_page_evaluation import evaluate_kotihoito, officer
from tests.bot.flows.fake_chat import FakeChat

COMMENT = "Kukaan ei kuuntele meitä tässä tiimissä"
FIRST = "Työvuorot ennakoitaviksi"  # the first target's title (kehittämiskohde); its goal is a column of its own


async def workbook_rows(demo: Demo, clock: Clock, member_id: int) -> dict[str, list[list[object]]]:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, member_id)
        response = await client.get("/dashboard/export.xlsx")
        assert response.status == 200
        workbook = load_workbook(io.BytesIO(await response.read()))
    return {name: table(workbook, name) for name in workbook.sheetnames}


async def test_a_team_sheet_lists_every_action_with_its_owner_date_and_status_and_the_years_successes(
    demo: Demo, clock: Clock
) -> None:
    sheets = await workbook_rows(demo, clock, demo.supervisor("kotihoito").id)
    koti = sheets["Trendi Kotihoito"]
    actions = section(koti, "Kohde nro")
    assert actions[0] == [
        "Kohde nro",
        "Toimenpide",
        "Vastuuhenkilö",
        "Aikataulu",
        "Aikataulu sanoin",
        "Tilanne",
        "Myöhässä",
    ]
    assert [r[1] for r in actions[1:]] == [
        "Yhteinen toivetaulukko käyttöön",
        "Varahenkilöiden lista päivitetään",
        "Onnistumiset viikkopalaverin vakiokohdaksi",
        "Kahdenkeskiset keskustelut kaikkien kanssa",
    ]
    assert actions[1][0] == 1  # the first target's
    stuck = actions[4]
    assert stuck[2] == "Pirjo Mäkelä" and isinstance(stuck[3], datetime) and stuck[5] == "jumissa"
    assert actions[3][3] is None  # no date: an empty cell, not a made-up one

    successes = section(koti, "Päivä")
    assert successes[0] == ["Päivä", "Onnistuminen", "Liittyy"]
    assert [datetime(2026, 11, 11), "Marraskuun vuorolista valmistui kolme viikkoa etuajassa!", FIRST] in successes
    assert any(r[1] == "Asiakkaan omainen lähetti kiitoskortin koko tiimille." and r[2] is None for r in successes)
    assert sheets["Arvioinnit"][1] == ["Kotihoito", 2026, "Arviointi on kalenterissa 3.12.2026.", None]


async def test_after_the_evaluation_the_sheet_has_its_answers_and_next_years_draft(
    chat: FakeChat, demo: Demo, clock: Clock
) -> None:
    evaluate_kotihoito(chat, demo)
    sheets = await workbook_rows(demo, clock, demo.supervisor("kotihoito").id)
    koti = sheets["Trendi Kotihoito"]
    draft = section(koti, "Kohde nro")  # the plan is now next year's draft, with the item kept
    assert draft[1] == [1, "Varahenkilöiden lista päivitetään", "Elina Salo", None, None, "suunniteltu", None]
    state = section(koti, "Suunnitelmavuosi")
    assert state[1] == [2026, "Arvioitu 23.11.2026.", datetime(2026, 11, 23)]
    outcomes = next(rows for rows in _sections(koti, "Kehittämiskohde") if rows[0][1] == "Saavutettiinko")
    assert outcomes[1] == [f"1. {FIRST}", "Saavutettiin", "Yhteinen toivetaulukko", None]
    assert outcomes[2][1:] == ["Ei saavutettu", None, "Palautekierros"]
    assert section(koti, "Vahvuus")[1] == ["Autamme toisiamme kiireen keskellä.", "Pysyi"]
    carried = section(koti, "Siirretty")
    assert ["Varahenkilöiden lista päivitetään", "Kesken jäänyt toimenpide", "Mukana"] in carried
    assert ["Palautekierros", "Mitä seuraavaksi", "Päättämättä"] in carried
    evaluations = sheets["Arvioinnit"]
    assert evaluations[0] == ["Tiimi", "Suunnitelmavuosi", "Arviointi", "Arvioitu"]
    assert evaluations[1] == ["Kotihoito", 2026, "Arvioitu 23.11.2026.", datetime(2026, 11, 23)]


async def test_the_workbook_never_holds_a_pulse_comment_and_a_small_group_stays_hidden(
    demo: Demo, clock: Clock
) -> None:
    round_id = answer_round(demo.db, demo.org, clock.now - timedelta(days=1), {"kotihoito": [4] * 6})
    pulses = PulseRepository(demo.db)
    last = demo.staff("kotihoito")[-1]  # not among the six who answered above
    pulses.record_answers(round_id, last.id, demo.team("kotihoito").id, {"FE1": 2}, comment=COMMENT)
    pulses.settle(round_id)
    assert any(text == COMMENT for _, text in pulses.comments(round_id))  # it is there to leak
    sheets = await workbook_rows(demo, clock, officer(demo))
    cells = [str(v) for rows in sheets.values() for row in rows for v in row if v is not None]
    assert not any(COMMENT in cell for cell in cells)
    ruoka = section(sheets["Trendi Ruokapalvelu"], "Pulssikysely päättyi")
    figures = [v for row in ruoka[1:] for v in row[1:-1]]  # 4 or no answerers: under the threshold
    assert "piilotettu" in figures and set(figures) <= {"piilotettu", None}
    assert sheets["Arvioinnit"][1][0] in ("Kotihoito", "Ruokapalvelu")


def _sections(rows: list[list[object]], first_header: str) -> list[list[list[object]]]:
    """Every table of a sheet whose first header is `first_header`."""
    found = []
    for start, row in enumerate(rows):
        if row and row[0] == first_header:
            found.append(section(rows[start:], first_header))
    return found
