"""The evaluation's cards: the form answered with the team, the answers saved, and next year's draft to decide."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.card_limits import MAX_HEADING, MAX_TEXT, shorten
from bot.conversation import COMMAND_ACTION
from bot.evaluation import CarriedItem, CarryKind, Decision, Evaluation, Outcome, target_title
from bot.flows.evaluation_model import (
    CARRY,
    DRAFT,
    HELPED_FIELD,
    KEPT_FIELD,
    NEXT_FIELD,
    OPEN,
    OUTCOME_FIELD,
    SAVE,
    carry_value,
)
from bot.flows.row_values import row_value
from bot.formatting import format_date
from bot.i18n import translate
from bot.messages import Block, Button, Buttons, Card, Choice, Heading, Question, Select, Text, TextInput
from bot.organisation import Team
from bot.plan import ActionStatus, DevelopmentPlan

TITLE_LIMIT = 200
LABEL_LIMIT = 140
FIELD_LIMIT = 1000
MAX_ITEMS_SHOWN = 15  # open items on the draft card: two blocks each keeps it well under Slack's 50


def evaluation_card(
    team: Team,
    plan: DevelopmentPlan,
    successes: Mapping[int, int],
    language: str,
    *,
    form: Mapping[str, str] | None = None,
    problem: str = "",
) -> Card:
    """The form: per target achieved / partly / not, what helped, what next; per strength kept or not.

    `form` fills it (what was typed before a refusal, or the stored answers); `problem` says what is missing.
    """
    form = form or {}
    heading = translate(language, "evaluation.heading", team=team.name, year=plan.year)
    blocks: list[Block] = [Heading(shorten(heading, MAX_HEADING))]
    if problem:
        blocks.append(Text(f"⚠ {problem}"))
    blocks.append(Text(translate(language, "evaluation.intro")))
    outcomes = tuple(Choice(translate(language, f"evaluation.outcome.{o.value}"), o.value) for o in Outcome)
    for number, target in enumerate(plan.targets, start=1):
        done = sum(1 for a in target.actions if a.status is ActionStatus.DONE)
        line = translate(
            language,
            "evaluation.target_line",
            number=number,
            target=shorten(target_title(target, language), TITLE_LIMIT),
            done=done,
            total=len(target.actions),
            successes=successes.get(target.id, 0) if target.id is not None else 0,
        )
        picked = form.get(f"{OUTCOME_FIELD}{target.id}", "")
        blocks += [
            Text(line),
            Select(
                f"{OUTCOME_FIELD}{target.id}",
                translate(language, "evaluation.outcome_label"),
                outcomes,
                selected=(picked,) if picked else (),
                expanded=True,
            ),
            TextInput(
                f"{HELPED_FIELD}{target.id}",
                translate(language, "evaluation.helped_label"),
                multiline=True,
                max_length=FIELD_LIMIT,
                initial=shorten(form.get(f"{HELPED_FIELD}{target.id}", ""), FIELD_LIMIT),
            ),
            TextInput(
                f"{NEXT_FIELD}{target.id}",
                translate(language, "evaluation.next_label"),
                placeholder=translate(language, "evaluation.next_placeholder"),
                multiline=True,
                max_length=FIELD_LIMIT,
                initial=shorten(form.get(f"{NEXT_FIELD}{target.id}", ""), FIELD_LIMIT),
            ),
        ]
    if plan.strengths:
        blocks.append(Text(translate(language, "evaluation.strengths_heading")))
    kept = (
        Choice(translate(language, "evaluation.kept.yes"), "yes"),
        Choice(translate(language, "evaluation.kept.no"), "no"),
    )
    for number, strength in enumerate(plan.strengths, start=1):
        label = translate(language, "evaluation.strength_label", number=number, text=strength.text)
        picked = form.get(f"{KEPT_FIELD}{strength.id}", "")
        blocks.append(
            Select(
                f"{KEPT_FIELD}{strength.id}",
                shorten(label, LABEL_LIMIT),
                kept,
                selected=(picked,) if picked else (),
                expanded=True,
            )
        )
    save = Button(SAVE, translate(language, "evaluation.save"), row_value("plan", plan.id), "primary")
    blocks.append(Buttons((save,)))
    fallback = translate(language, "evaluation.fallback", team=team.name, year=plan.year)
    return Card("evaluation", fallback, tuple(blocks))


def answers_as_form(evaluation: Evaluation) -> dict[str, str]:
    """A stored evaluation as the form's fields, so opening it again shows what was answered."""
    form: dict[str, str] = {}
    for answer in evaluation.targets:
        form[f"{OUTCOME_FIELD}{answer.target_id}"] = answer.outcome.value
        form[f"{HELPED_FIELD}{answer.target_id}"] = answer.helped
        form[f"{NEXT_FIELD}{answer.target_id}"] = answer.next_step
    for strength in evaluation.strengths:
        form[f"{KEPT_FIELD}{strength.strength_id}"] = "yes" if strength.kept else "no"
    return form


