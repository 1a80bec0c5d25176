"""Arabic: Django's own formats (the rest falls through to Django's ``ar``), except these.

Django's ``ar`` has no input formats, so the global ones applied: ISO first, but then
American dates (07/12/2026 read as 12 July). ISO first for <input type="date">, then day
before month as our members write it. A 24-hour clock as on every other page, and the
separators of the amounts (babel's ``ar``: 1,900.39) so that a number and a sum agree.
"""

TIME_FORMAT = "H:i"
# Django's "ar" leaves these to the American defaults (12/07/2026 for 7 December): its own day-first
# date, with the right-to-left marks that keep day, month and year in order inside Arabic text.
DATETIME_FORMAT = "j F، Y، H:i"
SHORT_DATETIME_FORMAT = "d‏/m‏/Y H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
