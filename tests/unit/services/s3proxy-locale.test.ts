import { describe, expect, it } from 'vitest';
import { utf8Locale } from '../../../src/services/native/s3proxy.ts';

describe("S3Proxy's locale", () => {
  it('keeps a UTF-8 locale the environment names, and gives C.UTF-8 where it names none or another', () => {
    expect(utf8Locale({ LANG: 'en_GB.UTF-8', PATH: '/bin' })).toEqual({ LANG: 'en_GB.UTF-8', PATH: '/bin' });
    expect(utf8Locale({ LC_ALL: 'C.utf8' })).toEqual({ LC_ALL: 'C.utf8' });
    expect(utf8Locale({ PATH: '/bin' })).toEqual({ PATH: '/bin', LC_ALL: 'C.UTF-8' });
    // LC_ALL wins over LANG, as in glibc.
    expect(utf8Locale({ LC_ALL: 'POSIX', LANG: 'C.UTF-8' })).toEqual({ LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' });
  });
});
