"""Otklik's desk: a per-user helper that serves the day's work as pages on the loopback interface
(issue 30). `guard` keeps everyone but its user out, `daemon` speaks to otklikd as its user, `live`
carries the daemon's events to the open pages, `speech` holds every word a person reads, `app` the
pages and the steps."""
