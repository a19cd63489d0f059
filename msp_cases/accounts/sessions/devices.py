"""A short, human name for the browser that signed in ("Firefox on Windows"), from its user agent.

A label to help a person recognise their own sessions, never a basis for a decision: a user agent says
whatever the browser (or anyone) chooses. A dozen known words are enough for the browsers staff use; a
user-agent parsing library would add a dependency and a rules file to keep current for a label."""

# Checked in order: Edge and Opera also say "Chrome", Chrome also says "Safari", Android also says "Linux".
BROWSERS = (
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("CrOS", "ChromeOS"),
    ("Mac OS X", "macOS"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
)


def device_summary(user_agent: str) -> str:
    """The browser and the system, as in "Chrome on Windows"; either may be unknown ("Unknown browser")."""
    user_agent = user_agent or ""
    browser = next((name for token, name in BROWSERS if token in user_agent), "Unknown browser")
    system = next((name for token, name in SYSTEMS if token in user_agent), None)
    return f"{browser} on {system}" if system else browser
