// Every read carries its limits in its own SETTINGS clause (never as session settings the embedded engine would keep).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_READ_LIMITS, limitedQuery } from './select.ts';

test('the limits end the query, whole numbers', () => {
  assert.is(
    limitedQuery('SELECT 1\nLIMIT {limit:UInt32}\n', { seconds: 2.5, memoryBytes: 1e6 }),
    'SELECT 1\nLIMIT {limit:UInt32}\nSETTINGS readonly = 2, max_execution_time = 2, max_memory_usage = 1000000',
  );
  assert.match(
    limitedQuery('SELECT 1', DEFAULT_READ_LIMITS),
    /max_execution_time = 30, max_memory_usage = 1073741824$/,
  );
});

test.run();
