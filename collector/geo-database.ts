// The geo database a collector process looks client addresses up in: the MaxMind-format (.mmdb) file GEOIP_DB names
// (GeoIP2 or GeoLite2 Country or City, or any ip-location-db country database), or else the country database shipped
// on npm by @ip-location-db/geo-whois-asn-country-mmdb (RIR whois, ASN and geofeed data; the package is CC0, its NRO
// data CC BY 4.0: attribution to nro.net). Read whole into memory once, with mmdb-lib, which wants a Node Buffer:
// hence this file, on the runtime's side of the core (node: specifiers, so Deno and Bun load it too).
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { Reader, type Response } from 'mmdb-lib';
import { ConfigError } from '../shared/config/mod.ts';
import { geoLookupFrom, type GeoLookup } from './core/enrich/mod.ts';

const SHIPPED_PACKAGE = '@ip-location-db/geo-whois-asn-country-mmdb';
const SHIPPED_FILE = 'geo-whois-asn-country.mmdb';

const EXPECTED =
  'a MaxMind-format (.mmdb) country or city database: GeoIP2 or GeoLite2 Country or City, or an ip-location-db ' +
  'country database';

/** Addresses that every country database places somewhere (Google's, Cloudflare's and Quad9's resolvers). */
const PROBES = ['8.8.8.8', '1.1.1.1', '9.9.9.9', '2001:4860:4860::8888'];

function readerOf(db: Uint8Array): Reader<Response> {
  const buffer = Buffer.isBuffer(db) ? db : Buffer.from(db.buffer, db.byteOffset, db.byteLength);
  return new Reader<Response>(buffer);
}

/** A lookup over the bytes of an .mmdb file. Throws when they are not one. */
export function geoLookupOf(db: Uint8Array): GeoLookup {
  const reader = readerOf(db);
  return geoLookupFrom((ip) => reader.get(ip));
}

/**
 * The database at `path` (GEOIP_DB), or the shipped one when there is none; `source` says which, for the start-up
 * log line. A file that cannot be read, is not an .mmdb file, or places none of a few well-known addresses in a
 * country (an ASN or anonymous-IP database, say) is refused, naming the file and what was expected.
 */
export function openGeoDatabase(path: string | undefined): { lookup: GeoLookup; source: string } {
  const given = path !== undefined && path !== '';
  const require = createRequire(import.meta.url);
  let file = path ?? '';
  if (!given) {
    try {
      file = require.resolve(`${SHIPPED_PACKAGE}/${SHIPPED_FILE}`);
    } catch (err) {
      throw new Error(`${SHIPPED_PACKAGE}/${SHIPPED_FILE} is not installed; set GEOIP_DB to an .mmdb file`, {
        cause: err,
      });
    }
  }
  const refuse = (what: string, cause?: unknown): never => {
    const name = given ? `GEOIP_DB=${file}` : file;
    const message = `${name}: ${what}; expected ${EXPECTED}`;
    throw given ? new ConfigError(message, { cause }) : new Error(message, { cause });
  };

  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    return refuse(`cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, err);
  }
  let reader: Reader<Response>;
  try {
    reader = readerOf(bytes);
  } catch (err) {
    return refuse(`is not an .mmdb file (${err instanceof Error ? err.message : String(err)})`, err);
  }
  const lookup = geoLookupFrom((ip) => reader.get(ip));
  const { databaseType, buildEpoch } = reader.metadata;
  if (!PROBES.some((ip) => lookup(ip)?.country)) {
    refuse(`its records give no country for ${PROBES.join(', ')} (database type ${JSON.stringify(databaseType)})`);
  }
  const built = buildEpoch.toISOString().slice(0, 10);
  if (given) return { lookup, source: `${basename(file)} (${databaseType}, built ${built})` };
  const { version } = require(`${SHIPPED_PACKAGE}/package.json`) as { version: string };
  return {
    lookup,
    source: `ip-location-db geo-whois-asn-country ${version} (built ${built}; CC0, NRO data CC BY 4.0)`,
  };
}
