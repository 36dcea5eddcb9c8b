"""The privacy proof: no export, page, log line, API response or message ever ties a person to their answer."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Date, DateTime, inspect, text

from adapters.cli.demo import seed_demo
from adapters.files.org_file import read_org_file
from adapters.server.log_format import configure_logging
from bot.flows.pulse_rounds import PulseRounds
from bot.formatting import format_date
from bot.i18n import translate
from bot.pulse import PulseRound
from storage.db import Database
from storage.member_privacy import export_member
from storage.models import Base
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from storage.pulse_mixer import mix_due
from storage.pulse_repository import PulseRepository
from tests.adapters.slack_e2e.conftest import Workspace, slack_id, workspace  # noqa: F401
from tests.adapters.web.dashboard.page_helpers import table_rows, visible_text
from tests.bot.flows.conftest import Clock, Demo, clock, demo  # noqa: F401  # the fixtures the workspace needs
from tests.privacy_helpers import (
    Identity,
    LogCapture,
    Unit,
    answer_label,
    answer_on_slack,
    containing,
    dm_of,
    fetch_as,
    json_units,
    leaks,
    open_round,
)

# Tokens nobody writes by chance: wherever one shows, it came from that comment.
ANNA_COMMENT = "Vuorolistat-zq7xk4-ANNA"
SMALL_TEAM_COMMENT = "Tiimi-pq3vw9-PIENI"
ANNA_VALUES = [4, 5, 3, 0, 2]  # unlike anyone else's in her team
KOTIHOITO = {"Juha": [1] * 5, "Liisa": [2] * 5, "Elina": [3] * 5, "Timo": [5] * 5}  # with Anna: 5, the threshold
PERUSTURVA = {"Helena": [2] * 5, "Outi": [3] * 5, "Mikko": [4] * 5, "Sanna": [5] * 5}  # the unit's own members
RUOKAPALVELU = {"Petri": [1] * 5, "Riikka": [1] * 5, "Ville": [1] * 5}  # 3 of 7: under the threshold
PAGES = ("/dashboard", "/dashboard/team/{kotihoito}", "/dashboard/team/{ruokapalvelu}", "/dashboard/team/{perusturva}")
EXPORTS = ("/dashboard/export.csv", "/dashboard/export.xlsx")
SERVICE = ("/healthz", "/metrics")
# A hidden figure's words in the officer's Finnish: too few answered, or hidden to protect a smaller group.
HIDDEN_WORDS = (translate("fi", "dashboard.hidden"), translate("fi", "dashboard.protected_reason"))
COMMENTS_SECTION = '<section class="comments">'


@dataclass
class Exposure:
    """What left the bot in one pulse round, and what would give Anna's answer away."""

    round_id: int
    anna: Identity
    secrets: list[str]
    round_closes: str  # the round's closing date as the exports write it
    pages: dict[str, list[Unit]] = field(default_factory=dict)  # by path
    member_export: list[Unit] = field(default_factory=list)
    member_export_raw: dict[str, object] = field(default_factory=dict)
    slack: list[Unit] = field(default_factory=list)  # every call the bot made, Anna's own card excepted
    anna_card_final: list[Unit] = field(default_factory=list)  # what stays in Anna's direct messages
    anna_card_versions: list[Unit] = field(default_factory=list)  # her card as posted and every update of it


@pytest.fixture
def logs() -> Iterator[LogCapture]:
    """The logging of `tyhy serve` with TYHY_LOG_LEVEL=DEBUG and TYHY_LOG_FORMAT=json, every record also kept here.

    Libraries that set their own level keep it, as they do in production: SQLAlchemy stays at WARNING, since its
    INFO is SQL echo (statements with their parameters), a database tool for whoever holds the database anyway.
    """
    root = logging.getLogger()
    saved = (root.level, root.handlers[:])
    configure_logging({"TYHY_LOG_LEVEL": "DEBUG", "TYHY_LOG_FORMAT": "json"})
    capture = LogCapture()
    root.addHandler(capture)
    yield capture
    root.setLevel(saved[0])
    root.handlers[:] = saved[1]


