"""Teams end to end over HTTP on loopback, against our fake Bot Framework connector."""