def saved_card(team: Team, plan: DevelopmentPlan, evaluation: Evaluation, language: str) -> Card:
    """What takes the form's place once saved: the answers in words, and the way on to next year's draft."""
    heading = translate(language, "evaluation.saved_heading", team=team.name, year=plan.year)
    lines = [translate(language, "evaluation.saved_on", date=format_date(evaluation.evaluated_on, language))]
    for number, target in enumerate(plan.targets, start=1):
        answer = evaluation.of_target(target.id)
        if answer is None:
            continue
        outcome = translate(language, f"evaluation.outcome.{answer.outcome.value}")
        title = shorten(target_title(target, language), TITLE_LIMIT)
        lines.append(translate(language, "evaluation.saved_target", number=number, target=title, outcome=outcome))
        if answer.helped:
            lines.append(translate(language, "evaluation.saved_helped", text=shorten(answer.helped, 300)))
        if answer.next_step:
            lines.append(translate(language, "evaluation.saved_next", text=shorten(answer.next_step, 300)))
    for strength in plan.strengths:
        answered = evaluation.of_strength(strength.id)
        if answered is not None:
            kept = translate(language, "evaluation.kept.yes" if answered.kept else "evaluation.kept.no")
            text = shorten(strength.text, TITLE_LIMIT)
            lines.append(translate(language, "evaluation.saved_strength", text=text, kept=kept))
    buttons = Buttons(
        (
            Button(DRAFT, translate(language, "evaluation.open_draft"), row_value("team", team.id), "primary"),
            Button(OPEN, translate(language, "evaluation.edit"), row_value("team", team.id)),
        )
    )
    body = Text(shorten("\n".join(lines), MAX_TEXT))
    return Card("evaluation_saved", heading, (Heading(shorten(heading, MAX_HEADING)), body, buttons))


def draft_card(
    team: Team,
    draft: DevelopmentPlan,
    items: Sequence[CarriedItem],
    evaluated: DevelopmentPlan,
    names: Mapping[int, str],
    language: str,
) -> Card:
    """Next year's draft: each carried item kept or dropped by the team; once all are decided, on to `päivitä`."""
    heading = translate(language, "evaluation.draft_heading", team=team.name, year=draft.year)
    blocks: list[Block] = [Heading(shorten(heading, MAX_HEADING))]
    titles = {t.id: target_title(t, language) for t in evaluated.targets}
    if not items:
        blocks.append(Text(translate(language, "evaluation.draft_empty")))
    else:
        blocks.append(Text(translate(language, "evaluation.draft_intro")))
        decided = [_decided_line(item, language) for item in items if item.decision is not Decision.OPEN]
        if decided:
            blocks.append(Text(shorten("\n".join(decided), MAX_TEXT)))
        still_open = [item for item in items if item.decision is Decision.OPEN]
        choices = (Decision.KEPT, "evaluation.keep"), (Decision.DROPPED, "evaluation.drop")
        for item in still_open[:MAX_ITEMS_SHOWN]:
            blocks.append(
                Question(
                    f"carry-{item.id}",
                    _item_line(item, titles, names, language),
                    CARRY,
                    tuple(Choice(translate(language, key), carry_value(item.id, d)) for d, key in choices),
                )
            )
        if len(still_open) > MAX_ITEMS_SHOWN:
            count = len(still_open) - MAX_ITEMS_SHOWN
            blocks.append(Text(translate(language, "evaluation.more_items", count=count)))
        if still_open:
            blocks.append(Text(translate(language, "evaluation.draft_open", count=len(still_open))))
        else:
            blocks.append(Text(translate(language, "evaluation.draft_done")))
    if not items or all(item.decision is not Decision.OPEN for item in items):
        blocks.append(Buttons((Button(f"{COMMAND_ACTION}update", translate(language, "evaluation.edit_draft")),)))
    fallback = translate(language, "evaluation.draft_fallback", team=team.name, year=draft.year)
    return Card("evaluation_draft", fallback, tuple(blocks))


def _item_line(item: CarriedItem, titles: Mapping[int | None, str], names: Mapping[int, str], language: str) -> str:
    key = "evaluation.carry.action" if item.kind is CarryKind.UNFINISHED_ACTION else "evaluation.carry.next_step"
    target = shorten(titles.get(item.from_target_id, ""), LABEL_LIMIT)
    line = translate(language, key, text=shorten(item.text, 600), target=target)
    owner = names.get(item.owner_id) if item.owner_id is not None else None
    if owner:
        line += " · " + translate(language, "evaluation.carry_owner", name=owner)
    return line


def _decided_line(item: CarriedItem, language: str) -> str:
    key = "evaluation.decided.kept" if item.decision is Decision.KEPT else "evaluation.decided.dropped"
    return translate(language, key, text=shorten(item.text, 200))
