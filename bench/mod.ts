// bench/: the benchmarks `npm run bench [-- name]` runs, each writing its section of bench/RESULTS.md.
// Without a name: floor, http, publish and e2e (a few minutes); faults (200,000 events per fault), reports, cluster,
// archive and binary run only when named.
import { archive } from './archive.ts';
import { binary } from './binary.ts';
import { cluster } from './cluster.ts';
import { e2e } from './e2e.ts';
import { faults } from './faults.ts';
import { floor } from './floor.ts';
import { http } from './http.ts';
import { publish } from './publish.ts';
import { reports } from './reports.ts';

type Bench = (opts: { events?: number; seconds?: number }) => Promise<unknown>;

export const benchmarks: Record<string, Bench> = {
  floor,
  http,
  publish,
  e2e,
  faults,
  reports,
  cluster,
  archive,
  binary,
};
export const defaults = ['floor', 'http', 'publish', 'e2e'];
