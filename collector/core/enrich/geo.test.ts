// Places from geo database records of both shapes (ip-location-db, MaxMind), and the lookup around a record getter.
// The lookup over a real .mmdb file is tested in ../../geo-database.test.ts; a MaxMind City database cannot be had
// here (GeoLite2 needs an account, and nothing installed writes .mmdb files), so its record shape is tested here.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { geoLookupFrom, placeOf } from './geo.ts';

test('an ip-location-db country record', () => {
  assert.equal(placeOf({ country_code: 'DE' }), { country: 'DE', region: '', city: '' });
});

test('an ip-location-db city record: its city name; its state is a name, not a code, and is left out', () => {
  assert.equal(placeOf({ country_code: 'DE', state1: 'Bavaria', city: 'Munich', latitude: 48.1, longitude: 11.6 }), {
    country: 'DE',
    region: '',
    city: 'Munich',
  });
});

/** What GeoLite2-City gives for a Munich address (trimmed: more names, location, postal, continent). */
const MUNICH = {
  city: { geoname_id: 2867714, names: { de: 'München', en: 'Munich', fr: 'Munich' } },
  continent: { code: 'EU', geoname_id: 6255148, names: { en: 'Europe' } },
  country: { geoname_id: 2921044, is_in_european_union: true, iso_code: 'DE', names: { en: 'Germany' } },
  location: { accuracy_radius: 20, latitude: 48.1663, longitude: 11.5683, time_zone: 'Europe/Berlin' },
  postal: { code: '80331' },
  registered_country: { geoname_id: 2921044, is_in_european_union: true, iso_code: 'DE', names: { en: 'Germany' } },
  subdivisions: [
    { geoname_id: 2951839, iso_code: 'BY', names: { de: 'Bayern', en: 'Bavaria' } },
    { geoname_id: 3220837, iso_code: 'UKN', names: { en: 'Upper Bavaria' } },
  ],
};

test('a MaxMind City record: country, the first subdivision, the English city name', () => {
  assert.equal(placeOf(MUNICH), { country: 'DE', region: 'BY', city: 'Munich' });
});

test('a MaxMind Country record', () => {
  const { continent, country, registered_country } = MUNICH;
  assert.equal(placeOf({ continent, country, registered_country }), { country: 'DE', region: '', city: '' });
});

test('a MaxMind record without a country falls back to the registered country; missing parts are empty', () => {
  assert.equal(placeOf({ registered_country: { iso_code: 'US' } }), { country: 'US', region: '', city: '' });
  assert.equal(placeOf({ country: { iso_code: 'FR' }, subdivisions: [], city: { names: { fr: 'Paris' } } }), {
    country: 'FR',
    region: '',
    city: '',
  });
});

test('records with no place in them, and what is not a record, give none', () => {
  for (const record of [null, undefined, 'DE', 42, {}, { autonomous_system_number: 15169 }, { country: 'DE' }]) {
    assert.is(placeOf(record), undefined, JSON.stringify(record));
  }
});

test('the lookup: only public addresses reach the database; a mapped IPv4 address is asked as IPv4', () => {
  const asked: string[] = [];
  const lookup = geoLookupFrom((ip) => {
    asked.push(ip);
    return ip.startsWith('8.') ? { country_code: 'US' } : null;
  });
  assert.equal(lookup('8.8.8.8'), { country: 'US', region: '', city: '' });
  assert.equal(lookup('::ffff:8.8.4.4'), { country: 'US', region: '', city: '' });
  assert.is(lookup('9.9.9.9'), undefined);
  for (const ip of ['10.0.0.1', '127.0.0.1', '::1', '192.168.0.1', '203.0.113.7', 'fd00::1', 'garbage', '']) {
    assert.is(lookup(ip), undefined, ip);
  }
  assert.equal(asked, ['8.8.8.8', '8.8.4.4', '9.9.9.9']);
});

test('places are cached by address and shared, frozen; an address the database does not know is cached too', () => {
  const asked: string[] = [];
  const lookup = geoLookupFrom((ip) => {
    asked.push(ip);
    return ip === '8.8.8.8' ? { country: { iso_code: 'US' } } : null;
  });
  const first = lookup('8.8.8.8');
  assert.is(lookup('8.8.8.8'), first);
  assert.ok(Object.isFrozen(first));
  assert.is(lookup('9.9.9.9'), undefined);
  assert.is(lookup('9.9.9.9'), undefined);
  assert.equal(asked, ['8.8.8.8', '9.9.9.9']);
  // Past the point where the cache starts again: asked again, the same answer.
  for (let i = 0; i < 5_000; i++) lookup(`11.${i >> 8}.${i & 255}.1`);
  assert.equal(lookup('8.8.8.8'), { country: 'US', region: '', city: '' });
  assert.is(asked.filter((ip) => ip === '8.8.8.8').length, 2);
});

test('a getter that throws is a place unknown', () => {
  const lookup = geoLookupFrom(() => {
    throw new Error('bad address');
  });
  assert.is(lookup('8.8.8.8'), undefined);
});

test.run();
