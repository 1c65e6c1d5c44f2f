// Prometheus metrics of an archiver process (prom-client), served on ARCHIVE_PORT at GET /metrics: files, events
// and bytes stored, messages found archived already, failed writes, and the messages held for open files.
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Archiver, ArchiverStats } from './archiver.ts';

export function archiverMetrics(archiver: Archiver): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const mirror = (name: string, help: string, read: (s: ArchiverStats) => number) => {
    let last = 0;
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const now = read(archiver.stats);
        this.inc(now - last);
        last = now;
      },
    });
  };
  mirror('edge_events_archive_files_total', 'Parquet files stored', (s) => s.files);
  mirror('edge_events_archive_events_total', 'Events archived', (s) => s.events);
  mirror('edge_events_archive_bytes_total', 'Bytes of Parquet stored', (s) => s.bytes);
  mirror(
    'edge_events_archive_skipped_total',
    'Messages found archived already (redelivered, replayed)',
    (s) => s.skipped,
  );
  mirror('edge_events_archive_store_errors_total', 'Failed writes to the object store (retried)', (s) => s.storeErrors);
  new Gauge({
    name: 'edge_events_archive_held_messages',
    help: 'Messages held until their file is stored',
    registers: [registry],
    collect() {
      this.set(archiver.held());
    },
  });
  return registry;
}
