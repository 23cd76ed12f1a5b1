/**
 * The map: partner and neighbour country boundaries from the bundled region asset (no tile
 * server needed; a configured one is drawn underneath, see tiles.ts), and the areas of the
 * alerts shown in the list, coloured by severity (the colours are in styles.css, by class).
 * Clicking an area opens its alert.
 */
import L from 'leaflet';
import type { FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { feature } from 'topojson-client';
import type { AlertEntry } from './alert-book.ts';
import type { IncidentEntry } from './incident-book.ts';
import { incidentTitle } from './incident-labels.ts';
import { displayStateOf } from './alert-book.ts';
import { localName, t } from './i18n/i18n.ts';
import { severityClass } from './labels.ts';
import type { CountriesTopology, RegionAsset } from './region-types.ts';
import { tileLayerOf, type TileConfig } from './tiles.ts';

/**
 * Tooltip content as text. Leaflet inserts a string as HTML, and headlines and report titles
 * are written by other organisations: markup in them (a <style> hiding the alarm) must show as
 * the characters it is, never act.
 */
function asText(text: string): HTMLElement {
  const span = document.createElement('span');
  span.textContent = text;
  return span;
}

/** The closest the map zooms in (a district); tiles are asked for up to this level. */
const MAX_ZOOM = 12;

/** Stacking order: the most severe areas are drawn last, on top. */
const severityRank: Readonly<Record<string, number>> = {
  Extreme: 4,
  Severe: 3,
  Moderate: 2,
  Minor: 1,
};

function countriesOf(topology: CountriesTopology): FeatureCollection<Polygon | MultiPolygon> {
  return feature(topology, topology.objects.countries) as FeatureCollection<Polygon | MultiPolygon>;
}

/** Where a country's name goes: the middle of the bounding box of its largest part. */
function labelPoint(geometry: Polygon | MultiPolygon): L.LatLng {
  const polygons: Position[][][] =
    geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let best: L.LatLngBounds | null = null;
  let bestArea = -1;
  for (const polygon of polygons) {
    const ring = polygon[0] ?? [];
    const bounds = L.latLngBounds(ring.map(([lon, lat]) => L.latLng(lat ?? 0, lon ?? 0)));
    const area = (bounds.getEast() - bounds.getWest()) * (bounds.getNorth() - bounds.getSouth());
    if (area > bestArea) [best, bestArea] = [bounds, area];
  }
  return best?.getCenter() ?? L.latLng(0, 0);
}

function boundsArea(bounds: L.LatLngBounds): number {
  return (bounds.getEast() - bounds.getWest()) * (bounds.getNorth() - bounds.getSouth());
}

/**
 * Where the map opens: the partner countries, except that one partner much larger than all
 * the others together (China beside Central Asia) only counts near them, so the region's core
 * fills the screen rather than a continent.
 */
function homeBoundsOf(partners: L.GeoJSON): L.LatLngBounds {
  const parts = partners
    .getLayers()
    .flatMap((layer) => (layer instanceof L.Polygon ? [layer.getBounds()] : []))
    .sort((a, b) => boundsArea(b) - boundsArea(a));
  const [largest, ...others] = parts;
  if (largest === undefined || others.length === 0) return partners.getBounds();
  const core = L.latLngBounds(others.flatMap((b) => [b.getSouthWest(), b.getNorthEast()]));
  const othersArea = others.reduce((sum, b) => sum + boundsArea(b), 0);
  return boundsArea(largest) <= 2 * othersArea ? core.extend(largest) : core.pad(0.15);
}

/** The bounds of an alert's `bbox` ([minLon, minLat, maxLon, maxLat]), null without one. */
function boundsOf(bbox: readonly number[] | null): L.LatLngBounds | null {
  if (bbox?.length !== 4) return null;
  const [west = 0, south = 0, east = 0, north = 0] = bbox;
  return L.latLngBounds([south, west], [north, east]);
}

/** CSS class of an alert's layer, so tests and styles can find it. */
export function areaClass(alertId: string): string {
  return `alert-${alertId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** The alert map view. */
export class AlertMap {
  private readonly map: L.Map;
  private readonly alertLayer = L.layerGroup();
  private readonly incidentLayer = L.layerGroup();
  private picking: ((event: L.LeafletMouseEvent) => void) | null = null;
  private pickMarker: L.CircleMarker | null = null;
  private readonly labels: { tooltip: L.Tooltip; code: string }[] = [];
  private zoom: L.Control.Zoom | null = null;
  private attribution = '';
  private selected: string | null = null;
  private homeBounds: L.LatLngBounds | null = null;

  constructor(
    element: HTMLElement,
    private readonly region: RegionAsset | null,
    private readonly onOpen: (alertId: string) => void,
    tiles: TileConfig | null = null,
  ) {
    this.map = L.map(element, {
      zoomControl: false,
      attributionControl: false,
      minZoom: 2,
      maxZoom: MAX_ZOOM,
      worldCopyJump: false,
      zoomSnap: 0.25,
    });
    this.map.createPane('countries').style.zIndex = '350';
    L.control.attribution({ prefix: 'Leaflet' }).addTo(this.map);
    // Under the countries pane; the boundaries turn see-through over it (map.css).
    if (tiles !== null) tileLayerOf(tiles, MAX_ZOOM).addTo(this.map);
    element.classList.toggle('with-tiles', tiles !== null);
    if (region !== null) this.drawCountries(region);
    this.map.fitBounds(this.homeBounds ?? L.latLngBounds([35, 45], [55, 90]));
    this.alertLayer.addTo(this.map);
    this.incidentLayer.addTo(this.map);
    this.relabel();
  }

  private drawCountries(region: RegionAsset): void {
    const draw = (topology: CountriesTopology, kind: 'partner' | 'neighbour') => {
      const layer = L.geoJSON(countriesOf(topology), {
        pane: 'countries',
        interactive: false,
        style: () => ({ className: `country ${kind}` }),
      }).addTo(this.map);
      if (kind === 'partner') {
        this.homeBounds = homeBoundsOf(layer);
        for (const country of countriesOf(topology).features) {
          const code = String(country.id);
          const tooltip = L.tooltip({
            permanent: true,
            direction: 'center',
            className: 'country-label',
            interactive: false,
          }).setLatLng(labelPoint(country.geometry));
          tooltip.addTo(this.map);
          this.labels.push({ tooltip, code });
        }
      }
    };
    draw(region.neighbourShapes, 'neighbour');
    draw(region.partnerShapes, 'partner');
  }

  /** Re-labels country names, zoom buttons and attribution in the current language. */
  relabel(): void {
    for (const { tooltip, code } of this.labels) {
      tooltip.setContent(asText(localName(this.region?.countryNames[code], code)));
    }
    this.zoom?.remove();
    this.zoom = L.control.zoom({ zoomInTitle: t('map.zoomIn'), zoomOutTitle: t('map.zoomOut') });
    this.zoom.addTo(this.map);
    const control = this.map.attributionControl;
    if (this.attribution !== '') control.removeAttribution(this.attribution);
    this.attribution = t('map.attribution');
    control.addAttribution(this.attribution);
    this.map.getContainer().setAttribute('aria-label', t('map.label'));
  }

  /** Removes the map (log-out). */
  remove(): void {
    this.map.remove();
  }

  /** The container became visible or changed size. */
  resize(): void {
    this.map.invalidateSize();
  }

  /** Draws the areas of `entries` (already filtered). */
  setAlerts(entries: readonly AlertEntry[]): void {
    this.alertLayer.clearLayers();
    const ordered = [...entries].sort(
      (a, b) => (severityRank[a.alert.severity] ?? 0) - (severityRank[b.alert.severity] ?? 0),
    );
    for (const entry of ordered) {
      const layer = this.layerOf(entry);
      if (layer !== null) this.alertLayer.addLayer(layer);
    }
  }

  private layerOf(entry: AlertEntry): L.Layer | null {
    const alert = entry.alert;
    const state = displayStateOf(alert);
    const className = [
      'alert-area',
      severityClass(alert.severity),
      `state-${state}`,
      // Test and Exercise messages (shown only when opted in) are drawn apart from real ones.
      alert.status === 'Actual' ? '' : 'not-actual',
      areaClass(alert.id),
      alert.id === this.selected ? 'selected' : '',
    ].join(' ');
    const open = (): void => {
      this.onOpen(alert.id);
    };
    const bounds = boundsOf(alert.bbox);
    const group = L.featureGroup();
    if (entry.detail !== null && entry.detail.areas.features.length > 0) {
      L.geoJSON(entry.detail.areas, {
        style: () => ({ className }),
        pointToLayer: (_point, latlng) => L.circleMarker(latlng, { radius: 8, className }),
      }).addTo(group);
    } else if (bounds !== null) {
      // Until the areas are loaded, the bounding box the live event carries.
      L.rectangle(bounds, { className: `${className} bbox-only` }).addTo(group);
    }
    // A marker too, so a small area is not a speck when the whole region is in view.
    if (bounds !== null) {
      L.circleMarker(bounds.getCenter(), {
        radius: 7,
        className: `${className} alert-marker`,
      }).addTo(group);
    }
    if (group.getLayers().length === 0) return null;
    group.on('click', open);
    group.bindTooltip(asText(alert.headline ?? alert.event), { sticky: true });
    return group;
  }

  /** Draws incident reports as markers (above the alert areas); a click opens one. */
  setIncidents(entries: readonly IncidentEntry[], onOpen: (incidentId: string) => void): void {
    this.incidentLayer.clearLayers();
    for (const { incident } of entries) {
      const [lon, lat] = incident.point;
      const id = incident.id.replace(/[^A-Za-z0-9_-]/g, '_');
      const marker = L.circleMarker(L.latLng(lat, lon), {
        radius: 8,
        className: `incident-marker istatus-${incident.status} incident-${id}`,
      });
      marker.bindTooltip(asText(incidentTitle(incident.title)), { sticky: true });
      marker.on('click', () => {
        onOpen(incident.id);
      });
      this.incidentLayer.addLayer(marker);
    }
  }

  /** While `setPoint` is given, a click on the map picks a location (marked on the map). */
  pick(setPoint: ((lat: number, lon: number) => void) | null): void {
    if (this.picking !== null) this.map.off('click', this.picking);
    this.picking = null;
    this.pickMarker?.remove();
    this.pickMarker = null;
    this.map.getContainer().classList.toggle('picking', setPoint !== null);
    if (setPoint === null) return;
    this.picking = (event) => {
      this.pickMarker?.remove();
      this.pickMarker = L.circleMarker(event.latlng, { radius: 7, className: 'pick-marker' });
      this.pickMarker.addTo(this.map);
      setPoint(event.latlng.lat, event.latlng.lng);
    };
    this.map.on('click', this.picking);
  }

  /**
   * Highlights an alert's areas and brings them into view, beside the `coveredRight` pixels
   * of the map that the detail panel covers.
   */
  show(entry: AlertEntry | null, coveredRight = 0): void {
    this.selected = entry?.alert.id ?? null;
    const bounds = boundsOf(entry?.alert.bbox ?? null);
    if (bounds === null) return;
    this.map.fitBounds(bounds, {
      maxZoom: 8,
      paddingTopLeft: [40, 40],
      paddingBottomRight: [coveredRight + 40, 40],
      animate: false,
    });
  }
}
