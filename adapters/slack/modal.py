"""Plan editing in a Slack modal: the core's form card opened with views.open, its submission answered in the ack."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.exc import SQLAlchemyError

from adapters.common.interactions import Interactions, try_again
from adapters.slack.mrkdwn import escape
from adapters.slack.parse import SlackPayloadError, parse_interaction
from adapters.slack.render import render_modal
from bot.card_limits import MAX_TEXT
from bot.errors import DomainError
from bot.events import ActionSubmitted
from bot.flows.plan_edit_forms import ACTION_DUE, ACTION_TEXT, STRENGTH_TEXT, TARGET_GOAL
from bot.flows.plan_edit_refs import PREFIX, SAVE
from bot.i18n import DEFAULT_LANGUAGE, translate
from bot.messages import Button, Buttons, Card, Heading, OutboundMessage, Reply, SentRef
from bot.organisation import Platform
from bot.person import find_person

logger = logging.getLogger(__name__)

FORM_KIND = "plan_edit_form"  # bot/flows/plan_edit_form_cards.py: the cards with inputs
ERROR_BLOCK = "plan_edit_error"  # the block that tells an error no single field owns
Json = dict[str, Any]
VIEW_FIELDS = ("type", "callback_id", "private_metadata", "title", "submit", "close")  # what views.update takes back

# Which input a refusal of the core is about: its message goes under that field. The rest name no field.
FIELD_OF_ERROR = {
    "planedit.due_not_understood": ACTION_DUE,
    "planedit.due_in_past": ACTION_DUE,
    "planedit.due_too_far": ACTION_DUE,
}
REQUIRED_TEXTS = (STRENGTH_TEXT, TARGET_GOAL, ACTION_TEXT)  # one per form: the text "plan.empty_text" is about


@dataclass(frozen=True)
class ModalContext:
    """What the modal's private_metadata carries: the save button's value and the edit card to redraw after."""

    value: str
    channel: str = ""
    ts: str = ""

    def encode(self) -> str:
        return json.dumps({"v": self.value, "c": self.channel, "t": self.ts}, separators=(",", ":"))

    @classmethod
    def decode(cls, text: str) -> ModalContext:
        try:
            data = json.loads(text)
        except ValueError:
            raise SlackPayloadError("a plan modal's private_metadata is not JSON") from None
        if not isinstance(data, dict) or not all(isinstance(data.get(k, ""), str) for k in ("v", "c", "t")):
            raise SlackPayloadError("a plan modal's private_metadata lacks its fields")
        return cls(data.get("v", ""), data.get("c", ""), data.get("t", ""))

    def source(self, workspace: str) -> SentRef | None:
        return SentRef(Platform.SLACK, self.channel, self.ts, workspace) if self.channel and self.ts else None


def is_plan_form(card: Card | None) -> bool:
    """True for a plan-editing form with its save button: what Slack shows as a modal."""
    return card is not None and card.kind == FORM_KIND and _save_button(card) is not None


def form_view(card: Card, source: SentRef | None, language: str) -> Json:
    """The modal of a form card: the save and cancel buttons become the modal's submit and close.

    Its title is the same short one for every form (Slack allows 24 characters); the form's own heading stays
    as the first block. The callback_id is the save action (plan.edit.action.save); the inputs keep their ids as
    block and action ids, so the submission's state reads back as the form the core expects.
    """
    save = _save_button(card)
    if save is None:
        raise ValueError(f"{card.kind}: a form without a save button cannot be a modal")
    buttons = [b for block in card.blocks if isinstance(block, Buttons) for b in block.buttons]
    close = next((b for b in buttons if b is not save), None)
    fields = tuple(block for block in card.blocks if not isinstance(block, Buttons))
    title = Heading(translate(language, "slack_modal.title"))  # render_modal takes the first heading as the title
    context = ModalContext(save.value, *((source.channel_id, source.message_id) if source else ("", "")))
    return render_modal(
        replace(card, blocks=(title, *fields)),
        callback_id=save.action,
        private_metadata=context.encode(),
        submit_label=save.label,
        close_label=close.label if close is not None else save.label,
    )


def _save_button(card: Card) -> Button | None:
    saves = set(SAVE.values())
    return next(
        (b for block in card.blocks if isinstance(block, Buttons) for b in block.buttons if b.action in saves), None
    )


def is_plan_submission(body: Mapping[str, Any]) -> bool:
    """A plan form's view_submission: answered in the ack itself, so a refusal can keep the modal open."""
    view = body.get("view")
    return (
        body.get("type") == "view_submission"
        and isinstance(view, Mapping)
        and str(view.get("callback_id", "")).startswith(PREFIX)
    )


def submitted(body: Mapping[str, Any]) -> ActionSubmitted:
    """The save the submission stands for: the form's values, the save button's value, the edit card as source."""
    event = parse_interaction(body)
    if not isinstance(event, ActionSubmitted):
        raise SlackPayloadError("a plan modal's submission without its view")
    context = ModalContext.decode(event.value)
    return replace(event, value=context.value, source=context.source(event.sender.workspace))


