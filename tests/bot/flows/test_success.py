"""Success shout-outs: celebrated in the team's channel with those mentioned, tied to a target, refused when bad."""

from __future__ import annotations

import pytest

from bot.card_limits import MAX_BUTTON_LABEL, card_problems
from bot.conversation import Conversation, Flow
from bot.events import Sender
from bot.flows.plan_view import PlanViewFlow
from bot.flows.success import FROM_MESSAGE, LINK, SuccessFlow
from bot.messages import Facts, Question
from bot.organisation import Member, Platform
from storage.models import MemberRow
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from storage.success_repository import SuccessRepository
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.fake_chat import FakeChat, Posted

DEMO_SUCCESSES = 3  # seeded by the demo for kotihoito


@pytest.fixture
def chat(demo: Demo, clock: Clock) -> FakeChat:
    directory = OrganisationRepository(demo.db)
    plans = PlanRepository(demo.db)
    flows: list[Flow] = [
        SuccessFlow(directory, SuccessRepository(demo.db), plans, clock),
        PlanViewFlow(directory, plans, clock),
    ]
    return FakeChat(Conversation(directory, clock, flows))


def choice_starting(card: Posted, prefix: str) -> str:
    """The label of the receipt's choice that begins with `prefix`."""
    question = next(b for b in card.card.blocks if isinstance(b, Question))
    return next(c.label for c in question.choices if c.label.startswith(prefix))


def facts(posted: Posted) -> dict[str, str]:
    return dict(next(b for b in posted.card.blocks if isinstance(b, Facts)).items)


def kotihoito_successes(demo: Demo) -> int:
    return len(SuccessRepository(demo.db).for_team(demo.team("kotihoito").id))


def test_the_channel_card_speaks_the_teams_language_and_both_in_a_bilingual_team(chat: FakeChat, demo: Demo) -> None:
    # Maria speaks Swedish in a Finnish-speaking team: the channel reads Finnish, whoever shared.
    chat.say(demo.person("Maria"), "framgång Nya listan klar")
    [finnish] = chat.channel(demo.team("kotihoito"))
    assert facts(finnish) == {"Jakoi": "Maria Lindqvist"}
    # Three of the kitchen's seven speak Swedish: the team is bilingual and its channel reads both.
    for name in ("Petri", "Riikka"):
        OrganisationRepository(demo.db).set_member_language(demo.person(name).id, "sv")
    chat.say(demo.person("Eva"), "framgång Menyn klar i tid")
    [bilingual] = chat.channel(demo.team("ruokapalvelu"))
    assert facts(bilingual) == {"Jakoi / Delad av": "Eva Sjöberg"}
    assert bilingual.text.startswith("🎉 Onnistuminen! / 🎉 En framgång!\nMenyn klar i tid")


def test_a_success_is_celebrated_in_the_channel_with_the_people_mentioned(chat: FakeChat, demo: Demo) -> None:
    anna, elina, juha, liisa = (demo.person(n) for n in ("Anna", "Elina", "Juha", "Liisa"))
    chat.say(
        anna,
        "onnistuminen Joulukuun vuorolista valmis jo nyt! Kiitos @Elina Salo ja @juha",
        mentions=(str(liisa.id), str(anna.id), "not-a-member"),
    )
    [celebration] = chat.channel(demo.team("kotihoito"))
    assert celebration.card.kind == "success" and card_problems(celebration.card) == []
    assert celebration.text.startswith(
        "🎉 Onnistuminen!\nJoulukuun vuorolista valmis jo nyt! Kiitos @Elina Salo ja @juha"
    )
    # The author is named once as the one who shared it, not again among those mentioned.
    assert facts(celebration) == {"Jakoi": "Anna Korhonen", "Mukana": "Liisa Virtanen, Elina Salo, Juha Nieminen"}
    assert celebration.card.fallback_text == (
        "🎉 Anna Korhonen jakoi onnistumisen: Joulukuun vuorolista valmis jo nyt! Kiitos @Elina Salo ja @juha"
    )
    newest = SuccessRepository(demo.db).for_team(demo.team("kotihoito").id)[0]
    assert newest.author_id == anna.id and newest.target_id is None
    assert set(newest.mentioned_ids) == {elina.id, juha.id, liisa.id}
    # Anna's receipt offers the plan's targets and strengths, each label within a button's limit.
    receipt = chat.last_card(anna)
    assert receipt.text.startswith(
        "Kiitos! Onnistumisesi on tallennettu, ja se näkyy pian tiimin kanavalla.\nJoulukuun vuorolista"
    )
    question = next(b for b in receipt.card.blocks if isinstance(b, Question))
    labels = [c.label for c in question.choices]
    assert labels[0] == "Kohde 1: Työvuorot ennakoitaviksi"  # the target, not its goal: short enough as it is
    assert labels[1].startswith("Kohde 2: Palautetta säännöllisesti")
    assert labels[2:] == [
        "Vahvuus: Autamme toisiamme kiireen keskellä.",
        "Vahvuus: Asiakkaat kiittävät lämpimästä ja ammattitaitoisesta hoidosta.",
        "Ei mihinkään näistä",
    ]
    assert all(len(label) <= MAX_BUTTON_LABEL for label in labels) and question.selected is None


