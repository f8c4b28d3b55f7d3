/** Plain module (not "use client"): the server page validates the `tab` search parameter with it too. */
export const CATALOG_TABS = ["suppliers", "categories", "products"] as const;
export type CatalogTab = (typeof CATALOG_TABS)[number];
