"""The local web chat: play any member in a browser on this computer, with the demo's movable clock."""
