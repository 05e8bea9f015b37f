import type { DatasetProfile } from '../events/index.ts';
import type { SwampCount } from '../results/lakehouse.ts';

/** The event's own top-level fields (src/events/codec.ts); `attrs` holds the dataset's attributes. */
const eventFields = new Set(['seq', 'key', 'eventTimeMicros', 'amountCents', 'attrs']);

/**
 * Counts a data swamp's signs in the raw zone's lines, as a lake's reader meets them: fields that
 * no dataset documents (a producer's new or renamed field), events landed twice, lines that are
 * not an object at all, and files no catalog describes. Fed line by line, so a large zone is
 * never held whole.
 */
export class SwampCounter {
  readonly #attributes: Set<string>;
  readonly #undocumented = new Map<string, number>();
  readonly #seen = new Set<number>();
  #duplicates = 0;
  #unparseable = 0;
  #files = 0;

  constructor(profile: Pick<DatasetProfile, 'attributes'>) {
    this.#attributes = new Set(profile.attributes.map((attribute) => attribute.name));
  }

  /** One raw object: an NDJSON file with no schema beside it. */
  addFile(): void {
    this.#files++;
  }

  addLine(line: string): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.#unparseable++;
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.#unparseable++;
      return;
    }
    const record = value as Record<string, unknown>;
    const fields = new Set<string>();
    for (const name of Object.keys(record)) if (!eventFields.has(name)) fields.add(name);
    const attrs = record.attrs;
    if (attrs !== null && typeof attrs === 'object' && !Array.isArray(attrs)) {
      for (const name of Object.keys(attrs)) if (!this.#attributes.has(name)) fields.add(`attrs.${name}`);
    }
    for (const field of fields) this.#undocumented.set(field, (this.#undocumented.get(field) ?? 0) + 1);
    if (typeof record.seq === 'number') {
      if (this.#seen.has(record.seq)) this.#duplicates++;
      else this.#seen.add(record.seq);
    }
  }

  count(): SwampCount {
    return {
      undocumentedFields: [...this.#undocumented].map(([field, lines]) => ({ field, lines })).sort((a, b) => b.lines - a.lines || a.field.localeCompare(b.field)),
      duplicateLines: this.#duplicates,
      unparseableLines: this.#unparseable,
      filesWithoutSchema: this.#files,
    };
  }
}
