"""Browser tests: Playwright driving Debian's headless Chromium against a real `tyhy serve --demo` process."""