def test_tying_a_success_to_a_target_counts_it_there_and_redraws_the_receipt(chat: FakeChat, demo: Demo) -> None:
    anna = demo.person("Anna")
    team = demo.team("kotihoito")
    successes = SuccessRepository(demo.db)
    plan = PlanRepository(demo.db).current(team.id)
    assert plan is not None
    first, second = (t.id for t in plan.targets)
    assert first is not None and second is not None
    before = successes.count_by_target(team.id)
    chat.say(anna, "onnistuminen Palaverin alun onnistumiskierros toimi taas")
    receipt = chat.last_card(anna)

    chat.tap(anna, choice_starting(receipt, "Kohde 2"), on=receipt)
    assert successes.count_by_target(team.id) == {**before, second: before.get(second, 0) + 1}
    assert receipt.versions == 2 and receipt.card.kind == "success_shared"
    assert "[Kohde 2: Palautetta säännöllisesti" in receipt.text
    assert "Selvä! Onnistuminen kirjattiin kohtaan ”Kohde 2: Palautetta säännöllisesti" in receipt.text
    # The celebration in the channel stays as posted: one message, never redrawn.
    [celebration] = chat.channel(team)
    assert celebration.versions == 1

    chat.tap(anna, choice_starting(receipt, "Kohde 2"), on=receipt)  # a second tap writes nothing new
    assert successes.count_by_target(team.id)[second] == before.get(second, 0) + 1

    chat.tap(anna, "Ei mihinkään näistä", on=receipt)
    assert successes.count_by_target(team.id) == before
    assert "[Ei mihinkään näistä]" in receipt.text and "ei liitetty kehittämiskohteeseen" in receipt.text

    chat.tap(anna, choice_starting(receipt, "Vahvuus: Autamme"), on=receipt)
    newest = successes.for_team(team.id)[0]
    assert newest.target_id is None and newest.strength_id == plan.strengths[0].id
    assert successes.count_by_target(team.id) == before and len(chat.channel(team)) == 1


@pytest.mark.parametrize("typed", ["onnistuminen", "onnistuminen    ", "success", "framgång"])
def test_a_success_without_text_asks_for_it_and_saves_nothing(chat: FakeChat, demo: Demo, typed: str) -> None:
    anna = demo.person("Anna")
    chat.say(anna, typed)
    assert "esimerkiksi: ”onnistuminen Vuorolista valmistui" in chat.last(anna).text
    assert kotihoito_successes(demo) == DEMO_SUCCESSES and chat.channel(demo.team("kotihoito")) == []


def test_a_success_over_2000_characters_is_refused_and_nothing_is_saved(chat: FakeChat, demo: Demo) -> None:
    anna = demo.person("Anna")
    chat.say(anna, "onnistuminen " + "a" * 2001)
    assert chat.last(anna).text == "Teksti on liian pitkä: enintään 2000 merkkiä."
    assert kotihoito_successes(demo) == DEMO_SUCCESSES and chat.channel(demo.team("kotihoito")) == []
    chat.say(anna, "onnistuminen " + "a" * 2000)  # exactly at the limit is fine
    assert kotihoito_successes(demo) == DEMO_SUCCESSES + 1 and len(chat.channel(demo.team("kotihoito"))) == 1


