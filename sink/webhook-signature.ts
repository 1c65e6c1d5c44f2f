// Standard Webhooks signatures (standardwebhooks.com), so a receiver can trust what a webhook relay sends: headers
// `webhook-id` (the batch's id: the same on every retry, so it is also the idempotency key), `webhook-timestamp`
// (seconds, fresh on every attempt) and `webhook-signature`: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one
// per key, separated by spaces while a secret is being rotated. Node's crypto computes the HMAC.
import { createHmac } from 'node:crypto';

export function signatureHeaders(
  id: string,
  body: Uint8Array,
  keys: readonly Uint8Array[],
  now = Date.now(),
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  const timestamp = String(Math.floor(now / 1000));
  const signatures = keys.map(
    (key) => `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64')}`,
  );
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signatures.join(' ') };
}
