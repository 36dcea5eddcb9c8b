"""What the bot reads from the machine it runs on: the organisation and calendar files, .env, the console's language."""
