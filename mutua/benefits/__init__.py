"""What a care line is worth under the member's plan, whatever channel brought it.

The layer between the channels (online claims, AM files, hospital invoices, quotes) and the pure
engine: the engine adapter, the household's counters, the rules every channel applies to a line and
the reasons a line waits for a handler. It imports no channel app; the channels call it.
"""
