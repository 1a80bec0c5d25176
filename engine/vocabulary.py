"""The words a plan's rules may use: the facts of a care line, its attributes, deductions, units."""

# Facts a rule can test. Booleans come from the line's flags ("conventionne" is true
# unless the line has the flag "non_conventionne"); attributes are named values.
BOOLEAN_FACTS = (
    "dptm",
    "conventionne",
    "network",
    "ald",
    "accident",
    "psychiatry",
    "vision_change",
    "suicide",
    "single_am_device",
    "maternity",
    "outside_pathway",
)
# The facts that open a restricted zone (engine.zones): how the care came about, and the
# medical advisor's approval of it (the channel checks the approval's dates, care and country).
ZONE_FLAGS = frozenset({"urgent", "duty_travel", "prior_approval", "life_threatening"})
LINE_FLAGS = frozenset(
    {f for f in BOOLEAN_FACTS if f != "conventionne"} | {"non_conventionne", "deductions_exempt"} | ZONE_FLAGS
)
ATTRIBUTES = frozenset({"basket", "lens_class", "side", "vision"})
DEDUCTIONS = ("participation_forfaitaire", "franchise.medicine", "franchise.paramedical", "franchise.transport")
UNITS = (
    "day",
    "session",
    "act",
    "implant",
    "ear",
    "eye",
    "prosthesis",
    "child",
    "vaccination",
    "semester",
    "box",
    "equipment",
    "transport",
    "test",
)
