"""Spanish: Django's own formats, except the date inputs (the rest falls through to Django's ``es``).

Django's ``es`` input formats do not even read ISO dates, and a DateInput renders its value
with the first one: <input type="date"> takes nothing but YYYY-MM-DD, whatever the page's language.
Typed Spanish dates (31/12/2026) are still understood.
"""

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"]
