// Where an event came from, by its client's address: the place a geo database gives for a public address. The
// database itself is opened by the process (../../geo-database.ts, which needs node:buffer for mmdb-lib); the core
// sees only a lookup function. Records of two shapes are understood: ip-location-db's country databases
// (`{ country_code: 'DE' }`) and MaxMind's GeoIP2/GeoLite2 Country and City (`{ country: { iso_code }, subdivisions:
// [{ iso_code }], city: { names: { en } } }`). Runtime-neutral.
import { formatIp, parseIp } from '../../../shared/mod.ts';
import { isPublicAddress } from './ip.ts';

export interface Place {
  /** ISO 3166-1 alpha-2: "DE"; '' when the database knows none. */
  country: string;
  /** The first subdivision's ISO 3166-2 code without the country: "BY" (Bavaria); '' when unknown. */
  region: string;
  /** The city's English name; '' when unknown. */
  city: string;
}

/** The place of an address; undefined for an address that is not public, or one the database does not know. The
 *  place may be shared: copy its fields. */
export type GeoLookup = (ip: string) => Readonly<Place> | undefined;

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const field = (v: unknown, name: string): unknown =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[name] : undefined;

/**
 * The place a database record gives, or undefined when it gives none. ip-location-db: `country_code` (and `city`, a
 * name, in its city databases). MaxMind: `country.iso_code`, or the registered country's when the record has no
 * country (some anycast and satellite networks); `subdivisions[0].iso_code`; `city.names.en`.
 */
export function placeOf(record: unknown): Place | undefined {
  if (typeof record !== 'object' || record === null) return undefined;
  const country =
    text(field(record, 'country_code')) ||
    text(field(field(record, 'country'), 'iso_code')) ||
    text(field(field(record, 'registered_country'), 'iso_code'));
  const subdivisions = field(record, 'subdivisions');
  const region = Array.isArray(subdivisions) ? text(field(subdivisions[0], 'iso_code')) : '';
  const city = field(record, 'city');
  const cityName = typeof city === 'string' ? city : text(field(field(city, 'names'), 'en'));
  if (!country && !region && !cityName) return undefined;
  return { country, region, city: cityName };
}

/** How many addresses a lookup's cache holds before it starts again. A lookup in a database is some microseconds and
 *  an object; the events of a batch, and of a visit, come from one address. */
const MAX_ENTRIES = 4_096;
/** Longer than any address's text: not kept. */
const MAX_KEY = 64;

/**
 * A GeoLookup over a database's record getter (an mmdb reader's `get`). Addresses that are not public are not looked
 * up; an IPv4-mapped IPv6 address is looked up as its IPv4 address; a getter that throws is a place unknown. Places
 * are cached by address and shared (frozen): copy their fields, keep no reference.
 */
export function geoLookupFrom(get: (ip: string) => unknown): GeoLookup {
  const cache = new Map<string, Readonly<Place> | null>();
  const find = (ip: string): Readonly<Place> | undefined => {
    const parsed = parseIp(ip);
    if (!parsed || !isPublicAddress(parsed)) return undefined;
    try {
      const place = placeOf(get(parsed.v4 && ip.includes(':') ? formatIp(parsed) : ip));
      return place && Object.freeze(place);
    } catch {
      return undefined;
    }
  };
  return (ip) => {
    const known = cache.get(ip);
    if (known !== undefined) return known ?? undefined;
    const place = find(ip);
    if (ip.length <= MAX_KEY) {
      if (cache.size >= MAX_ENTRIES) cache.clear();
      cache.set(ip, place ?? null);
    }
    return place;
  };
}
