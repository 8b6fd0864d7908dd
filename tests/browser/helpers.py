"""What browser tests share besides fixtures: the phone they run on and their screenshots."""

import re
from pathlib import Path

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parent.parent.parent
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"

# A common low-end Android phone: the narrowest screen the portal must serve (issue 2).
PHONE = {"width": 360, "height": 740}


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save the whole page (or, `full_page` False, what the screen shows) as
    test-artifacts/screenshots/<name>.png and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def fits_the_screen(page: Page) -> bool:
    """Nothing sticks out sideways: no horizontal scrolling on a phone."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def chart_drawn(page: Page, chart_id: str) -> bool:
    """The chart is an SVG drawn on the server, named by its title and described by its desc,
    shown as wide as it can be on the screen, and no wider."""
    return page.evaluate(
        """id => {
            const svg = document.getElementById(id);
            if (!svg || svg.tagName !== "svg" || svg.getAttribute("role") !== "img") return false;
            const [title, desc] = svg.getAttribute("aria-labelledby").split(" ");
            const box = svg.getBoundingClientRect();
            return !!document.getElementById(title).textContent
                && !!document.getElementById(desc).textContent
                && box.width > 250 && box.height > 100
                && box.right <= document.documentElement.clientWidth;
        }""",
        chart_id,
    )
