"""The console adapter: `tyhy chat` lets a person in a terminal play any member of the organisation."""
