<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
    <context>
        <name>Pixxel</name>
        <message>
            <location filename="../core/processing/common.py" line="87" />
            <source>{error} Scripts and qgis_process can set the PIXXEL_API_KEY and PIXXEL_API_URL environment variables instead.</source>
            <translation>{error} Les scripts et qgis_process peuvent à la place définir les variables d'environnement PIXXEL_API_KEY et PIXXEL_API_URL.</translation>
        </message>
        <message>
            <location filename="../core/processing/common.py" line="147" />
            <location filename="../core/processing/spectral_index.py" line="119" />
            <location filename="../core/qgis/tasks.py" line="71" />
            <location filename="../core/qgis/tasks.py" line="77" />
            <source>Cancelled.</source>
            <translation>Annulé.</translation>
        </message>
        <message>
            <location filename="../core/processing/common.py" line="289" />
            <location filename="../core/processing/provider.py" line="27" />
            <location filename="../plugin.py" line="71" />
            <location filename="../ui/dock.py" line="70" />
            <location filename="../ui/notices.py" line="43" />
            <location filename="../ui/options_page.py" line="239" />
            <source>Pixxel</source>
            <translation>Pixxel</translation>
        </message>
        <message>
            <location filename="../core/processing/common.py" line="321" />
            <source>The Pixxel settings were not read.</source>
            <translation>Les paramètres Pixxel n'ont pas été lus.</translation>
        </message>
        <message>
            <location filename="../core/processing/common.py" line="336" />
            <source>AOI id</source>
            <translation>ID de l'AOI</translation>
        </message>
        <message>
            <location filename="../core/processing/common.py" line="342" />
            <source>An AOI id is needed.</source>
            <translation>Un ID d'AOI est requis.</translation>
        </message>
        <message>
            <location filename="../core/processing/download_assets.py" line="55" />
            <source>Download assets</source>
            <translation>Télécharger des produits</translation>
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
            <translation>Télécharge les produits d'une AOI Pixxel : demande un téléchargement à Pixxel, attend qu'il soit prêt, récupère le fichier (avec reprise, vérifié par sa taille et sa somme de contrôle) et le décompresse dans un dossier nommé d'après l'AOI et le téléchargement.

ID de l'AOI : le champ aoi_id de « Lister les AOI ».
ID des produits : ID séparés par des virgules, issus de « Lister les produits d'une AOI » ; vide, télécharge tous les produits de l'AOI dont le statut est « success ».
Dossier de sortie : où le dossier de l'AOI est créé ; vide, utilise le dossier de téléchargement des paramètres Pixxel.
Charger les couches : dans QGIS, ajoute les images au projet comme le fait le panneau Pixxel (un groupe par AOI, couleurs naturelles, masques de qualité, emprises). qgis_process ne charge jamais de couches.

Sorties : le dossier contenant les fichiers, l'ID de téléchargement Pixxel et la liste des fichiers raster.

L'adresse et la clé de l'API proviennent des paramètres Pixxel, ou des variables d'environnement PIXXEL_API_URL et PIXXEL_API_KEY, qui sont prioritaires.</translation>
        </message>
        <message>
            <location filename="../core/processing/download_assets.py" line="80" />
            <source>Asset ids (comma-separated; empty: every ready asset)</source>
            <translation>ID des produits (séparés par des virgules ; vide : tous les produits prêts)</translation>
        </message>
        <message>
            <location filename="../core/processing/download_assets.py" line="86" />
            <location filename="../core/processing/download_catalogs.py" line="80" />
            <source>Output folder (empty: the Pixxel download folder)</source>
            <translation>Dossier de sortie (vide : le dossier de téléchargement Pixxel)</translation>
        </message>
        <message>
            <location filename="../core/processing/download_assets.py" line="94" />
            <location filename="../core/processing/download_catalogs.py" line="86" />
            <source>Add the imagery to the project</source>
            <translation>Ajouter les images au projet</translation>
        </message>
        <message>
            <location filename="../core/processing/download_assets.py" line="97" />
            <location filename="../core/processing/download_catalogs.py" line="89" />
            <source>Pixxel download id</source>
            <translation>ID de téléchargement Pixxel</translation>
        </message>
        <message>
            <location filename="../core/processing/download_assets.py" line="98" />
            <location filename="../core/processing/download_catalogs.py" line="90" />
            <source>Raster files</source>
            <translation>Fichiers raster</translation>
        </message>
        <message>
            <location filename="../core/processing/download_assets.py" line="127" />
            <source>The AOI {name} has no asset ready for download (status 'success').</source>
            <translation>L'AOI {name} n'a aucun produit prêt à être téléchargé (statut « success »).</translation>
        </message>
        <message numerus="yes">
            <location filename="../core/processing/download_assets.py" line="135" />
            <source>Downloading {count} asset(s) of {name}…</source>
            <translation>
                <numerusform>Téléchargement de {count} produit de {name}…</numerusform>
                <numerusform>Téléchargement de {count} produits de {name}…</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../core/processing/download_assets.py" line="147" />
            <location filename="../core/processing/download_catalogs.py" line="128" />
            <source>{count} file(s) in {folder}{reused}</source>
            <translation>
                <numerusform>{count} fichier dans {folder}{reused}</numerusform>
                <numerusform>{count} fichiers dans {folder}{reused}</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../core/processing/download_assets.py" line="149" />
            <location filename="../core/processing/download_catalogs.py" line="130" />
            <source> (already downloaded)</source>
            <translation> (déjà téléchargé)</translation>
        </message>
        <message numerus="yes">
            <location filename="../core/processing/download_assets.py" line="165" />
            <source>{count} image layer(s) in the project.</source>
            <translation>
                <numerusform>{count} couche image dans le projet.</numerusform>
                <numerusform>{count} couches image dans le projet.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../core/processing/download_catalogs.py" line="45" />
            <source>Download purchased imagery</source>
            <translation>Télécharger l'imagerie achetée</translation>
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
            <translation>Télécharge l'imagerie achetée à Pixxel : des catalogues, ou tous les catalogues livrés pour des articles de commande. Demande un téléchargement à Pixxel, attend qu'il soit prêt, récupère le fichier (reprise possible, vérifié par sa taille et sa somme de contrôle) et le décompresse dans un dossier au nom de l'article de commande (plusieurs articles : « Pixxel purchases »), un sous-dossier par produit.

ID des catalogues : valeurs catalog_id de « Lister les catalogues achetés », séparées par des virgules.
ID des articles de commande : valeurs order_item_id de « Lister les articles de commande », séparées par des virgules.
Donnez l'un des deux, pas les deux.
Dossier de sortie : où le dossier de l'article de commande est créé ; vide, le dossier de téléchargement des paramètres Pixxel.
Charger les couches : dans QGIS, ajoute les images au projet comme le fait le panneau Pixxel. qgis_process ne charge jamais de couches.

Sorties : le dossier des fichiers, l'ID du téléchargement Pixxel et la liste des fichiers raster.

L'adresse de l'API et la clé viennent des paramètres Pixxel, ou des variables d'environnement PIXXEL_API_URL et PIXXEL_API_KEY, qui l'emportent.</translation>
        </message>
        <message>
            <location filename="../core/processing/download_catalogs.py" line="70" />
            <source>Catalog ids (comma-separated)</source>
            <translation>ID des catalogues (séparés par des virgules)</translation>
        </message>
        <message>
            <location filename="../core/processing/download_catalogs.py" line="75" />
            <source>Order item ids (comma-separated)</source>
            <translation>ID des articles de commande (séparés par des virgules)</translation>
        </message>
        <message>
            <location filename="../core/processing/download_catalogs.py" line="102" />
            <source>Give catalog ids or order item ids, not both: Pixxel downloads one or the other.</source>
            <translation>Donnez des ID de catalogues ou des ID d'articles de commande, pas les deux : Pixxel télécharge l'un ou l'autre.</translation>
        </message>
        <message>
            <location filename="../core/processing/download_catalogs.py" line="106" />
            <source>Give the catalog ids or the order item ids to download.</source>
            <translation>Donnez les ID des catalogues ou des articles de commande à télécharger.</translation>
        </message>
        <message numerus="yes">
            <location filename="../core/processing/download_catalogs.py" line="116" />
            <source>Downloading {count} catalog(s) into {name}…</source>
            <translation>
                <numerusform>Téléchargement de {count} catalogue dans {name}…</numerusform>
                <numerusform>Téléchargement de {count} catalogues dans {name}…</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../core/processing/download_catalogs.py" line="118" />
            <source>Downloading {count} order item(s) into {name}…</source>
            <translation>
                <numerusform>Téléchargement de {count} article de commande dans {name}…</numerusform>
                <numerusform>Téléchargement de {count} articles de commande dans {name}…</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../core/processing/estimate_order.py" line="63" />
            <source>Estimate an archive order</source>
            <translation>Estimer une commande d'archive</translation>
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
            <translation>Demande à Pixxel ce que coûterait la commande de prises de vue d'archive, par une simulation qui ne commande rien : une ligne par prise de vue avec la surface facturée (km²), le nombre de bandes, la faisabilité, les montants de base et final (avec la devise quand Pixxel en indique une) et les majorations ou remises appliquées. Donne aussi le total.

