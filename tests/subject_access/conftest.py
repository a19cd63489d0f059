from tests.browser.conftest import chromium_browser, demo_cases, ui  # noqa: F401 (for the browser test)
