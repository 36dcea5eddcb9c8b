"""The Slack adapter: Block Kit out, interaction payloads, slash commands and Events API envelopes in."""
