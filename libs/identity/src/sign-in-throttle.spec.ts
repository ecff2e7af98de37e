import {
  attemptsInWindow,
  countedAttempt,
  decideAttempt,
  GLOBAL_POLICY,
  secondsToWait,
  SOURCE_POLICY,
  sourceKey,
  ThrottleCount,
  throttledMessage,
  waitInDutch,
} from './sign-in-throttle';

const start = new Date('2026-12-01T09:00:00Z');
const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);

/** The count after n attempts, one a second from the start. */
function after(n: number, policy = SOURCE_POLICY): ThrottleCount | null {
  let count: ThrottleCount | null = null;
  for (let i = 0; i < n; i++) count = countedAttempt(count, policy, at(i));
  return count;
}

describe('sign-in throttle', () => {
  describe('counting', () => {
    it('starts a window at the first attempt and counts on within it', () => {
      expect(countedAttempt(null, SOURCE_POLICY, start)).toEqual({ attempts: 1, windowStartedAt: start, lastAttemptAt: start });
      expect(after(3)).toEqual({ attempts: 3, windowStartedAt: start, lastAttemptAt: at(2) });
    });

    it('starts afresh once the window has passed', () => {
      const late = at(SOURCE_POLICY.windowMinutes * 60);
      expect(attemptsInWindow(after(25), SOURCE_POLICY, late)).toBe(0);
      expect(countedAttempt(after(25), SOURCE_POLICY, late)).toEqual({ attempts: 1, windowStartedAt: late, lastAttemptAt: late });
      expect(attemptsInWindow(after(25), SOURCE_POLICY, at(SOURCE_POLICY.windowMinutes * 60 - 1))).toBe(25);
    });
  });

  describe('per source', () => {
    it('lets the free attempts through without waiting', () => {
      for (let n = 0; n < SOURCE_POLICY.freeAttempts; n++) expect(decideAttempt(after(n), null, at(n))).toEqual({ allowed: true });
    });

    it('makes the next attempt wait 30 s after the last one once the free attempts are used', () => {
      const count = after(SOURCE_POLICY.freeAttempts)!;
      const last = SOURCE_POLICY.freeAttempts - 1;
      expect(decideAttempt(count, null, at(last))).toEqual({ allowed: false, scope: 'source', retryAfterSeconds: 30 });
      expect(decideAttempt(count, null, at(last + 29.5))).toEqual({ allowed: false, scope: 'source', retryAfterSeconds: 1 });
      expect(decideAttempt(count, null, at(last + 30))).toEqual({ allowed: true });
    });

    it('doubles the wait with every further attempt, up to 15 minutes', () => {
      const waits = [0, 1, 2, 3, 4, 5, 6, 10].map((extra) => {
        const count = { attempts: SOURCE_POLICY.freeAttempts + extra, windowStartedAt: start, lastAttemptAt: start };
        return secondsToWait(count, SOURCE_POLICY, start);
      });
      expect(waits).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
    });

    it('ends the wait when the window ends', () => {
      const count = { attempts: 40, windowStartedAt: start, lastAttemptAt: at(SOURCE_POLICY.windowMinutes * 60 - 10) };
      expect(secondsToWait(count, SOURCE_POLICY, at(SOURCE_POLICY.windowMinutes * 60 - 5))).toBe(895);
      expect(secondsToWait(count, SOURCE_POLICY, at(SOURCE_POLICY.windowMinutes * 60))).toBe(0);
    });
  });

  describe('overall', () => {
    it('lets every source wait once the ceiling is reached, growing to at most a minute', () => {
      const global = { attempts: GLOBAL_POLICY.freeAttempts, windowStartedAt: start, lastAttemptAt: at(100) };
      expect(decideAttempt(null, global, at(100))).toEqual({ allowed: false, scope: 'global', retryAfterSeconds: 2 });
      expect(decideAttempt(null, global, at(102))).toEqual({ allowed: true });
      const far = { ...global, attempts: GLOBAL_POLICY.freeAttempts + 20 };
      expect(decideAttempt(null, far, at(100))).toEqual({ allowed: false, scope: 'global', retryAfterSeconds: 60 });
      expect(decideAttempt(null, { ...global, attempts: GLOBAL_POLICY.freeAttempts - 1 }, at(100))).toEqual({ allowed: true });
    });

    it('answers the longer wait when both scopes say wait', () => {
      const source = { attempts: SOURCE_POLICY.freeAttempts, windowStartedAt: start, lastAttemptAt: start };
      const global = { attempts: GLOBAL_POLICY.freeAttempts + 10, windowStartedAt: start, lastAttemptAt: start };
      expect(decideAttempt(source, global, start)).toEqual({ allowed: false, scope: 'global', retryAfterSeconds: 60 });
      expect(decideAttempt({ ...source, attempts: SOURCE_POLICY.freeAttempts + 2 }, global, start)).toEqual({
        allowed: false,
        scope: 'source',
        retryAfterSeconds: 120,
      });
    });
  });

  describe('source keys', () => {
    it('keeps IPv4 addresses, also as Node shows them on a dual-stack socket', () => {
      expect(sourceKey('203.0.113.7')).toBe('203.0.113.7');
      expect(sourceKey('::ffff:127.0.0.1')).toBe('127.0.0.1');
    });

    it('counts an IPv6 address by its /64', () => {
      expect(sourceKey('2001:db8:0:1:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:0:1::/64');
      expect(sourceKey('2001:0DB8:0000:0001::1')).toBe('2001:db8:0:1::/64');
      expect(sourceKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
      expect(sourceKey('::1')).toBe('0:0:0:0::/64');
      expect(sourceKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    });

    it('has a key when Express knows no address', () => {
      expect(sourceKey(undefined)).toBe('unknown');
      expect(sourceKey('')).toBe('unknown');
    });
  });

  describe('messages', () => {
    it('says how long to wait in Dutch', () => {
      expect([1, 30, 60, 61, 120, 900].map(waitInDutch)).toEqual(['1 seconde', '30 seconden', '1 minuut', '2 minuten', '2 minuten', '15 minuten']);
      expect(throttledMessage('source', 30)).toBe('Er zijn te veel mislukte pogingen gedaan vanaf uw netwerk. Wacht 30 seconden en probeer het dan opnieuw.');
      expect(throttledMessage('global', 60)).toBe(
        'Er zijn op dit moment te veel mislukte aanmeldpogingen op het platform. Wacht 1 minuut en probeer het dan opnieuw.',
      );
    });
  });
});
