"""MkDocs hook: every drawing of the site readable on a phone, its title never cut.

A drawing is an inline SVG in ``<figure class="tb-drawing">`` (teach.py's pictures,
cli_output.py's ``tinybackprop draw`` and ``train --plot``, the digits page). Two things
happen to each, in the page's HTML:

* **Its title becomes a caption.** The drawn text that repeats the SVG's ``<title>``
  (the package's drawings draw their title so) leaves the SVG and becomes the figure's
  ``<figcaption>``: HTML text that wraps, so a title is never cut, at any width and in a
  drawing that scrolls. The band it stood in is cropped off the top of the drawing.
* **It never shrinks its text below 9 px.** A drawing is scaled to the column; its
  ``min-width`` is set to where its smallest text would be :data:`MIN_TEXT_PX`, so on a
  narrow screen a drawing too detailed for it stops shrinking and scrolls sideways in its
  own box (tb-scroll-hint.js marks it, and a hint says so) instead of becoming unreadable.
  The site's own drawings are drawn for a phone's column and never reach that width.

``tests/docs/test_site_browser.py`` measures the result in Chromium: the smallest text of
every figure as rendered at 390 px, and no text of a figure outside it.
"""

import html
import re

#: The smallest size, in CSS pixels, that text of a drawing may be rendered at.
MIN_TEXT_PX = 9.5

FIGURE_RE = re.compile(r'(<figure class="tb-drawing[^"]*"[^>]*>)\s*(<svg\b.*?</svg>)', re.S)
OPEN_RE = re.compile(r"<svg\b[^>]*>", re.S)
VIEWBOX_RE = re.compile(r'viewBox="\s*([-\d.]+)[\s,]+([-\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"')
SIZE_RE = re.compile(r'font-size="([\d.]+)(%?)"')
TITLE_RE = re.compile(r"<title>(.*?)</title>", re.S)


def _attr(tag, name):
    m = re.search(r'\s%s="([^"]*)"' % name, tag)
    return m.group(1) if m else None


def smallest_font(svg):
    """The smallest font size of an SVG's text, in its own units: the smallest absolute
    ``font-size``, and a percentage of the smallest absolute one (a conservative guess).

    >>> smallest_font('<svg><text font-size="13">a<tspan font-size="75%">b</tspan></text><text font-size="11">c</text></svg>')
    8.25
    """
    sizes = [(float(v), pct) for v, pct in SIZE_RE.findall(svg)]
    absolute = [v for v, pct in sizes if not pct] or [16.0]
    smallest = min(absolute)
    for v, pct in sizes:
        if pct:
            smallest = min(smallest, min(absolute) * v / 100.0)
    return smallest


def _title_text(svg, title):
    """The drawn text element that repeats ``title`` (an SVG title drawn as text), or None."""
    for m in re.finditer(r"<text\b[^>]*>([^<]*)</text>", svg):
        if html.unescape(m.group(1)).strip() == html.unescape(title).strip() and title.strip():
            return m
    return None


def caption_and_min_width(figure_open, svg):
    """(figure opening tag, caption HTML or '', the SVG) for one drawing.

    >>> svg = ('<svg xmlns="x" width="400" height="300" viewBox="0 0 400 300"><title>A &amp; B</title>'
    ...        '<text x="200" y="26" font-size="17">A &amp; B</text><text y="80" font-size="10">c</text></svg>')
    >>> fig, cap, out = caption_and_min_width('<figure class="tb-drawing">', svg)
    >>> cap
    '<figcaption class="tb-title">A &amp; B</figcaption>'
    >>> 'viewBox="0 58 400 242"' in out, 'height="242"' in out, "min-width: 380px" in out
    (True, True, True)
    """
    caption = ""
    title = TITLE_RE.search(svg)
    drawn = _title_text(svg, title.group(1)) if title else None
    if drawn:
        caption = '<figcaption class="tb-title">%s</figcaption>' % drawn.group(1).strip()
        y = float(_attr(drawn.group(0), "y") or 0)
        svg = svg[: drawn.start()] + svg[drawn.end():]
        body = re.sub(r'<rect x="0" y="0"[^>]*/>', "", svg[svg.index(">") + 1:])  # the white background
        texts = [float(v) - 16.0 for v in re.findall(r'<text\b[^>]*\sy="([-\d.]+)"', body)]  # y: the baseline
        shapes = [float(v) - 2.0 for v in re.findall(r'<(?!text)\w+\b[^>]*?\s(?:y|y1|y2)="([-\d.]+)"', body)]
        circles = [float(cy) - float(r) for cy, r in re.findall(r'<circle\b[^>]*?\scy="([-\d.]+)"[^>]*?\sr="([\d.]+)"', body)]
        rest = texts + shapes + circles
        top = y + 8.0  # below the title's descenders
        if rest and min(rest) > top:  # nothing else up there
            svg = _crop_top(svg, min(rest) - 6.0)
    open_tag = OPEN_RE.search(svg).group(0)
    vb = VIEWBOX_RE.search(open_tag)
    width = float(vb.group(3)) if vb else float(_attr(open_tag, "width") or 0)
    if width > 0:
        min_width = int(width * MIN_TEXT_PX / smallest_font(svg) + 0.999)
        style = _attr(open_tag, "style")
        new_open = (open_tag.replace(' style="%s"' % style, "") if style is not None else open_tag)
        new_open = new_open[:-1] + ' style="min-width: %dpx"%s>' % (
            min_width, "" if not style else "; " + style) if not new_open.endswith("/>") else new_open
        svg = svg.replace(open_tag, new_open, 1)
    return figure_open, caption, svg


def _crop_top(svg, top):
    """The SVG with its top ``top`` units cut off (viewBox and height)."""
    open_tag = OPEN_RE.search(svg).group(0)
    vb = VIEWBOX_RE.search(open_tag)
    height = _attr(open_tag, "height")
    if not vb or height is None:
        return svg
    x0, y0, w, h = (float(v) for v in vb.groups())
    cut = top - y0
    if cut <= 0 or cut >= h:
        return svg
    new = open_tag.replace(vb.group(0), 'viewBox="%s %s %s %s"' % tuple(
        ("%g" % v) for v in (x0, y0 + cut, w, h - cut)))
    new = new.replace(' height="%s"' % height, ' height="%g"' % (float(height) - cut * float(height) / h))
    return svg.replace(open_tag, new, 1)


def on_page_content(html_text, page, config, files):
    if "tb-drawing" not in html_text:
        return html_text

    def one(m):
        fig, cap, svg = caption_and_min_width(m.group(1), m.group(2))
        return fig + "\n" + cap + svg

    return FIGURE_RE.sub(one, html_text)
