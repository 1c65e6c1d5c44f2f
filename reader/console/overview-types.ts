// What the console's overview answers (GET /console/api/overview): the shape the sampler (overview.ts) builds and the
// page (web/overview.tsx) draws, written once. No imports: the browser code type-checks it too.

export interface Target {
  role: 'collector' | 'sink' | 'archiver';
  url: string;
}

export interface Health {
  role: Target['role'];
  url: string;
  /** Its metrics answered. */
  up: boolean;
  /** GET /readyz answered 200. */
  ready: boolean;
}

export interface Point {
  /** Unix ms. */
  t: number;
  accepted: number;
  refused: number;
  inserted: number;
  /** Events written to the cold tier per second (archivers). */
  archived: number;
  lag_p50: number | null;
  lag_p99: number | null;
}

export interface Overview {
  at: string;
  health: Health[];
  /** Events per second by type and outcome over the last interval (collectors). */
  rates: { type: string; outcome: string; per_second: number }[];
  /** The last five minutes, one point per sample. */
  series: Point[];
  streams: { name: string; messages: number; bytes: number }[];
  consumers: { stream: string; name: string; pending: number; ack_pending: number; redelivered: number }[];
  /** The points of presence stream EVENTS sources (Running at the edge), as the hub sees them: messages it knows are
   *  not yet sourced, and seconds since its source last had activity (a message, or a retry while the POP is out of
   *  reach: nats-server resets it then too, so it does not say how long a POP has been cut off; null: none yet). */
  pops: { domain: string; lag: number; active_seconds_ago: number | null }[];
  dead_letters: number | null;
  nats: boolean;
}
