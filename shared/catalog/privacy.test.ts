// The record of processing a catalog makes: personal data per type (marked pii, and user_id), why (consent), how long
// (the field's retention, else the row's ttl), and what the collector adds.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { catalogFromSources } from './load.ts';
import { describePrivacy, privacyOf } from './privacy.ts';

const catalog = catalogFromSources([
  {
    file: 'privacy-test.yaml',
    text: `
types:
  - name: Lead
    description: A newsletter lead.
    time: at
    ttl: 1y
    consent: { category: analytics, default: denied }
    enrich: { user_agent: true, bots: drop, ip: hash }
    fields:
      at: { type: datetime }
      user_id: { type: id }
      email: { type: string, pii: true, consent: marketing, retention: 30d }
      plan: { type: string }
  - name: Tick
    description: A heartbeat, about no one.
    time: at
    fields:
      at: { type: datetime }
`,
  },
]);

test('per type: personal fields with their consent and retention, what the collector adds, the rows kept', () => {
  assert.equal(privacyOf(catalog.find('Lead')!), {
    type: 'Lead',
    table: 'lead',
    consent: { category: 'analytics', default: 'denied' },
    personal: [
      { field: 'user_id', consent: 'analytics', kept: '1y', source: 'client' },
      { field: 'email', consent: 'marketing', kept: '30d', source: 'client' },
      { field: 'ip', consent: 'analytics', kept: '1y', source: 'collector' },
    ],
    enrichment: [
      'browser, browser version, OS and device type, from the user agent',
      'whether the sender is a bot (bots not stored)',
      'the address as a keyed hash whose key changes every day',
    ],
    rowsKept: '1y',
  });
  assert.equal(privacyOf(catalog.find('Tick')!), { type: 'Tick', table: 'tick', personal: [], enrichment: [] });
  const text = describePrivacy(catalog);
  assert.match(text, '  personal: email            sent; needs consent marketing; kept 30d');
  assert.match(text, 'Tick (table tick; rows kept until deleted)\n  personal data: none declared');
});

test.run();