async def run_round(world: Workspace, clock: Clock, logs: LogCapture) -> Exposure:  # noqa: F811
    """A whole round through Slack, then every page, export and service answer an officer can fetch."""
    demo_ = world.demo
    anna = demo_.person("Anna")
    pulse_round, cards = await open_round(world, clock)
    assert pulse_round.id is not None
    asked = await answer_on_slack(world, anna, cards[anna.id], ANNA_VALUES, ANNA_COMMENT)
    for name, values in {**KOTIHOITO, **PERUSTURVA, **RUOKAPALVELU}.items():
        member = demo_.person(name)
        comment = SMALL_TEAM_COMMENT if name == "Ville" else f"{name}: hyvä kierros"
        await answer_on_slack(world, member, cards[member.id], values, comment)
    teams = {key: demo_.team(key) for key in ("kotihoito", "perusturva", "ruokapalvelu")}

    dm = dm_of(anna)
    anna_id = Identity(anna.name, anna.id, (slack_id(anna), dm), anna.email)
    chosen = [f"✓ {answer_label(anna, world, v)}" for v in ANNA_VALUES[:asked]]
    encoded = f"{pulse_round.id}:{''.join(str(v) for v in ANNA_VALUES[:asked])}"  # the Send button's value
    seen = Exposure(pulse_round.id, anna_id, [ANNA_COMMENT, encoded, *chosen], pulse_round.closes_at.date().isoformat())

    # Anna's card: posted, then updated once, by her Send, into the thank-you that stays.
    latest: dict[str, Unit] = {}
    for number, call in enumerate(world.slack.calls):
        unit = Unit(
            f"Slack call {number}: {call.method} to {call.body.get('channel')}",
            json.dumps(call.body, ensure_ascii=False),
        )
        if call.body.get("channel") == dm and call.method in ("chat.postMessage", "chat.update"):
            seen.anna_card_versions.append(unit)
            latest[str(call.body.get("ts", "posted"))] = unit
        else:
            seen.slack.append(unit)
    seen.anna_card_final = list(latest.values())

    clock.advance(days=8)  # the round has closed, so its results are on the dashboard
    mix_due(demo_.db, clock.now)  # the scheduler's mix after the close: the teams below a batch are counted too
    counted = {t.team_id: t.respondents for t in PulseRepository(demo_.db).tallies(pulse_round.id).tallies}
    assert [counted[teams[k].id] for k in teams] == [5, 4, 3]  # every answer went in through Slack
    paths = [p.format(**{k: t.key for k, t in teams.items()}) for p in PAGES]
    seen.pages = await fetch_as(demo_.db, clock, demo_.person("Outi"), [*paths, *EXPORTS, *SERVICE])
    seen.member_export_raw = export_member(demo_.db, anna.id)
    seen.member_export = json_units("Anna's data export", seen.member_export_raw)
    return seen


def _comments_apart(units: list[Unit]) -> list[Unit]:
    """A team page cut in two: its comments section, which must name nobody, and the rest (plan owners' names)."""
    cut: list[Unit] = []
    for unit in units:
        if COMMENTS_SECTION not in unit.text:
            cut.append(unit)
            continue
        before, section = unit.text.split(COMMENTS_SECTION, 1)
        section, after = section.split("</section>", 1)
        cut += [Unit(f"{unit.source} comments", section), Unit(unit.source, before + after)]
    return cut


def _sheet(units: list[Unit], prefix: str) -> list[tuple[str, ...]]:
    """The rows of one table (a CSV, or a workbook sheet by its source prefix), header first."""
    return [unit.cells for unit in units if unit.source.startswith(prefix) and unit.cells]


def _figures(rows: list[tuple[str, ...]], first_cell: str) -> list[str]:
    """The percentage columns (the dimensions and the response rate) of the row starting with `first_cell`, read
    under the nearest header above it with such columns: a team sheet holds several tables."""
    header: tuple[str, ...] = ()
    for row in rows:
        if any(title.endswith("(%)") for title in row):
            header = row
        elif header and row[0].startswith(first_cell):
            return [cell for title, cell in zip(header, row, strict=False) if title.endswith("(%)")]
    return []


def _hidden_or_blank(cells: list[str]) -> bool:
    # No figure columns found is a broken check, not a hidden team: it must never pass by being empty.
    assert cells, "no percentage columns found"
    return all(cell in ("", *HIDDEN_WORDS) for cell in cells)