def test_swedish_and_english_speakers_get_their_own_language_and_the_channel_the_teams(
    chat: FakeChat, demo: Demo
) -> None:
    maria, ahmed = demo.person("Maria"), demo.person("Ahmed")
    chat.say(maria, "framgång Vi hann med alla hembesök trots snöstormen, tack @Ahmed Hassan!")
    receipt = chat.last_card(maria)
    assert receipt.text.startswith("Tack! Din framgång är sparad och syns snart i teamets kanal.")
    assert "Hör framgången ihop med något av era utvecklingsområden eller styrkor?" in receipt.text
    assert choice_starting(receipt, "Område 1: ") and choice_starting(receipt, "Styrka: ")
    chat.tap(maria, "Inget av dessa", on=receipt)
    assert "Okej! Framgången kopplades inte till något utvecklingsområde eller någon styrka." in receipt.text
    # The channel is shared, so it hears the team's language (Finnish here).
    celebration = chat.channel(demo.team("kotihoito"))[-1]
    assert facts(celebration) == {"Jakoi": "Maria Lindqvist", "Mukana": "Ahmed Hassan"}

    chat.say(ahmed, "success @maria covered my visits on Friday, Maria is great")
    receipt = chat.last_card(ahmed)
    assert receipt.text.startswith("Thank you! Your success is saved and will appear in the team's channel shortly.")
    chat.tap(ahmed, choice_starting(receipt, "Target 1: "), on=receipt)
    assert "Done! The success is noted under “Target 1: " in receipt.text
    assert facts(chat.channel(demo.team("kotihoito"))[-1]) == {"Jakoi": "Ahmed Hassan", "Mukana": "Maria Lindqvist"}


def test_a_team_without_a_plan_gets_the_celebration_and_a_receipt_with_nothing_to_choose(
    chat: FakeChat, demo: Demo
) -> None:
    mikko = demo.person("Mikko")  # perusturva has no plan
    chat.say(mikko, "onnistuminen Uusi tauhuone on valmis")
    [celebration] = chat.channel(demo.team("perusturva"))
    assert "Uusi tauhuone on valmis" in celebration.text and facts(celebration) == {"Jakoi": "Mikko Rantanen"}
    receipt = chat.last_card(mikko)
    assert not any(isinstance(b, Question) for b in receipt.card.blocks)
    assert chat.channel(demo.team("kotihoito")) == []


def test_only_the_author_may_tie_a_success_and_forged_choices_change_nothing(chat: FakeChat, demo: Demo) -> None:
    anna, juha = demo.person("Anna"), demo.person("Juha")
    successes = SuccessRepository(demo.db)
    kotihoito = demo.team("kotihoito")
    chat.say(anna, "onnistuminen Asiakas kiitti")
    newest = successes.for_team(kotihoito.id)[0]
    assert newest.id is not None
    other_plan = PlanRepository(demo.db).current(demo.team("ruokapalvelu").id)
    assert other_plan is not None
    before = successes.count_by_target(kotihoito.id)
    plan = PlanRepository(demo.db).current(kotihoito.id)
    assert plan is not None

    chat.press(juha, LINK, f"{newest.id}:target:{plan.targets[0].id}")
    assert chat.last(juha).text == "Vain onnistumisen jakaja voi liittää sen kehittämiskohteeseen."
    for value in (
        f"{newest.id}:target:{other_plan.targets[0].id}",  # another team's target
        f"{newest.id}:strength:{other_plan.strengths[0].id}",  # another team's strength
        f"{newest.id}:target",
        "abc:none",
        "999999:none",
        f"{newest.id}:target:1:2",
    ):
        chat.press(anna, LINK, value)
        assert chat.last(anna).text.startswith("En löydä tätä onnistumista tai valintaa enää"), value
    chat.press(anna, "success.unknown", "x")
    assert "painiketta en enää tunnista" in chat.last(anna).text
    assert successes.count_by_target(kotihoito.id) == before
    assert successes.for_team(kotihoito.id)[0] == newest


def test_a_person_in_no_team_is_told_so(chat: FakeChat, demo: Demo) -> None:
    with demo.db.transaction() as session:
        row = MemberRow(org_id=demo.org.id, name="Vieras Käyttäjä")
        session.add(row)
        session.flush()
        member = Member(row.id, row.name)
    chat.say(member, "onnistuminen Hieno päivä")
    assert chat.last(member).text.startswith("Et kuulu vielä mihinkään tiimiin")
    assert all(chat.channel(t) == [] for t in demo.org.teams)


