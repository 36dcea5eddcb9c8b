"""The dashboard pages over real HTTP: who may see what, sorting, anonymity, languages, exports and plain HTML."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from openpyxl import load_workbook
from sqlalchemy import text

from adapters.web.dashboard.routes import add_dashboard_routes
from bot.i18n import translate
from bot.messages import Address, OutboundMessage
from bot.organisation import Platform, Role
from tests.adapters.web.conftest import START, Clock, Demo, answer_round
from tests.adapters.web.dashboard.page_helpers import dashboard, sign_in, table_rows, visible_text
from tests.adapters.web.dashboard.test_dashboard_data import give_up

PRIVATE_PATHS = [
    "/dashboard",
    "/dashboard/team/kotihoito",
    "/dashboard/export.xlsx",
    "/dashboard/export.csv",
]
TEAMS = {"Perusturva", "Kotihoito", "Ruokapalvelu"}


def officer_id(demo: Demo) -> int:
    return next(m.id for m in demo.members if m.role is Role.WELLBEING_OFFICER)


def team_names(page: str) -> list[str]:
    return [re.sub(r"^(\S+).*$", r"\1", row) for row in table_rows(page)]


@pytest.mark.parametrize("path", PRIVATE_PATHS)
async def test_without_a_session_pages_and_exports_send_you_to_sign_in(demo: Demo, clock: Clock, path: str) -> None:
    async with dashboard(demo, clock) as client:
        response = await client.get(path, allow_redirects=False)
        assert response.status == 303
        assert response.headers["Location"] == "/signin"
        followed = await client.get(path)
        assert followed.status == 401
        page = visible_text(await followed.text())
        assert "tyhy admin link" in page
        assert "Kotihoito" not in page


async def test_the_way_to_sign_in_keeps_the_language_the_address_asked_for(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        response = await client.get("/dashboard?lang=sv", allow_redirects=False)
        assert response.headers["Location"] == "/signin?lang=sv"
        followed = await client.get("/dashboard?lang=sv")
        assert '<html lang="sv">' in await followed.text()
        unknown = await client.get("/dashboard?lang=xx", allow_redirects=False)
        assert unknown.headers["Location"] == "/signin"


@pytest.mark.parametrize("path", PRIVATE_PATHS)
async def test_a_made_up_session_cookie_is_refused(demo: Demo, clock: Clock, path: str) -> None:
    async with dashboard(demo, clock) as client:
        client.session.cookie_jar.update_cookies({"tyhy_session": "guessed"})
        assert (await client.get(path, allow_redirects=False)).status == 303


async def test_someone_made_staff_after_signing_in_is_sent_to_sign_in(demo: Demo, clock: Clock) -> None:
    pirjo = demo.supervisor("kotihoito")
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, pirjo.id)
        with demo.db.engine.begin() as connection:
            connection.execute(text("UPDATE members SET role = 'staff' WHERE id = :id"), {"id": pirjo.id})
        assert (await client.get("/dashboard", allow_redirects=False)).status == 303


async def test_the_wellbeing_officer_sees_every_team_riskiest_first(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        page = await (await client.get("/dashboard")).text()
        assert set(team_names(page)) == TEAMS
        scores = [
            int(score) for score in re.findall(r'</th><td role="cell" data-label="[^"]*" class="num">(\d+)</td>', page)
        ]
        assert len(scores) == len(TEAMS)
        assert scores == sorted(scores, reverse=True)
        assert 'aria-sort="descending"' in page
        for key in ("perusturva", "kotihoito", "ruokapalvelu"):
            assert (await client.get(f"/dashboard/team/{key}")).status == 200


@pytest.mark.parametrize(
    ("language", "heading", "line"),
    [
        ("sv", "Team med högst risk först", "+2 Årets utvärdering obesvarad efter sista dagen"),
        ("fi", "Tiimit, suurin riski ensin", "+1 Jokainen kehittämiskohde ilman toimenpiteitä"),
        ("en", "Teams, highest risk first", "+1 Each of the latest pulse rounds in a row with its results hidden"),
    ],
)
async def test_the_score_is_explained_beside_the_table(
    demo: Demo, clock: Clock, language: str, heading: str, line: str
) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        words = visible_text(await (await client.get(f"/dashboard?lang={language}")).text())
        table_then_legend = words.split(heading, 1)[1]
        legend = table_then_legend.split(translate(language, "dashboard.risk.legend.heading"), 1)[1]
        assert line in legend
        assert "+4 " + translate(language, "dashboard.risk.legend.overdue", more=3) in legend
        assert legend.count("+") == 11  # every part of the rule, each with its points


async def test_each_row_shows_its_reasons_and_one_rounds_figures_with_the_date(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        rows = table_rows(await (await client.get("/dashboard?lang=en")).text())
        assert rows[0].startswith("Ruokapalvelu Perusturva 9 Follow-up overdue (days past the limit: 34) ")
        assert "Latest pulse rounds with results hidden: 3" in rows[0]
        koti = next(r for r in rows if r.startswith("Kotihoito"))
        assert "Days to the limit: 28" in koti and "2 done 1 in progress 1 stuck" in koti
        assert (
            "Closed 2 Nov 2026 Response rate 71% Physical and emotional safety 67% ! (below the risk limit 80%)" in koti
        )


async def test_a_supervisor_sees_only_their_own_team(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, demo.supervisor("kotihoito").id)
        page = await (await client.get("/dashboard")).text()
        assert team_names(page) == ["Kotihoito"]
        assert "Ruokapalvelu" not in visible_text(page)  # neither in the table nor on the wheel
        assert "Henkilöt, joita botti ei tavoittanut" not in visible_text(page)
        assert (await client.get("/dashboard/team/kotihoito")).status == 200
        other = await client.get("/dashboard/team/ruokapalvelu")
        assert other.status == 404
        missing = await client.get("/dashboard/team/no-such-team")
        assert missing.status == 404
        # Someone else's team and a missing one look the same, so the page does not tell which teams exist.
        assert visible_text(await other.text()) == visible_text(await missing.text())


async def test_columns_sort_both_ways_and_the_current_one_says_so(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        ascending = await (await client.get("/dashboard?sort=team&dir=asc")).text()
        assert team_names(ascending) == ["Kotihoito", "Perusturva", "Ruokapalvelu"]
        assert 'aria-sort="ascending"' in ascending
        assert 'href="/dashboard?sort=team&amp;dir=desc"' in ascending  # a second click turns the order around
        descending = await (await client.get("/dashboard?sort=team&dir=desc")).text()
        assert team_names(descending) == ["Ruokapalvelu", "Perusturva", "Kotihoito"]
        members = await (await client.get("/dashboard?sort=members")).text()
        assert team_names(members) == ["Kotihoito", "Ruokapalvelu", "Perusturva"]  # 14, 7, 4 people
        nonsense = await client.get("/dashboard?sort=<script>&dir=sideways")
        assert nonsense.status == 200
        assert "<script>" not in await nonsense.text()


async def test_a_team_under_the_anonymity_threshold_shows_the_hidden_marker_not_numbers(
    demo: Demo, clock: Clock
) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        page = await (await client.get("/dashboard?lang=en")).text()
        row = next(r for r in table_rows(page) if r.startswith("Ruokapalvelu"))
        assert "hidden" in row
        assert re.search(r"\d+(\.\d+)?%", row) is None
        team = await (await client.get("/dashboard/team/ruokapalvelu")).text()
        rates = team.split("<h2>Response rate</h2>", 1)[1].split("<h2>", 1)[0]
        for rate_row in table_rows(rates):
            assert rate_row.endswith("hidden")
        assert "Every result is hidden" in visible_text(team)


async def test_a_team_page_shows_follow_ups_plan_trend_rates_and_successes(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        response = await client.get("/dashboard/team/kotihoito?lang=en")
        page = await response.text()
        words = visible_text(page)
        assert "Last follow-up: 21 Sep 2026" in words
        assert "Next follow-up by 21 Dec 2026: 28 days left." in words
        assert 'class="problem overdue"' not in page
        assert "Development plan 2026" in words
        assert "Development target 1: Työvuorot ennakoitaviksi" in words
        assert "FE risk limit 80%" in words  # the trend chart draws the limits
        assert "Response rate per pulse round" in words
        assert "Successes per month" in words
        assert page.count("<svg") == 3


async def test_the_team_page_shows_the_plans_columns_late_actions_and_its_history(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        words = visible_text(await (await client.get("/dashboard/team/kotihoito?lang=sv")).text())
        # The target, then its goal: two fields, as the model's columns list them; dimensions in the reader's words.
        assert "Utvecklingsområde 1: Työvuorot ennakoitaviksi" in words
        assert "Mål: Vuorolista on valmiina kolme viikkoa etukäteen." in words
        assert "Processer, Fysisk och emotionell trygghet" in words
        assert "Autamme toisiamme kiireen keskellä. (Samhörighet och identitet)" in words
        # Two actions are past their day and not done: counted, and each flagged in its row.
        assert "Försenade åtgärder: 2" in words
        assert words.count("försenad") == 2
        # The plan's history: each follow-up with what was decided, oldest first.
        assert "Planens historik: hållna uppföljningar" in words
        history = words[words.index("Planens historik") :]
        assert history.index("1.6.2026") < history.index("3.8.2026") < history.index("21.9.2026")
        assert "Toivetaulukko on käytössä." in history and "(ingen anteckning)" in history
        ruokapalvelu = visible_text(await (await client.get("/dashboard/team/ruokapalvelu?lang=en")).text())
        assert "Actions past their due date: 1" in ruokapalvelu and "Perehdytyslistan luonnos" in ruokapalvelu


async def test_an_overdue_follow_up_stands_out(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        team = await (await client.get("/dashboard/team/ruokapalvelu?lang=en")).text()
        assert re.search(r'class="problem overdue"><strong>Follow-up overdue: the 3-month limit was', team)
        table = await (await client.get("/dashboard")).text()
        row = next(r for r in re.findall(r"<tr role=\"row\">.*?</tr>", table) if "ruokapalvelu" in r)
        assert '<span class="overdue">overdue by 34 days</span>' in row


async def test_the_officer_sees_undeliverable_members_with_the_reason(demo: Demo, clock: Clock) -> None:
    dm = Address(Platform.SLACK, user_id="U1", workspace="T1")
    message = OutboundMessage(dm, text="Hei", member_id=demo.person("Anna").id)
    give_up(demo.db, START, [("k1", message)], "the app is not installed (invalid token)")
    again = OutboundMessage(dm, text="Hei taas", member_id=demo.person("Anna").id)
    give_up(demo.db, START, [("k2", again)], "the app is not installed (invalid token)")
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        words = visible_text(await (await client.get("/dashboard?lang=en")).text())
        assert "People the bot could not reach" in words
        assert "Person Teams Platform Reason Failed messages When" in words
        # One row for the member: the reason in the page's language and how many messages failed.
        assert "Anna Korhonen Kotihoito slack The app is not installed or was removed 2 23 Nov 2026 10:00" in words
        assert "invalid token" not in words
        finnish = visible_text(await (await client.get("/dashboard?lang=fi")).text())
        assert "Anna Korhonen Kotihoito slack Sovellusta ei ole asennettu tai se on poistettu 2" in finnish


async def test_the_language_switch_is_remembered_for_the_session(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        finnish = await (await client.get("/dashboard")).text()
        assert '<html lang="fi">' in finnish
        swedish = await (await client.get("/dashboard?lang=sv")).text()
        assert '<html lang="sv">' in swedish
        assert "Inloggad: Outi Laine" in visible_text(swedish)
        later = await (await client.get("/dashboard/team/kotihoito")).text()
        assert '<html lang="sv">' in later
        csv_text = (await (await client.get("/dashboard/export.csv")).read()).decode("utf-8-sig")
        assert csv_text.startswith("Team;")


async def test_the_excel_export_has_one_sheet_per_view(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        response = await client.get("/dashboard/export.xlsx?lang=en")
        assert response.status == 200
        assert response.headers["Content-Disposition"] == 'attachment; filename="tyhy-2026-11-23.xlsx"'
        workbook = load_workbook(io.BytesIO(await response.read()))
        assert workbook.sheetnames == [
            "Organisation",
            "Trend Ruokapalvelu",
            "Trend Perusturva",
            "Trend Kotihoito",
            "Calendar 2026",
            "Evaluations",
            "Undeliverable",
        ]
        organisation = [row for row in workbook["Organisation"].iter_rows(values_only=True)]
        assert {row[0] for row in organisation[1:]} == TEAMS


async def test_a_supervisors_export_holds_only_their_team(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, demo.supervisor("kotihoito").id)
        response = await client.get("/dashboard/export.xlsx?lang=en")
        workbook = load_workbook(io.BytesIO(await response.read()))
        assert workbook.sheetnames == ["Organisation", "Trend Kotihoito", "Calendar 2026", "Evaluations"]
        assert [row[0] for row in workbook["Evaluations"].iter_rows(values_only=True)] == ["Team", "Kotihoito"]
        csv_response = await client.get("/dashboard/export.csv")
        assert csv_response.headers["Content-Type"] == "text/csv; charset=utf-8"
        lines = (await csv_response.read()).decode("utf-8-sig").splitlines()
        assert len(lines) == 2
        assert lines[1].startswith("Kotihoito,")


async def test_the_csv_export_has_a_header_and_hides_small_groups(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        response = await client.get("/dashboard/export.csv")
        assert response.headers["Content-Disposition"] == 'attachment; filename="tyhy-2026-11-23.csv"'
        lines = (await response.read()).decode("utf-8-sig").splitlines()
        assert lines[0].startswith("Tiimi;Yläyksikkö;")
        ruokapalvelu = next(line for line in lines if line.startswith("Ruokapalvelu;"))
        assert "piilotettu" in ruokapalvelu


async def test_names_are_escaped(demo: Demo, clock: Clock) -> None:
    with demo.db.engine.begin() as connection:
        connection.execute(text("UPDATE teams SET name = '<b>Koti</b>hoito' WHERE key = 'kotihoito'"))
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        for path in ("/dashboard", "/dashboard/team/kotihoito"):
            page = await (await client.get(path)).text()
            assert "<b>Koti" not in page
            assert "&lt;b&gt;Koti&lt;/b&gt;hoito" in page


async def test_pages_are_plain_accessible_html_and_never_cached(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        for path in ("/dashboard", "/dashboard/team/kotihoito", "/signin"):
            response = await client.get(path)
            page = await response.text()
            assert response.headers["Cache-Control"] == "no-store"
            assert "script-src" not in response.headers["Content-Security-Policy"]  # no scripts at all
            assert "<script" not in page
            assert re.search(r'<html lang="(fi|sv|en)">', page)
            assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
            assert '<main id="main"' in page and 'href="#main"' in page
            controls = re.findall(r'<(?:select|input(?![^>]*type="hidden"))[^>]*\bid="([^"]+)"', page)
            labels = set(re.findall(r'<label for="([^"]+)"', page))
            assert controls and set(controls) <= labels
            assert page.count("<h1>") == 1


async def test_a_demo_clock_moved_ahead_keeps_the_session_when_sign_in_has_its_own_clock(
    demo: Demo, clock: Clock
) -> None:
    wall = Clock()
    app = web.Application()
    add_dashboard_routes(app, demo.db, clock, auth_clock=wall)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        await sign_in(client, demo, wall, officer_id(demo))
        clock.advance(days=60)  # the demo steps through the year; the pages show that day
        page = await client.get("/dashboard/team/kotihoito?lang=en")
        assert page.status == 200
        assert "Follow-up overdue" in visible_text(await page.text())


async def test_a_team_hidden_to_protect_a_smaller_group_says_so_not_too_few(demo: Demo, clock: Clock) -> None:
    # Six of kotihoito answer, two of ruokapalvelu: perusturva's 8 may be shown, but minus kotihoito's 6 it would
    # show ruokapalvelu's two, so kotihoito is hidden although six is over the threshold of five.
    answer_round(demo.db, demo.org, clock.now - timedelta(hours=1), {"kotihoito": [4] * 6, "ruokapalvelu": [2] * 2})
    reason = "hidden so that a smaller group's answers cannot be worked out from the unit's total"
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        page = await (await client.get("/dashboard?lang=en")).text()
        rows = {r.split()[0]: r for r in table_rows(page)}
        assert f"hidden * ({reason})" in rows["Kotihoito"]
        assert "hidden *" not in rows["Ruokapalvelu"] and "hidden" in rows["Ruokapalvelu"]  # two: too few
        text = visible_text(page)
        note = "* Hidden although enough people answered: otherwise a smaller group's answers could be worked out"
        assert f"{note} from the unit's total." in text
        team = visible_text(await (await client.get("/dashboard/team/kotihoito")).text())
        assert "* Hidden although enough people answered" in team
        finnish = visible_text(await (await client.get("/dashboard?lang=fi")).text())
        marker = "piilotettu * (piilotettu, jotta pienemmän ryhmän vastauksia ei voisi päätellä yksikön"
        assert f"{marker} kokonaistuloksesta)" in finnish
        swedish = visible_text(await (await client.get("/dashboard?lang=sv")).text())
        assert "* Dold fast tillräckligt många svarade" in swedish


async def test_a_page_without_protected_figures_has_no_such_note(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        page = await (await client.get("/dashboard?lang=en")).text()
        assert "hidden *" not in visible_text(page) and "enough people answered" not in page