async def test_no_page_export_message_or_log_line_ties_a_person_to_their_answer(
    workspace: Workspace,  # noqa: F811
    clock: Clock,  # noqa: F811
    logs: LogCapture,
) -> None:
    seen = await run_round(workspace, clock, logs)
    anna, secrets = seen.anna, seen.secrets
    # Her picks stayed in Slack until Send: no version of her card, not even one seen by her alone, ever carried
    # them (a workspace export or a compliance archive keeps every version of a message).
    assert len(seen.anna_card_versions) == 2
    assert [s for s in secrets if containing(seen.anna_card_versions, s)] == []
    assert containing(seen.anna_card_versions, "initial_option") == []
    kept = PulseRepository(workspace.demo.db).comments(seen.round_id)
    assert (workspace.demo.team("kotihoito").id, ANNA_COMMENT) in kept

    # Operators read logs at INFO at most; DEBUG is the test below.
    info_logs = logs.units(logging.INFO)
    pages = [unit for units in seen.pages.values() for unit in _comments_apart(units)]
    everything = pages + seen.member_export + seen.slack + seen.anna_card_final + info_logs
    assert list(leaks(everything, anna, secrets)) == []
    # What stays in Anna's direct messages is the thank-you: none of her answers, nor her comment.
    assert [s for s in secrets if containing(seen.anna_card_final, s)] == []
    # A comment is read only among its team's comments, on the team's page, with nobody named beside it (all five
    # of kotihoito commented); it is logged nowhere and sent nowhere, not even back to its writer. Ruokapalvelu's
    # three are under the threshold: its comment is shown nowhere.
    shown_at = containing(everything + logs.units() + seen.anna_card_versions, ANNA_COMMENT)
    assert shown_at == [f"/dashboard/team/{workspace.demo.team('kotihoito').key} comments"]
    assert containing(everything + logs.units() + seen.anna_card_versions, SMALL_TEAM_COMMENT) == []
    # /metrics and /healthz name nobody.
    for path in SERVICE:
        assert [anna.named_in(u.text) for u in seen.pages[path]] == [[]], path

    # Anna's data export says whether she answered, never what.
    rounds = seen.member_export_raw["pulse_rounds"]
    assert isinstance(rounds, list) and rounds
    assert all(set(r) == {"round_id", "opens_at", "closes_at", "answered"} for r in rounds)
    assert [r["answered"] for r in rounds if r["closes_at"].startswith(seen.round_closes)] == [True]
    assert [s for s in secrets if containing(seen.member_export, s)] == []

    # A team under the threshold: no figure of it in any export, for this round or in its latest results.
    csv_rows = _sheet(seen.pages["/dashboard/export.csv"], "/dashboard/export.csv")
    workbook = seen.pages["/dashboard/export.xlsx"]
    organisation_sheet = _sheet(workbook, "/dashboard/export.xlsx sheet 'Organisaatio'")
    small_trend = _sheet(workbook, "/dashboard/export.xlsx sheet 'Trendi Ruokapalvelu'")
    assert _hidden_or_blank(_figures(csv_rows, "Ruokapalvelu"))
    assert _hidden_or_blank(_figures(organisation_sheet, "Ruokapalvelu"))
    assert _hidden_or_blank(_figures(small_trend, seen.round_closes))
    # ... while a team at the threshold shows its figures, so the exports are not simply empty.
    big_trend = _sheet(workbook, "/dashboard/export.xlsx sheet 'Trendi Kotihoito'")
    assert not _hidden_or_blank(_figures(big_trend, seen.round_closes))


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
async def test_even_debug_logging_ties_no_one_to_their_answer(
    workspace: Workspace,  # noqa: F811
    clock: Clock,  # noqa: F811
    logs: LogCapture,
) -> None:
    seen = await run_round(workspace, clock, logs)
    assert list(leaks(logs.units(), seen.anna, seen.secrets)) == []


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)  # the views are compared as text; SQLite reuses the ids
async def test_a_team_under_the_threshold_looks_the_same_whatever_it_answered(demo: Demo) -> None:  # noqa: F811
    """Its page, its rows and its sheets after answering all 1s, and all 5s: anything of its answers shown differs."""
    small: list[list[str]] = []
    parent: list[list[str]] = []
    for small_team_answers in ([1, 1, 1, 1, 1], [5, 5, 5, 5, 5]):
        fetched = await _answered_and_closed(demo.db, small_team_answers)
        small.append(_rows_of(fetched, "Ruokapalvelu"))
        parent.append(_rows_of(fetched, "Perusturva"))
    assert small[0] == small[1]
    assert parent[0] != parent[1]  # the unit above counts them among its own: the comparison can tell


