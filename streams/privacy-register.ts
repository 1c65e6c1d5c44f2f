// The privacy register, NATS KV bucket `privacy`: one key per erasure request (`erasure.<id>`), holding whose events
// to erase (the user_id, the only personal data it names), whether their new events are refused from now on
// (`suppress`), when it was asked, and what each place did (`places`: the hot tables and marts, the dead letters, the
// archive — each written by the process that erased it, a compare-and-set on the entry). A request is done once every
// place has answered. Every process follows the register: the collector refuses a suppressed person's events, the sink
// and the archiver drop an erased person's events received before the request (already in the stream, redriven,
// replayed), so nothing erased comes back. Wire: JetStream KV (stream KV_privacy), each value the JSON of an Erasure.
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import * as v from 'valibot';
import type { Logger } from '../shared/node/mod.ts';
import { throughElection } from './election.ts';

export const PRIVACY_BUCKET = 'privacy';
const PREFIX = 'erasure.';

/** The places an erasure reaches, each answered by the process that holds it. */
export const ERASURE_PLACES = ['clickhouse', 'dead_letters', 'archive'] as const;
export type ErasurePlace = (typeof ERASURE_PLACES)[number];

const Counts = v.record(v.string(), v.number());
const Erasure = v.object({
  id: v.pipe(v.string(), v.regex(/^[0-9a-f-]{36}$/)),
  user_id: v.pipe(v.string(), v.minLength(1), v.maxLength(256)),
  suppress: v.boolean(),
  requested_at: v.number(),
  places: v.partial(
    v.object(
      Object.fromEntries(ERASURE_PLACES.map((p) => [p, v.object({ done_at: v.number(), counts: Counts })])) as Record<
        ErasurePlace,
        v.ObjectSchema<{ done_at: v.NumberSchema<undefined>; counts: typeof Counts }, undefined>
      >,
    ),
  ),
});
export type Erasure = v.InferOutput<typeof Erasure>;

export const statusOf = (e: Erasure): 'pending' | 'done' =>
  ERASURE_PLACES.every((p) => e.places[p]) ? 'done' : 'pending';

/** Who is forgotten, as every process needs it: by user_id, since when, and whether their new events are refused. */
export class ForgetList {
  readonly #by = new Map<string, { at: number; suppress: boolean }>();
  get size(): number {
    return this.#by.size;
  }
  add(e: Erasure): void {
    const had = this.#by.get(e.user_id);
    // Several requests for one person: the latest time, suppressed if any asked.
    this.#by.set(e.user_id, {
      at: Math.max(had?.at ?? 0, e.requested_at),
      suppress: (had?.suppress ?? false) || e.suppress,
    });
  }
  /** Whether new events of this person are refused. */
  suppressed(userId: string): boolean {
    return this.#by.get(userId)?.suppress === true;
  }
  /** Whether an event of this person received at `receivedAtMs` must not be stored: suppressed, or erased after. */
  forgets(userId: string, receivedAtMs: number): boolean {
    const f = this.#by.get(userId);
    return f !== undefined && (f.suppress || receivedAtMs <= f.at);
  }
}

export interface PrivacyRegister {
  request(userId: string, suppress: boolean): Promise<Erasure>;
  get(id: string): Promise<Erasure | undefined>;
  /** Writes what `place` did into the request (compare-and-set, retried when another place wrote meanwhile). */
  answer(id: string, place: ErasurePlace, counts: Record<string, number>): Promise<Erasure>;
  /** Calls `onRequest` with every request, stored and new, as it is seen; `list` follows them. */
  follow(list: ForgetList, onRequest?: (e: Erasure) => void): Promise<{ stop(): void }>;
}

const decode = (value: Uint8Array): Erasure | undefined => {
  try {
    const parsed = v.safeParse(Erasure, JSON.parse(new TextDecoder().decode(value)));
    return parsed.success ? parsed.output : undefined;
  } catch {
    return undefined;
  }
};

