"""The `tyhy` command line: argument parsing, each command's work, the preview timeline and the demo organisation."""