async def _answered_and_closed(db: Database, small_team_answers: list[int]) -> dict[str, list[Unit]]:
    """A fresh demo organisation, one round answered as in the proof above, closed, and the officer's views."""
    with db.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    clock_ = Clock()
    organisation = seed_demo(db, clock_.now)
    world = Demo(db, organisation, OrganisationRepository(db).members())
    repo = PulseRepository(db)
    rounds = PulseRounds(OrganisationRepository(db), repo, PlanRepository(db))
    pulse_round, _ = rounds.open_round(organisation, organisation.teams, clock_.now + timedelta(days=7), clock_.now)
    assert pulse_round.id is not None
    answers = {"Anna": ANNA_VALUES, **KOTIHOITO, **PERUSTURVA, **dict.fromkeys(RUOKAPALVELU, small_team_answers)}
    for name, values in answers.items():
        member = world.person(name)
        team_id = member.team_ids[0]
        questions = pulse_round.questions_for(team_id)
        repo.record_answers(pulse_round.id, member.id, team_id, dict(zip(questions, values, strict=False)))
    clock_.advance(days=8)
    mix_due(db, clock_.now)  # the scheduler's mix after the close
    keys = {k: world.team(k).key for k in ("kotihoito", "perusturva", "ruokapalvelu")}
    paths = [p.format(**keys) for p in PAGES]
    return await fetch_as(db, clock_, world.person("Outi"), [*paths, *EXPORTS])


def _rows_of(fetched: dict[str, list[Unit]], team: str) -> list[str]:
    """What the officer sees of one team: its own page, its row in the tables, its trend sheet."""
    seen = [visible_text(fetched[f"/dashboard/team/{team.lower()}"][0].text)]
    seen += [row for row in table_rows(fetched["/dashboard"][0].text) if row.startswith(team)]
    for units in (fetched["/dashboard/export.csv"], fetched["/dashboard/export.xlsx"]):
        seen += [u.text for u in units if (u.cells and u.cells[0] == team) or f"'Trendi {team}'" in u.source]
    return seen


def test_no_table_joins_a_person_to_an_answer_or_a_comment() -> None:
    tables = Base.metadata.tables
    answers = {"pulse_answer_counts", "pulse_comments"}
    naming_a_person = {
        t.name for t in tables.values() if any(fk.column.table.name == "members" for fk in t.foreign_keys)
    }
    assert "pulse_answered" in naming_a_person and not naming_a_person & answers
    # Nothing points at a counter or a comment, so no third table can join one to a person either.
    assert [
        (t.name, fk.target_fullname)
        for t in tables.values()
        for fk in t.foreign_keys
        if fk.column.table.name in answers
    ] == []
    # That someone answered: the round and the person, no value, no team, no time.
    assert set(tables["pulse_answered"].columns.keys()) == {"round_id", "member_id"}
    assert set(tables["pulse_answer_counts"].columns.keys()) == {"round_id", "team_id", "question_id", "value", "count"}
    # A comment: its round and team, no person and no time to match against when someone answered.
    comments = tables["pulse_comments"]
    assert set(comments.columns.keys()) == {"id", "round_id", "team_id", "text"}
    assert [c.name for c in comments.columns if isinstance(c.type, (DateTime, Date))] == []


def test_comments_are_kept_in_no_order_of_answering(demo: Demo, clock: Clock) -> None:  # noqa: F811
    kotihoito = demo.team("kotihoito")
    repo = PulseRepository(demo.db)
    pulse_round = _round_for(repo, demo, clock, kotihoito.id)
    written = []
    for number, member in enumerate(demo.staff("kotihoito")):
        written.append(f"kommentti {number:02d}")
        repo.record_answers(pulse_round, member.id, kotihoito.id, {"FE1": 3}, comment=written[-1])
    repo.settle(pulse_round)  # the comments wait with their answers until the mix
    # SQLite keeps a table in rowid order, and there the id is the rowid.
    order = "rowid" if demo.db.is_sqlite else "id"
    with demo.db.engine.connect() as connection:
        stored = (
            connection.execute(
                text(f"SELECT text FROM pulse_comments WHERE round_id = :r ORDER BY {order}"), {"r": pulse_round}
            )
            .scalars()
            .all()
        )
    assert sorted(stored) == written  # every comment kept ...
    assert list(stored) != written  # ... but not in the order they came: 14 in a row by chance is 1 in 14!
    columns = {c["name"] for c in inspect(demo.db.engine).get_columns("pulse_comments")}
    assert columns == {"id", "round_id", "team_id", "text"}  # the database itself agrees with the models


