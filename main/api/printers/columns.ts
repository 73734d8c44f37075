// Printer-column pieces kind definitions share: the Age column and string columns read from a path.
import type { PrinterColumn } from '../registry';
import type { KubeObject } from '../types';
import { age } from './duration';

/** The value at a dotted path (`spec.hardware.cpus`), undefined where the path ends early. */
const at = (o: KubeObject, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);

/** The Age column; `type` as the table's column definitions name it (a CRD's creationTimestamp is 'date'). */
export const ageColumn = (type: 'string' | 'date' = 'string'): PrinterColumn => ({
  name: 'Age',
  type,
  value: (o, c) => age(o.metadata.creationTimestamp, c.now),
});

/** Makes string columns `(name, path, priority)` showing the value at `path` as `format` writes it. */
export const pathColumns =
  (format: (v: unknown) => string | null) =>
  (name: string, path: string, priority = 0): PrinterColumn => ({
    name,
    type: 'string',
    priority,
    value: (o) => format(at(o, path)),
  });
