# Vietnamese groups thousands with a dot and writes the decimals after a comma: 21.814 hộ,
# 65,3 %. Django's own vi formats have both separators but no NUMBER_GROUPING, so without this
# line USE_THOUSAND_SEPARATOR would leave 21814 as it is. The date formats stay Django's.
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
# Dates are typed dd/mm/yyyy in both languages (docs/rules.md#typed-input); ISO is read too. These
# reach the forms that take Django's own date fields (the admin's date and time halves).
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]