def test_answering_only_adds_to_counters_the_round_made(demo: Demo, clock: Clock) -> None:  # noqa: F811
    kotihoito = demo.team("kotihoito")
    repo = PulseRepository(demo.db)
    pulse_round = _round_for(repo, demo, clock, kotihoito.id)
    before = _counter_rows(demo.db, pulse_round)
    assert len(before) == 2 * 6  # two questions, each value from "can't say" to 5
    anna, juha = demo.person("Anna"), demo.person("Juha")
    repo.record_answers(pulse_round, anna.id, kotihoito.id, {"FE1": 4, "YI1": 0})
    repo.record_answers(pulse_round, juha.id, kotihoito.id, {"FE1": 4, "YI1": 2})
    repo.settle(pulse_round)
    # No row came with an answer, so no row's place (SQLite's rowid) tells whose values made it.
    assert _counter_rows(demo.db, pulse_round) == before
    (tally,) = repo.tallies(pulse_round).tallies
    assert (tally.respondents, dict(tally.counts)) == (2, {("FE1", 4): 2, ("YI1", 0): 1, ("YI1", 2): 1})


@pytest.mark.parametrize("db", ["postgres"], indirect=True)  # xmin is PostgreSQL's
def test_a_comment_is_written_in_a_transaction_of_its_own(demo: Demo, clock: Clock) -> None:  # noqa: F811
    kotihoito, anna = demo.team("kotihoito"), demo.person("Anna")
    repo = PulseRepository(demo.db)
    pulse_round = _round_for(repo, demo, clock, kotihoito.id)
    repo.record_answers(pulse_round, anna.id, kotihoito.id, {"FE1": 4, "YI1": 5}, comment="Hyvä tiimi")
    repo.settle(pulse_round)
    with demo.db.engine.connect() as connection:
        marker = connection.execute(
            text("SELECT xmin::text FROM pulse_answered WHERE round_id = :r AND member_id = :m"),
            {"r": pulse_round, "m": anna.id},
        ).scalar_one()
        comment = connection.execute(
            text("SELECT xmin::text FROM pulse_comments WHERE round_id = :r"), {"r": pulse_round}
        ).scalar_one()
    assert marker != comment


def _round_for(repo: PulseRepository, demo: Demo, clock: Clock, team_id: int) -> int:  # noqa: F811
    created = repo.create_round(
        demo.org.id, PulseRound(clock.now, clock.now + timedelta(days=7), {team_id: ("FE1", "YI1")}), {team_id: 14}
    )
    assert created.id is not None
    return created.id


def _counter_rows(db: Database, round_id: int) -> list[tuple[object, ...]]:
    columns = "rowid, team_id, question_id, value" if db.is_sqlite else "team_id, question_id, value"
    query = text(f"SELECT {columns} FROM pulse_answer_counts WHERE round_id = :r ORDER BY 1, 2, 3")
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query, {"r": round_id}).all()]


# --- Rounds across a reorganisation and a threshold change (issue 19, point 1) ---------------------------------

# A 1-person unit under Vanhuspalvelut; the reorganisation moves it under Kotihoito. Every person answers differently.
REORGANISATION = """
organisation:
  name: Siirtolan kunta
  anonymity_threshold: 5
units:
  - {key: kotihoito, name: Kotihoito}
  - {key: vanhus, name: Vanhuspalvelut}
  - {key: yohoito, name: Yöhoito, parent: PARENT}
  - {key: hallinto, name: Hallinto}
members:
  - {name: Olli Officer, email: olli@example.fi, unit: hallinto, role: wellbeing_officer}
  - {name: Yrjö Yövuoro, email: yrjo@example.fi, unit: yohoito, role: staff}
""" + "".join(
    f"  - {{name: {team.title()} {n}, email: {team}{n}@example.fi, unit: {team}, role: staff}}\n"
    for team in ("kotihoito", "vanhus")
    for n in range(1, 6)
)

