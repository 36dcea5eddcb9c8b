"""The edges of tyhybot, a package for each kind: the command line, the server, each chat platform, the web pages."""
