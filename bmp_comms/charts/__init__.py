"""Charts drawn as SVG on the server, by one code for the compliance report's PDF and for the
pages (the dashboard, a commune's page): no script, no image file, the same on every machine.
A chart is written in a look (looks.py): the report's carries its colours and font inline and
measures its text in the report's font; the pages' gives each mark a CSS class and writes its
text in the page's font, with a <title> and a <desc> that say what it shows."""

from bmp_comms.charts.bars import CountBar, commune_bars, count_bars, value_label_x
from bmp_comms.charts.lines import series_lines
from bmp_comms.charts.looks import PAGE, REPORT, Look, sans_width, serif_width

__all__ = [
    "PAGE",
    "REPORT",
    "CountBar",
    "Look",
    "commune_bars",
    "count_bars",
    "sans_width",
    "series_lines",
    "serif_width",
    "value_label_x",
]
