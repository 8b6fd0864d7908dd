# English: 21,814 households, 65.3 % (the same as Django's en formats, said here so that both
# languages of the portal are written down side by side).
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
