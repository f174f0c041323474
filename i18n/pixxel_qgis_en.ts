<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
    <context>
        <name>Pixxel</name>
        <message numerus="yes">
            <location filename="../core/processing/download_assets.py" line="135" />
            <source>Downloading {count} asset(s) of {name}…</source>
            <translation>
                <numerusform>Downloading {count} asset of {name}…</numerusform>
                <numerusform>Downloading {count} assets of {name}…</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../core/processing/download_assets.py" line="147" />
            <location filename="../core/processing/download_catalogs.py" line="128" />
            <source>{count} file(s) in {folder}{reused}</source>
            <translation>
                <numerusform>{count} file in {folder}{reused}</numerusform>
                <numerusform>{count} files in {folder}{reused}</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../core/processing/download_assets.py" line="165" />
            <source>{count} image layer(s) in the project.</source>
            <translation>
                <numerusform>{count} image layer in the project.</numerusform>
                <numerusform>{count} image layers in the project.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../core/processing/download_catalogs.py" line="116" />
            <source>Downloading {count} catalog(s) into {name}…</source>
            <translation>
                <numerusform>Downloading {count} catalog into {name}…</numerusform>
                <numerusform>Downloading {count} catalogs into {name}…</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../core/processing/download_catalogs.py" line="118" />
            <source>Downloading {count} order item(s) into {name}…</source>
            <translation>
                <numerusform>Downloading {count} order item into {name}…</numerusform>
                <numerusform>Downloading {count} order items into {name}…</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../core/processing/estimate_order.py" line="129" />
            <source>{count} capture(s): {amount} in total (a dry run: nothing was ordered).</source>
            <translation>
                <numerusform>{count} capture: {amount} in total (a dry run: nothing was ordered).</numerusform>
                <numerusform>{count} captures: {amount} in total (a dry run: nothing was ordered).</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../core/processing/extract_spectra.py" line="116" />
            <source>{count} point(s) without a value: off the image, nodata or masked.</source>
            <translation>
                <numerusform>{count} point without a value: off the image, nodata or masked.</numerusform>
                <numerusform>{count} points without a value: off the image, nodata or masked.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../core/processing/list_aois.py" line="83" />
            <source>{count} AOI(s) listed.</source>
            <translation>
                <numerusform>{count} AOI listed.</numerusform>
                <numerusform>{count} AOIs listed.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../core/processing/list_assets.py" line="68" />
            <source>{count} asset(s) listed.</source>
            <translation>
                <numerusform>{count} asset listed.</numerusform>
                <numerusform>{count} assets listed.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../core/processing/list_catalogs.py" line="78" />
            <source>{count} catalog(s) listed.</source>
            <translation>
                <numerusform>{count} catalog listed.</numerusform>
                <numerusform>{count} catalogs listed.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../core/processing/list_order_items.py" line="83" />
            <source>{count} order item(s) listed.</source>
            <translation>
                <numerusform>{count} order item listed.</numerusform>
                <numerusform>{count} order items listed.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../core/processing/search_archive.py" line="147" />
            <location filename="../ui/archive_panel.py" line="321" />
            <source>{count} capture(s) found.</source>
            <translation>
                <numerusform>{count} capture found.</numerusform>
                <numerusform>{count} captures found.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../core/qgis/connection_check.py" line="49" />
            <source>{count} project(s)</source>
            <translation>
                <numerusform>{count} project</numerusform>
                <numerusform>{count} projects</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../core/qgis/connection_check.py" line="52" />
            <source>{count} AOI(s) visible</source>
            <translation>
                <numerusform>{count} AOI visible</numerusform>
                <numerusform>{count} AOIs visible</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/aoi_panel.py" line="464" />
            <source>{shown} of {total} AOI(s)</source>
            <translation>
                <numerusform>{shown} of {total} AOI</numerusform>
                <numerusform>{shown} of {total} AOIs</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/aoi_panel.py" line="469" />
            <source>{total} AOI(s)</source>
            <translation>
                <numerusform>{total} AOI</numerusform>
                <numerusform>{total} AOIs</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/archive_panel.py" line="300" />
            <source>Searching… {count} capture(s) so far.</source>
            <translation>
                <numerusform>Searching… {count} capture so far.</numerusform>
                <numerusform>Searching… {count} captures so far.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/archive_panel.py" line="314" />
            <source>Showing the first {count} capture(s): more match. Narrow the area, the dates or the limits.</source>
            <translation>
                <numerusform>Showing the first capture ({count}): more match. Narrow the area, the dates or the limits.</numerusform>
                <numerusform>Showing the first {count} captures: more match. Narrow the area, the dates or the limits.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/archive_panel.py" line="351" />
            <source>Fetching {count} preview(s)…</source>
            <translation>
                <numerusform>Fetching {count} preview…</numerusform>
                <numerusform>Fetching {count} previews…</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/download_actions.py" line="146" />
            <source>{aoi}: {count} image(s) added to the map.</source>
            <translation>
                <numerusform>{aoi}: {count} image added to the map.</numerusform>
                <numerusform>{aoi}: {count} images added to the map.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/downloads_view.py" line="167" />
            <source>{aoi} — {count} asset(s)</source>
            <translation>
                <numerusform>{aoi} — {count} asset</numerusform>
                <numerusform>{aoi} — {count} assets</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/downloads_view.py" line="202" />
            <source>{state} {when} · {count} image(s)</source>
            <translation>
                <numerusform>{state} {when} · {count} image</numerusform>
                <numerusform>{state} {when} · {count} images</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/downloads_view.py" line="206" />
            <source>{state} {when} · {count} file(s)</source>
            <translation>
                <numerusform>{state} {when} · {count} file</numerusform>
                <numerusform>{state} {when} · {count} files</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/order_dialog.py" line="65" />
            <source>{count} band(s)</source>
            <translation>
                <numerusform>{count} band</numerusform>
                <numerusform>{count} bands</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/order_dialog.py" line="105" />
            <source>{count} capture(s): {ids}</source>
            <translation>
                <numerusform>{count} capture: {ids}</numerusform>
                <numerusform>{count} captures: {ids}</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/order_dialog.py" line="237" />
            <source>{name} ({count} band(s))</source>
            <translation>
                <numerusform>{name} ({count} band)</numerusform>
                <numerusform>{name} ({count} bands)</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/purchased_panel.py" line="226" />
            <source>{count} order item(s)</source>
            <translation>
                <numerusform>{count} order item</numerusform>
                <numerusform>{count} order items</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/purchased_panel.py" line="227" />
            <source>{count} catalog(s)</source>
            <translation>
                <numerusform>{count} catalog</numerusform>
                <numerusform>{count} catalogs</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/spectral_profile.py" line="124" />
            <source>{count} profile(s) exported to {path}</source>
            <translation>
                <numerusform>{count} profile exported to {path}</numerusform>
                <numerusform>{count} profiles exported to {path}</numerusform>
            </translation>
        </message>
    </context>
</TS>
