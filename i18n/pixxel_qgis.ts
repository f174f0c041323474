<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
    <context>
        <name>Pixxel</name>
        <message>
            <location filename="../core/processing/common.py" line="87" />
            <source>{error} Scripts and qgis_process can set the PIXXEL_API_KEY and PIXXEL_API_URL environment variables instead.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/common.py" line="147" />
            <location filename="../core/processing/spectral_index.py" line="119" />
            <location filename="../core/qgis/tasks.py" line="71" />
            <location filename="../core/qgis/tasks.py" line="77" />
            <source>Cancelled.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/common.py" line="289" />
            <location filename="../core/processing/provider.py" line="27" />
            <location filename="../plugin.py" line="71" />
            <location filename="../ui/dock.py" line="70" />
            <location filename="../ui/notices.py" line="43" />
            <location filename="../ui/options_page.py" line="239" />
            <source>Pixxel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/common.py" line="321" />
            <source>The Pixxel settings were not read.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/common.py" line="336" />
            <source>AOI id</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/common.py" line="342" />
            <source>An AOI id is needed.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/download_assets.py" line="55" />
            <source>Download assets</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/download_assets.py" line="58" />
            <source>Downloads assets of a Pixxel AOI: asks Pixxel for a download, waits until it is ready, fetches the file (resumable, verified against its size and checksum) and unpacks it into a folder named after the AOI and the download.

AOI id: the aoi_id field of 'List AOIs'.
Asset ids: comma-separated ids from 'List assets of an AOI'; empty downloads every asset of the AOI whose status is 'success'.
Output folder: where the AOI's folder is made; empty uses the download folder of the Pixxel settings.
Load layers: inside QGIS, add the images to the project as the Pixxel panel does (a group per AOI, true colour, quality masks, footprints). qgis_process never loads layers.

Outputs: the folder holding the files, the Pixxel download id and the list of raster files.

The API address and key come from the Pixxel settings, or from the PIXXEL_API_URL and PIXXEL_API_KEY environment variables, which win.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/download_assets.py" line="80" />
            <source>Asset ids (comma-separated; empty: every ready asset)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/download_assets.py" line="86" />
            <location filename="../core/processing/download_catalogs.py" line="80" />
            <source>Output folder (empty: the Pixxel download folder)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/download_assets.py" line="94" />
            <location filename="../core/processing/download_catalogs.py" line="86" />
            <source>Add the imagery to the project</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/download_assets.py" line="97" />
            <location filename="../core/processing/download_catalogs.py" line="89" />
            <source>Pixxel download id</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/download_assets.py" line="98" />
            <location filename="../core/processing/download_catalogs.py" line="90" />
            <source>Raster files</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/download_assets.py" line="127" />
            <source>The AOI {name} has no asset ready for download (status 'success').</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../core/processing/download_assets.py" line="135" />
            <source>Downloading {count} asset(s) of {name}…</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../core/processing/download_assets.py" line="147" />
            <location filename="../core/processing/download_catalogs.py" line="128" />
            <source>{count} file(s) in {folder}{reused}</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../core/processing/download_assets.py" line="149" />
            <location filename="../core/processing/download_catalogs.py" line="130" />
            <source> (already downloaded)</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../core/processing/download_assets.py" line="165" />
            <source>{count} image layer(s) in the project.</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../core/processing/download_catalogs.py" line="45" />
            <source>Download purchased imagery</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/download_catalogs.py" line="48" />
            <source>Downloads imagery you bought from Pixxel: catalogs, or every catalog delivered for order items. Asks Pixxel for one download, waits until it is ready, fetches the file (resumable, verified against its size and checksum) and unpacks it into a folder named after the order item (several order items: 'Pixxel purchases'), one sub-folder per product.

Catalog ids: comma-separated catalog_id values of 'List purchased catalogs'.
Order item ids: comma-separated order_item_id values of 'List order items'.
Give one of the two, not both.
Output folder: where the order item's folder is made; empty uses the download folder of the Pixxel settings.
Load layers: inside QGIS, add the images to the project as the Pixxel panel does. qgis_process never loads layers.

Outputs: the folder holding the files, the Pixxel download id and the list of raster files.

The API address and key come from the Pixxel settings, or from the PIXXEL_API_URL and PIXXEL_API_KEY environment variables, which win.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/download_catalogs.py" line="70" />
            <source>Catalog ids (comma-separated)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/download_catalogs.py" line="75" />
            <source>Order item ids (comma-separated)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/download_catalogs.py" line="102" />
            <source>Give catalog ids or order item ids, not both: Pixxel downloads one or the other.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/download_catalogs.py" line="106" />
            <source>Give the catalog ids or the order item ids to download.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../core/processing/download_catalogs.py" line="116" />
            <source>Downloading {count} catalog(s) into {name}…</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../core/processing/download_catalogs.py" line="118" />
            <source>Downloading {count} order item(s) into {name}…</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../core/processing/estimate_order.py" line="63" />
            <source>Estimate an archive order</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/estimate_order.py" line="66" />
            <source>Asks Pixxel what ordering archive captures would cost, with a dry run that orders nothing: one row per capture with the billed area (km²), the number of bands, the feasibility, the base and final amounts (with the currency when Pixxel gives one) and the uplifts or discounts applied. Outputs the total too.