def field_errors(error: DomainError, language: str, form: Mapping[str, str]) -> dict[str, str] | None:
    """The error under the field it is about ({block_id: message}), or None when it names no field."""
    field = FIELD_OF_ERROR.get(error.key)
    if error.key == "plan.empty_text":
        field = next((f for f in REQUIRED_TEXTS if f in form), None)
    elif error.key == "planedit.too_long":
        field = next((f for f, text in form.items() if len(text.strip()) > MAX_TEXT), None)
    if field is None or field not in form:
        return None
    return {field: error.message(language)}


def error_view(view: Mapping[str, Any], message: str) -> Json:
    """The submitted modal again with the message on top (its inputs keep their ids, so Slack keeps what was typed)."""
    blocks = [b for b in view.get("blocks", []) if isinstance(b, Mapping) and b.get("block_id") != ERROR_BLOCK]
    note = {"type": "section", "block_id": ERROR_BLOCK, "text": {"type": "mrkdwn", "text": "⚠️ " + escape(message)}}
    kept = {key: view[key] for key in VIEW_FIELDS if key in view}
    return {**kept, "blocks": [note, *blocks]}


@dataclass(frozen=True)
class Submission:
    """What the ack says (an empty dict closes the modal) and what is sent after it."""

    response: Json
    reply: Reply


class PlanModals:
    """Opens plan forms as modals and answers their submissions; every other reply goes out as before."""

    def __init__(self, interactions: Interactions) -> None:
        self.interactions = interactions

    @staticmethod
    def wants(event: object, trigger_id: str) -> bool:
        """A plan-editing button pressed with a trigger_id: its form, if it answers with one, opens as a modal."""
        return bool(trigger_id) and isinstance(event, ActionSubmitted) and event.action.startswith(PREFIX)

    async def handle(self, event: ActionSubmitted, trigger_id: str, client: AsyncWebClient) -> None:
        """The core's answer, its form opened at once (the trigger_id lasts 3 s); the rest delivered after."""
        reply, language = await self._answer(event)
        form = next((m for m in reply.messages if is_plan_form(m.card)), None)
        if form is not None and await _open(client, trigger_id, form, language):
            reply = Reply(tuple(m for m in reply.messages if m is not form))
        await self.interactions.deliver(reply)

    async def submit(self, body: Mapping[str, Any]) -> Submission:
        """A form's submission checked and saved by the core; a refusal keeps the modal open with the reason."""
        try:
            event = submitted(body)
        except SlackPayloadError as error:
            logger.warning("unreadable plan modal submission: %s", error)
            return Submission({}, Reply())
        try:
            reply, refusal = await asyncio.to_thread(self._run, event)
        except SQLAlchemyError as error:
            logger.warning("database unavailable while saving a plan form: %s", type(error).__name__)
            return Submission({}, try_again(event))
        if refusal is None:
            return Submission({}, reply)
        broken, language = refusal
        errors = field_errors(broken, language, event.form)
        if errors is not None:
            return Submission({"response_action": "errors", "errors": errors}, Reply())
        view = body.get("view")
        assert isinstance(view, Mapping)  # submitted() read it
        return Submission({"response_action": "update", "view": error_view(view, broken.message(language))}, Reply())

    async def _answer(self, event: ActionSubmitted) -> tuple[Reply, str]:
        """The core's reply, and the person's language for the modal's own texts."""
        try:
            return await asyncio.to_thread(self._reply_and_language, event)
        except SQLAlchemyError as error:
            logger.warning("database unavailable while handling a plan button: %s", type(error).__name__)
            return try_again(event), DEFAULT_LANGUAGE

    def _reply_and_language(self, event: ActionSubmitted) -> tuple[Reply, str]:
        conversation = self.interactions.conversation
        person = find_person(conversation.directory, event.sender)
        return conversation.handle(event), person.language if person is not None else DEFAULT_LANGUAGE

    def _run(self, event: ActionSubmitted) -> tuple[Reply, tuple[DomainError, str] | None]:
        """The plan flow's answer with its DomainError kept whole (the core would turn it into a chat message),
        so the modal can put the message under the field it is about."""
        conversation = self.interactions.conversation
        person = find_person(conversation.directory, event.sender)
        flow = next((f for f in conversation.flows if event.action.startswith(f.action_prefix)), None)
        if person is None or flow is None:
            return conversation.handle(event), None
        try:
            return flow.on_action(person, event), None
        except DomainError as error:
            return Reply(), (error, person.language)


async def _open(client: AsyncWebClient, trigger_id: str, form: OutboundMessage, language: str) -> bool:
    """views.open; False when Slack refuses (an expired trigger_id), and the form then goes to the chat instead."""
    assert form.card is not None
    try:
        await client.views_open(trigger_id=trigger_id, view=form_view(form.card, form.replaces, language))
    except SlackApiError as error:
        logger.warning("plan form not opened as a modal: %s", error.response.get("error", "unknown"))
        return False
    except (aiohttp.ClientError, TimeoutError) as error:
        logger.warning("plan form not opened as a modal: %s", type(error).__name__)
        return False
    return True
