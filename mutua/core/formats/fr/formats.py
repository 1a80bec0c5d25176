"""French: Django's own formats, except the date inputs (the rest falls through to Django's ``fr``)."""

# ISO first: a DateInput renders its value with the first input format, and
# <input type="date"> takes nothing but YYYY-MM-DD ("07/12/2026" was dropped by the browser).
# Typed French dates are still understood.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
