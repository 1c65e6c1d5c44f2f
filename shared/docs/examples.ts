// Example events made from the catalog itself: for each field kind, a value its schema accepts, varied by a counter
// `n`. The load generator draws its event mix from them, and the console can show them as example payloads.
import type { EventType, FieldSpec, ScalarSpec } from '../mod.ts';

const pick = <T>(values: readonly T[], n: number) => values[n % values.length]!;

function scalar(spec: ScalarSpec, n: number, now: number): unknown {
  switch (spec.type) {
    case 'string': {
      const text = `v${n % 97}`.padEnd(spec.min_length ?? 1, 'x');
      return text.slice(0, spec.max_length ?? 1024);
    }
    case 'id':
      return `u${n % 1000}`;
    case 'int': {
      const min = spec.min ?? 0;
      const max = spec.max ?? min + 10_000;
      return min + (n % (max - min + 1));
    }
    case 'float': {
      const min = spec.min ?? 0;
      const max = spec.max ?? min + 1000;
      return Math.round((min + (((n * 37) % 1000) / 1000) * (max - min)) * 1000) / 1000;
    }
    case 'bool':
      return n % 2 === 0;
    case 'datetime':
      return new Date(now).toISOString();
    case 'date':
      return new Date(now).toISOString().slice(0, 10);
    case 'uuid': {
      const hex = ((n * 2654435761) >>> 0).toString(16).padStart(8, '0');
      return `${hex}-0000-4000-8000-${hex}${hex.slice(0, 4)}`;
    }
    case 'enum':
      return pick(spec.values, n);
  }
}

function value(spec: FieldSpec, n: number, now: number): unknown {
  if (spec.type === 'json') return { n };
  if (spec.type === 'array')
    return Array.from({ length: Math.min(2, spec.max_items ?? 2) }, (_, i) => scalar(spec.items, n + i, now));
  return scalar(spec, n, now);
}

/** An event of `type` that its schema accepts, named by its `event` field; optional fields every other time. */
export function exampleEvent(type: EventType, n = 0, now = Date.now()): Record<string, unknown> {
  const event: Record<string, unknown> = 'event' in type.fields ? {} : { event: type.name };
  for (const [name, spec] of Object.entries(type.spec.fields)) {
    const optional = spec.optional || spec.nullable || spec.default !== undefined;
    if (optional && n % 2 === 1) continue;
    event[name] = value(spec, n, now);
  }
  if ('event' in type.fields && typeof event.event === 'string') event.event = `example_${n % 5}`;
  return event;
}
