// The events the task reports (solve ratio, task funnel; seed 000) read: the catalog's fallback type — the generic
// events, with `event` (view, start_task, finish_task) and `user_id`.
import type { Catalog, EventType } from '../../shared/mod.ts';
import { ReaderError } from '../errors/mod.ts';

/** The fallback type, or a ReaderError (501) when the catalog has none with event and user_id. */
export function taskEvents(catalog: Catalog): EventType {
  const type = catalog.fallback;
  if (!type || !('event' in type.fields) || !('user_id' in type.fields)) {
    const reason = 'the catalog has no fallback type with event and user_id';
    throw new ReaderError('not-supported', 'report unavailable', { reason });
  }
  return type;
}
