// Parquet round trip for every field kind of the catalog (test/support/catalogs: DeviceReport has them all), and the
// object names and sequence ranges a redelivered message is checked against.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadCatalogFiles } from '../shared/node/mod.ts';
import { decodeRanges, encodeRanges, hourFolderAt, objectKey, parseKey } from './layout.ts';
import { parquetFooter, readParquet, SEQUENCES_KEY, writeParquet } from './parquet.ts';

const catalog = loadCatalogFiles('test/support/catalogs/signup-v1.yaml');

test('rows of every field kind come back as the stream held them, nulls included', async () => {
  const type = catalog.byKey('device_report')!;
  const rows = [
    {
      event_id: 'e1',
      at: '2024-06-01 12:00:00',
      device_id: '0190f5a0-0000-7000-8000-000000000001',
      day: '2024-05-31',
      online: 1,
      battery: 0.5,
      readings: [1, 2, 3],
      tags: ['a', 'c'],
      meta: '{"fw":"1.2"}',
      label: 'kitchen',
      owner: 'u1',
      extra: '{"x":1}',
      received_at: '2024-06-01 12:00:01.234',
      catalog_version: 3,
    },
    {
      event_id: 'e2',
      at: '2024-06-01 13:00:00',
      device_id: '0190f5a0-0000-7000-8000-000000000002',
      day: '2024-06-01',
      online: 0,
      battery: 1,
      readings: [],
      tags: [],
      meta: '{}',
      label: '',
      owner: null,
      extra: '{}',
      received_at: '2024-06-01 13:00:00.000',
      catalog_version: 3,
    },
  ];
  const bytes = writeParquet(type, rows, { [SEQUENCES_KEY]: '7-8' });
  assert.equal(await readParquet(type, bytes), rows);
  const footer = await parquetFooter(bytes.byteLength, async (start, end) => bytes.slice(start, end));
  assert.equal(footer, { rows: 2, meta: { [SEQUENCES_KEY]: '7-8' } });
});

test('object names: by table and hour of receipt, parsed back; sequences as ranges', () => {
  const folder = hourFolderAt('page_visit', Date.parse('2024-06-01T13:59:59.999Z'));
  assert.is(folder, 'type=page_visit/date=2024-06-01/hour=13/');
  const key = objectKey(folder, 1200, 1467);
  assert.is(key, 'type=page_visit/date=2024-06-01/hour=13/000000001200-000000001467.parquet');
  assert.equal(parseKey(`prefix/${key}`), {
    table: 'page_visit',
    date: '2024-06-01',
    hour: '13',
    first: 1200,
    last: 1467,
  });
  assert.is(parseKey('type=x/notes.txt'), undefined);
  const ranges = encodeRanges([3, 4, 5, 9, 11, 12]);
  assert.is(ranges, '3-5,9,11-12');
  const has = decodeRanges(ranges);
  assert.equal([2, 3, 5, 6, 9, 10, 12, 13].map(has), [false, true, true, false, true, false, true, false]);
});

test.run();