# A 1-person unit above a 6-person one, beside a 4-person unit: at 5 only Yöhoito's group shows; at 3 Vanhuspalvelut's
# does, and the two would subtract to the one person of Vanhuspalvelut's own.
THRESHOLD = """
organisation:
  name: Kynnyksen kunta
  anonymity_threshold: LIMIT
units:
  - {key: kotihoito, name: Kotihoito}
  - {key: vanhus, name: Vanhuspalvelut}
  - {key: yohoito, name: Yöhoito, parent: vanhus}
  - {key: hallinto, name: Hallinto}
members:
  - {name: Olli Officer, email: olli@example.fi, unit: hallinto, role: wellbeing_officer}
  - {name: Veera Vanhus, email: veera@example.fi, unit: vanhus, role: supervisor}
""" + "".join(
    f"  - {{name: {team.title()} {n}, email: {team}{n}@example.fi, unit: {team}, role: staff}}\n"
    for team, size in (("kotihoito", 4), ("yohoito", 6))
    for n in range(1, size + 1)
)

# Nobody in Kotipalvelut's own; its 5-person unit answers, its 1-person unit does not.
NON_PARTICIPATION = """
organisation:
  name: Hiljaisten kunta
  anonymity_threshold: 5
units:
  - {key: kotipalvelut, name: Kotipalvelut}
  - {key: kotihoito, name: Kotihoito, parent: kotipalvelut}
  - {key: yohoito, name: Yöhoito, parent: kotipalvelut}
  - {key: hallinto, name: Hallinto}
members:
  - {name: Olli Officer, email: olli@example.fi, unit: hallinto, role: wellbeing_officer}
  - {name: Yrjö Yövuoro, email: yrjo@example.fi, unit: yohoito, role: staff}
""" + "".join(
    f"  - {{name: Kotihoito {n}, email: kotihoito{n}@example.fi, unit: kotihoito, role: staff}}\n" for n in range(1, 6)
)
TEAM_PAGES = ("kotihoito", "vanhus", "yohoito", "kotipalvelut")


def _import(db: Database, tmp_path: Path, text_: str) -> None:
    """The organisation file as `tyhy org import` reads and applies it."""
    path = tmp_path / "organisaatio.yaml"
    path.write_text(text_, encoding="utf-8")
    OrganisationRepository(db).apply_import(read_org_file(path))


def _answer_round(db: Database, clock: Clock, answering: set[str]) -> PulseRound:  # noqa: F811
    """A round for every unit with people but Hallinto, answered by the named people (each differently), closed."""
    organisation = OrganisationRepository(db).get()
    assert organisation is not None
    repo = PulseRepository(db)
    rounds = PulseRounds(OrganisationRepository(db), repo, PlanRepository(db))
    asked = [t for t in organisation.teams if t.key != "hallinto"]
    pulse_round, _ = rounds.open_round(organisation, asked, clock.now + timedelta(days=7), clock.now)
    assert pulse_round.id is not None
    for number, member in enumerate(OrganisationRepository(db).members()):
        if member.name in answering:
            team_id = member.team_ids[0]
            questions = pulse_round.questions_for(team_id)
            values = [1 + (number + q) % 5 for q in range(len(questions))]
            repo.record_answers(pulse_round.id, member.id, team_id, dict(zip(questions, values, strict=True)))
    clock.advance(days=8)
    mix_due(db, clock.now)  # the scheduler's mix after the close
    return pulse_round


async def _officer_views(db: Database, clock: Clock) -> dict[str, list[Unit]]:  # noqa: F811
    """The officer's organisation page, every team page and both exports."""
    organisation = OrganisationRepository(db).get()
    assert organisation is not None
    officer = next(m for m in OrganisationRepository(db).members() if m.name == "Olli Officer")
    pages = [f"/dashboard/team/{t.key}" for t in organisation.teams if t.key in TEAM_PAGES]
    return await fetch_as(db, clock, officer, ["/dashboard", *pages, *EXPORTS])


