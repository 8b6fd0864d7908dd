# English: 21,814 households, 65.3 % (the same as Django's en formats, said here so that both
# languages of the portal are written down side by side).
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
# Not Django's English input formats, which read 07/12/2026 as 12 July: dates are typed
# dd/mm/yyyy in both languages (docs/rules.md#typed-input); ISO is read too.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]
