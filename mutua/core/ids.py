"""Row ids read from a URL or a request: a number above ``MAX_ID`` names nothing (and would overflow the database's
64-bit integers), so it is answered as a missing row, never as a server error."""

MAX_ID = 2**63 - 1