def _round_figures(fetched: dict[str, list[Unit]], pulse_round: PulseRound) -> dict[str, dict[str, str]]:
    """Per team, what its trend sheet (indices, response rate, invited) and its page's rate table say of the round."""
    day = pulse_round.closes_at.date()
    figures: dict[str, dict[str, str]] = {}
    header: tuple[str, ...] = ()
    for unit in fetched["/dashboard/export.xlsx"]:
        if "'Trendi " not in unit.source or not unit.cells:
            continue
        if any(title.endswith("(%)") for title in unit.cells):
            header = unit.cells
        elif unit.cells[0].startswith(day.isoformat()):
            team = unit.source.split("'Trendi ")[1].split("'")[0]
            figures[team] = {title: cell for title, cell in zip(header, unit.cells, strict=False) if cell}
    for path, units in fetched.items():
        if path.startswith("/dashboard/team/"):
            rates = units[0].text.split("<tbody>")[-1].split("</tbody>")[0]  # the last table: the response rates
            rows = [visible_text(row) for row in re.findall(r"<tr>(.*?)</tr>", rates, flags=re.DOTALL)]
            figures[path] = {str(n): row for n, row in enumerate(rows) if row.startswith(format_date(day, "fi"))}
    return figures


def _respondents(cells: dict[str, str]) -> int | None:
    """How many answered, from a trend row's response rate (%) and invited: None when the rate is hidden."""
    *_, rate, invited = cells.values()
    return None if rate in HIDDEN_WORDS else round(float(rate) * int(invited) / 100)


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
async def test_a_reorganisation_leaves_a_past_round_as_it_was_reported(
    db: Database,
    clock: Clock,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Moving a 1-person unit to another parent: Kotihoito's 5 and then 6 would subtract to that person."""
    _import(db, tmp_path, REORGANISATION.replace("PARENT", "vanhus"))
    everyone = {m.name for m in OrganisationRepository(db).members()} - {"Olli Officer"}
    pulse_round = _answer_round(db, clock, everyone)
    before = _round_figures(await _officer_views(db, clock), pulse_round)
    # The attack is real: the two big groups show their figures, 5 and 6 answered.
    assert (_respondents(before["Kotihoito"]), _respondents(before["Vanhuspalvelut"])) == (5, 6)

    _import(db, tmp_path, REORGANISATION.replace("PARENT", "kotihoito"))  # Yöhoito now under Kotihoito
    after = _round_figures(await _officer_views(db, clock), pulse_round)
    assert after == before


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
async def test_a_lower_threshold_applies_to_rounds_opened_after_it(
    db: Database,
    clock: Clock,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Lowering the threshold from 5 to 3: Vanhuspalvelut's 7 beside Yöhoito's 6 would be its own one person."""
    _import(db, tmp_path, THRESHOLD.replace("LIMIT", "5"))
    everyone = {m.name for m in OrganisationRepository(db).members()} - {"Olli Officer"}
    first = _answer_round(db, clock, everyone)
    before = _round_figures(await _officer_views(db, clock), first)
    assert _respondents(before["Yöhoito"]) == 6  # shown: the attack has a figure to subtract from

    _import(db, tmp_path, THRESHOLD.replace("LIMIT", "3"))
    after = _round_figures(await _officer_views(db, clock), first)
    assert after == before

    # The next round is reported under the new threshold: Kotihoito's 4 show there.
    second = _answer_round(db, clock, everyone)
    latest = _round_figures(await _officer_views(db, clock), second)
    assert _respondents(latest["Kotihoito"]) == 4
    assert _round_figures(await _officer_views(db, clock), first) == before


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
async def test_a_small_units_silence_cannot_be_read_from_response_rates(
    db: Database,
    clock: Clock,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Kotipalvelut 5 of 6 beside Kotihoito 5 of 5 would say Yöhoito's one person did not answer."""
    _import(db, tmp_path, NON_PARTICIPATION)
    kotihoito = {m.name for m in OrganisationRepository(db).members() if m.name.startswith("Kotihoito")}
    pulse_round = _answer_round(db, clock, kotihoito)
    seen = _round_figures(await _officer_views(db, clock), pulse_round)
    answered = {team: _respondents(seen[team]) for team in ("Kotipalvelut", "Kotihoito", "Yöhoito")}
    assert answered["Yöhoito"] is None  # a 1-person unit: hidden
    # Both groups shown would subtract to Yöhoito's: 0 of 1 answered. One of them stays hidden.
    assert None in (answered["Kotipalvelut"], answered["Kotihoito"]), answered
