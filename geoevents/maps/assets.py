"""The JavaScript and CSS a map needs, read from installed packages so a map works offline.

folium names each asset in its elements' ``default_js`` / ``default_css`` with a CDN URL;
``inline_assets`` swaps those links in the page header for the installed files' content
(Leaflet and MarkerCluster from the xstatic packages, leaflet-heat from folium's templates,
the sub-group plugin from the project's own ``static/``) and drops what the map never uses
(jQuery, Bootstrap, awesome-markers, Font Awesome).
"""
from __future__ import annotations

import base64
import functools
import re
from pathlib import Path

from branca.element import CssLink, Element, JavascriptLink

STATIC = Path(__file__).parent / "static"

# folium's header names for assets the map does not use: dropped in both modes.
UNUSED = {"jquery", "bootstrap", "awesome_markers", "bootstrap_css", "glyphicons_css",
          "awesome_markers_font_css", "awesome_markers_css", "awesome_rotate_css"}


def _leaflet_dir() -> Path:
    import xstatic.pkg.leaflet as leaflet

    return Path(leaflet.BASE_DIR)


def _markercluster_dir() -> Path:
    import xstatic.pkg.leaflet_markercluster as markercluster

    return Path(markercluster.BASE_DIR)


def _folium_templates() -> Path:
    import folium

    return Path(folium.__file__).parent / "templates"


# folium header name -> installed file with the same content as the CDN URL.
INSTALLED = {
    "leaflet": lambda: _leaflet_dir() / "leaflet.js",
    "leaflet_css": lambda: _leaflet_dir() / "leaflet.css",
    "markerclusterjs": lambda: _markercluster_dir() / "leaflet.markercluster.js",
    "markerclustercss": lambda: _markercluster_dir() / "MarkerCluster.css",
    "markerclusterdefaultcss": lambda: _markercluster_dir() / "MarkerCluster.Default.css",
    "leaflet-heat.js": lambda: _folium_templates() / "leaflet_heat.min.js",
    "featuregroupsubgroupjs": lambda: STATIC / "subgroup.js",
}


def _markercluster_cdn(filename: str) -> str:
    import xstatic.pkg.leaflet_markercluster as markercluster

    return f"https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/{markercluster.VERSION}/{filename}"


# --cdn pins MarkerCluster to the installed version (folium links 1.1.0): the map's JS is
# written and tested against that version, and the browser tests serve it for this URL.
CDN_PINNED = {
    "markerclusterjs": lambda: _markercluster_cdn("leaflet.markercluster.js"),
    "markerclustercss": lambda: _markercluster_cdn("MarkerCluster.css"),
    "markerclusterdefaultcss": lambda: _markercluster_cdn("MarkerCluster.Default.css"),
}


class RawHTML(Element):
    """Markup emitted as is (branca's Element would run it through Jinja, which eats ``{{``)."""

    def __init__(self, html: str):
        super().__init__()
        self.html = html

    def render(self, **kwargs) -> str:
        return self.html


@functools.lru_cache(maxsize=None)
def asset_text(name: str) -> str:
    """The content of an installed asset, ready to sit inside a <script> or <style> element."""
    path = INSTALLED[name]()
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".css":
        text = _embed_images(text, path.parent)
        return text.replace("</style", "<\\/style")
    return text.replace("</script", "<\\/script")


def _embed_images(css: str, folder: Path) -> str:
    # Leaflet's CSS points at images/layers.png etc.; a single-file map carries them as data URIs.
    def data_uri(match: re.Match) -> str:
        target = folder / match.group(2)
        if not target.is_file():
            return match.group(0)
        mime = "image/svg+xml" if target.suffix == ".svg" else f"image/{target.suffix.lstrip('.')}"
        return f"url({match.group(1)}data:{mime};base64,{base64.b64encode(target.read_bytes()).decode()}{match.group(1)})"

    return re.sub(r"""url\((['"]?)(?!data:|https?:|//)([^'")]+)\1\)""", data_uri, css)


def static_text(filename: str) -> str:
    """The project's own map JS/CSS."""
    return (STATIC / filename).read_text(encoding="utf-8")


def inline_assets(figure, *, cdn: bool = False) -> None:
    """Replace the CDN links in ``figure.header`` by inline copies (unless ``cdn``); drop unused ones.

    Links this module does not know (a plugin a user added to the map afterwards) are kept.
    """
    header = figure.header
    for name, child in list(header._children.items()):
        if name in UNUSED:
            del header._children[name]
        elif not cdn and name in INSTALLED and isinstance(child, (JavascriptLink, CssLink)):
            tag = "style" if isinstance(child, CssLink) else "script"
            header._children[name] = RawHTML(f"<{tag}>/* {name}: inlined from the installed package */\n"
                                             f"{asset_text(name)}\n</{tag}>")
        elif cdn and name in CDN_PINNED and isinstance(child, (JavascriptLink, CssLink)):
            child.url = CDN_PINNED[name]()
        elif cdn and name == "featuregroupsubgroupjs":
            # Our sub-group adds the bulk methods the date filter uses; the CDN plugin lacks them.
            header._children[name] = RawHTML(f"<script>{asset_text(name)}</script>")
