"""The web chat's optional auto-refresh: a fingerprint of a person's conversations and a long-polling script."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence

from adapters.local_inbox import LocalInbox

SCRIPT_PATH = "/chat-refresh.js"
POLL_SECONDS = 25.0  # a long poll answers "no change" after this long, below the usual proxy and browser timeouts
CHUNK_SECONDS = 5.0  # a change that slips in between looking and waiting is seen this much later at most

# Without it the page works the same: the Refresh link does what the script does. With it, new messages show
# by themselves; but a person who is typing or picking is never interrupted: the page then only says "new".
SCRIPT = """\
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="tyhy-changes"]');
  var news = document.getElementById("news");
  if (!meta || !window.fetch) { return; }
  var url = meta.getAttribute("content");
  function busy() {
    var fields = document.querySelectorAll("textarea, input[type=text], input[type=radio], select");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (field.type === "radio") {
        if (field.checked !== field.defaultChecked) { return true; }
      } else if (field.tagName === "SELECT") {
        for (var j = 0; j < field.options.length; j++) {
          if (field.options[j].selected !== field.options[j].defaultSelected) { return true; }
        }
      } else if (field.value !== field.defaultValue) {
        return true;
      }
    }
    return false;
  }
  function poll(delay) {
    window.setTimeout(function () {
      fetch(url, {headers: {Accept: "application/json"}, cache: "no-store"})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) {
          if (body && body.changed) {
            if (!busy()) { window.location.reload(); return; }
            if (news) { news.hidden = false; }
            return;
          }
          poll(body ? 0 : 5000);
        }, function () { poll(5000); });
    }, delay);
  }
  poll(0);
})();
"""


def stamp(inbox: LocalInbox, keys: Sequence[str]) -> str:
    """A short fingerprint of the conversations: it changes when a message arrives or is redrawn."""
    digest = hashlib.sha256()
    for key in keys:
        for entry in inbox.messages(key):
            digest.update(f"{key}/{entry.message_id}/{entry.version};".encode())
    return digest.hexdigest()[:16]


async def wait_for_news(inbox: LocalInbox, keys: Sequence[str], seen: str, seconds: float = POLL_SECONDS) -> bool:
    """True as soon as the conversations differ from the fingerprint `seen`; False when `seconds` pass first."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while stamp(inbox, keys) == seen:
        left = deadline - loop.time()
        if left <= 0:
            return False
        await inbox.wait_for_change(min(left, CHUNK_SECONDS))
    return True
