import { TierlabError } from '../errors.ts';

/** Seqs per page: 65,536, so a page's bitmap is 8 KiB and an offset in it fits in 16 bits. */
const pageSeqs = 1 << 16;
const wordsPerPage = pageSeqs / 32;
/** A page this close to full is kept as the sorted list of the seqs it lacks (at most 2 KiB) instead of its bitmap. */
const fewMissing = 1_024;

/** A page still filling: one bit per seq. */
interface BitmapPage {
  bits: Uint32Array;
  count: number;
}
/** A page nearly full: the offsets not seen yet, sorted, in `missing[0..length)`. */
interface SparsePage {
  missing: Uint16Array;
  length: number;
}
/** Every seq of the page seen: nothing is kept for it. */
const fullPage = 'full';
type Page = BitmapPage | SparsePage | typeof fullPage;

/**
 * The seqs seen so far, for counting an event once and its replays as duplicates, exactly.
 * Seqs are dense integers from 0 (the generator's position), and a tier makes them visible
 * roughly in order, so they are kept in pages of 65,536: a page filling is a bitmap (1 bit a
 * seq); a page lacking at most 1,024 is the list of what it lacks (a malformed record's seq is
 * never visible, so most pages never fill: 0.1% malformed leaves about 65 gaps, 130 bytes);
 * a full page is a marker. A `Set<number>` took tens of bytes an event and stops at V8's limit of
 * 2^24 entries, about 14 minutes at 20,000 events/s.
 */
export class SeenSeqs {
  readonly #pages = new Map<number, Page>();
  #size = 0;

  /** How many distinct seqs have been seen. */
  get size(): number {
    return this.#size;
  }

  /** Marks `seq` seen; true when it is new, false when it had been seen before (a duplicate). */
  add(seq: number): boolean {
    if (!Number.isSafeInteger(seq) || seq < 0) {
      throw new TierlabError('BAD_INPUT', `an event's seq must be a whole number >= 0 (got ${seq})`, { details: { seq } });
    }
    const index = Math.floor(seq / pageSeqs);
    const offset = seq - index * pageSeqs;
    const page = this.#pages.get(index);
    if (page === fullPage) return false;
    if (page === undefined) {
      const fresh: BitmapPage = { bits: new Uint32Array(wordsPerPage), count: 0 };
      this.#pages.set(index, fresh);
      return this.#addToBitmap(index, fresh, offset);
    }
    return 'bits' in page ? this.#addToBitmap(index, page, offset) : this.#addToSparse(index, page, offset);
  }

  #addToBitmap(index: number, page: BitmapPage, offset: number): boolean {
    const word = offset >>> 5;
    const mask = 1 << (offset & 31);
    if ((page.bits[word]! & mask) !== 0) return false;
    page.bits[word]! |= mask;
    page.count++;
    this.#size++;
    if (page.count === pageSeqs) this.#pages.set(index, fullPage);
    else if (pageSeqs - page.count <= fewMissing) this.#pages.set(index, sparseOf(page));
    return true;
  }

  #addToSparse(index: number, page: SparsePage, offset: number): boolean {
    const at = indexOf(page.missing, page.length, offset);
    if (at < 0) return false;
    page.missing.copyWithin(at, at + 1, page.length);
    page.length--;
    this.#size++;
    if (page.length === 0) this.#pages.set(index, fullPage);
    // Made with room for 1,024; once few are left (the gaps that never fill), kept at their size.
    else if (page.length * 4 <= page.missing.length) page.missing = page.missing.slice(0, page.length);
    return true;
  }
}

function sparseOf(page: BitmapPage): SparsePage {
  const missing = new Uint16Array(pageSeqs - page.count);
  let length = 0;
  for (let word = 0; word < wordsPerPage; word++) {
    const bits = page.bits[word]!;
    if (bits === 0xffffffff) continue;
    for (let bit = 0; bit < 32; bit++) if ((bits & (1 << bit)) === 0) missing[length++] = word * 32 + bit;
  }
  return { missing, length };
}

/** Binary search in the sorted `values[0..length)`: the index of `value`, or -1. */
function indexOf(values: Uint16Array, length: number, value: number): number {
  let low = 0;
  let high = length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const found = values[middle]!;
    if (found === value) return middle;
    if (found < value) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}
