import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newClusterId } from '../../../src/services/native/kafka.ts';

describe('the KRaft cluster id', () => {
  it("is drawn again when it would start with '-', which the storage tool reads as a flag (issue 19)", () => {
    // 0xF8: the first six bits are 62, base64url's '-'.
    const draws = [Buffer.concat([Buffer.from([0xf8]), Buffer.alloc(15, 1)]), Buffer.alloc(16, 7)];
    let drawn = 0;
    const id = newClusterId(() => draws[drawn++]!);
    expect(draws[0]!.toString('base64url')).toMatch(/^-/);
    expect(drawn).toBe(2);
    expect(id).toBe(Buffer.alloc(16, 7).toString('base64url'));
  });

  it('is a 22-character base64url UUID that never starts with a dash, over many draws', () => {
    for (let i = 0; i < 5_000; i++) {
      const id = newClusterId();
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    }
    // Without the redraw about one in 64 would start with '-': 5,000 draws would meet ~78 of them.
    expect(Array.from({ length: 5_000 }, () => randomBytes(16).toString('base64url')).some((id) => id.startsWith('-'))).toBe(true);
  });
});
