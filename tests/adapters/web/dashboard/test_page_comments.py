"""The team's pulse comments on its dashboard page, and the supervisor's one answer to them, over real HTTP."""

from __future__ import annotations

import html
import io
import logging
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from adapters.cli.demo import DEMO_COMMENT_ANSWER, DEMO_COMMENTS
from bot.comments import COMMENT_THRESHOLD_VARIABLE
from bot.organisation import Role
from storage.comment_retention import delete_old_comments
from storage.pulse_repository import PulseRepository
from tests.adapters.web.conftest import Clock, Demo
from tests.adapters.web.dashboard.page_helpers import dashboard, sign_in, visible_text
from tests.bot.flows.comment_rounds import SAID, comment_round

PAGE = "/dashboard/team/kotihoito"


def officer_id(demo: Demo) -> int:
    return next(m.id for m in demo.members if m.role is Role.WELLBEING_OFFICER)


def comments_part(page: str) -> str:
    """The visible text of the page's comments section."""
    return visible_text(page.split('<section class="comments">', 1)[1].split("</section>", 1)[0])


async def test_the_supervisor_and_the_officer_read_the_teams_comments_without_time_or_order(
    demo: Demo, clock: Clock
) -> None:
    comment_round(demo, clock, {"kotihoito": 6, "ruokapalvelu": 5}, {"kotihoito": SAID, "ruokapalvelu": ["Ruoka"]})
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, demo.supervisor("kotihoito").id)
        page = await (await client.get(f"{PAGE}?lang=en")).text()
        shown = comments_part(page)
        assert shown.startswith("What you said")
        assert all(said in shown for said in SAID)
        assert "Ruoka" not in shown  # another team's words stay with that team
        listed = re.findall(r"<li>([^<]*)</li>", page.split('<ul class="comment-list">', 1)[1].split("</ul>", 1)[0])
        assert sorted(html.unescape(item) for item in listed) == sorted(SAID)  # the words alone: no time, no number
        assert "You said – we do" in shown  # the supervisor may answer
        finnish = comments_part(await (await client.get(f"{PAGE}?lang=fi")).text())
        assert finnish.startswith("Mitä sanoitte") and "Te sanoitte – me teemme" in finnish
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        officer_page = await (await client.get(f"{PAGE}?lang=sv")).text()
        officer = comments_part(officer_page)
        assert officer.startswith("Det ni sa") and all(said in officer for said in SAID)
        section = officer_page.split('<section class="comments">', 1)[1].split("</section>", 1)[0]
        assert "<form" not in section  # only the team's supervisor answers


async def test_the_demo_shows_home_cares_comments_and_the_supervisors_answer(demo: Demo, clock: Clock) -> None:
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        shown = comments_part(await (await client.get(f"{PAGE}?lang=en")).text())
    assert all(said in shown for said in DEMO_COMMENTS)
    assert "You said – we do: the answer posted to the team's channel on" in shown and DEMO_COMMENT_ANSWER in shown


@pytest.mark.parametrize(
    ("said", "language", "expected"),
    [
        (SAID[:2], "en", "2 comments wait until at least 3 people have commented."),
        (SAID[:1], "en", "1 comment waits until at least 3 people have commented."),
        (SAID[:2], "fi", "2 kommenttia odottaa, kunnes vähintään 3 henkeä on kommentoinut."),
        (SAID[:1], "sv", "1 kommentar väntar tills minst 3 personer har kommenterat."),
    ],
)
async def test_too_few_commenters_are_counted_not_shown(
    demo: Demo, clock: Clock, said: list[str], language: str, expected: str
) -> None:
    comment_round(demo, clock, {"kotihoito": 6, "ruokapalvelu": 5}, {"kotihoito": said})
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, demo.supervisor("kotihoito").id)
        shown = comments_part(await (await client.get(f"{PAGE}?lang={language}")).text())
        assert expected in shown
        assert not any(words in shown for words in said)


async def test_a_comment_threshold_below_three_is_raised_to_three(
    demo: Demo, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(COMMENT_THRESHOLD_VARIABLE, "1")
    comment_round(demo, clock, {"kotihoito": 6, "ruokapalvelu": 5}, {"kotihoito": SAID[:2]})
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, demo.supervisor("kotihoito").id)
        shown = comments_part(await (await client.get(f"{PAGE}?lang=en")).text())
        assert "2 comments wait until at least 3 people have commented." in shown
        assert SAID[0] not in shown


async def test_a_higher_comment_threshold_holds_three_comments_back(
    demo: Demo, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(COMMENT_THRESHOLD_VARIABLE, "4")
    comment_round(demo, clock, {"kotihoito": 6, "ruokapalvelu": 5}, {"kotihoito": SAID})
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, demo.supervisor("kotihoito").id)
        shown = comments_part(await (await client.get(f"{PAGE}?lang=en")).text())
        assert "3 comments wait until at least 4 people have commented." in shown
        assert SAID[0] not in shown


async def test_a_team_hidden_to_protect_a_smaller_group_shows_no_comments_and_no_count(
    demo: Demo, clock: Clock
) -> None:
    # Kotihoito's six would leave ruokapalvelu's two by subtraction from perusturva's eight: its figures are hidden.
    comment_round(demo, clock, {"kotihoito": 6, "ruokapalvelu": 2}, {"kotihoito": SAID})
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        shown = comments_part(await (await client.get(f"{PAGE}?lang=en")).text())
        assert "The team's results of this survey are not shown, so neither are its comments." in shown
        assert not any(words in shown for words in SAID)
        assert not re.search(r"\d+ comments? wait", shown)


