# Vietnamese groups thousands with a dot and writes the decimals after a comma: 21.814 hộ,
# 65,3 %. Django's own vi formats have both separators but no NUMBER_GROUPING, so without this
# line USE_THOUSAND_SEPARATOR would leave 21814 as it is. The date formats stay Django's.
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
