// The geo database a collector opens: the shipped ip-location-db country database, a file GEOIP_DB names, and the
// files it refuses (missing, not an .mmdb file), each named in the error.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError } from '../shared/config/mod.ts';
import { geoLookupOf, openGeoDatabase } from './geo-database.ts';

const shipped = openGeoDatabase(undefined);
const shippedFile = createRequire(import.meta.url).resolve(
  '@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb',
);

test('the shipped database places well-known public addresses, IPv4 and IPv6', () => {
  const { lookup } = shipped;
  const country = (ip: string) => lookup(ip)?.country;
  assert.is(country('8.8.8.8'), 'US', 'Google Public DNS');
  assert.is(country('2001:4860:4860::8888'), 'US', 'Google Public DNS over IPv6');
  assert.is(country('80.152.0.1'), 'DE', 'Deutsche Telekom');
  assert.is(country('2003:e5:1234::1'), 'DE', 'Deutsche Telekom, 2003::/19');
  assert.is(country('133.0.0.1'), 'JP', 'JPNIC');
  assert.is(country('::ffff:8.8.8.8'), 'US', 'IPv4-mapped');
  assert.equal(lookup('8.8.8.8'), { country: 'US', region: '', city: '' }, 'a country database: no region, no city');
});

test('the shipped database is not asked about addresses that are not public', () => {
  for (const ip of ['10.0.0.1', '127.0.0.1', '192.168.1.1', '100.64.0.1', '203.0.113.7', '::1', 'fe80::1', 'x']) {
    assert.is(shipped.lookup(ip), undefined, ip);
  }
});

test("the source names the shipped package's version", () => {
  const { version } = createRequire(import.meta.url)('@ip-location-db/geo-whois-asn-country-mmdb/package.json') as {
    version: string;
  };
  assert.match(shipped.source, `geo-whois-asn-country ${version}`);
});

test('a file GEOIP_DB names is used; its source is its file name, type and build date', () => {
  const { lookup, source } = openGeoDatabase(shippedFile);
  assert.is(lookup('8.8.8.8')?.country, 'US');
  assert.match(source, /^geo-whois-asn-country\.mmdb \(.+, built \d{4}-\d{2}-\d{2}\)$/);
});

test('geoLookupOf takes the bytes as a plain Uint8Array too', () => {
  const bytes = new Uint8Array(readFileSync(shippedFile));
  assert.is(geoLookupOf(bytes)('8.8.8.8')?.country, 'US');
});

test('a missing file, and one that is not an .mmdb file, are refused, naming the file and what was expected', () => {
  const dir = mkdtempSync(join(tmpdir(), 'geo-database-'));
  try {
    const missing = join(dir, 'GeoLite2-City.mmdb');
    const notMmdb = join(dir, 'not.mmdb');
    writeFileSync(notMmdb, 'just some text, not a database\n');
    for (const [file, what] of [
      [missing, /cannot be read \(ENOENT\)/],
      [notMmdb, /is not an \.mmdb file/],
      [dir, /cannot be read \(EISDIR\)/],
    ] as const) {
      try {
        openGeoDatabase(file);
        assert.unreachable(`${file} was opened`);
      } catch (err) {
        assert.instance(err, ConfigError);
        const { message } = err as Error;
        assert.ok(message.startsWith(`GEOIP_DB=${file}: `), message);
        assert.match(message, what);
        assert.match(message, /expected a MaxMind-format \(\.mmdb\) country or city database/);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
