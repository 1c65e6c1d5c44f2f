// bench/: the benchmarks `npm run bench [-- name]` runs, each writing its section of bench/RESULTS.md.
import { faults } from './faults.ts';

export const benchmarks: Record<string, (opts: { events?: number }) => Promise<void>> = { faults };