def answer_fields(page: str) -> dict[str, str]:
    """The hidden fields of the page's answer form."""
    form = page.split('<form method="post" action="/dashboard/team/kotihoito/comments"', 1)[1].split("</form>", 1)[0]
    return {name: html.unescape(value) for name, value in re.findall(r'name="(\w+)" value="([^"]*)"', form)}


async def test_the_supervisor_answers_once_to_the_teams_channel_and_the_answer_stays_beside_the_comments(
    demo: Demo, clock: Clock
) -> None:
    round_id = comment_round(demo, clock, {"kotihoito": 6, "ruokapalvelu": 5}, {"kotihoito": SAID})
    answer = "Sovimme taukovuorot viikkopalaverissa."
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, demo.supervisor("kotihoito").id)
        fields = answer_fields(await (await client.get(f"{PAGE}?lang=fi")).text())
        assert fields["round"] == str(round_id)
        forged = await client.post(f"{PAGE}/comments", data={**fields, "csrf": "x" * 64, "answer": answer})
        assert forged.status == 403 and "Lomake oli vanhentunut" in visible_text(await forged.text())
        empty = await client.post(f"{PAGE}/comments", data={**fields, "answer": "  "})
        assert empty.status == 422 and "Kirjoita vastaus ennen kuin lähetät sen." in visible_text(await empty.text())
        long = await client.post(f"{PAGE}/comments", data={**fields, "answer": "x" * 1001})
        assert long.status == 422 and "1001 merkkiä" in visible_text(await long.text())
        sent = await client.post(f"{PAGE}/comments", data={**fields, "answer": answer}, allow_redirects=False)
        assert sent.status == 303 and sent.headers["Location"] == f"{PAGE}#comments"
        again = await client.post(f"{PAGE}/comments", data={**fields, "answer": "Toinen"})
        assert again.status == 409 and "on jo vastattu" in visible_text(await again.text())
        after = await (await client.get(f"{PAGE}?lang=fi")).text()
        shown = comments_part(after)
        assert "Te sanoitte – me teemme: vastaus lähetettiin tiimin kanavalle" in shown and answer in shown
        assert "<textarea" not in after  # answered: no second answer is offered
    with demo.db.connection() as connection:
        posts = (
            connection.execute(
                text("SELECT payload FROM outbox WHERE key = :key"),
                {"key": f"comment-answer:{round_id}:{demo.team('kotihoito').id}"},
            )
            .scalars()
            .all()
        )
    assert len(posts) == 1 and answer in posts[0] and "Te sanoitte – me teemme: Kotihoito" in posts[0]
    assert not any(said in posts[0] for said in SAID)  # the comments themselves stay on the page


async def test_the_officer_cannot_answer_for_the_supervisor(demo: Demo, clock: Clock) -> None:
    round_id = comment_round(demo, clock, {"kotihoito": 6, "ruokapalvelu": 5}, {"kotihoito": SAID})
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, officer_id(demo))
        refused = await client.post(f"{PAGE}/comments", data={"round": str(round_id), "answer": "Hei", "csrf": ""})
        assert refused.status == 403
        assert "Vain tiimin esihenkilö voi vastata tiimin kommentteihin." in visible_text(await refused.text())


async def test_comments_and_the_answer_never_reach_the_exports_or_the_logs(
    demo: Demo, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    comment_round(demo, clock, {"kotihoito": 6, "ruokapalvelu": 5}, {"kotihoito": SAID})
    answer = "Sovimme taukovuorot viikkopalaverissa."
    caplog.set_level(logging.DEBUG)
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, demo.supervisor("kotihoito").id)
        fields = answer_fields(await (await client.get(f"{PAGE}?lang=en")).text())
        sent = await client.post(f"{PAGE}/comments", data={**fields, "answer": answer}, allow_redirects=False)
        assert sent.status == 303
        page = await (await client.get(f"{PAGE}?lang=en")).text()
        assert all(words in page for words in SAID)  # they are there to be read on the page
        workbook = load_workbook(io.BytesIO(await (await client.get("/dashboard/export.xlsx")).read()))
        csv = await (await client.get("/dashboard/export.csv")).text()
    cells = [str(cell) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row]
    assert cells and csv
    for words in [*SAID, answer]:
        assert not any(words in cell for cell in cells), words
        assert words not in csv
        assert words not in caplog.text


async def test_answered_comments_still_go_after_the_24_months_retention(demo: Demo, clock: Clock) -> None:
    round_id = comment_round(demo, clock, {"kotihoito": 6, "ruokapalvelu": 5}, {"kotihoito": SAID})
    async with dashboard(demo, clock) as client:
        await sign_in(client, demo, clock, demo.supervisor("kotihoito").id)
        fields = answer_fields(await (await client.get(f"{PAGE}?lang=en")).text())
        assert (await client.post(f"{PAGE}/comments", data={**fields, "answer": "Kiitos"})).status == 200
    delete_old_comments(demo.db, clock.now + timedelta(days=30 * 23))
    assert len(PulseRepository(demo.db).comments(round_id)) == len(SAID)  # kept within the 24 months
    assert delete_old_comments(demo.db, clock.now + timedelta(days=31 * 24 + 1)) >= len(SAID)
    assert PulseRepository(demo.db).comments(round_id) == []
