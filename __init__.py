"""Pixxel for QGIS: browse Pixxel AOIs and download their hyperspectral imagery onto the map."""


def classFactory(_iface):  # noqa: N802 - name required by QGIS
    # Imported here so that qgis_process (which calls classFactory(None)) and tools that import the
    # package for its metadata do not pull in widgets before QGIS is ready. The plugin reads
    # qgis.utils.iface itself when its GUI starts (flake8-qgis QGS105).
    from .plugin import PixxelPlugin

    return PixxelPlugin()
