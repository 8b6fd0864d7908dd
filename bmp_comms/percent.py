from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")


def percent(numerator: int | None, denominator: int | None) -> Decimal | None:
    """100 × numerator / denominator, half-up to one decimal; None where the denominator is 0
    (docs/rules.md#percentages). Computed from integers in Decimal so 66.65 rounds to 66.7."""
    if not denominator:
        return None
    return (Decimal(100 * (numerator or 0)) / Decimal(denominator)).quantize(
        ONE_DECIMAL, rounding=ROUND_HALF_UP
    )