/** The register: created by the sink (`create`), opened by the others. */
export async function openPrivacyRegister(
  nc: NatsConnection,
  opts: { create: boolean; replicas?: number },
  log: Logger,
): Promise<PrivacyRegister> {
  const kvm = new Kvm(nc);
  const kv: KV = opts.create
    ? await kvm.create(PRIVACY_BUCKET, { history: 8, replicas: opts.replicas ?? 1 })
    : await kvm.open(PRIVACY_BUCKET);
  if (opts.create) await throughElection(() => kv.status());
  const get = async (id: string) => {
    const entry = await kv.get(`${PREFIX}${id}`);
    return entry && entry.operation === 'PUT' ? decode(entry.value) : undefined;
  };
  return {
    async request(userId, suppress) {
      const erasure: Erasure = {
        id: crypto.randomUUID(),
        user_id: userId,
        suppress,
        requested_at: Date.now(),
        places: {},
      };
      await kv.create(`${PREFIX}${erasure.id}`, JSON.stringify(erasure));
      return erasure;
    },
    get,
    async answer(id, place, counts) {
      for (;;) {
        const entry = await kv.get(`${PREFIX}${id}`);
        const current = entry && decode(entry.value);
        if (!entry || !current) throw new Error(`no erasure request ${id}`);
        const next: Erasure = { ...current, places: { ...current.places, [place]: { done_at: Date.now(), counts } } };
        try {
          await kv.update(`${PREFIX}${id}`, JSON.stringify(next), entry.revision);
          return next;
        } catch (err) {
          // Another place answered meanwhile: read it again and add ours.
          if (!/wrong last sequence/i.test((err as Error).message)) throw err;
        }
      }
    },
    async follow(list, onRequest) {
      // What is stored is read before this resolves (nothing erased is taken meanwhile); the watch then repeats it
      // (adding a request twice changes nothing) and brings the new ones.
      for await (const key of await kv.keys(`${PREFIX}>`)) {
        const e = await get(key.slice(PREFIX.length));
        if (e) list.add(e);
      }
      const watch = await kv.watch({ key: `${PREFIX}>` });
      void (async () => {
        for await (const entry of watch) {
          if (entry.operation !== 'PUT') continue;
          const e = decode(entry.value);
          if (!e) {
            log.warn({ key: entry.key }, 'privacy register: an entry that is no erasure request is ignored');
            continue;
          }
          list.add(e);
          onRequest?.(e);
        }
      })();
      return { stop: () => watch.stop() };
    },
  };
}

/**
 * Follows the register into `list` from now on, as a process that only reads it (the collector): until the bucket
 * exists (no request was ever made: the sink makes it) it is looked for every few seconds. Resolves once what is
 * stored has been read, or at once while the bucket is missing.
 */
export async function followPrivacy(
  nc: NatsConnection,
  list: ForgetList,
  log: Logger,
  onRequest?: (e: Erasure) => void,
): Promise<{ stop(): void }> {
  let stopped = false;
  let following: { stop(): void } | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const attempt = async (): Promise<boolean> => {
    try {
      const register = await openPrivacyRegister(nc, { create: false }, log);
      following = await register.follow(list, onRequest);
      if (stopped) following.stop();
      return true;
    } catch {
      return false;
    }
  };
  const retry = () => {
    timer = setTimeout(async () => {
      if (!stopped && !(await attempt())) retry();
    }, 3000);
  };
  if (!(await attempt())) retry();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      following?.stop();
    },
  };
}

/** How a place erases one person: `erase` must be safe to repeat; it runs again `againAfterMs` later, for what was on
 *  its way to the place when the request was seen (it passed the forget list before the person was on it). */
export interface ErasingPlace {
  erase(e: Erasure): Promise<Record<string, number>>;
  againAfterMs: number;
}

/**
 * Answers erasure requests for the places this process holds: each request one of them has not answered yet is
 * erased there (twice, see ErasingPlace) and answered with the counts of both passes, one request at a time; a
 * failure is logged and tried again a little later. Follows the register into `list` meanwhile (followPrivacy).
 */
export async function serveErasures(
  nc: NatsConnection,
  list: ForgetList,
  places: Partial<Record<ErasurePlace, ErasingPlace>>,
  log: Logger,
): Promise<{ stop(): Promise<void> }> {
  let stopped = false;
  let chain: Promise<void> = Promise.resolve();
  let register: Promise<PrivacyRegister> | undefined;
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const take = (e: Erasure) => {
    for (const [place, how] of Object.entries(places) as [ErasurePlace, ErasingPlace][]) {
      if (e.places[place]) continue;
      chain = chain.then(async () => {
        if (stopped) return;
        try {
          const counts = await how.erase(e);
          await pause(how.againAfterMs);
          for (const [k, n] of Object.entries(await how.erase(e))) counts[k] = (counts[k] ?? 0) + n;
          register ??= openPrivacyRegister(nc, { create: false }, log);
          await (await register).answer(e.id, place, counts);
          log.info({ erasure: e.id, place, ...counts }, 'erased');
        } catch (err) {
          register = undefined;
          log.error({ erasure: e.id, place, err: (err as Error).message }, 'erasing failed; trying again');
          setTimeout(() => !stopped && take(e), 5000).unref?.();
        }
      });
    }
  };
  const following = await followPrivacy(nc, list, log, take);
  return {
    async stop() {
      stopped = true;
      following.stop();
      await chain;
    },
  };
}