Item ids: comma-separated item ids from 'Search the archive'.
Project id: the project the order would belong to (empty: the first project your key sees).
Use case: what the imagery is for, as Pixxel asks (default: agriculture).
Extent: the area to order within the captures (empty: each capture's whole footprint).
Bandset id: a bandset from Pixxel's list (empty: every band of the capture).

This algorithm never places an order: order from the Pixxel panel, which shows this price first and asks you to confirm.

The API address and key come from the Pixxel settings, or from the PIXXEL_API_URL and PIXXEL_API_KEY environment variables, which win.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/estimate_order.py" line="85" />
            <source>Item ids</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/estimate_order.py" line="87" />
            <location filename="../core/processing/list_aois.py" line="55" />
            <source>Project id</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/estimate_order.py" line="90" />
            <location filename="../ui/order_dialog.py" line="113" />
            <source>Use case</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/estimate_order.py" line="93" />
            <source>Area to order</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/estimate_order.py" line="96" />
            <source>Bandset id</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/estimate_order.py" line="99" />
            <source>Price estimate</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/estimate_order.py" line="101" />
            <source>Total amount</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/estimate_order.py" line="102" />
            <location filename="../ui/order_dialog.py" line="324" />
            <source>Currency</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/estimate_order.py" line="112" />
            <source>At least one archive item id is needed.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../core/processing/estimate_order.py" line="129" />
            <source>{count} capture(s): {amount} in total (a dry run: nothing was ordered).</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../core/processing/estimate_order.py" line="145" />
            <source>Not in Pixxel's archive: {ids}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/estimate_order.py" line="152" />
            <source>Your API key sees no project to order in: give a project id.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/extract_spectra.py" line="46" />
            <source>Extract spectra at points</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/extract_spectra.py" line="49" />
            <source>Reads the reflectance spectrum of a hyperspectral image at each point: the output holds the points with their attributes and one decimal field per band, named r and the band's centre wavelength in whole nm (r650, r860), or b and its number for a band without a wavelength (b7). Bands flagged bad in the image are left out.

The points may be in any CRS. A value is NULL where the pixel is nodata or masked, and for points off the image.

Pixxel L2 products are read as reflectance = value / 50000 with 0 as nodata, unless the file declares its own scale. No Pixxel account or API key is needed.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/extract_spectra.py" line="64" />
            <source>Points</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/extract_spectra.py" line="69" />
            <source>Spectra</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/extract_spectra.py" line="105" />
            <source>Multipoints are sampled at their first point.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../core/processing/extract_spectra.py" line="116" />
            <source>{count} point(s) without a value: off the image, nodata or masked.</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../core/processing/list_aois.py" line="39" />
            <source>List AOIs</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/list_aois.py" line="42" />
            <source>Lists the Areas of Interest (AOIs) your Pixxel API key can see, as polygons in EPSG:4326 with their id, name, status, progress, dates, area (m²), satellite and project.

Project id: only the AOIs of this project (empty: every project).
Name filter: only AOIs whose name contains this text (empty: all).

The API address and key come from the Pixxel settings (Settings &gt; Options &gt; Pixxel), or from the PIXXEL_API_URL and PIXXEL_API_KEY environment variables, which win. The key is never a parameter, so it is never stored in models or the history.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/list_aois.py" line="58" />
            <location filename="../core/processing/list_catalogs.py" line="57" />
            <source>Name filter</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/list_aois.py" line="62" />
            <location filename="../ui/dock.py" line="140" />
            <source>AOIs</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../core/processing/list_aois.py" line="83" />
            <source>{count} AOI(s) listed.</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../core/processing/list_assets.py" line="34" />
            <source>List assets of an AOI</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/list_assets.py" line="37" />
            <source>Lists the assets (products) of one Pixxel AOI as footprints in EPSG:4326 with their id, name, type, status, acquisition date, resolution (m) and number of bands. Only assets with status 'success' can be downloaded.

AOI id: the aoi_id field of 'List AOIs'.

The API address and key come from the Pixxel settings, or from the PIXXEL_API_URL and PIXXEL_API_KEY environment variables, which win.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/list_assets.py" line="50" />
            <source>Asset footprints</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../core/processing/list_assets.py" line="68" />
            <source>{count} asset(s) listed.</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../core/processing/list_catalogs.py" line="39" />
            <source>List purchased catalogs</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/list_catalogs.py" line="42" />
            <source>Lists the catalogs of your Pixxel workspace (the images you bought, archive or tasked) as footprints in EPSG:4326 with their catalog id, item id (the product name), acquisition time, satellite, processing level, ground sample distance (m), cloud cover (%), off-nadir angle (°), delivery status and area (km²). The delivery status is that of the automated cloud delivery: every catalog can be downloaded with 'Download purchased imagery'.

Name filter: only catalogs whose item id, title or catalog id contains this text, in any case (empty: all).

The API address and key come from the Pixxel settings, or from the PIXXEL_API_URL and PIXXEL_API_KEY environment variables, which win.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/list_catalogs.py" line="61" />
            <location filename="../ui/purchased_panel.py" line="106" />
            <source>Catalogs</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../core/processing/list_catalogs.py" line="78" />
            <source>{count} catalog(s) listed.</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../core/processing/list_order_items.py" line="39" />
            <source>List order items</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/list_order_items.py" line="42" />
            <source>Lists the order items of your Pixxel workspace: one feature per image an item holds (its footprint in EPSG:4326 and item id, the product name), with the order id, order item id, name, type (ARCHIVE, TASKING, RECURRING), status, image type and the acquisition window. An item without images yet (active, failed, cancelled) is one feature without geometry or item id.

Order id: only the items of this order (empty: every order).
Status: only items with this status, e.g. FULFILLED; several comma-separated, any case (empty: all).

The API address and key come from the Pixxel settings, or from the PIXXEL_API_URL and PIXXEL_API_KEY environment variables, which win.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/list_order_items.py" line="56" />
            <source>Order id</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/list_order_items.py" line="57" />
            <location filename="../ui/aoi_model.py" line="156" />
            <location filename="../ui/asset_model.py" line="60" />
            <location filename="../ui/purchased_model.py" line="128" />
            <source>Status</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/list_order_items.py" line="60" />
            <source>Order item images</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../core/processing/list_order_items.py" line="83" />
            <source>{count} order item(s) listed.</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../core/processing/provider.py" line="30" />
            <source>Pixxel hyperspectral imagery</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/search_archive.py" line="74" />
            <source>The extent lies outside the world's coordinates.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/search_archive.py" line="85" />
            <source>Search the archive</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/search_archive.py" line="88" />
            <source>Searches Pixxel's archive of captures and writes their footprints (EPSG:4326) with the item id, collection, acquisition time (UTC), platform, ground sample distance (m), cloud cover (%), off-nadir angle and sun elevation (degrees).

Extent: captures touching this area (empty: anywhere).
Start and end date: acquired between these days, both included (empty: no limit).
Maximum cloud cover and off-nadir angle: empty for no limit.
Collections: comma-separated collection ids, e.g. pixxel-firefly (empty: all).

At most {pages} pages of results are read: narrow a search that finds more. Searching never orders anything; 'Estimate an archive order' prices captures.

The API address and key come from the Pixxel settings, or from the PIXXEL_API_URL and PIXXEL_API_KEY environment variables, which win.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/search_archive.py" line="104" />
            <source>Extent</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/search_archive.py" line="105" />
            <source>Start date</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/search_archive.py" line="105" />
            <source>End date</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/search_archive.py" line="110" />
            <source>Maximum cloud cover (%)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/search_archive.py" line="114" />
            <source>Maximum off-nadir angle (degrees)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/search_archive.py" line="118" />
            <location filename="../ui/archive_panel.py" line="129" />
            <source>Collections</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/search_archive.py" line="121" />
            <source>Archive footprints</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/search_archive.py" line="123" />
            <source>Number of captures</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/search_archive.py" line="142" />
            <source>More captures match than {pages} pages hold: only the first {count} were written. Narrow the area, the dates or the limits.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../core/processing/search_archive.py" line="147" />
            <location filename="../ui/archive_panel.py" line="321" />
            <source>{count} capture(s) found.</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../core/processing/spectral_common.py" line="47" />
            <source>Spectral analysis</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/spectral_common.py" line="59" />
            <source>Hyperspectral image</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/spectral_common.py" line="71" />
            <source>The input raster could not be opened.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/spectral_common.py" line="73" />
            <source>{name} is not a local raster file; the spectral tools read GeoTIFF, ENVI and other files GDAL opens from disk.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/spectral_common.py" line="91" />
            <source>No input raster.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/spectral_common.py" line="98" />
            <source>{name} has no band with a known wavelength: the spectral tools need the wavelengths in the file's metadata or in an ENVI header beside it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/spectral_common.py" line="104" />
            <source>{name} is a Pixxel L2 product: reflectance = value / 50000 unless the file says otherwise; 0 is nodata.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/spectral_index.py" line="58" />
            <source>Spectral index</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/spectral_index.py" line="61" />
            <source>Computes a spectral index of a hyperspectral image into a Float32 GeoTIFF on the image's grid (nodata: NaN, where an input band is nodata or the formula has no value).

R&lt;nm&gt; is the reflectance of the band whose centre is nearest &lt;nm&gt;, within its width or 20 nm; an index whose bands the sensor lacks is refused with the reason.

Custom: type an expression of R&lt;nm&gt; terms (or band names), numbers, + - * / **, parentheses, abs(), sqrt(), min(), max(); e.g. (R860 - R650) / (R860 + R650).

Pixxel L2 products (recognised by their file name or metadata) are read as reflectance = value / 50000 with 0 as nodata, unless the file declares its own scale. Inside QGIS the result is added above the image, on a red-yellow-green ramp (-1 to 1 for normalized differences, else the 2-98 % range).

No Pixxel account or API key is needed.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/spectral_index.py" line="80" />
            <location filename="../core/processing/spectral_index.py" line="88" />
            <source>Index</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/spectral_index.py" line="85" />
            <source>Expression (when Index is Custom expression)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/spectral_index.py" line="102" />
            <source>The index is written as a GeoTIFF: give the output a .tif name, not {name}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/spectral_index.py" line="113" />
            <source>Cannot compute {what} on {name}: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/spectral_index.py" line="124" />
            <source>{reference} = band {number} {band}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/spectral_index.py" line="145" />
            <source>{index} – {image}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/spectral_index.py" line="155" />
            <source>QGIS cannot open {path}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/spectral_index.py" line="169" />
            <source>The expression is used only when Index is Custom expression.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/spectral_index.py" line="174" />
            <source>Custom expression needs an expression, e.g. (R860 - R650) / (R860 + R650).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/processing/spectral_index.py" line="188" />
            <source>Custom expression</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/archive_layers.py" line="53" />
            <source>Pixxel archive search</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/archive_layers.py" line="163" />
            <source>{item} (preview)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/archive_tasks.py" line="43" />
            <source>Searching Pixxel's archive</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/archive_tasks.py" line="68" />
            <source>Reading Pixxel's archive collections</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/archive_tasks.py" line="80" />
            <source>Reading Pixxel's order options</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/archive_tasks.py" line="98" />
            <source>Pricing a Pixxel order</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/archive_tasks.py" line="111" />
            <source>Placing a Pixxel order</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/archive_tasks.py" line="137" />
            <source>Fetching a Pixxel preview</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/archive_tasks.py" line="153" />
            <source>QGIS cannot read the preview of {item}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/archive_tasks.py" line="157" />
            <source>Adding the preview</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="64" />
            <source>True colour</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="65" />
            <source>Colour infrared</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="66" />
            <source>Short-wave infrared</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="67" />
            <source>Red edge</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="68" />
            <source>Agriculture</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="69" />
            <source>Vegetation analysis</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="74" />
            <source>Custom ({red:g} / {green:g} / {blue:g} nm)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="80" />
            <source>{name} ({nm:g} nm)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="87" />
            <source>{colour} band {number} {band}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="90" />
            <location filename="../core/qgis/layers.py" line="410" />
            <source>red</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="90" />
            <location filename="../core/qgis/layers.py" line="410" />
            <source>green</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="90" />
            <location filename="../core/qgis/layers.py" line="410" />
            <source>blue</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="133" />
            <source>Pixxel: {preset} bands</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="169" />
            <source>Could not sample {name}: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="176" />
            <source>{layer}: {preset} — {bands}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/connection.py" line="72" />
            <source>Set your Pixxel API key in Settings → Options → Pixxel.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/connection_check.py" line="46" />
            <source>Connection test cancelled.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../core/qgis/connection_check.py" line="49" />
            <source>{count} project(s)</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../core/qgis/connection_check.py" line="51" />
            <source>Connected: {projects}</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../core/qgis/connection_check.py" line="52" />
            <source>{count} AOI(s) visible</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../core/qgis/connection_check.py" line="53" />
            <source>Connected: {projects}, {aois}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/connection_check.py" line="54" />
            <source>The connection test failed.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/connection_check.py" line="68" />
            <source>Pixxel: test connection</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/connection_check.py" line="82" />
            <source>The connection test failed unexpectedly: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/connection_check.py" line="118" />
            <source>Cannot reach the Pixxel API: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/credentials.py" line="51" />
            <source>The API key is empty: nothing was saved.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/credentials.py" line="65" />
            <source>QGIS could not save the API key in its authentication database.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/credentials.py" line="82" />
            <source>QGIS could not read the API key from its authentication database.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/credentials.py" line="97" />
            <source>QGIS could not remove the API key from its authentication database.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/credentials.py" line="112" />
            <source>QGIS could not read the proxy credentials from its authentication database.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/credentials.py" line="135" />
            <source>The QGIS authentication system is disabled, so the API key cannot be kept: {why}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/credentials.py" line="140" />
            <source>The QGIS authentication database is locked: its master password was not entered. Enter it when QGIS asks (or set one under Settings &gt; Options &gt; Authentication), then try again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="176" />
            <source>Pixxel AOI {aoi_id}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="326" />
            <source>{product} quality mask</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="340" />
            <source>cloud</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="340" />
            <source>cloud shadow</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="340" />
            <source>water</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="340" />
            <source>nodata</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="355" />
            <source>{product} footprint</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="384" />
            <source>AOI: {name} ({id})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="387" />
            <source>Asset: {name} ({id})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="391" />
            <source>hyperspectral</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="398" />
            <location filename="../ui/purchased_model.py" line="196" />
            <source>Product</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="399" />
            <location filename="../ui/aoi_model.py" line="161" />
            <location filename="../ui/purchased_model.py" line="196" />
            <source>Satellite</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="400" />
            <location filename="../ui/archive_panel.py" line="122" />
            <location filename="../ui/purchased_model.py" line="196" />
            <source>Acquired</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="401" />
            <location filename="../ui/order_dialog.py" line="129" />
            <source>Processing level</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="413" />
            <source>True colour: {bands}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="414" />
            <source>Bands ({count}): {bands}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="418" />
            <source>Reflectance = value / 50000; nodata {nodata}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="434" />
            <source>bit {bit}: {name}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="437" />
            <source>Quality mask, bit-encoded ({bits}); 0 is clear.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/pipeline.py" line="122" />
            <source>Building overviews for {aoi}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/purchased_tasks.py" line="41" />
            <source>Listing Pixxel orders</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/purchased_tasks.py" line="42" />
            <source>Listing Pixxel order items</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/purchased_tasks.py" line="43" />
            <source>Listing Pixxel catalogs</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/settings.py" line="96" />
            <source>Parallel downloads must be between {low} and {high}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/settings.py" line="115" />
            <source>Invalid API address: {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/tasks.py" line="93" />
            <source>{what} failed unexpectedly ({detail}). Details are in the Pixxel log.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/tasks.py" line="102" />
            <source>The server returned the same page twice; the list may be incomplete.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/tasks.py" line="120" />
            <source>Listing Pixxel AOIs</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/tasks.py" line="157" />
            <source>Listing Pixxel assets</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/tasks.py" line="172" />
            <source>Reading the Pixxel catalogue</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/tasks.py" line="211" />
            <source>Downloading {aoi} from Pixxel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/tasks.py" line="246" />
            <source>Adding the downloaded layers</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../core/qgis/tls.py" line="158" />
            <source>{variable} names a CA certificate file that does not exist: {path}. Fix or unset it (when set, it replaces the certificates QGIS trusts).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin.py" line="73" />
            <source>Show or hide the Pixxel panel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_model.py" line="155" />
            <location filename="../ui/asset_model.py" line="57" />
            <location filename="../ui/purchased_model.py" line="128" />
            <source>Name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_model.py" line="157" />
            <source>Progress</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_model.py" line="158" />
            <source>Created</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_model.py" line="159" />
            <source>Updated</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_model.py" line="160" />
            <location filename="../ui/archive_panel.py" line="111" />
            <location filename="../ui/order_dialog.py" line="118" />
            <location filename="../ui/order_dialog.py" line="318" />
            <source>Area</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_model.py" line="162" />
            <location filename="../ui/order_dialog.py" line="109" />
            <source>Project</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_model.py" line="346" />
            <location filename="../ui/asset_model.py" line="204" />
            <location filename="../ui/purchased_model.py" line="153" />
            <source>ID: {id}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_model.py" line="348" />
            <source>Favourite</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_model.py" line="352" />
            <source>{status} ({progress} %)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_model.py" line="361" />
            <source>{value} m²</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="125" />
            <source>Search AOIs by name or ID</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="129" />
            <source>Show the AOIs of one project</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="134" />
            <location filename="../ui/aoi_panel.py" line="354" />
            <source>All projects</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="138" />
            <location filename="../ui/aoi_panel.py" line="444" />
            <location filename="../ui/purchased_panel.py" line="92" />
            <source>Refresh</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="138" />
            <source>List the AOIs again</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="143" />
            <source>Settings</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="143" />
            <source>Pixxel settings: API key, folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="187" />
            <location filename="../ui/aoi_panel.py" line="505" />
            <source>Zoom to AOI</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="188" />
            <source>Zoom the map to the selected AOI</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="250" />
            <location filename="../ui/aoi_panel.py" line="437" />
            <source>Loading your AOIs…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="251" />
            <source>Loading AOIs…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="325" />
            <source>Refresh failed: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="376" />
            <source>Your Pixxel AOIs appear here.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="377" />
            <source>List them now</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="397" />
            <source>Set your Pixxel API key</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="398" />
            <source>Generate a key in Aurora (Workspace Settings → API → service account), then paste it in the Pixxel settings.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="400" />
            <location filename="../ui/aoi_panel.py" line="419" />
            <source>Open settings</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="415" />
            <source>Could not list your AOIs</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="416" />
            <source>{message}

Details are in the Pixxel tab of the log messages panel.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="419" />
            <location filename="../ui/asset_panel.py" line="166" />
            <location filename="../ui/downloads_view.py" line="183" />
            <location filename="../ui/purchased_panel.py" line="215" />
            <source>Retry</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="441" />
            <source>No AOIs yet</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="442" />
            <source>This API key sees no areas of interest. Create one in Aurora, then refresh.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="450" />
            <source>No AOI matches the filter</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="451" />
            <source>Clear the filter</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="460" />
            <source>Loading AOIs… {count}{expected}</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../ui/aoi_panel.py" line="464" />
            <source>{shown} of {total} AOI(s)</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/aoi_panel.py" line="469" />
            <source>{total} AOI(s)</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="472" />
            <source>{count} · may be incomplete</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="506" />
            <source>Copy AOI ID</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/archive_model.py" line="34" />
            <location filename="../ui/asset_model.py" line="59" />
            <source>Date</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/archive_model.py" line="34" />
            <source>Platform</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/archive_model.py" line="34" />
            <source>GSD (m)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/archive_model.py" line="34" />
            <source>Cloud (%)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/archive_model.py" line="35" />
            <source>Off-nadir (°)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/archive_model.py" line="35" />
            <source>Sun elevation (°)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/archive_model.py" line="35" />
            <source>Collection</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/archive_model.py" line="35" />
            <source>Item id</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="101" />
            <location filename="../ui/archive_panel.py" line="169" />
            <source>The map's extent</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="102" />
            <source>Draw rectangle</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="103" />
            <source>Drag a rectangle on the map to search there</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="105" />
            <source>Map extent</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="106" />
            <source>Search the area the map shows</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="124" />
            <source>Max. cloud cover</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="126" />
            <source>Max. off-nadir angle</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="128" />
            <source>All collections</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="132" />
            <source>Search</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="155" />
            <source>Add preview to map</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="157" />
            <source>Order…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="158" />
            <source>Price the selected captures, then order them</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="180" />
            <source>Drag a rectangle on the map…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="186" />
            <source>That rectangle is not a usable area: draw again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="189" />
            <source>Drawn: {w:.3f}, {s:.3f} – {e:.3f}, {n:.3f}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="266" />
            <source>The first day comes after the last one.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="289" />
            <source>Searching…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="293" />
            <source>The search could not start: QGIS is closing.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../ui/archive_panel.py" line="300" />
            <source>Searching… {count} capture(s) so far.</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="312" />
            <source>Search cancelled.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../ui/archive_panel.py" line="314" />
            <source>Showing the first {count} capture(s): more match. Narrow the area, the dates or the limits.</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="318" />
            <source>No capture matches. Widen the area, the dates or the limits.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../ui/archive_panel.py" line="351" />
            <source>Fetching {count} preview(s)…</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="359" />
            <source>Preview of {item} added to the map.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/asset_model.py" line="25" />
            <source>Mosaic</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/asset_model.py" line="26" />
            <source>Scene</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/asset_model.py" line="27" />
            <source>Visualisation</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/asset_model.py" line="58" />
            <location filename="../ui/purchased_model.py" line="128" />
            <source>Type</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/asset_model.py" line="61" />
            <source>Resolution</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/asset_model.py" line="62" />
            <source>Bands</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/asset_model.py" line="188" />
            <location filename="../ui/purchased_model.py" line="218" />
            <source>{value} m</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/asset_model.py" line="196" />
            <source>This asset failed at Pixxel and cannot be downloaded.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/asset_model.py" line="197" />
            <source>Only finished assets can be downloaded: this one is {status}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/asset_model.py" line="209" />
            <source> and {count} more</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/asset_panel.py" line="63" />
            <source>Assets</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/asset_panel.py" line="64" />
            <source>Select an AOI to see its assets.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/asset_panel.py" line="73" />
            <source>Select all</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/asset_panel.py" line="74" />
            <source>Check every asset that can be downloaded</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/asset_panel.py" line="93" />
            <location filename="../ui/asset_panel.py" line="220" />
            <location filename="../ui/purchased_panel.py" line="113" />
            <location filename="../ui/purchased_panel.py" line="268" />
            <source>Download</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/asset_panel.py" line="96" />
            <source>Download the checked assets and add them to the map</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/asset_panel.py" line="138" />
            <source>Assets of {aoi}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/asset_panel.py" line="148" />
            <source>Loading assets…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/asset_panel.py" line="165" />
            <source>Could not list the assets</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/asset_panel.py" line="179" />
            <source>No assets yet</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/asset_panel.py" line="180" />
            <source>Pixxel has not delivered imagery for this AOI so far.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/asset_panel.py" line="220" />
            <location filename="../ui/purchased_panel.py" line="268" />
            <source>Download ({count})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/asset_panel.py" line="225" />
            <source>{ready} of {listed} ready to download</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/band_combination_dialog.py" line="33" />
            <source>Custom band combination</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/band_combination_dialog.py" line="39" />
            <source>Red</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/band_combination_dialog.py" line="39" />
            <source>Green</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/band_combination_dialog.py" line="39" />
            <source>Blue</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/band_combination_dialog.py" line="44" />
            <source> nm</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/band_combination_dialog.py" line="59" />
            <source>Each colour shows the band nearest its wavelength.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/band_combination_dialog.py" line="83" />
            <source>none: {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/band_combination_dialog.py" line="85" />
            <source>→ band {number} {band}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/band_combination_menu.py" line="56" />
            <location filename="../ui/band_combination_menu.py" line="60" />
            <source>Band combination</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/band_combination_menu.py" line="93" />
            <source>No band wavelengths in this raster</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/band_combination_menu.py" line="106" />
            <source>Not available on this image: {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/band_combination_menu.py" line="109" />
            <source>Custom…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/band_combination_menu.py" line="110" />
            <source>Pick red, green and blue by wavelength</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/band_combination_menu.py" line="128" />
            <source>Sampling the {preset} bands…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/dock.py" line="144" />
            <source>Purchased</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/dock.py" line="149" />
            <source>Find imagery</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/dock.py" line="177" />
            <location filename="../ui/options_page.py" line="97" />
            <source>Downloads</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/download_actions.py" line="104" />
            <location filename="../ui/download_actions.py" line="134" />
            <source>This download is already running.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/download_actions.py" line="108" />
            <source>Set your Pixxel API key before downloading.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../ui/download_actions.py" line="146" />
            <source>{aoi}: {count} image(s) added to the map.</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../ui/download_actions.py" line="150" />
            <source>{aoi}: downloaded to {folder}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/download_actions.py" line="154" />
            <source>The download of {aoi} was cancelled.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/download_actions.py" line="159" />
            <source>The download of {aoi} failed: {error} Details are in the Pixxel tab of the log messages panel.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="43" />
            <source>Requesting</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="44" />
            <source>Waiting for Pixxel to prepare the files</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="45" />
            <source>Downloading</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="46" />
            <source>Unpacking</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="47" />
            <source>Finishing</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="48" />
            <source>Reading the imagery</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="49" />
            <source>Adding to the map</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="56" />
            <location filename="../ui/formatting.py" line="28" />
            <source>Running</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="57" />
            <source>Done</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="58" />
            <location filename="../ui/formatting.py" line="30" />
            <source>Failed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="59" />
            <source>Cancelled</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="60" />
            <source>Interrupted</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="70" />
            <source>{value} B</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="71" />
            <source>{value} KB</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="71" />
            <source>{value} MB</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="71" />
            <source>{value} GB</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="75" />
            <source>{value} TB</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="83" />
            <source>{s} s</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="85" />
            <source>{m} min {s} s</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="86" />
            <source>{h} h {m} min</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="95" />
            <source>{done} of {total}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="102" />
            <source>{rate}/s</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="105" />
            <source>{time} left</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="130" />
            <source>Cancel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="130" />
            <source>Stop this download</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="132" />
            <location filename="../ui/downloads_view.py" line="177" />
            <source>Add to map</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="134" />
            <location filename="../ui/notices.py" line="45" />
            <source>Open folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="134" />
            <source>Show the files</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="139" />
            <source>Remove from this list (the files stay on disk)</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../ui/downloads_view.py" line="167" />
            <source>{aoi} — {count} asset(s)</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="179" />
            <source>Add the imagery to the map again (files already on disk are not downloaded again)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="184" />
            <source>Try this download again</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="186" />
            <source>Resume</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="188" />
            <source>Continue this download where it stopped</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="196" />
            <source>Starting…</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../ui/downloads_view.py" line="202" />
            <source>{state} {when} · {count} image(s)</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/downloads_view.py" line="206" />
            <source>{state} {when} · {count} file(s)</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="210" />
            <source>{state} {when}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="252" />
            <source>Downloads you start appear here, with their progress.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/footprints.py" line="130" />
            <source>Pixxel AOIs</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/formatting.py" line="25" />
            <source>Success</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/formatting.py" line="26" />
            <source>Partial success</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/formatting.py" line="27" />
            <source>Started</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/formatting.py" line="29" />
            <source>Updating</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/formatting.py" line="31" />
            <source>Creating</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/formatting.py" line="35" />
            <source>Unknown</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/formatting.py" line="79" />
            <location filename="../ui/formatting.py" line="81" />
            <location filename="../ui/formatting.py" line="82" />
            <source>{value} km²</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/notices.py" line="51" />
            <source>Zoom to</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/options_page.py" line="59" />
            <source>Pixxel account</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/options_page.py" line="65" />
            <source>Generate a key in Aurora: Workspace Settings &gt; API &gt; service account.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/options_page.py" line="67" />
            <source>Clear key</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/options_page.py" line="72" />
            <source>API key</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/options_page.py" line="78" />
            <source>API address</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/options_page.py" line="83" />
            <source>Test connection</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/options_page.py" line="101" />
            <source>Folder for Pixxel downloads</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/options_page.py" line="102" />
            <source>Download folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/options_page.py" line="107" />
            <source>Parallel downloads</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/options_page.py" line="108" />
            <source>Add downloaded imagery to the map</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/options_page.py" line="109" />
            <source>Keep the zip files after extracting them</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/options_page.py" line="110" />
            <source>Build overviews (pyramids) for fast display</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/options_page.py" line="123" />
            <source>PIXXEL_API_URL is set: {url} is used instead of this address.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/options_page.py" line="192" />
            <source>•••• stored</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/options_page.py" line="195" />
            <source>PIXXEL_API_KEY is set: the key from the environment is used.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/options_page.py" line="197" />
            <source>A key is stored in the QGIS authentication database.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/options_page.py" line="199" />
            <source>No key stored yet.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/options_page.py" line="226" />
            <source>Testing the connection to {url}…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="54" />
            <source>Feasible</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="55" />
            <source>Feasible, with some risk</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="56" />
            <source>Not feasible</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="57" />
            <source>Not applicable (an archive capture exists already)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="58" />
            <source>Not known</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="59" />
            <location filename="../ui/order_dialog.py" line="319" />
            <source>Not given</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../ui/order_dialog.py" line="65" />
            <source>{count} band(s)</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="86" />
            <source>Order Pixxel imagery</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../ui/order_dialog.py" line="105" />
            <source>{count} capture(s): {ids}</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="111" />
            <source>What the imagery is for, as Pixxel asks with every order (for example agriculture or forestry).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="115" />
            <source>Each capture's whole footprint</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="117" />
            <source>Only the search area</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="120" />
            <source>Every band of the capture</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="121" />
            <source>Pixxel documents bandsets for tasking orders; for an archive capture the price shows how many bands are charged.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="124" />
            <source>Bandset</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="126" />
            <source>as in the archive</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="127" />
            <source>Archive captures are delivered at the level they are kept at; an order cannot ask for another.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="131" />
            <source>Standard</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="132" />
            <source>Delivery speed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="135" />
            <source>Check price</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="136" />
            <source>Ask Pixxel for the price and feasibility (a dry run: nothing is ordered).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="190" />
            <source>Choose the project the order belongs to.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="193" />
            <source>Say what the imagery is for (the use case).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="202" />
            <source>Asking Pixxel for the price…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="216" />
            <source>Placing the order with Pixxel… Wait for its answer.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="220" />
            <source>An order for these captures is being sent already.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="230" />
            <source>Could not read your projects: {error}</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../ui/order_dialog.py" line="237" />
            <source>{name} ({count} band(s))</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="242" />
            <source>Your API key sees no project to order in.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="261" />
            <source>Pixxel gave no price: this order cannot be confirmed here.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="264" />
            <source>Pixxel says this order is not feasible.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="267" />
            <source>Nothing has been ordered yet.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="275" />
            <source>Order {id} placed ({status}). Its imagery can be downloaded once Pixxel has delivered it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="285" />
            <source>The order failed.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="287" />
            <source>Check the price again to try once more.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="308" />
            <source>Placing the order…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="308" />
            <source>Order placed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="309" />
            <source>Order sent: outcome unknown</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="310" />
            <source>Place order for {amount}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="317" />
            <source>Feasibility</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="318" />
            <source>{area} km²</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="320" />
            <source>Base price</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="321" />
            <source>Final price</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="324" />
            <source>not stated by Pixxel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_footprints.py" line="51" />
            <source>Pixxel purchases</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="128" />
            <source>Images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="128" />
            <source>Start</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="128" />
            <source>End</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="129" />
            <source>Order</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="150" />
            <source>Only order items with delivered imagery can be downloaded: this one is {status}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="154" />
            <source>Order: {id}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="196" />
            <source>Level</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="196" />
            <source>GSD</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="197" />
            <source>Cloud</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="197" />
            <source>Delivery</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="197" />
            <source>Order item</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="221" />
            <source>{value} %</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="231" />
            <source>Catalog ID: {id}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="235" />
            <source>Off-nadir: {value}°</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="238" />
            <source>Automated cloud delivery: {status}. Every catalog can be downloaded.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_panel.py" line="81" />
            <source>Search order items and catalogs</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_panel.py" line="85" />
            <source>Show the order items and catalogs of one order</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_panel.py" line="89" />
            <location filename="../ui/purchased_panel.py" line="192" />
            <source>All orders</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_panel.py" line="93" />
            <source>List the purchases again</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_panel.py" line="105" />
            <source>Order items</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_panel.py" line="115" />
            <source>Download the selected purchases and add them to the map</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_panel.py" line="210" />
            <source>No order items yet</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_panel.py" line="211" />
            <source>No catalogs yet</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_panel.py" line="214" />
            <source>Could not list your purchases</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_panel.py" line="219" />
            <source>Loading your purchases…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_panel.py" line="221" />
            <source>Nothing matches the filter</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/purchased_panel.py" line="223" />
            <source>Imagery your workspace orders in Aurora is listed here.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../ui/purchased_panel.py" line="226" />
            <source>{count} order item(s)</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/purchased_panel.py" line="227" />
            <source>{count} catalog(s)</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../ui/purchased_panel.py" line="228" />
            <source>(loading…)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="50" />
            <location filename="../ui/spectral_profile.py" line="163" />
            <source>Spectral profile</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="57" />
            <location filename="../ui/spectral_profile.py" line="109" />
            <source>Click on a spectral image.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="60" />
            <source>Pin</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="61" />
            <source>Keep this profile on the chart to compare it</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="62" />
            <source>Clear</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="63" />
            <source>Export CSV…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="64" />
            <source>Save the pinned profiles as a CSV file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="85" />
            <source>No spectral image under this point.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="87" />
            <source>{layer}: pixel {column}, {row} holds no data (nodata or masked).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="91" />
            <source>{layer}: pixel {column}, {row} at {x:.6g}, {y:.6g} ({crs})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="114" />
            <source>Export pinned profiles</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="114" />
            <source>CSV files (*.csv)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="121" />
            <source>Could not write {path}: {error}</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <location filename="../ui/spectral_profile.py" line="124" />
            <source>{count} profile(s) exported to {path}</source>
            <translation type="unfinished">
                <numerusform />
            </translation>
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="133" />
            <source>{label} · {layer} ({column}, {row})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="139" />
            <source>Current · {layer} ({column}, {row})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="165" />
            <source>Click on the map to see the spectrum of a pixel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="191" />
            <source>Could not read the spectrum: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/spectrum_chart.py" line="54" />
            <source>Click on a spectral image to see the spectrum of that pixel.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/spectrum_chart.py" line="122" />
            <source>Wavelength (nm)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/spectrum_chart.py" line="128" />
            <source>Reflectance</source>
            <translation type="unfinished" />
        </message>
    </context>
</TS>
