/**
 * A TopoJSON topology reduced to some of its geometries: only the arcs they use are kept (and
 * renumbered), so shared borders stay shared and the file stays small.
 */
import type { GeoJsonProperties } from 'geojson';
import type { GeometryObject, MultiPolygon, Polygon, Topology } from 'topojson-specification';

/** A polygonal geometry of the subset, with its new `id` and properties. */
export interface SubsetGeometry<P extends GeoJsonProperties> {
  readonly id: string;
  readonly properties: P;
  readonly source: GeometryObject<GeoJsonProperties>;
}

/**
 * Builds a topology with one GeometryCollection `name` holding `geometries` (Polygon and
 * MultiPolygon only; other types are skipped), sharing `topology`'s transform.
 */
export function subsetTopology<P extends GeoJsonProperties>(
  topology: Topology,
  name: string,
  geometries: readonly SubsetGeometry<P>[],
): Topology {
  const renumbered = new Map<number, number>();
  const arcs: Topology['arcs'] = [];
  // TopoJSON §2.2.2: a negative index ~i means arc i reversed.
  const remap = (index: number): number => {
    const old = index < 0 ? ~index : index;
    let fresh = renumbered.get(old);
    if (fresh === undefined) {
      const arc = topology.arcs[old];
      if (arc === undefined) throw new Error(`topology has no arc ${old}`);
      fresh = arcs.length;
      arcs.push(arc);
      renumbered.set(old, fresh);
    }
    return index < 0 ? ~fresh : fresh;
  };
  const kept: (Polygon<GeoJsonProperties> | MultiPolygon<GeoJsonProperties>)[] = [];
  for (const { id, properties, source } of geometries) {
    if (source.type === 'Polygon') {
      kept.push({ type: 'Polygon', id, properties, arcs: source.arcs.map((r) => r.map(remap)) });
    } else if (source.type === 'MultiPolygon') {
      const polygons = source.arcs.map((p) => p.map((r) => r.map(remap)));
      kept.push({ type: 'MultiPolygon', id, properties, arcs: polygons });
    }
  }
  return {
    type: 'Topology',
    ...(topology.transform === undefined ? {} : { transform: topology.transform }),
    objects: { [name]: { type: 'GeometryCollection', geometries: kept } },
    arcs,
  };
}
