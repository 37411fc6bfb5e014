import { geoAlbersUsa, geoNaturalEarth1, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import world from 'world-atlas/countries-110m.json';
import usStates from 'us-atlas/states-10m.json';

/** Loaded on demand (dynamic import) so the atlases never weigh on the first page. */
export interface Shape {
  id: string;
  name: string;
  d: string;
}

export const MAP_WIDTH = 960;
export const MAP_HEIGHT = 500;

function shapes(topo: Topology, object: string, kind: 'world' | 'us'): Shape[] {
  const all = feature(topo, topo.objects[object] as GeometryCollection<{ name: string }>);
  // Antarctica has no reporters and would take a fifth of the map; fit the rest.
  const fc = { ...all, features: all.features.filter((f) => f.id !== '010') };
  const projection = kind === 'world' ? geoNaturalEarth1() : geoAlbersUsa();
  projection.fitSize([MAP_WIDTH, MAP_HEIGHT], fc);
  const path = geoPath(projection);
  return fc.features
    .map((f) => ({ id: String(f.id ?? f.properties.name), name: f.properties.name, d: path(f) ?? '' }))
    .filter((s) => s.d !== '');
}

let cache: { world: Shape[]; us: Shape[] } | undefined;

export function atlas(): { world: Shape[]; us: Shape[] } {
  cache ??= {
    world: shapes(world as unknown as Topology, 'countries', 'world'),
    us: shapes(usStates as unknown as Topology, 'states', 'us'),
  };
  return cache;
}
