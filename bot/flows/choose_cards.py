"""The cards of me – us – all of us: a person's own picks, the pair's talk, the supervisor's steps and the tally."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from bot.anonymity import DEFAULT_THRESHOLD
from bot.card_limits import MAX_BUTTON_LABEL, MAX_HEADING, MAX_TEXT, shorten
from bot.dimensions import Dimension, risk_limit
from bot.flows.choose_figures import TeamFigures
from bot.flows.choose_merge import Merge
from bot.flows.choose_model import (
    MAX_OWN_WORDS,
    MAX_PICKS,
    OWN_SUFFIX,
    ChooseSession,
    Pick,
    PickKind,
    Stage,
    room_left,
)
from bot.flows.choose_tally import TallyItem, of_kind, tally
from bot.formatting import format_date, format_percent
from bot.i18n import translate
from bot.messages import Button, Buttons, Card, Choice, Facts, Heading, Select, Text, TextInput
from bot.organisation import Team
from bot.plan import DevelopmentPlan
from bot.questions import dimension_name

MAX_OPTIONS = 30  # the most-picked items per kind: the team agrees on a few, and Teams caps a card at ~28 KB
OWN_WORDS_FIELD = MAX_PICKS * (MAX_OWN_WORDS + 1)  # three items in own words, one a line
CONFIRM_FIELDS = {PickKind.STRENGTH: "confirm_strengths", PickKind.TARGET: "confirm_targets"}
_LINE_KEYS = {PickKind.STRENGTH: "choose.line.strengths", PickKind.TARGET: "choose.line.targets"}


def pick_label(pick: Pick, language: str) -> str:
    """A pick as people read it: the dimension's name, or the person's own words."""
    return dimension_name(pick.dimension, language) if pick.dimension else pick.choice


def item_label(item: TallyItem, language: str) -> str:
    """A tally item as people read it."""
    return dimension_name(item.dimension, language) if item.dimension else item.text


def me_card(
    session: ChooseSession,
    team: Team,
    language: str,
    picks: Sequence[Pick] = (),
    *,
    saved: bool,
    threshold: int = DEFAULT_THRESHOLD,
    note: str = "",
    figures: TeamFigures | None = None,
) -> Card:
    """Each person's own card: up to three strengths and three targets, from the dimensions or in own words.

    With `note` (why the last send was refused), the card comes back with what the person had picked and written.
    With the team's `figures`, each dimension shows its figure: the targets list those under a risk limit and the
    weakest first, the strengths the strongest first.
    """
    blocks: list[Heading | Text | Select | TextInput | Buttons] = [_title(team, language)]
    if note:
        blocks.append(Text(note))
    if saved:
        blocks.append(Text(translate(language, "choose.me.saved")))
        blocks.append(Text(shorten(_picks_lines(picks, language), MAX_TEXT)))
    else:
        blocks.append(Text(translate(language, "choose.me.intro", max=MAX_PICKS, threshold=threshold)))
    if figures is not None:
        blocks.append(Text(shorten(figures_text(figures, language), MAX_TEXT)))
    for kind in PickKind:
        chosen = [pick for pick in picks if pick.kind is kind]
        blocks.append(
            Select(
                id=kind.field,
                label=translate(language, f"choose.me.{kind.field}", max=MAX_PICKS),
                choices=_dimension_choices(language, kind, figures),
                multiple=True,
                selected=tuple(pick.choice for pick in chosen if pick.dimension),
            )
        )
        blocks.append(
            TextInput(
                id=kind.field + OWN_SUFFIX,
                label=translate(language, "choose.me.own_words"),
                placeholder=translate(language, f"choose.me.{kind.field}_example"),
                multiline=True,
                max_length=OWN_WORDS_FIELD,
                initial=shorten("\n".join(p.choice for p in chosen if not p.dimension), OWN_WORDS_FIELD),
            )
        )
    send = Button("choose.send", _label(language, "choose.me.send"), str(session.id), "primary")
    blocks.append(Buttons((send,)))
    fallback = translate(language, "choose.me.fallback", team=team.name)
    return Card("choose.me", fallback, tuple(blocks))


def control_card(
    session: ChooseSession,
    team: Team,
    language: str,
    *,
    note: str,
    sent: int,
    members: int,
    pairs: int,
    closes_on: date,
) -> Card:
    """The supervisor's card for the "me" and "us" steps: where things stand and the next step's button."""
    facts = [
        (translate(language, "choose.control.stage"), translate(language, f"choose.stage.{session.stage.value}")),
        (translate(language, "choose.control.sent"), f"{sent} / {members}"),
        (
            translate(language, "choose.control.open"),
            translate(language, "choose.control.until", date=format_date(closes_on, language)),
        ),
    ]
    if pairs:
        facts.append((translate(language, "choose.control.pairs"), str(pairs)))
    hint = "choose.control.me_hint" if session.stage is Stage.ME else "choose.control.us_hint"
    next_step = (
        Button("choose.pair", _label(language, "choose.pair_button"), str(session.id), "primary")
        if session.stage is Stage.ME
        else Button("choose.tally", _label(language, "choose.tally_button"), str(session.id), "primary")
    )
    blocks: list[Heading | Text | Facts | Buttons] = [_title(team, language)]
    if note:
        blocks.append(Text(note))
    blocks += [Facts(tuple(facts)), Text(translate(language, hint)), Buttons((next_step, _cancel(session, language)))]
    fallback = translate(language, "choose.control.fallback", team=team.name, sent=sent, members=members)
    return Card("choose.control", fallback, tuple(blocks))


def pair_card(team: Team, pair: Sequence[int], names: Mapping[int, str], picks: Sequence[Pick], language: str) -> Card:
    """The "us" card: who in the pair picked what (seen only inside the pair), and what they share."""
    people = ", ".join(names.get(member_id, "?") for member_id in pair)
    blocks: list[Heading | Text] = [
        Heading(shorten(translate(language, "choose.pair.heading", names=people), MAX_HEADING)),
        Text(translate(language, "choose.pair.intro")),
    ]
    for member_id in pair:
        own = [pick for pick in picks if pick.member_id == member_id]
        body = f"*{names.get(member_id, '?')}*\n" + _picks_lines(own, language)
        blocks.append(Text(shorten(body, MAX_TEXT)))
    shared = [item for item in tally(picks) if item.count > 1]
    if shared:
        lines = [_items_line(kind, of_kind(shared, kind), language) for kind in PickKind if of_kind(shared, kind)]
        blocks.append(Text(shorten(translate(language, "choose.pair.shared") + "\n" + "\n".join(lines), MAX_TEXT)))
    blocks.append(Text(translate(language, "choose.pair.privacy")))
    return Card("choose.pair", translate(language, "choose.pair.fallback", team=team.name), tuple(blocks))


def tally_card(team: Team, items: Sequence[TallyItem], people: int, threshold: int, language: str) -> Card:
    """The "all of us" tally for the team's channel: counts per item, most picked first, no names.

    Fewer senders than the anonymity threshold and the counts would tell who chose what (two people, one item
    picked once): then the card says so instead, and the choosing moves to the workshop.
    """
    if people < threshold:
        body: tuple[Text, ...] = (Text(translate(language, "choose.tally.too_few", count=people, threshold=threshold)),)
    else:
        people_line = Text(translate(language, "choose.tally.people", count=people, max=MAX_PICKS))
        body = (*_tally_blocks(items, language), people_line)
    blocks: tuple[Heading | Text, ...] = (
        Heading(shorten(translate(language, "choose.tally.heading", team=team.name), MAX_HEADING)),
        *body,
    )
    return Card("choose.tally", translate(language, "choose.tally.fallback", team=team.name), blocks)


def confirm_card(
    session: ChooseSession,
    team: Team,
    items: Sequence[TallyItem],
    plan: DevelopmentPlan | None,
    year: int,
    language: str,
    *,
    note: str = "",
    hidden: str = "",
    selected: Mapping[PickKind, Sequence[str]] | None = None,
    merges: Sequence[Merge] = (),
) -> Card:
    """The supervisor's last step: the tally, and as many of its items as the plan still has room for.

    With `hidden` (why the tally cannot be shown: too few sent picks), the card says that and can only end the
    round: the supervisor sees no more than the team does. `selected` keeps what the supervisor had picked when a
    confirmation was refused. `merges` are items in own words that look alike, each offered with a button.
    """
    if hidden:
        blocks_hidden: tuple[Heading | Text | Buttons, ...] = (
            Heading(shorten(translate(language, "choose.confirm.heading", team=team.name), MAX_HEADING)),
            *([Text(note)] if note else []),
            Text(hidden),
            Buttons((_cancel(session, language),)),
        )
        return Card("choose.confirm", translate(language, "choose.confirm.fallback", team=team.name), blocks_hidden)
    room = room_left(plan)
    left = {"strengths_left": room[PickKind.STRENGTH], "targets_left": room[PickKind.TARGET]}
    if plan is None:
        room_line = translate(language, "choose.confirm.new_plan", year=year, **left)
    else:
        room_line = translate(
            language,
            "choose.confirm.plan_room",
            year=year,
            strengths=len(plan.strengths),
            targets=len(plan.targets),
            **left,
        )
    blocks: list[Heading | Text | Select | Buttons] = [
        Heading(shorten(translate(language, "choose.confirm.heading", team=team.name), MAX_HEADING)),
        *([Text(note)] if note else []),
        *_tally_blocks(items, language),
        *_merge_blocks(session, merges, language),
        Text(translate(language, "choose.confirm.intro") + "\n" + room_line),
    ]
    for kind in PickKind:
        choices = tuple(
            Choice(
                _label(language, "choose.confirm.choice", item=item_label(item, language), count=item.count), item.key
            )
            for item in of_kind(items, kind)[:MAX_OPTIONS]
        )
        if choices and room[kind]:  # a kind the plan is full of is not offered: the room line says why
            label = translate(language, f"choose.confirm.{kind.field}", left=room[kind])
            offered = {choice.value for choice in choices}
            kept = tuple(key for key in (selected or {}).get(kind, ()) if key in offered)
            blocks.append(Select(CONFIRM_FIELDS[kind], label, choices, multiple=True, selected=kept))
    confirm = Button("choose.confirm", _label(language, "choose.confirm_button"), str(session.id), "primary")
    blocks.append(Buttons((confirm, _cancel(session, language))))
    return Card("choose.confirm", translate(language, "choose.confirm.fallback", team=team.name), tuple(blocks))


def chosen_card(team: Team, chosen: Sequence[TallyItem], language: str) -> Card:
    """What the team agreed, for its channel: the strengths and targets now in the plan."""
    lines = [_items_line(kind, of_kind(chosen, kind), language, counts=False) for kind in PickKind]
    blocks = (
        Heading(shorten(translate(language, "choose.chosen.heading", team=team.name), MAX_HEADING)),
        Text(shorten("\n".join(lines), MAX_TEXT)),
        Text(translate(language, "choose.chosen.next")),
    )
    return Card("choose.chosen", translate(language, "choose.chosen.heading", team=team.name), blocks)


def _tally_blocks(items: Sequence[TallyItem], language: str) -> tuple[Text, ...]:
    blocks = []
    for kind in PickKind:
        found = of_kind(items, kind)
        lines = [translate(language, "choose.tally.item", item=item_label(i, language), count=i.count) for i in found]
        body = "\n".join(lines) if lines else translate(language, "choose.tally.none")
        blocks.append(Text(shorten(f"*{translate(language, f'choose.tally.{kind.field}')}*\n{body}", MAX_TEXT)))
    return tuple(blocks)


def _merge_blocks(session: ChooseSession, merges: Sequence[Merge], language: str) -> list[Text | Buttons]:
    """Each look-alike pair: what it is, and a button that folds the less picked into the more picked."""
    blocks: list[Text | Buttons] = []
    for number, merge in enumerate(merges):
        pair = translate(
            language,
            "choose.merge.pair",
            source=merge.source.text,
            source_count=merge.source.count,
            into=merge.into.text,
            into_count=merge.into.count,
        )
        text = (translate(language, "choose.merge.heading") + "\n" if number == 0 else "") + pair
        button = Button(
            "choose.merge", _label(language, "choose.merge.button", into=merge.into.text), merge.value(session.id)
        )
        blocks += [Text(shorten(text, MAX_TEXT)), Buttons((button,))]
    return blocks


def _picks_lines(picks: Iterable[Pick], language: str) -> str:
    picks = list(picks)
    lines = []
    for kind in PickKind:
        labels = [pick_label(pick, language) for pick in picks if pick.kind is kind]
        lines.append(translate(language, _LINE_KEYS[kind], items=" · ".join(labels) or "–"))
    return "\n".join(lines)


def _items_line(kind: PickKind, items: Sequence[TallyItem], language: str, *, counts: bool = True) -> str:
    labels = [item_label(item, language) + (f" ({item.count})" if counts else "") for item in items]
    return translate(language, _LINE_KEYS[kind], items=" · ".join(labels) or "–")


WEAKEST_NAMED = 3  # the card's summary names this many of the weakest besides those under a risk limit


def figures_text(figures: TeamFigures, language: str) -> str:
    """Where the team stands, above the dimensions: which source, what is under a risk limit, and the weakest."""
    if figures.year is not None:
        lines = [translate(language, "choose.figures.survey", year=figures.year)]
    else:
        as_of = format_date(figures.as_of, language) if figures.as_of else ""
        lines = [translate(language, "choose.figures.pulse", date=as_of)]
    under = figures.below_risk_limit()
    if under:
        items = [
            translate(
                language,
                "choose.figures.below_item",
                dimension=dimension_name(d, language),
                value=format_percent(figures.values[d], language),
                limit=format_percent(risk_limit(d) or 0.0, language),
            )
            for d in under
        ]
        lines.append(translate(language, "choose.figures.below", items=", ".join(items)))
    weakest = [d for d in figures.weakest_first() if d not in under and d in figures.values][:WEAKEST_NAMED]
    if weakest:
        items = [f"{dimension_name(d, language)} {format_percent(figures.values[d], language)}" for d in weakest]
        lines.append(translate(language, "choose.figures.weakest", items=", ".join(items)))
    lines.append(translate(language, "choose.figures.order"))
    return "\n".join(lines)


def _dimension_choices(language: str, kind: PickKind, figures: TeamFigures | None) -> tuple[Choice, ...]:
    """The dimensions as options: with figures, targets weakest first and strengths strongest first."""
    if figures is None:
        return tuple(Choice(shorten(dimension_name(d, language), MAX_BUTTON_LABEL), d.value) for d in Dimension)
    order = figures.weakest_first() if kind is PickKind.TARGET else figures.strongest_first()
    under = set(figures.below_risk_limit())
    choices = []
    for dimension in order:
        name = dimension_name(dimension, language)
        if dimension in figures.values:
            key = "choose.figures.option_below" if dimension in under else "choose.figures.option"
            name = translate(language, key, dimension=name, value=format_percent(figures.values[dimension], language))
        choices.append(Choice(shorten(name, MAX_BUTTON_LABEL), dimension.value))
    return tuple(choices)


def _title(team: Team, language: str) -> Heading:
    return Heading(shorten(translate(language, "choose.title", team=team.name), MAX_HEADING))


def _cancel(session: ChooseSession, language: str) -> Button:
    return Button("choose.cancel", _label(language, "choose.cancel_button"), str(session.id), "danger")


def _label(language: str, key: str, **params: object) -> str:
    return shorten(translate(language, key, **params), MAX_BUTTON_LABEL)
