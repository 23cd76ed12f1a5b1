/**
 * The optional tile layer under the map's country boundaries. The hub names its tile server
 * (`HUB_TILE_URL`, `HUB_TILE_ATTRIBUTION`) in `<meta name="ewx-tiles">` as it serves the page;
 * without that element the console draws the bundled boundaries only and requests no tile.
 */
import L from 'leaflet';

/** The tile server the hub configured. */
export interface TileConfig {
  /** Leaflet URL template (`https://{s}.tile.example.org/{z}/{x}/{y}.png`). */
  readonly url: string;
  /** Plain-text credit; null: none. */
  readonly attribution: string | null;
}

/** The page's tile server, or null when the hub has none (or the element is damaged). */
export function tileConfigOfPage(): TileConfig | null {
  const content = document.querySelector<HTMLMetaElement>('meta[name="ewx-tiles"]')?.content;
  if (content === undefined || content === '') return null;
  try {
    const value = JSON.parse(content) as Partial<TileConfig>;
    if (typeof value.url !== 'string' || value.url === '') return null;
    return {
      url: value.url,
      attribution: typeof value.attribution === 'string' ? value.attribution : null,
    };
  } catch {
    return null;
  }
}

/** Leaflet puts attributions in as HTML: the configured credit goes in as text. */
function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** A tile layer for `config`, in Leaflet's tile pane (under the countries pane). */
export function tileLayerOf(config: TileConfig, maxZoom: number): L.TileLayer {
  return L.tileLayer(config.url, {
    maxZoom,
    className: 'map-tiles',
    ...(config.attribution === null ? {} : { attribution: escapeHtml(config.attribution) }),
  });
}
