// Deterministic demo data, as the seeds' users lived it: seed 000's learning app (users view screens, start tasks,
// finish most of them within the hour, some pay), seed 001's shop of 4 products (sessions of page visits, cart adds
// and orders), and a little of the rest of the marketplace. The same options give the same events with the same
// event_ids, so sending the demo twice adds no rows to results.
import { retrying, typedEventsRoute } from '../shared/mod.ts';

/** A 503: worth sending again. */
class Unavailable extends Error {
  constructor(readonly res: Response) {
    super(`answered ${res.status}`);
  }
}

interface DemoOptions {
  /** Days of history, ending `end` (default: today, UTC). */
  days: number;
  /** Users active on a busy day (about half on a quiet one). */
  users: number;
  end?: string;
  seed?: number;
}

/** Events of one type sent from one kind of device, for one request to /v1/events/{type}. */
interface DemoBatch {
  type: string;
  /** The User-Agent the request carries (the catalog's `enrich: user_agent` reads device, browser and OS from it). */
  agent: string;
  events: Record<string, unknown>[];
}

/** A small deterministic generator (LCG), so the demo is the same every time. */
function random(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

const PRODUCTS = [1, 2, 3, 4];

/** Each user's device, by user number: six in ten on a desktop browser, three on an iPhone, one on Android. */
const AGENTS = [
  ...Array<string>(4).fill(
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  ),
  ...Array<string>(2).fill('Mozilla/5.0 (Macintosh; Intel Mac OS X 14.6; rv:133.0) Gecko/20100101 Firefox/133.0'),
  ...Array<string>(3).fill(
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
      'Version/18.1 Mobile/15E148 Safari/604.1',
  ),
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile ' +
    'Safari/537.36',
];
const SCREENS = ['main', 'course', 'task', 'payment'];

/** The demo, one day at a time (a day's events grouped by type and device), oldest first. */
function* demoDays(opts: DemoOptions): Generator<DemoBatch[]> {
  const rnd = random(opts.seed ?? 42);
  const end = Date.parse(`${opts.end ?? new Date().toISOString().slice(0, 10)}T00:00:00Z`);
  for (let d = opts.days - 1; d >= 0; d--) {
    const day = end - d * 86_400_000;
    const weekday = new Date(day).getUTCDay();
    const active = Math.max(1, Math.round(opts.users * (weekday === 0 || weekday === 6 ? 0.5 : 0.8 + rnd(20) / 100)));
    const batches = new Map<string, DemoBatch>();
    let agent = '';
    const add = (type: string, event: Record<string, unknown>) => {
      const key = `${type} ${agent}`;
      if (!batches.has(key)) batches.set(key, { type, agent, events: [] });
      batches.get(key)!.events.push(event);
    };
    let k = 0;
    const id = () => `demo-${new Date(day).toISOString().slice(0, 10)}-${k++}`;
    for (let i = 0; i < active; i++) {
      const user = rnd(opts.users * 2);
      agent = AGENTS[user % AGENTS.length]!;
      let t = day + (7 * 3600 + rnd(14 * 3600)) * 1000;
      const at = () => new Date((t += (30 + rnd(600)) * 1000)).toISOString();
      // The learning app: screens, tasks, sometimes a payment.
      for (let v = 0; v < 1 + rnd(4); v++)
        add('generic', { event_id: id(), dt: at(), event: 'view', user_id: `u${user}`, screen: SCREENS[rnd(4)] });
      if (rnd(10) < 7) {
        add('generic', { event_id: id(), dt: at(), event: 'start_task', user_id: `u${user}`, screen: 'task' });
        const outcome = rnd(10);
        if (outcome < 6)
          add('generic', { event_id: id(), dt: at(), event: 'finish_task', user_id: `u${user}`, screen: 'task' });
        else if (outcome < 8) {
          t += 2 * 3600 * 1000; // finished, but not within the hour
          add('generic', { event_id: id(), dt: at(), event: 'finish_task', user_id: `u${user}`, screen: 'task' });
        }
      }
      if (rnd(20) === 0) {
        add('generic', {
          event_id: id(),
          dt: at(),
          event: 'pay',
          user_id: `u${user}`,
          screen: 'payment',
          amount: 100 * (1 + rnd(5)),
        });
      }
      // The shop of 4 products: a session of visits, maybe a cart add, sometimes an order.
      if (rnd(3) === 0) {
        const product = PRODUCTS[rnd(4)]!;
        for (let v = 0; v < 1 + rnd(3); v++)
          add('page_visit', { event_id: id(), timestamp: at(), user_id: user, page_id: product });
        if (rnd(2) === 0) {
          add('cart_add', { event_id: id(), timestamp: at(), user_id: user, item_id: product });
          if (rnd(3) === 0)
            add('ordering', {
              event_id: id(),
              timestamp: at(),
              user_id: user,
              order_id: (day / 86_400_000) * 1000 + i,
            });
        }
      }
      if (rnd(8) === 0)
        add('searching', { event_id: id(), timestamp: at(), user_id: user, query: `product ${PRODUCTS[rnd(4)]}` });
      if (rnd(6) === 0) add('logging_in', { event_id: id(), timestamp: at(), user_id: user, login_type: rnd(3) });
    }
    yield [...batches.values()];
  }
}

/** How many events the demo holds (it is generated twice: once to count, once to send). */
export function demoSize(opts: DemoOptions): number {
  let n = 0;
  for (const day of demoDays(opts)) for (const batch of day) n += batch.events.length;
  return n;
}

/** Sends the demo through the collector, a type's events of a day from one kind of device per request; calls
 *  `progress` after each day. */
export async function sendDemo(
  url: string,
  opts: DemoOptions,
  progress: (sent: number) => void = () => {},
  writeKey?: string,
): Promise<{ sent: number; refused: number }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (writeKey) headers.authorization = `Bearer ${writeKey}`;
  let sent = 0;
  let refused = 0;
  for (const day of demoDays(opts)) {
    for (const batch of day) {
      for (let from = 0; from < batch.events.length; from += 500) {
        const events = batch.events.slice(from, from + 500);
        // A 503 (the stream electing a leader, the collector overloaded) is sent again: the same event_ids, stored
        // once.
        const res = await retrying(
          async () => {
            const r = await fetch(`${url}${typedEventsRoute(batch.type)}`, {
              method: 'POST',
              headers: { ...headers, 'user-agent': batch.agent },
              body: JSON.stringify(events),
            });
            if (r.status === 503) throw new Unavailable(r);
            return r;
          },
          { passing: (err) => err instanceof Unavailable, baseMs: 250, maxMs: 2000, withinMs: 30_000 },
        ).catch((err) => (err instanceof Unavailable ? err.res : Promise.reject(err)));
        const body = (await res.json()) as { accepted?: number; results?: { status: string }[] };
        const accepted = res.status === 202 ? events.length : (body.accepted ?? 0);
        sent += accepted;
        refused += events.length - accepted;
      }
    }
    progress(sent);
  }
  return { sent, refused };
}
