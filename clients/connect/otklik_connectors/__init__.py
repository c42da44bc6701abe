"""Otklik's network connectors (issue 29): each network's intake and publication, and what they share."""