def test_a_message_shared_as_a_success_is_credited_to_its_writer_and_names_who_shared_it(
    demo: Demo, chat: FakeChat
) -> None:
    sharer, author = demo.person("Anna"), demo.person("Maria")
    team = demo.team("kotihoito")
    assert team.id in author.team_ids
    form = {"text": "Asiakaskäynnit sujuivat ilman jonoa!"}
    chat.press(sharer, FROM_MESSAGE, "", form=form, author=chat.sender(author))

    [celebration] = chat.channel(team)
    assert "Asiakaskäynnit sujuivat ilman jonoa!" in celebration.text
    assert facts(celebration) == {"Kirjoitti": "Maria Lindqvist", "Jakoi": "Anna Korhonen"}
    assert "Maria Lindqvist" in celebration.message.fallback_text
    saved = SuccessRepository(demo.db).for_team(team.id)[0]
    assert saved.author_id == author.id and saved.mentioned_ids == ()  # counted as hers; the sharer is no mention

    # The writer hears of it in her own language and may tie it to the plan; the sharer is thanked, with no choices.
    notice, receipt = chat.inbox(author)[-2:]
    assert notice.text == "Anna Korhonen delade ditt meddelande som en framgång i teamets kanal."
    assert any(isinstance(b, Question) for b in receipt.card.blocks)
    thanks = chat.last_card(sharer)
    assert thanks.text.startswith("Kiitos! Jakamasi viesti") and not any(
        isinstance(b, Question) for b in thanks.card.blocks
    )
    chat.tap(author, choice_starting(receipt, "Område 1"), on=receipt)
    assert SuccessRepository(demo.db).for_team(team.id)[0].target_id is not None


def test_a_message_a_bot_wrote_is_shared_with_the_bots_name_and_counted_for_the_sharer(
    demo: Demo, chat: FakeChat
) -> None:
    sharer = demo.person("Anna")
    team = demo.team("kotihoito")
    bot = Sender(Platform.WEB, "", display_name="Vuorolistarobotti")  # no person behind it, only a name
    chat.press(sharer, FROM_MESSAGE, "", form={"text": "Vuorolista julkaistu"}, author=bot)
    [celebration] = chat.channel(team)
    assert facts(celebration) == {"Kirjoitti": "Vuorolistarobotti", "Jakoi": "Anna Korhonen"}
    assert SuccessRepository(demo.db).for_team(team.id)[0].author_id == sharer.id
    assert any(isinstance(b, Question) for b in chat.last_card(sharer).card.blocks)  # hers to tie, then


def test_sharing_ones_own_message_reads_as_a_typed_success(demo: Demo, chat: FakeChat) -> None:
    anna = demo.person("Anna")
    chat.press(anna, FROM_MESSAGE, "", form={"text": "Sain kurssin valmiiksi"}, author=chat.sender(anna))
    [celebration] = chat.channel(demo.team("kotihoito"))
    assert facts(celebration) == {"Jakoi": "Anna Korhonen"}
    assert len([p for p in chat.inbox(anna) if p.message.card is not None]) == 1


def test_the_sharers_note_is_celebrated_with_the_shared_message(demo: Demo, chat: FakeChat) -> None:
    sharer = demo.person("Anna")
    form = {"text": "Asiakaskäynnit sujuivat ilman jonoa!", "note": "Tästä iso kiitos!"}
    posted = chat.press(sharer, FROM_MESSAGE, "", form=form)
    (channel,) = [p for p in posted if p.message.to.is_channel]
    assert channel.text.index("Tästä iso kiitos!") < channel.text.index("Asiakaskäynnit sujuivat ilman jonoa!")


def test_sharing_a_message_without_text_gets_a_clear_answer_and_stores_nothing(demo: Demo, chat: FakeChat) -> None:
    sharer = demo.person("Anna")
    before = len(SuccessRepository(demo.db).for_team(demo.team("kotihoito").id))
    (reply,) = chat.press(sharer, FROM_MESSAGE, "", form={"text": "  "})
    assert "no text" in reply.text or "ei ole tekstiä" in reply.text or "har ingen text" in reply.text
    assert len(SuccessRepository(demo.db).for_team(demo.team("kotihoito").id)) == before