Identifiants d'éléments : identifiants séparés par des virgules, issus de « Rechercher dans l'archive ».
Identifiant de projet : le projet auquel la commande appartiendrait (vide : le premier projet que voit votre clé).
Usage : à quoi servira l'imagerie, comme Pixxel le demande (par défaut : agriculture).
Étendue : la zone à commander dans les prises de vue (vide : l'emprise entière de chaque prise de vue).
Identifiant de jeu de bandes : un jeu de bandes de la liste de Pixxel (vide : toutes les bandes de la prise de vue).

Cet algorithme ne passe jamais de commande : commandez depuis le panneau Pixxel, qui montre d'abord ce prix et vous demande de confirmer.

L'adresse de l'API et la clé viennent des paramètres Pixxel, ou des variables d'environnement PIXXEL_API_URL et PIXXEL_API_KEY, qui l'emportent.</translation>
        </message>
        <message>
            <location filename="../core/processing/estimate_order.py" line="85" />
            <source>Item ids</source>
            <translation>Identifiants d'éléments</translation>
        </message>
        <message>
            <location filename="../core/processing/estimate_order.py" line="87" />
            <location filename="../core/processing/list_aois.py" line="55" />
            <source>Project id</source>
            <translation>ID du projet</translation>
        </message>
        <message>
            <location filename="../core/processing/estimate_order.py" line="90" />
            <location filename="../ui/order_dialog.py" line="113" />
            <source>Use case</source>
            <translation>Usage</translation>
        </message>
        <message>
            <location filename="../core/processing/estimate_order.py" line="93" />
            <source>Area to order</source>
            <translation>Zone à commander</translation>
        </message>
        <message>
            <location filename="../core/processing/estimate_order.py" line="96" />
            <source>Bandset id</source>
            <translation>Identifiant de jeu de bandes</translation>
        </message>
        <message>
            <location filename="../core/processing/estimate_order.py" line="99" />
            <source>Price estimate</source>
            <translation>Estimation du prix</translation>
        </message>
        <message>
            <location filename="../core/processing/estimate_order.py" line="101" />
            <source>Total amount</source>
            <translation>Montant total</translation>
        </message>
        <message>
            <location filename="../core/processing/estimate_order.py" line="102" />
            <location filename="../ui/order_dialog.py" line="324" />
            <source>Currency</source>
            <translation>Devise</translation>
        </message>
        <message>
            <location filename="../core/processing/estimate_order.py" line="112" />
            <source>At least one archive item id is needed.</source>
            <translation>Il faut au moins un identifiant d'élément d'archive.</translation>
        </message>
        <message numerus="yes">
            <location filename="../core/processing/estimate_order.py" line="129" />
            <source>{count} capture(s): {amount} in total (a dry run: nothing was ordered).</source>
            <translation>
                <numerusform>{count} prise de vue : {amount} au total (une simulation : rien n'a été commandé).</numerusform>
                <numerusform>{count} prises de vue : {amount} au total (une simulation : rien n'a été commandé).</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../core/processing/estimate_order.py" line="145" />
            <source>Not in Pixxel's archive: {ids}.</source>
            <translation>Absent de l'archive de Pixxel : {ids}.</translation>
        </message>
        <message>
            <location filename="../core/processing/estimate_order.py" line="152" />
            <source>Your API key sees no project to order in: give a project id.</source>
            <translation>Votre clé d'API ne voit aucun projet où commander : indiquez un identifiant de projet.</translation>
        </message>
        <message>
            <location filename="../core/processing/extract_spectra.py" line="46" />
            <source>Extract spectra at points</source>
            <translation>Extraire les spectres aux points</translation>
        </message>
        <message>
            <location filename="../core/processing/extract_spectra.py" line="49" />
            <source>Reads the reflectance spectrum of a hyperspectral image at each point: the output holds the points with their attributes and one decimal field per band, named r and the band's centre wavelength in whole nm (r650, r860), or b and its number for a band without a wavelength (b7). Bands flagged bad in the image are left out.

The points may be in any CRS. A value is NULL where the pixel is nodata or masked, and for points off the image.

Pixxel L2 products are read as reflectance = value / 50000 with 0 as nodata, unless the file declares its own scale. No Pixxel account or API key is needed.</source>
            <translation>Lit le spectre de réflectance d'une image hyperspectrale en chaque point : la sortie contient les points avec leurs attributs et un champ décimal par bande, nommé r suivi de la longueur d'onde centrale de la bande en nm entiers (r650, r860), ou b suivi de son numéro pour une bande sans longueur d'onde (b7). Les bandes marquées comme mauvaises dans l'image sont omises.

Les points peuvent être dans n'importe quel SCR. Une valeur est NULL là où le pixel est sans donnée ou masqué, et pour les points hors de l'image.

Les produits Pixxel L2 sont lus comme réflectance = valeur / 50000 avec 0 comme « sans donnée », sauf si le fichier déclare sa propre échelle. Aucun compte Pixxel ni clé d'API n'est nécessaire.</translation>
        </message>
        <message>
            <location filename="../core/processing/extract_spectra.py" line="64" />
            <source>Points</source>
            <translation>Points</translation>
        </message>
        <message>
            <location filename="../core/processing/extract_spectra.py" line="69" />
            <source>Spectra</source>
            <translation>Spectres</translation>
        </message>
        <message>
            <location filename="../core/processing/extract_spectra.py" line="105" />
            <source>Multipoints are sampled at their first point.</source>
            <translation>Les multipoints sont échantillonnés à leur premier point.</translation>
        </message>
        <message numerus="yes">
            <location filename="../core/processing/extract_spectra.py" line="116" />
            <source>{count} point(s) without a value: off the image, nodata or masked.</source>
            <translation>
                <numerusform>{count} point sans valeur : hors de l'image, sans donnée ou masqué.</numerusform>
                <numerusform>{count} points sans valeur : hors de l'image, sans donnée ou masqués.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../core/processing/list_aois.py" line="39" />
            <source>List AOIs</source>
            <translation>Lister les AOI</translation>
        </message>
        <message>
            <location filename="../core/processing/list_aois.py" line="42" />
            <source>Lists the Areas of Interest (AOIs) your Pixxel API key can see, as polygons in EPSG:4326 with their id, name, status, progress, dates, area (m²), satellite and project.

Project id: only the AOIs of this project (empty: every project).
Name filter: only AOIs whose name contains this text (empty: all).

The API address and key come from the Pixxel settings (Settings &gt; Options &gt; Pixxel), or from the PIXXEL_API_URL and PIXXEL_API_KEY environment variables, which win. The key is never a parameter, so it is never stored in models or the history.</source>
            <translation>Liste les zones d'intérêt (AOI) visibles avec votre clé d'API Pixxel, sous forme de polygones en EPSG:4326 avec leur ID, nom, statut, progression, dates, superficie (m²), satellite et projet.

ID du projet : uniquement les AOI de ce projet (vide : tous les projets).
Filtre sur le nom : uniquement les AOI dont le nom contient ce texte (vide : toutes).

L'adresse et la clé de l'API proviennent des paramètres Pixxel (Préférences &gt; Options &gt; Pixxel), ou des variables d'environnement PIXXEL_API_URL et PIXXEL_API_KEY, qui sont prioritaires. La clé n'est jamais un paramètre : elle n'est donc jamais enregistrée dans les modèles ni dans l'historique.</translation>
        </message>
        <message>
            <location filename="../core/processing/list_aois.py" line="58" />
            <location filename="../core/processing/list_catalogs.py" line="57" />
            <source>Name filter</source>
            <translation>Filtre sur le nom</translation>
        </message>
        <message>
            <location filename="../core/processing/list_aois.py" line="62" />
            <location filename="../ui/dock.py" line="140" />
            <source>AOIs</source>
            <translation>AOI</translation>
        </message>
        <message numerus="yes">
            <location filename="../core/processing/list_aois.py" line="83" />
            <source>{count} AOI(s) listed.</source>
            <translation>
                <numerusform>{count} AOI listée.</numerusform>
                <numerusform>{count} AOI listées.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../core/processing/list_assets.py" line="34" />
            <source>List assets of an AOI</source>
            <translation>Lister les produits d'une AOI</translation>
        </message>
        <message>
            <location filename="../core/processing/list_assets.py" line="37" />
            <source>Lists the assets (products) of one Pixxel AOI as footprints in EPSG:4326 with their id, name, type, status, acquisition date, resolution (m) and number of bands. Only assets with status 'success' can be downloaded.

AOI id: the aoi_id field of 'List AOIs'.

The API address and key come from the Pixxel settings, or from the PIXXEL_API_URL and PIXXEL_API_KEY environment variables, which win.</source>
            <translation>Liste les produits (assets) d'une AOI Pixxel sous forme d'emprises en EPSG:4326 avec leur ID, nom, type, statut, date d'acquisition, résolution (m) et nombre de bandes. Seuls les produits au statut « success » peuvent être téléchargés.

ID de l'AOI : le champ aoi_id de « Lister les AOI ».

L'adresse et la clé de l'API proviennent des paramètres Pixxel, ou des variables d'environnement PIXXEL_API_URL et PIXXEL_API_KEY, qui sont prioritaires.</translation>
        </message>
        <message>
            <location filename="../core/processing/list_assets.py" line="50" />
            <source>Asset footprints</source>
            <translation>Emprises des produits</translation>
        </message>
        <message numerus="yes">
            <location filename="../core/processing/list_assets.py" line="68" />
            <source>{count} asset(s) listed.</source>
            <translation>
                <numerusform>{count} produit listé.</numerusform>
                <numerusform>{count} produits listés.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../core/processing/list_catalogs.py" line="39" />
            <source>List purchased catalogs</source>
            <translation>Lister les catalogues achetés</translation>
        </message>
        <message>
            <location filename="../core/processing/list_catalogs.py" line="42" />
            <source>Lists the catalogs of your Pixxel workspace (the images you bought, archive or tasked) as footprints in EPSG:4326 with their catalog id, item id (the product name), acquisition time, satellite, processing level, ground sample distance (m), cloud cover (%), off-nadir angle (°), delivery status and area (km²). The delivery status is that of the automated cloud delivery: every catalog can be downloaded with 'Download purchased imagery'.

Name filter: only catalogs whose item id, title or catalog id contains this text, in any case (empty: all).

The API address and key come from the Pixxel settings, or from the PIXXEL_API_URL and PIXXEL_API_KEY environment variables, which win.</source>
            <translation>Liste les catalogues de votre espace de travail Pixxel (les images achetées, d'archive ou programmées) comme emprises en EPSG:4326 avec leur ID de catalogue, ID d'item (le nom du produit), date d'acquisition, satellite, niveau de traitement, résolution au sol (m), couverture nuageuse (%), angle de dépointage (°), état de livraison et surface (km²). L'état de livraison est celui de la livraison automatique dans le cloud : tout catalogue peut être téléchargé avec « Télécharger l'imagerie achetée ».

Filtre de nom : seulement les catalogues dont l'ID d'item, le titre ou l'ID de catalogue contient ce texte, sans tenir compte de la casse (vide : tous).

L'adresse de l'API et la clé viennent des paramètres Pixxel, ou des variables d'environnement PIXXEL_API_URL et PIXXEL_API_KEY, qui l'emportent.</translation>
        </message>
        <message>
            <location filename="../core/processing/list_catalogs.py" line="61" />
            <location filename="../ui/purchased_panel.py" line="106" />
            <source>Catalogs</source>
            <translation>Catalogues</translation>
        </message>
        <message numerus="yes">
            <location filename="../core/processing/list_catalogs.py" line="78" />
            <source>{count} catalog(s) listed.</source>
            <translation>
                <numerusform>{count} catalogue listé.</numerusform>
                <numerusform>{count} catalogues listés.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../core/processing/list_order_items.py" line="39" />
            <source>List order items</source>
            <translation>Lister les articles de commande</translation>
        </message>
        <message>
            <location filename="../core/processing/list_order_items.py" line="42" />
            <source>Lists the order items of your Pixxel workspace: one feature per image an item holds (its footprint in EPSG:4326 and item id, the product name), with the order id, order item id, name, type (ARCHIVE, TASKING, RECURRING), status, image type and the acquisition window. An item without images yet (active, failed, cancelled) is one feature without geometry or item id.

Order id: only the items of this order (empty: every order).
Status: only items with this status, e.g. FULFILLED; several comma-separated, any case (empty: all).

The API address and key come from the Pixxel settings, or from the PIXXEL_API_URL and PIXXEL_API_KEY environment variables, which win.</source>
            <translation>Liste les articles de commande de votre espace de travail Pixxel : une entité par image d'un article (son emprise en EPSG:4326 et son ID d'item, le nom du produit), avec l'ID de la commande, l'ID de l'article, son nom, son type (ARCHIVE, TASKING, RECURRING), son état, son type d'image et sa fenêtre d'acquisition. Un article encore sans image (actif, en échec, annulé) est une entité sans géométrie ni ID d'item.

ID de la commande : seulement les articles de cette commande (vide : toutes les commandes).
État : seulement les articles dans cet état, par ex. FULFILLED ; plusieurs séparés par des virgules, sans tenir compte de la casse (vide : tous).

L'adresse de l'API et la clé viennent des paramètres Pixxel, ou des variables d'environnement PIXXEL_API_URL et PIXXEL_API_KEY, qui l'emportent.</translation>
        </message>
        <message>
            <location filename="../core/processing/list_order_items.py" line="56" />
            <source>Order id</source>
            <translation>ID de la commande</translation>
        </message>
        <message>
            <location filename="../core/processing/list_order_items.py" line="57" />
            <location filename="../ui/aoi_model.py" line="156" />
            <location filename="../ui/asset_model.py" line="60" />
            <location filename="../ui/purchased_model.py" line="128" />
            <source>Status</source>
            <translation>Statut</translation>
        </message>
        <message>
            <location filename="../core/processing/list_order_items.py" line="60" />
            <source>Order item images</source>
            <translation>Images des articles de commande</translation>
        </message>
        <message numerus="yes">
            <location filename="../core/processing/list_order_items.py" line="83" />
            <source>{count} order item(s) listed.</source>
            <translation>
                <numerusform>{count} article de commande listé.</numerusform>
                <numerusform>{count} articles de commande listés.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../core/processing/provider.py" line="30" />
            <source>Pixxel hyperspectral imagery</source>
            <translation>Imagerie hyperspectrale Pixxel</translation>
        </message>
        <message>
            <location filename="../core/processing/search_archive.py" line="74" />
            <source>The extent lies outside the world's coordinates.</source>
            <translation>L'étendue se trouve hors des coordonnées du globe.</translation>
        </message>
        <message>
            <location filename="../core/processing/search_archive.py" line="85" />
            <source>Search the archive</source>
            <translation>Rechercher dans l'archive</translation>
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
            <translation>Recherche dans l'archive de prises de vue de Pixxel et écrit leurs emprises (EPSG:4326) avec l'identifiant d'élément, la collection, l'heure d'acquisition (UTC), la plateforme, la résolution au sol (m), la couverture nuageuse (%), l'angle hors nadir et l'élévation du soleil (degrés).

Étendue : prises de vue touchant cette zone (vide : partout).
Dates de début et de fin : acquises entre ces jours, inclus (vide : sans limite).
Couverture nuageuse et angle hors nadir maximaux : vides pour aucune limite.
Collections : identifiants de collections séparés par des virgules, p. ex. pixxel-firefly (vide : toutes).

Au plus {pages} pages de résultats sont lues : affinez une recherche qui en trouve davantage. Rechercher ne commande jamais rien ; « Estimer une commande d'archive » donne le prix des prises de vue.

L'adresse de l'API et la clé viennent des paramètres Pixxel, ou des variables d'environnement PIXXEL_API_URL et PIXXEL_API_KEY, qui l'emportent.</translation>
        </message>
        <message>
            <location filename="../core/processing/search_archive.py" line="104" />
            <source>Extent</source>
            <translation>Étendue</translation>
        </message>
        <message>
            <location filename="../core/processing/search_archive.py" line="105" />
            <source>Start date</source>
            <translation>Date de début</translation>
        </message>
        <message>
            <location filename="../core/processing/search_archive.py" line="105" />
            <source>End date</source>
            <translation>Date de fin</translation>
        </message>
        <message>
            <location filename="../core/processing/search_archive.py" line="110" />
            <source>Maximum cloud cover (%)</source>
            <translation>Couverture nuageuse maximale (%)</translation>
        </message>
        <message>
            <location filename="../core/processing/search_archive.py" line="114" />
            <source>Maximum off-nadir angle (degrees)</source>
            <translation>Angle hors nadir maximal (degrés)</translation>
        </message>
        <message>
            <location filename="../core/processing/search_archive.py" line="118" />
            <location filename="../ui/archive_panel.py" line="129" />
            <source>Collections</source>
            <translation>Collections</translation>
        </message>
        <message>
            <location filename="../core/processing/search_archive.py" line="121" />
            <source>Archive footprints</source>
            <translation>Emprises de l'archive</translation>
        </message>
        <message>
            <location filename="../core/processing/search_archive.py" line="123" />
            <source>Number of captures</source>
            <translation>Nombre de prises de vue</translation>
        </message>
        <message>
            <location filename="../core/processing/search_archive.py" line="142" />
            <source>More captures match than {pages} pages hold: only the first {count} were written. Narrow the area, the dates or the limits.</source>
            <translation>Plus de prises de vue correspondent que {pages} pages n'en contiennent : seules les {count} premières ont été écrites. Réduisez la zone, les dates ou les limites.</translation>
        </message>
        <message numerus="yes">
            <location filename="../core/processing/search_archive.py" line="147" />
            <location filename="../ui/archive_panel.py" line="321" />
            <source>{count} capture(s) found.</source>
            <translation>
                <numerusform>{count} prise de vue trouvée.</numerusform>
                <numerusform>{count} prises de vue trouvées.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../core/processing/spectral_common.py" line="47" />
            <source>Spectral analysis</source>
            <translation>Analyse spectrale</translation>
        </message>
        <message>
            <location filename="../core/processing/spectral_common.py" line="59" />
            <source>Hyperspectral image</source>
            <translation>Image hyperspectrale</translation>
        </message>
        <message>
            <location filename="../core/processing/spectral_common.py" line="71" />
            <source>The input raster could not be opened.</source>
            <translation>Le raster d'entrée n'a pas pu être ouvert.</translation>
        </message>
        <message>
            <location filename="../core/processing/spectral_common.py" line="73" />
            <source>{name} is not a local raster file; the spectral tools read GeoTIFF, ENVI and other files GDAL opens from disk.</source>
            <translation>{name} n'est pas un fichier raster local ; les outils spectraux lisent les fichiers GeoTIFF, ENVI et les autres fichiers que GDAL ouvre depuis le disque.</translation>
        </message>
        <message>
            <location filename="../core/processing/spectral_common.py" line="91" />
            <source>No input raster.</source>
            <translation>Aucun raster d'entrée.</translation>
        </message>
        <message>
            <location filename="../core/processing/spectral_common.py" line="98" />
            <source>{name} has no band with a known wavelength: the spectral tools need the wavelengths in the file's metadata or in an ENVI header beside it.</source>
            <translation>{name} n'a aucune bande de longueur d'onde connue : les outils spectraux ont besoin des longueurs d'onde dans les métadonnées du fichier ou dans un en-tête ENVI à côté de lui.</translation>
        </message>
        <message>
            <location filename="../core/processing/spectral_common.py" line="104" />
            <source>{name} is a Pixxel L2 product: reflectance = value / 50000 unless the file says otherwise; 0 is nodata.</source>
            <translation>{name} est un produit Pixxel L2 : réflectance = valeur / 50000 sauf indication contraire du fichier ; 0 signifie « sans donnée ».</translation>
        </message>
        <message>
            <location filename="../core/processing/spectral_index.py" line="58" />
            <source>Spectral index</source>
            <translation>Indice spectral</translation>
        </message>
        <message>
            <location filename="../core/processing/spectral_index.py" line="61" />
            <source>Computes a spectral index of a hyperspectral image into a Float32 GeoTIFF on the image's grid (nodata: NaN, where an input band is nodata or the formula has no value).

R&lt;nm&gt; is the reflectance of the band whose centre is nearest &lt;nm&gt;, within its width or 20 nm; an index whose bands the sensor lacks is refused with the reason.

Custom: type an expression of R&lt;nm&gt; terms (or band names), numbers, + - * / **, parentheses, abs(), sqrt(), min(), max(); e.g. (R860 - R650) / (R860 + R650).

Pixxel L2 products (recognised by their file name or metadata) are read as reflectance = value / 50000 with 0 as nodata, unless the file declares its own scale. Inside QGIS the result is added above the image, on a red-yellow-green ramp (-1 to 1 for normalized differences, else the 2-98 % range).

No Pixxel account or API key is needed.</source>
            <translation>Calcule un indice spectral d'une image hyperspectrale dans un GeoTIFF Float32 sur la grille de l'image (sans donnée : NaN, là où une bande d'entrée est sans donnée ou la formule n'a pas de valeur).

R&lt;nm&gt; est la réflectance de la bande dont le centre est le plus proche de &lt;nm&gt;, à sa largeur ou 20 nm près ; un indice dont le capteur n'a pas les bandes est refusé avec la raison.

Personnalisé : saisissez une expression de termes R&lt;nm&gt; (ou de noms de bandes), de nombres, + - * / **, parenthèses, abs(), sqrt(), min(), max() ; p. ex. (R860 - R650) / (R860 + R650).

Les produits Pixxel L2 (reconnus à leur nom de fichier ou à leurs métadonnées) sont lus comme réflectance = valeur / 50000 avec 0 comme « sans donnée », sauf si le fichier déclare sa propre échelle. Dans QGIS, le résultat est ajouté au-dessus de l'image, sur une rampe rouge-jaune-vert (-1 à 1 pour les différences normalisées, sinon la plage 2-98 %).

Aucun compte Pixxel ni clé d'API n'est nécessaire.</translation>
        </message>
        <message>
            <location filename="../core/processing/spectral_index.py" line="80" />
            <location filename="../core/processing/spectral_index.py" line="88" />
            <source>Index</source>
            <translation>Indice</translation>
        </message>
        <message>
            <location filename="../core/processing/spectral_index.py" line="85" />
            <source>Expression (when Index is Custom expression)</source>
            <translation>Expression (quand Indice vaut Expression personnalisée)</translation>
        </message>
        <message>
            <location filename="../core/processing/spectral_index.py" line="102" />
            <source>The index is written as a GeoTIFF: give the output a .tif name, not {name}.</source>
            <translation>L'indice est écrit en GeoTIFF : donnez à la sortie un nom en .tif, pas {name}.</translation>
        </message>
        <message>
            <location filename="../core/processing/spectral_index.py" line="113" />
            <source>Cannot compute {what} on {name}: {error}</source>
            <translation>Impossible de calculer {what} sur {name} : {error}</translation>
        </message>
        <message>
            <location filename="../core/processing/spectral_index.py" line="124" />
            <source>{reference} = band {number} {band}</source>
            <translation>{reference} = bande {number} {band}</translation>
        </message>
        <message>
            <location filename="../core/processing/spectral_index.py" line="145" />
            <source>{index} – {image}</source>
            <translation>{index} – {image}</translation>
        </message>
        <message>
            <location filename="../core/processing/spectral_index.py" line="155" />
            <source>QGIS cannot open {path}.</source>
            <translation>QGIS ne peut pas ouvrir {path}.</translation>
        </message>
        <message>
            <location filename="../core/processing/spectral_index.py" line="169" />
            <source>The expression is used only when Index is Custom expression.</source>
            <translation>L'expression ne sert que quand Indice vaut Expression personnalisée.</translation>
        </message>
        <message>
            <location filename="../core/processing/spectral_index.py" line="174" />
            <source>Custom expression needs an expression, e.g. (R860 - R650) / (R860 + R650).</source>
            <translation>Expression personnalisée demande une expression, p. ex. (R860 - R650) / (R860 + R650).</translation>
        </message>
        <message>
            <location filename="../core/processing/spectral_index.py" line="188" />
            <source>Custom expression</source>
            <translation>Expression personnalisée</translation>
        </message>
        <message>
            <location filename="../core/qgis/archive_layers.py" line="53" />
            <source>Pixxel archive search</source>
            <translation>Recherche dans l'archive Pixxel</translation>
        </message>
        <message>
            <location filename="../core/qgis/archive_layers.py" line="163" />
            <source>{item} (preview)</source>
            <translation>{item} (aperçu)</translation>
        </message>
        <message>
            <location filename="../core/qgis/archive_tasks.py" line="43" />
            <source>Searching Pixxel's archive</source>
            <translation>Recherche dans l'archive de Pixxel</translation>
        </message>
        <message>
            <location filename="../core/qgis/archive_tasks.py" line="68" />
            <source>Reading Pixxel's archive collections</source>
            <translation>Lecture des collections de l'archive de Pixxel</translation>
        </message>
        <message>
            <location filename="../core/qgis/archive_tasks.py" line="80" />
            <source>Reading Pixxel's order options</source>
            <translation>Lecture des options de commande de Pixxel</translation>
        </message>
        <message>
            <location filename="../core/qgis/archive_tasks.py" line="98" />
            <source>Pricing a Pixxel order</source>
            <translation>Chiffrage d'une commande Pixxel</translation>
        </message>
        <message>
            <location filename="../core/qgis/archive_tasks.py" line="111" />
            <source>Placing a Pixxel order</source>
            <translation>Envoi d'une commande Pixxel</translation>
        </message>
        <message>
            <location filename="../core/qgis/archive_tasks.py" line="137" />
            <source>Fetching a Pixxel preview</source>
            <translation>Récupération d'un aperçu Pixxel</translation>
        </message>
        <message>
            <location filename="../core/qgis/archive_tasks.py" line="153" />
            <source>QGIS cannot read the preview of {item}.</source>
            <translation>QGIS ne peut pas lire l'aperçu de {item}.</translation>
        </message>
        <message>
            <location filename="../core/qgis/archive_tasks.py" line="157" />
            <source>Adding the preview</source>
            <translation>Ajout de l'aperçu</translation>
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="64" />
            <source>True colour</source>
            <translation>Couleurs naturelles</translation>
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="65" />
            <source>Colour infrared</source>
            <translation>Infrarouge couleur</translation>
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="66" />
            <source>Short-wave infrared</source>
            <translation>Infrarouge à ondes courtes</translation>
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="67" />
            <source>Red edge</source>
            <translation>Bord rouge</translation>
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="68" />
            <source>Agriculture</source>
            <translation>Agriculture</translation>
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="69" />
            <source>Vegetation analysis</source>
            <translation>Analyse de la végétation</translation>
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="74" />
            <source>Custom ({red:g} / {green:g} / {blue:g} nm)</source>
            <translation>Personnalisée ({red:g} / {green:g} / {blue:g} nm)</translation>
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="80" />
            <source>{name} ({nm:g} nm)</source>
            <translation>{name} ({nm:g} nm)</translation>
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="87" />
            <source>{colour} band {number} {band}</source>
            <translation>{colour} bande {number} {band}</translation>
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="90" />
            <location filename="../core/qgis/layers.py" line="410" />
            <source>red</source>
            <translation>rouge</translation>
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="90" />
            <location filename="../core/qgis/layers.py" line="410" />
            <source>green</source>
            <translation>vert</translation>
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="90" />
            <location filename="../core/qgis/layers.py" line="410" />
            <source>blue</source>
            <translation>bleu</translation>
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="133" />
            <source>Pixxel: {preset} bands</source>
            <translation>Pixxel : bandes {preset}</translation>
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="169" />
            <source>Could not sample {name}: {error}</source>
            <translation>Impossible d'échantillonner {name} : {error}</translation>
        </message>
        <message>
            <location filename="../core/qgis/band_combinations.py" line="176" />
            <source>{layer}: {preset} — {bands}.</source>
            <translation>{layer} : {preset} — {bands}.</translation>
        </message>
        <message>
            <location filename="../core/qgis/connection.py" line="72" />
            <source>Set your Pixxel API key in Settings → Options → Pixxel.</source>
            <translation>Définissez votre clé d'API Pixxel dans Préférences → Options → Pixxel.</translation>
        </message>
        <message>
            <location filename="../core/qgis/connection_check.py" line="46" />
            <source>Connection test cancelled.</source>
            <translation>Test de connexion annulé.</translation>
        </message>
        <message numerus="yes">
            <location filename="../core/qgis/connection_check.py" line="49" />
            <source>{count} project(s)</source>
            <translation>
                <numerusform>{count} projet</numerusform>
                <numerusform>{count} projets</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../core/qgis/connection_check.py" line="51" />
            <source>Connected: {projects}</source>
            <translation>Connecté : {projects}</translation>
        </message>
        <message numerus="yes">
            <location filename="../core/qgis/connection_check.py" line="52" />
            <source>{count} AOI(s) visible</source>
            <translation>
                <numerusform>{count} AOI visible</numerusform>
                <numerusform>{count} AOI visibles</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../core/qgis/connection_check.py" line="53" />
            <source>Connected: {projects}, {aois}</source>
            <translation>Connecté : {projects}, {aois}</translation>
        </message>
        <message>
            <location filename="../core/qgis/connection_check.py" line="54" />
            <source>The connection test failed.</source>
            <translation>Le test de connexion a échoué.</translation>
        </message>
        <message>
            <location filename="../core/qgis/connection_check.py" line="68" />
            <source>Pixxel: test connection</source>
            <translation>Pixxel : test de connexion</translation>
        </message>
        <message>
            <location filename="../core/qgis/connection_check.py" line="82" />
            <source>The connection test failed unexpectedly: {error}</source>
            <translation>Le test de connexion a échoué de manière inattendue : {error}</translation>
        </message>
        <message>
            <location filename="../core/qgis/connection_check.py" line="118" />
            <source>Cannot reach the Pixxel API: {error}</source>
            <translation>Impossible de joindre l'API Pixxel : {error}</translation>
        </message>
        <message>
            <location filename="../core/qgis/credentials.py" line="51" />
            <source>The API key is empty: nothing was saved.</source>
            <translation>La clé d'API est vide : rien n'a été enregistré.</translation>
        </message>
        <message>
            <location filename="../core/qgis/credentials.py" line="65" />
            <source>QGIS could not save the API key in its authentication database.</source>
            <translation>QGIS n'a pas pu enregistrer la clé d'API dans sa base de données d'authentification.</translation>
        </message>
        <message>
            <location filename="../core/qgis/credentials.py" line="82" />
            <source>QGIS could not read the API key from its authentication database.</source>
            <translation>QGIS n'a pas pu lire la clé d'API dans sa base de données d'authentification.</translation>
        </message>
        <message>
            <location filename="../core/qgis/credentials.py" line="97" />
            <source>QGIS could not remove the API key from its authentication database.</source>
            <translation>QGIS n'a pas pu supprimer la clé d'API de sa base de données d'authentification.</translation>
        </message>
        <message>
            <location filename="../core/qgis/credentials.py" line="112" />
            <source>QGIS could not read the proxy credentials from its authentication database.</source>
            <translation>QGIS n'a pas pu lire les identifiants du proxy dans sa base de données d'authentification.</translation>
        </message>
        <message>
            <location filename="../core/qgis/credentials.py" line="135" />
            <source>The QGIS authentication system is disabled, so the API key cannot be kept: {why}</source>
            <translation>Le système d'authentification de QGIS est désactivé, la clé d'API ne peut donc pas être conservée : {why}</translation>
        </message>
        <message>
            <location filename="../core/qgis/credentials.py" line="140" />
            <source>The QGIS authentication database is locked: its master password was not entered. Enter it when QGIS asks (or set one under Settings &gt; Options &gt; Authentication), then try again.</source>
            <translation>La base de données d'authentification de QGIS est verrouillée : son mot de passe principal n'a pas été saisi. Saisissez-le lorsque QGIS le demande (ou définissez-en un dans Préférences &gt; Options &gt; Authentification), puis réessayez.</translation>
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="176" />
            <source>Pixxel AOI {aoi_id}</source>
            <translation>AOI Pixxel {aoi_id}</translation>
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="326" />
            <source>{product} quality mask</source>
            <translation>{product} – masque de qualité</translation>
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="340" />
            <source>cloud</source>
            <translation>nuage</translation>
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="340" />
            <source>cloud shadow</source>
            <translation>ombre de nuage</translation>
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="340" />
            <source>water</source>
            <translation>eau</translation>
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="340" />
            <source>nodata</source>
            <translation>sans données</translation>
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="355" />
            <source>{product} footprint</source>
            <translation>{product} – emprise</translation>
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="384" />
            <source>AOI: {name} ({id})</source>
            <translation>AOI : {name} ({id})</translation>
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="387" />
            <source>Asset: {name} ({id})</source>
            <translation>Produit : {name} ({id})</translation>
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="391" />
            <source>hyperspectral</source>
            <translation>hyperspectral</translation>
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="398" />
            <location filename="../ui/purchased_model.py" line="196" />
            <source>Product</source>
            <translation>Produit</translation>
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="399" />
            <location filename="../ui/aoi_model.py" line="161" />
            <location filename="../ui/purchased_model.py" line="196" />
            <source>Satellite</source>
            <translation>Satellite</translation>
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="400" />
            <location filename="../ui/archive_panel.py" line="122" />
            <location filename="../ui/purchased_model.py" line="196" />
            <source>Acquired</source>
            <translation>Acquisition</translation>
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="401" />
            <location filename="../ui/order_dialog.py" line="129" />
            <source>Processing level</source>
            <translation>Niveau de traitement</translation>
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="413" />
            <source>True colour: {bands}</source>
            <translation>Couleurs naturelles : {bands}</translation>
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="414" />
            <source>Bands ({count}): {bands}</source>
            <translation>Bandes ({count}) : {bands}</translation>
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="418" />
            <source>Reflectance = value / 50000; nodata {nodata}</source>
            <translation>Réflectance = valeur / 50000 ; sans données {nodata}</translation>
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="434" />
            <source>bit {bit}: {name}</source>
            <translation>bit {bit} : {name}</translation>
        </message>
        <message>
            <location filename="../core/qgis/layers.py" line="437" />
            <source>Quality mask, bit-encoded ({bits}); 0 is clear.</source>
            <translation>Masque de qualité, codé par bits ({bits}) ; 0 signifie dégagé.</translation>
        </message>
        <message>
            <location filename="../core/qgis/pipeline.py" line="122" />
            <source>Building overviews for {aoi}</source>
            <translation>Création des pyramides pour {aoi}</translation>
        </message>
        <message>
            <location filename="../core/qgis/purchased_tasks.py" line="41" />
            <source>Listing Pixxel orders</source>
            <translation>Liste des commandes Pixxel</translation>
        </message>
        <message>
            <location filename="../core/qgis/purchased_tasks.py" line="42" />
            <source>Listing Pixxel order items</source>
            <translation>Liste des articles de commande Pixxel</translation>
        </message>
        <message>
            <location filename="../core/qgis/purchased_tasks.py" line="43" />
            <source>Listing Pixxel catalogs</source>
            <translation>Liste des catalogues Pixxel</translation>
        </message>
        <message>
            <location filename="../core/qgis/settings.py" line="96" />
            <source>Parallel downloads must be between {low} and {high}.</source>
            <translation>Le nombre de téléchargements simultanés doit être compris entre {low} et {high}.</translation>
        </message>
        <message>
            <location filename="../core/qgis/settings.py" line="115" />
            <source>Invalid API address: {reason}</source>
            <translation>Adresse de l'API non valide : {reason}</translation>
        </message>
        <message>
            <location filename="../core/qgis/tasks.py" line="93" />
            <source>{what} failed unexpectedly ({detail}). Details are in the Pixxel log.</source>
            <translation>{what} : échec inattendu ({detail}). Les détails figurent dans le journal Pixxel.</translation>
        </message>
        <message>
            <location filename="../core/qgis/tasks.py" line="102" />
            <source>The server returned the same page twice; the list may be incomplete.</source>
            <translation>Le serveur a renvoyé deux fois la même page ; la liste est peut-être incomplète.</translation>
        </message>
        <message>
            <location filename="../core/qgis/tasks.py" line="120" />
            <source>Listing Pixxel AOIs</source>
            <translation>Récupération des AOI Pixxel</translation>
        </message>
        <message>
            <location filename="../core/qgis/tasks.py" line="157" />
            <source>Listing Pixxel assets</source>
            <translation>Récupération des produits Pixxel</translation>
        </message>
        <message>
            <location filename="../core/qgis/tasks.py" line="172" />
            <source>Reading the Pixxel catalogue</source>
            <translation>Lecture du catalogue Pixxel</translation>
        </message>
        <message>
            <location filename="../core/qgis/tasks.py" line="211" />
            <source>Downloading {aoi} from Pixxel</source>
            <translation>Téléchargement de {aoi} depuis Pixxel</translation>
        </message>
        <message>
            <location filename="../core/qgis/tasks.py" line="246" />
            <source>Adding the downloaded layers</source>
            <translation>Ajout des couches téléchargées</translation>
        </message>
        <message>
            <location filename="../core/qgis/tls.py" line="158" />
            <source>{variable} names a CA certificate file that does not exist: {path}. Fix or unset it (when set, it replaces the certificates QGIS trusts).</source>
            <translation>{variable} désigne un fichier de certificats d'autorité (CA) qui n'existe pas : {path}. Corrigez-la ou supprimez-la (quand elle est définie, elle remplace les certificats auxquels QGIS fait confiance).</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="73" />
            <source>Show or hide the Pixxel panel</source>
            <translation>Afficher ou masquer le panneau Pixxel</translation>
        </message>
        <message>
            <location filename="../ui/aoi_model.py" line="155" />
            <location filename="../ui/asset_model.py" line="57" />
            <location filename="../ui/purchased_model.py" line="128" />
            <source>Name</source>
            <translation>Nom</translation>
        </message>
        <message>
            <location filename="../ui/aoi_model.py" line="157" />
            <source>Progress</source>
            <translation>Progression</translation>
        </message>
        <message>
            <location filename="../ui/aoi_model.py" line="158" />
            <source>Created</source>
            <translation>Création</translation>
        </message>
        <message>
            <location filename="../ui/aoi_model.py" line="159" />
            <source>Updated</source>
            <translation>Mise à jour</translation>
        </message>
        <message>
            <location filename="../ui/aoi_model.py" line="160" />
            <location filename="../ui/archive_panel.py" line="111" />
            <location filename="../ui/order_dialog.py" line="118" />
            <location filename="../ui/order_dialog.py" line="318" />
            <source>Area</source>
            <translation>Superficie</translation>
        </message>
        <message>
            <location filename="../ui/aoi_model.py" line="162" />
            <location filename="../ui/order_dialog.py" line="109" />
            <source>Project</source>
            <translation>Projet</translation>
        </message>
        <message>
            <location filename="../ui/aoi_model.py" line="346" />
            <location filename="../ui/asset_model.py" line="204" />
            <location filename="../ui/purchased_model.py" line="153" />
            <source>ID: {id}</source>
            <translation>ID : {id}</translation>
        </message>
        <message>
            <location filename="../ui/aoi_model.py" line="348" />
            <source>Favourite</source>
            <translation>Favori</translation>
        </message>
        <message>
            <location filename="../ui/aoi_model.py" line="352" />
            <source>{status} ({progress} %)</source>
            <translation>{status} ({progress} %)</translation>
        </message>
        <message>
            <location filename="../ui/aoi_model.py" line="361" />
            <source>{value} m²</source>
            <translation>{value} m²</translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="125" />
            <source>Search AOIs by name or ID</source>
            <translation>Rechercher des AOI par nom ou ID</translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="129" />
            <source>Show the AOIs of one project</source>
            <translation>Afficher les AOI d'un projet</translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="134" />
            <location filename="../ui/aoi_panel.py" line="354" />
            <source>All projects</source>
            <translation>Tous les projets</translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="138" />
            <location filename="../ui/aoi_panel.py" line="444" />
            <location filename="../ui/purchased_panel.py" line="92" />
            <source>Refresh</source>
            <translation>Actualiser</translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="138" />
            <source>List the AOIs again</source>
            <translation>Lister à nouveau les AOI</translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="143" />
            <source>Settings</source>
            <translation>Paramètres</translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="143" />
            <source>Pixxel settings: API key, folder</source>
            <translation>Paramètres Pixxel : clé d'API, dossier</translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="187" />
            <location filename="../ui/aoi_panel.py" line="505" />
            <source>Zoom to AOI</source>
            <translation>Zoomer sur l'AOI</translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="188" />
            <source>Zoom the map to the selected AOI</source>
            <translation>Zoomer la carte sur l'AOI sélectionnée</translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="250" />
            <location filename="../ui/aoi_panel.py" line="437" />
            <source>Loading your AOIs…</source>
            <translation>Chargement de vos AOI…</translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="251" />
            <source>Loading AOIs…</source>
            <translation>Chargement des AOI…</translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="325" />
            <source>Refresh failed: {error}</source>
            <translation>Échec de l'actualisation : {error}</translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="376" />
            <source>Your Pixxel AOIs appear here.</source>
            <translation>Vos AOI Pixxel s'affichent ici.</translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="377" />
            <source>List them now</source>
            <translation>Les lister maintenant</translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="397" />
            <source>Set your Pixxel API key</source>
            <translation>Définissez votre clé d'API Pixxel</translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="398" />
            <source>Generate a key in Aurora (Workspace Settings → API → service account), then paste it in the Pixxel settings.</source>
            <translation>Générez une clé dans Aurora (Workspace Settings → API → service account), puis collez-la dans les paramètres Pixxel.</translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="400" />
            <location filename="../ui/aoi_panel.py" line="419" />
            <source>Open settings</source>
            <translation>Ouvrir les paramètres</translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="415" />
            <source>Could not list your AOIs</source>
            <translation>Impossible de lister vos AOI</translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="416" />
            <source>{message}

Details are in the Pixxel tab of the log messages panel.</source>
            <translation>{message}

Les détails figurent dans l'onglet Pixxel du panneau Journal des messages.</translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="419" />
            <location filename="../ui/asset_panel.py" line="166" />
            <location filename="../ui/downloads_view.py" line="183" />
            <location filename="../ui/purchased_panel.py" line="215" />
            <source>Retry</source>
            <translation>Réessayer</translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="441" />
            <source>No AOIs yet</source>
            <translation>Aucune AOI pour l'instant</translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="442" />
            <source>This API key sees no areas of interest. Create one in Aurora, then refresh.</source>
            <translation>Cette clé d'API ne voit aucune zone d'intérêt. Créez-en une dans Aurora, puis actualisez.</translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="450" />
            <source>No AOI matches the filter</source>
            <translation>Aucune AOI ne correspond au filtre</translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="451" />
            <source>Clear the filter</source>
            <translation>Effacer le filtre</translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="460" />
            <source>Loading AOIs… {count}{expected}</source>
            <translation>Chargement des AOI… {count}{expected}</translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/aoi_panel.py" line="464" />
            <source>{shown} of {total} AOI(s)</source>
            <translation>
                <numerusform>{shown} AOI sur {total}</numerusform>
                <numerusform>{shown} AOI sur {total}</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/aoi_panel.py" line="469" />
            <source>{total} AOI(s)</source>
            <translation>
                <numerusform>{total} AOI</numerusform>
                <numerusform>{total} AOI</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="472" />
            <source>{count} · may be incomplete</source>
            <translation>{count} · peut-être incomplète</translation>
        </message>
        <message>
            <location filename="../ui/aoi_panel.py" line="506" />
            <source>Copy AOI ID</source>
            <translation>Copier l'ID de l'AOI</translation>
        </message>
        <message>
            <location filename="../ui/archive_model.py" line="34" />
            <location filename="../ui/asset_model.py" line="59" />
            <source>Date</source>
            <translation>Date</translation>
        </message>
        <message>
            <location filename="../ui/archive_model.py" line="34" />
            <source>Platform</source>
            <translation>Plateforme</translation>
        </message>
        <message>
            <location filename="../ui/archive_model.py" line="34" />
            <source>GSD (m)</source>
            <translation>Résolution (m)</translation>
        </message>
        <message>
            <location filename="../ui/archive_model.py" line="34" />
            <source>Cloud (%)</source>
            <translation>Nuages (%)</translation>
        </message>
        <message>
            <location filename="../ui/archive_model.py" line="35" />
            <source>Off-nadir (°)</source>
            <translation>Hors nadir (°)</translation>
        </message>
        <message>
            <location filename="../ui/archive_model.py" line="35" />
            <source>Sun elevation (°)</source>
            <translation>Élévation du soleil (°)</translation>
        </message>
        <message>
            <location filename="../ui/archive_model.py" line="35" />
            <source>Collection</source>
            <translation>Collection</translation>
        </message>
        <message>
            <location filename="../ui/archive_model.py" line="35" />
            <source>Item id</source>
            <translation>Identifiant d'élément</translation>
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="101" />
            <location filename="../ui/archive_panel.py" line="169" />
            <source>The map's extent</source>
            <translation>L'étendue de la carte</translation>
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="102" />
            <source>Draw rectangle</source>
            <translation>Dessiner un rectangle</translation>
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="103" />
            <source>Drag a rectangle on the map to search there</source>
            <translation>Tracez un rectangle sur la carte pour y chercher</translation>
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="105" />
            <source>Map extent</source>
            <translation>Étendue de la carte</translation>
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="106" />
            <source>Search the area the map shows</source>
            <translation>Chercher dans la zone que montre la carte</translation>
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="124" />
            <source>Max. cloud cover</source>
            <translation>Couverture nuageuse max.</translation>
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="126" />
            <source>Max. off-nadir angle</source>
            <translation>Angle hors nadir max.</translation>
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="128" />
            <source>All collections</source>
            <translation>Toutes les collections</translation>
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="132" />
            <source>Search</source>
            <translation>Rechercher</translation>
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="155" />
            <source>Add preview to map</source>
            <translation>Ajouter l'aperçu à la carte</translation>
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="157" />
            <source>Order…</source>
            <translation>Commander…</translation>
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="158" />
            <source>Price the selected captures, then order them</source>
            <translation>Chiffrer les prises de vue sélectionnées, puis les commander</translation>
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="180" />
            <source>Drag a rectangle on the map…</source>
            <translation>Tracez un rectangle sur la carte…</translation>
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="186" />
            <source>That rectangle is not a usable area: draw again.</source>
            <translation>Ce rectangle n'est pas une zone utilisable : tracez-le à nouveau.</translation>
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="189" />
            <source>Drawn: {w:.3f}, {s:.3f} – {e:.3f}, {n:.3f}</source>
            <translation>Tracé : {w:.3f}, {s:.3f} – {e:.3f}, {n:.3f}</translation>
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="266" />
            <source>The first day comes after the last one.</source>
            <translation>Le premier jour vient après le dernier.</translation>
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="289" />
            <source>Searching…</source>
            <translation>Recherche…</translation>
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="293" />
            <source>The search could not start: QGIS is closing.</source>
            <translation>La recherche n'a pas pu démarrer : QGIS se ferme.</translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/archive_panel.py" line="300" />
            <source>Searching… {count} capture(s) so far.</source>
            <translation>
                <numerusform>Recherche… {count} prise de vue pour l'instant.</numerusform>
                <numerusform>Recherche… {count} prises de vue pour l'instant.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="312" />
            <source>Search cancelled.</source>
            <translation>Recherche annulée.</translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/archive_panel.py" line="314" />
            <source>Showing the first {count} capture(s): more match. Narrow the area, the dates or the limits.</source>
            <translation>
                <numerusform>Affichage de la première prise de vue ({count}) : d'autres correspondent. Réduisez la zone, les dates ou les limites.</numerusform>
                <numerusform>Affichage des {count} premières prises de vue : d'autres correspondent. Réduisez la zone, les dates ou les limites.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="318" />
            <source>No capture matches. Widen the area, the dates or the limits.</source>
            <translation>Aucune prise de vue ne correspond. Élargissez la zone, les dates ou les limites.</translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/archive_panel.py" line="351" />
            <source>Fetching {count} preview(s)…</source>
            <translation>
                <numerusform>Récupération de {count} aperçu…</numerusform>
                <numerusform>Récupération de {count} aperçus…</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../ui/archive_panel.py" line="359" />
            <source>Preview of {item} added to the map.</source>
            <translation>Aperçu de {item} ajouté à la carte.</translation>
        </message>
        <message>
            <location filename="../ui/asset_model.py" line="25" />
            <source>Mosaic</source>
            <translation>Mosaïque</translation>
        </message>
        <message>
            <location filename="../ui/asset_model.py" line="26" />
            <source>Scene</source>
            <translation>Scène</translation>
        </message>
        <message>
            <location filename="../ui/asset_model.py" line="27" />
            <source>Visualisation</source>
            <translation>Visualisation</translation>
        </message>
        <message>
            <location filename="../ui/asset_model.py" line="58" />
            <location filename="../ui/purchased_model.py" line="128" />
            <source>Type</source>
            <translation>Type</translation>
        </message>
        <message>
            <location filename="../ui/asset_model.py" line="61" />
            <source>Resolution</source>
            <translation>Résolution</translation>
        </message>
        <message>
            <location filename="../ui/asset_model.py" line="62" />
            <source>Bands</source>
            <translation>Bandes</translation>
        </message>
        <message>
            <location filename="../ui/asset_model.py" line="188" />
            <location filename="../ui/purchased_model.py" line="218" />
            <source>{value} m</source>
            <translation>{value} m</translation>
        </message>
        <message>
            <location filename="../ui/asset_model.py" line="196" />
            <source>This asset failed at Pixxel and cannot be downloaded.</source>
            <translation>Ce produit a échoué chez Pixxel et ne peut pas être téléchargé.</translation>
        </message>
        <message>
            <location filename="../ui/asset_model.py" line="197" />
            <source>Only finished assets can be downloaded: this one is {status}.</source>
            <translation>Seuls les produits terminés peuvent être téléchargés : celui-ci a le statut {status}.</translation>
        </message>
        <message>
            <location filename="../ui/asset_model.py" line="209" />
            <source> and {count} more</source>
            <translation> et {count} autres</translation>
        </message>
        <message>
            <location filename="../ui/asset_panel.py" line="63" />
            <source>Assets</source>
            <translation>Produits</translation>
        </message>
        <message>
            <location filename="../ui/asset_panel.py" line="64" />
            <source>Select an AOI to see its assets.</source>
            <translation>Sélectionnez une AOI pour voir ses produits.</translation>
        </message>
        <message>
            <location filename="../ui/asset_panel.py" line="73" />
            <source>Select all</source>
            <translation>Tout sélectionner</translation>
        </message>
        <message>
            <location filename="../ui/asset_panel.py" line="74" />
            <source>Check every asset that can be downloaded</source>
            <translation>Cocher tous les produits téléchargeables</translation>
        </message>
        <message>
            <location filename="../ui/asset_panel.py" line="93" />
            <location filename="../ui/asset_panel.py" line="220" />
            <location filename="../ui/purchased_panel.py" line="113" />
            <location filename="../ui/purchased_panel.py" line="268" />
            <source>Download</source>
            <translation>Télécharger</translation>
        </message>
        <message>
            <location filename="../ui/asset_panel.py" line="96" />
            <source>Download the checked assets and add them to the map</source>
            <translation>Télécharger les produits cochés et les ajouter à la carte</translation>
        </message>
        <message>
            <location filename="../ui/asset_panel.py" line="138" />
            <source>Assets of {aoi}</source>
            <translation>Produits de {aoi}</translation>
        </message>
        <message>
            <location filename="../ui/asset_panel.py" line="148" />
            <source>Loading assets…</source>
            <translation>Chargement des produits…</translation>
        </message>
        <message>
            <location filename="../ui/asset_panel.py" line="165" />
            <source>Could not list the assets</source>
            <translation>Impossible de lister les produits</translation>
        </message>
        <message>
            <location filename="../ui/asset_panel.py" line="179" />
            <source>No assets yet</source>
            <translation>Aucun produit pour l'instant</translation>
        </message>
        <message>
            <location filename="../ui/asset_panel.py" line="180" />
            <source>Pixxel has not delivered imagery for this AOI so far.</source>
            <translation>Pixxel n'a encore livré aucune image pour cette AOI.</translation>
        </message>
        <message>
            <location filename="../ui/asset_panel.py" line="220" />
            <location filename="../ui/purchased_panel.py" line="268" />
            <source>Download ({count})</source>
            <translation>Télécharger ({count})</translation>
        </message>
        <message>
            <location filename="../ui/asset_panel.py" line="225" />
            <source>{ready} of {listed} ready to download</source>
            <translation>{ready} sur {listed} téléchargeable(s)</translation>
        </message>
        <message>
            <location filename="../ui/band_combination_dialog.py" line="33" />
            <source>Custom band combination</source>
            <translation>Combinaison de bandes personnalisée</translation>
        </message>
        <message>
            <location filename="../ui/band_combination_dialog.py" line="39" />
            <source>Red</source>
            <translation>Rouge</translation>
        </message>
        <message>
            <location filename="../ui/band_combination_dialog.py" line="39" />
            <source>Green</source>
            <translation>Vert</translation>
        </message>
        <message>
            <location filename="../ui/band_combination_dialog.py" line="39" />
            <source>Blue</source>
            <translation>Bleu</translation>
        </message>
        <message>
            <location filename="../ui/band_combination_dialog.py" line="44" />
            <source> nm</source>
            <translation> nm</translation>
        </message>
        <message>
            <location filename="../ui/band_combination_dialog.py" line="59" />
            <source>Each colour shows the band nearest its wavelength.</source>
            <translation>Chaque couleur montre la bande la plus proche de sa longueur d'onde.</translation>
        </message>
        <message>
            <location filename="../ui/band_combination_dialog.py" line="83" />
            <source>none: {reason}</source>
            <translation>aucune : {reason}</translation>
        </message>
        <message>
            <location filename="../ui/band_combination_dialog.py" line="85" />
            <source>→ band {number} {band}</source>
            <translation>→ bande {number} {band}</translation>
        </message>
        <message>
            <location filename="../ui/band_combination_menu.py" line="56" />
            <location filename="../ui/band_combination_menu.py" line="60" />
            <source>Band combination</source>
            <translation>Combinaison de bandes</translation>
        </message>
        <message>
            <location filename="../ui/band_combination_menu.py" line="93" />
            <source>No band wavelengths in this raster</source>
            <translation>Aucune longueur d'onde de bande dans ce raster</translation>
        </message>
        <message>
            <location filename="../ui/band_combination_menu.py" line="106" />
            <source>Not available on this image: {reason}</source>
            <translation>Indisponible sur cette image : {reason}</translation>
        </message>
        <message>
            <location filename="../ui/band_combination_menu.py" line="109" />
            <source>Custom…</source>
            <translation>Personnalisée…</translation>
        </message>
        <message>
            <location filename="../ui/band_combination_menu.py" line="110" />
            <source>Pick red, green and blue by wavelength</source>
            <translation>Choisir le rouge, le vert et le bleu par longueur d'onde</translation>
        </message>
        <message>
            <location filename="../ui/band_combination_menu.py" line="128" />
            <source>Sampling the {preset} bands…</source>
            <translation>Échantillonnage des bandes {preset}…</translation>
        </message>
        <message>
            <location filename="../ui/dock.py" line="144" />
            <source>Purchased</source>
            <translation>Achats</translation>
        </message>
        <message>
            <location filename="../ui/dock.py" line="149" />
            <source>Find imagery</source>
            <translation>Trouver des images</translation>
        </message>
        <message>
            <location filename="../ui/dock.py" line="177" />
            <location filename="../ui/options_page.py" line="97" />
            <source>Downloads</source>
            <translation>Téléchargements</translation>
        </message>
        <message>
            <location filename="../ui/download_actions.py" line="104" />
            <location filename="../ui/download_actions.py" line="134" />
            <source>This download is already running.</source>
            <translation>Ce téléchargement est déjà en cours.</translation>
        </message>
        <message>
            <location filename="../ui/download_actions.py" line="108" />
            <source>Set your Pixxel API key before downloading.</source>
            <translation>Définissez votre clé d'API Pixxel avant de télécharger.</translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/download_actions.py" line="146" />
            <source>{aoi}: {count} image(s) added to the map.</source>
            <translation>
                <numerusform>{aoi} : {count} image ajoutée à la carte.</numerusform>
                <numerusform>{aoi} : {count} images ajoutées à la carte.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../ui/download_actions.py" line="150" />
            <source>{aoi}: downloaded to {folder}.</source>
            <translation>{aoi} : téléchargé dans {folder}.</translation>
        </message>
        <message>
            <location filename="../ui/download_actions.py" line="154" />
            <source>The download of {aoi} was cancelled.</source>
            <translation>Le téléchargement de {aoi} a été annulé.</translation>
        </message>
        <message>
            <location filename="../ui/download_actions.py" line="159" />
            <source>The download of {aoi} failed: {error} Details are in the Pixxel tab of the log messages panel.</source>
            <translation>Le téléchargement de {aoi} a échoué : {error} Les détails figurent dans l'onglet Pixxel du panneau Journal des messages.</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="43" />
            <source>Requesting</source>
            <translation>Demande en cours</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="44" />
            <source>Waiting for Pixxel to prepare the files</source>
            <translation>Pixxel prépare les fichiers</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="45" />
            <source>Downloading</source>
            <translation>Téléchargement</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="46" />
            <source>Unpacking</source>
            <translation>Décompression</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="47" />
            <source>Finishing</source>
            <translation>Finalisation</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="48" />
            <source>Reading the imagery</source>
            <translation>Lecture des images</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="49" />
            <source>Adding to the map</source>
            <translation>Ajout à la carte</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="56" />
            <location filename="../ui/formatting.py" line="28" />
            <source>Running</source>
            <translation>En cours</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="57" />
            <source>Done</source>
            <translation>Terminé</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="58" />
            <location filename="../ui/formatting.py" line="30" />
            <source>Failed</source>
            <translation>Échec</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="59" />
            <source>Cancelled</source>
            <translation>Annulé</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="60" />
            <source>Interrupted</source>
            <translation>Interrompu</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="70" />
            <source>{value} B</source>
            <translation>{value} o</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="71" />
            <source>{value} KB</source>
            <translation>{value} Ko</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="71" />
            <source>{value} MB</source>
            <translation>{value} Mo</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="71" />
            <source>{value} GB</source>
            <translation>{value} Go</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="75" />
            <source>{value} TB</source>
            <translation>{value} To</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="83" />
            <source>{s} s</source>
            <translation>{s} s</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="85" />
            <source>{m} min {s} s</source>
            <translation>{m} min {s} s</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="86" />
            <source>{h} h {m} min</source>
            <translation>{h} h {m} min</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="95" />
            <source>{done} of {total}</source>
            <translation>{done} sur {total}</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="102" />
            <source>{rate}/s</source>
            <translation>{rate}/s</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="105" />
            <source>{time} left</source>
            <translation>encore {time}</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="130" />
            <source>Cancel</source>
            <translation>Annuler</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="130" />
            <source>Stop this download</source>
            <translation>Arrêter ce téléchargement</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="132" />
            <location filename="../ui/downloads_view.py" line="177" />
            <source>Add to map</source>
            <translation>Ajouter à la carte</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="134" />
            <location filename="../ui/notices.py" line="45" />
            <source>Open folder</source>
            <translation>Ouvrir le dossier</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="134" />
            <source>Show the files</source>
            <translation>Afficher les fichiers</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="139" />
            <source>Remove from this list (the files stay on disk)</source>
            <translation>Retirer de cette liste (les fichiers restent sur le disque)</translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/downloads_view.py" line="167" />
            <source>{aoi} — {count} asset(s)</source>
            <translation>
                <numerusform>{aoi} — {count} produit</numerusform>
                <numerusform>{aoi} — {count} produits</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="179" />
            <source>Add the imagery to the map again (files already on disk are not downloaded again)</source>
            <translation>Ajouter à nouveau les images à la carte (les fichiers déjà sur le disque ne sont pas retéléchargés)</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="184" />
            <source>Try this download again</source>
            <translation>Relancer ce téléchargement</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="186" />
            <source>Resume</source>
            <translation>Reprendre</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="188" />
            <source>Continue this download where it stopped</source>
            <translation>Reprendre ce téléchargement là où il s'est arrêté</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="196" />
            <source>Starting…</source>
            <translation>Démarrage…</translation>
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
                <numerusform>{state} {when} · {count} fichier</numerusform>
                <numerusform>{state} {when} · {count} fichiers</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="210" />
            <source>{state} {when}</source>
            <translation>{state} {when}</translation>
        </message>
        <message>
            <location filename="../ui/downloads_view.py" line="252" />
            <source>Downloads you start appear here, with their progress.</source>
            <translation>Les téléchargements que vous lancez s'affichent ici, avec leur progression.</translation>
        </message>
        <message>
            <location filename="../ui/footprints.py" line="130" />
            <source>Pixxel AOIs</source>
            <translation>AOI Pixxel</translation>
        </message>
        <message>
            <location filename="../ui/formatting.py" line="25" />
            <source>Success</source>
            <translation>Réussie</translation>
        </message>
        <message>
            <location filename="../ui/formatting.py" line="26" />
            <source>Partial success</source>
            <translation>Partiellement réussie</translation>
        </message>
        <message>
            <location filename="../ui/formatting.py" line="27" />
            <source>Started</source>
            <translation>Démarrée</translation>
        </message>
        <message>
            <location filename="../ui/formatting.py" line="29" />
            <source>Updating</source>
            <translation>Mise à jour en cours</translation>
        </message>
        <message>
            <location filename="../ui/formatting.py" line="31" />
            <source>Creating</source>
            <translation>Création en cours</translation>
        </message>
        <message>
            <location filename="../ui/formatting.py" line="35" />
            <source>Unknown</source>
            <translation>Inconnu</translation>
        </message>
        <message>
            <location filename="../ui/formatting.py" line="79" />
            <location filename="../ui/formatting.py" line="81" />
            <location filename="../ui/formatting.py" line="82" />
            <source>{value} km²</source>
            <translation>{value} km²</translation>
        </message>
        <message>
            <location filename="../ui/notices.py" line="51" />
            <source>Zoom to</source>
            <translation>Zoomer sur</translation>
        </message>
        <message>
            <location filename="../ui/options_page.py" line="59" />
            <source>Pixxel account</source>
            <translation>Compte Pixxel</translation>
        </message>
        <message>
            <location filename="../ui/options_page.py" line="65" />
            <source>Generate a key in Aurora: Workspace Settings &gt; API &gt; service account.</source>
            <translation>Générez une clé dans Aurora : Workspace Settings &gt; API &gt; service account.</translation>
        </message>
        <message>
            <location filename="../ui/options_page.py" line="67" />
            <source>Clear key</source>
            <translation>Effacer la clé</translation>
        </message>
        <message>
            <location filename="../ui/options_page.py" line="72" />
            <source>API key</source>
            <translation>Clé d'API</translation>
        </message>
        <message>
            <location filename="../ui/options_page.py" line="78" />
            <source>API address</source>
            <translation>Adresse de l'API</translation>
        </message>
        <message>
            <location filename="../ui/options_page.py" line="83" />
            <source>Test connection</source>
            <translation>Tester la connexion</translation>
        </message>
        <message>
            <location filename="../ui/options_page.py" line="101" />
            <source>Folder for Pixxel downloads</source>
            <translation>Dossier des téléchargements Pixxel</translation>
        </message>
        <message>
            <location filename="../ui/options_page.py" line="102" />
            <source>Download folder</source>
            <translation>Dossier de téléchargement</translation>
        </message>
        <message>
            <location filename="../ui/options_page.py" line="107" />
            <source>Parallel downloads</source>
            <translation>Téléchargements simultanés</translation>
        </message>
        <message>
            <location filename="../ui/options_page.py" line="108" />
            <source>Add downloaded imagery to the map</source>
            <translation>Ajouter les images téléchargées à la carte</translation>
        </message>
        <message>
            <location filename="../ui/options_page.py" line="109" />
            <source>Keep the zip files after extracting them</source>
            <translation>Conserver les fichiers zip après leur extraction</translation>
        </message>
        <message>
            <location filename="../ui/options_page.py" line="110" />
            <source>Build overviews (pyramids) for fast display</source>
            <translation>Créer des pyramides (aperçus) pour un affichage rapide</translation>
        </message>
        <message>
            <location filename="../ui/options_page.py" line="123" />
            <source>PIXXEL_API_URL is set: {url} is used instead of this address.</source>
            <translation>PIXXEL_API_URL est définie : {url} est utilisée à la place de cette adresse.</translation>
        </message>
        <message>
            <location filename="../ui/options_page.py" line="192" />
            <source>•••• stored</source>
            <translation>•••• enregistrée</translation>
        </message>
        <message>
            <location filename="../ui/options_page.py" line="195" />
            <source>PIXXEL_API_KEY is set: the key from the environment is used.</source>
            <translation>PIXXEL_API_KEY est définie : la clé de l'environnement est utilisée.</translation>
        </message>
        <message>
            <location filename="../ui/options_page.py" line="197" />
            <source>A key is stored in the QGIS authentication database.</source>
            <translation>Une clé est enregistrée dans la base de données d'authentification de QGIS.</translation>
        </message>
        <message>
            <location filename="../ui/options_page.py" line="199" />
            <source>No key stored yet.</source>
            <translation>Aucune clé enregistrée pour l'instant.</translation>
        </message>
        <message>
            <location filename="../ui/options_page.py" line="226" />
            <source>Testing the connection to {url}…</source>
            <translation>Test de la connexion à {url}…</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="54" />
            <source>Feasible</source>
            <translation>Faisable</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="55" />
            <source>Feasible, with some risk</source>
            <translation>Faisable, avec un certain risque</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="56" />
            <source>Not feasible</source>
            <translation>Non faisable</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="57" />
            <source>Not applicable (an archive capture exists already)</source>
            <translation>Sans objet (une prise de vue d'archive existe déjà)</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="58" />
            <source>Not known</source>
            <translation>Inconnue</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="59" />
            <location filename="../ui/order_dialog.py" line="319" />
            <source>Not given</source>
            <translation>Non indiqué</translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/order_dialog.py" line="65" />
            <source>{count} band(s)</source>
            <translation>
                <numerusform>{count} bande</numerusform>
                <numerusform>{count} bandes</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="86" />
            <source>Order Pixxel imagery</source>
            <translation>Commander des images Pixxel</translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/order_dialog.py" line="105" />
            <source>{count} capture(s): {ids}</source>
            <translation>
                <numerusform>{count} prise de vue : {ids}</numerusform>
                <numerusform>{count} prises de vue : {ids}</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="111" />
            <source>What the imagery is for, as Pixxel asks with every order (for example agriculture or forestry).</source>
            <translation>À quoi servira l'imagerie, comme Pixxel le demande à chaque commande (par exemple agriculture ou forestry).</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="115" />
            <source>Each capture's whole footprint</source>
            <translation>L'emprise entière de chaque prise de vue</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="117" />
            <source>Only the search area</source>
            <translation>Seulement la zone de recherche</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="120" />
            <source>Every band of the capture</source>
            <translation>Toutes les bandes de la prise de vue</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="121" />
            <source>Pixxel documents bandsets for tasking orders; for an archive capture the price shows how many bands are charged.</source>
            <translation>Pixxel documente les jeux de bandes pour les commandes de programmation ; pour une prise de vue d'archive, le prix montre combien de bandes sont facturées.</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="124" />
            <source>Bandset</source>
            <translation>Jeu de bandes</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="126" />
            <source>as in the archive</source>
            <translation>comme dans l'archive</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="127" />
            <source>Archive captures are delivered at the level they are kept at; an order cannot ask for another.</source>
            <translation>Les prises de vue d'archive sont livrées au niveau auquel elles sont conservées ; une commande ne peut pas en demander un autre.</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="131" />
            <source>Standard</source>
            <translation>Standard</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="132" />
            <source>Delivery speed</source>
            <translation>Vitesse de livraison</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="135" />
            <source>Check price</source>
            <translation>Vérifier le prix</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="136" />
            <source>Ask Pixxel for the price and feasibility (a dry run: nothing is ordered).</source>
            <translation>Demander à Pixxel le prix et la faisabilité (une simulation : rien n'est commandé).</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="190" />
            <source>Choose the project the order belongs to.</source>
            <translation>Choisissez le projet auquel appartient la commande.</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="193" />
            <source>Say what the imagery is for (the use case).</source>
            <translation>Indiquez à quoi servira l'imagerie (l'usage).</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="202" />
            <source>Asking Pixxel for the price…</source>
            <translation>Demande du prix à Pixxel…</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="216" />
            <source>Placing the order with Pixxel… Wait for its answer.</source>
            <translation>Envoi de la commande à Pixxel… Attendez sa réponse.</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="220" />
            <source>An order for these captures is being sent already.</source>
            <translation>Une commande de ces prises de vue est déjà en cours d'envoi.</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="230" />
            <source>Could not read your projects: {error}</source>
            <translation>Impossible de lire vos projets : {error}</translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/order_dialog.py" line="237" />
            <source>{name} ({count} band(s))</source>
            <translation>
                <numerusform>{name} ({count} bande)</numerusform>
                <numerusform>{name} ({count} bandes)</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="242" />
            <source>Your API key sees no project to order in.</source>
            <translation>Votre clé d'API ne voit aucun projet où commander.</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="261" />
            <source>Pixxel gave no price: this order cannot be confirmed here.</source>
            <translation>Pixxel n'a donné aucun prix : cette commande ne peut pas être confirmée ici.</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="264" />
            <source>Pixxel says this order is not feasible.</source>
            <translation>Pixxel indique que cette commande n'est pas faisable.</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="267" />
            <source>Nothing has been ordered yet.</source>
            <translation>Rien n'a encore été commandé.</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="275" />
            <source>Order {id} placed ({status}). Its imagery can be downloaded once Pixxel has delivered it.</source>
            <translation>Commande {id} passée ({status}). Ses images pourront être téléchargées une fois livrées par Pixxel.</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="285" />
            <source>The order failed.</source>
            <translation>La commande a échoué.</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="287" />
            <source>Check the price again to try once more.</source>
            <translation>Vérifiez à nouveau le prix pour réessayer.</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="308" />
            <source>Placing the order…</source>
            <translation>Envoi de la commande…</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="308" />
            <source>Order placed</source>
            <translation>Commande passée</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="309" />
            <source>Order sent: outcome unknown</source>
            <translation>Commande envoyée : issue inconnue</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="310" />
            <source>Place order for {amount}</source>
            <translation>Passer la commande pour {amount}</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="317" />
            <source>Feasibility</source>
            <translation>Faisabilité</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="318" />
            <source>{area} km²</source>
            <translation>{area} km²</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="320" />
            <source>Base price</source>
            <translation>Prix de base</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="321" />
            <source>Final price</source>
            <translation>Prix final</translation>
        </message>
        <message>
            <location filename="../ui/order_dialog.py" line="324" />
            <source>not stated by Pixxel</source>
            <translation>non indiquée par Pixxel</translation>
        </message>
        <message>
            <location filename="../ui/purchased_footprints.py" line="51" />
            <source>Pixxel purchases</source>
            <translation>Achats Pixxel</translation>
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="128" />
            <source>Images</source>
            <translation>Images</translation>
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="128" />
            <source>Start</source>
            <translation>Début</translation>
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="128" />
            <source>End</source>
            <translation>Fin</translation>
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="129" />
            <source>Order</source>
            <translation>Commande</translation>
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="150" />
            <source>Only order items with delivered imagery can be downloaded: this one is {status}.</source>
            <translation>Seuls les articles de commande dont l'imagerie est livrée peuvent être téléchargés : celui-ci est {status}.</translation>
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="154" />
            <source>Order: {id}</source>
            <translation>Commande : {id}</translation>
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="196" />
            <source>Level</source>
            <translation>Niveau</translation>
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="196" />
            <source>GSD</source>
            <translation>GSD</translation>
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="197" />
            <source>Cloud</source>
            <translation>Nuages</translation>
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="197" />
            <source>Delivery</source>
            <translation>Livraison</translation>
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="197" />
            <source>Order item</source>
            <translation>Article de commande</translation>
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="221" />
            <source>{value} %</source>
            <translation>{value} %</translation>
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="231" />
            <source>Catalog ID: {id}</source>
            <translation>ID du catalogue : {id}</translation>
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="235" />
            <source>Off-nadir: {value}°</source>
            <translation>Dépointage : {value}°</translation>
        </message>
        <message>
            <location filename="../ui/purchased_model.py" line="238" />
            <source>Automated cloud delivery: {status}. Every catalog can be downloaded.</source>
            <translation>Livraison automatique dans le cloud : {status}. Tout catalogue peut être téléchargé.</translation>
        </message>
        <message>
            <location filename="../ui/purchased_panel.py" line="81" />
            <source>Search order items and catalogs</source>
            <translation>Rechercher des articles de commande et des catalogues</translation>
        </message>
        <message>
            <location filename="../ui/purchased_panel.py" line="85" />
            <source>Show the order items and catalogs of one order</source>
            <translation>Afficher les articles de commande et les catalogues d'une commande</translation>
        </message>
        <message>
            <location filename="../ui/purchased_panel.py" line="89" />
            <location filename="../ui/purchased_panel.py" line="192" />
            <source>All orders</source>
            <translation>Toutes les commandes</translation>
        </message>
        <message>
            <location filename="../ui/purchased_panel.py" line="93" />
            <source>List the purchases again</source>
            <translation>Lister de nouveau les achats</translation>
        </message>
        <message>
            <location filename="../ui/purchased_panel.py" line="105" />
            <source>Order items</source>
            <translation>Articles de commande</translation>
        </message>
        <message>
            <location filename="../ui/purchased_panel.py" line="115" />
            <source>Download the selected purchases and add them to the map</source>
            <translation>Télécharger les achats sélectionnés et les ajouter à la carte</translation>
        </message>
        <message>
            <location filename="../ui/purchased_panel.py" line="210" />
            <source>No order items yet</source>
            <translation>Aucun article de commande pour le moment</translation>
        </message>
        <message>
            <location filename="../ui/purchased_panel.py" line="211" />
            <source>No catalogs yet</source>
            <translation>Aucun catalogue pour le moment</translation>
        </message>
        <message>
            <location filename="../ui/purchased_panel.py" line="214" />
            <source>Could not list your purchases</source>
            <translation>Impossible de lister vos achats</translation>
        </message>
        <message>
            <location filename="../ui/purchased_panel.py" line="219" />
            <source>Loading your purchases…</source>
            <translation>Chargement de vos achats…</translation>
        </message>
        <message>
            <location filename="../ui/purchased_panel.py" line="221" />
            <source>Nothing matches the filter</source>
            <translation>Rien ne correspond au filtre</translation>
        </message>
        <message>
            <location filename="../ui/purchased_panel.py" line="223" />
            <source>Imagery your workspace orders in Aurora is listed here.</source>
            <translation>L'imagerie que votre espace de travail commande dans Aurora est listée ici.</translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/purchased_panel.py" line="226" />
            <source>{count} order item(s)</source>
            <translation>
                <numerusform>{count} article de commande</numerusform>
                <numerusform>{count} articles de commande</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/purchased_panel.py" line="227" />
            <source>{count} catalog(s)</source>
            <translation>
                <numerusform>{count} catalogue</numerusform>
                <numerusform>{count} catalogues</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../ui/purchased_panel.py" line="228" />
            <source>(loading…)</source>
            <translation>(chargement…)</translation>
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="50" />
            <location filename="../ui/spectral_profile.py" line="163" />
            <source>Spectral profile</source>
            <translation>Profil spectral</translation>
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="57" />
            <location filename="../ui/spectral_profile.py" line="109" />
            <source>Click on a spectral image.</source>
            <translation>Cliquez sur une image spectrale.</translation>
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="60" />
            <source>Pin</source>
            <translation>Épingler</translation>
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="61" />
            <source>Keep this profile on the chart to compare it</source>
            <translation>Garder ce profil sur le graphique pour le comparer</translation>
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="62" />
            <source>Clear</source>
            <translation>Effacer</translation>
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="63" />
            <source>Export CSV…</source>
            <translation>Exporter en CSV…</translation>
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="64" />
            <source>Save the pinned profiles as a CSV file</source>
            <translation>Enregistrer les profils épinglés dans un fichier CSV</translation>
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="85" />
            <source>No spectral image under this point.</source>
            <translation>Aucune image spectrale sous ce point.</translation>
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="87" />
            <source>{layer}: pixel {column}, {row} holds no data (nodata or masked).</source>
            <translation>{layer} : le pixel {column}, {row} ne contient aucune donnée (sans donnée ou masqué).</translation>
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="91" />
            <source>{layer}: pixel {column}, {row} at {x:.6g}, {y:.6g} ({crs})</source>
            <translation>{layer} : pixel {column}, {row} en {x:.6g}, {y:.6g} ({crs})</translation>
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="114" />
            <source>Export pinned profiles</source>
            <translation>Exporter les profils épinglés</translation>
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="114" />
            <source>CSV files (*.csv)</source>
            <translation>Fichiers CSV (*.csv)</translation>
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="121" />
            <source>Could not write {path}: {error}</source>
            <translation>Impossible d'écrire {path} : {error}</translation>
        </message>
        <message numerus="yes">
            <location filename="../ui/spectral_profile.py" line="124" />
            <source>{count} profile(s) exported to {path}</source>
            <translation>
                <numerusform>{count} profil exporté dans {path}</numerusform>
                <numerusform>{count} profils exportés dans {path}</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="133" />
            <source>{label} · {layer} ({column}, {row})</source>
            <translation>{label} · {layer} ({column}, {row})</translation>
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="139" />
            <source>Current · {layer} ({column}, {row})</source>
            <translation>Actuel · {layer} ({column}, {row})</translation>
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="165" />
            <source>Click on the map to see the spectrum of a pixel</source>
            <translation>Cliquez sur la carte pour voir le spectre d'un pixel</translation>
        </message>
        <message>
            <location filename="../ui/spectral_profile.py" line="191" />
            <source>Could not read the spectrum: {error}</source>
            <translation>Impossible de lire le spectre : {error}</translation>
        </message>
        <message>
            <location filename="../ui/spectrum_chart.py" line="54" />
            <source>Click on a spectral image to see the spectrum of that pixel.</source>
            <translation>Cliquez sur une image spectrale pour voir le spectre de ce pixel.</translation>
        </message>
        <message>
            <location filename="../ui/spectrum_chart.py" line="122" />
            <source>Wavelength (nm)</source>
            <translation>Longueur d'onde (nm)</translation>
        </message>
        <message>
            <location filename="../ui/spectrum_chart.py" line="128" />
            <source>Reflectance</source>
            <translation>Réflectance</translation>
        </message>
    </context>
</TS>
