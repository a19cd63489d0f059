"""Publication disclosure control for the SAC return's counts."""


def shown(value: int, *, suppress: bool = False) -> str | int:
    """Publication disclosure control: 1 to 4 is "[c]", other counts to the nearest 5 (halves up: 3 → 5,
    7 → 5, 8 → 10). A zero stays 0: it says nothing about any one person, and "[c]" for it would hide that a
    category is empty. Without suppression, the count itself."""
    if not suppress:
        return value
    if 0 < value < 5:
        return "[c]"
    return (value + 2) // 5 * 5
