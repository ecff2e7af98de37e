import { UploadGuard } from './upload-guard';

describe('UploadGuard', () => {
  it('lets one upload per user in at a time, and again once it is released', () => {
    const guard = new UploadGuard(4);
    const first = guard.enter('user-1');
    expect(typeof first).toBe('function');
    expect(guard.enter('user-1')).toBe('user');
    expect(typeof guard.enter('user-2')).toBe('function');
    (first as () => void)();
    expect(typeof guard.enter('user-1')).toBe('function');
  });

  it('refuses beyond the uploads the process takes at once, whoever asks', () => {
    const guard = new UploadGuard(2);
    const releases = [guard.enter('a'), guard.enter('b')] as (() => void)[];
    expect(guard.enter('c')).toBe('process');
    releases[0]();
    releases[0](); // releasing twice frees one place, not two
    expect(typeof guard.enter('c')).toBe('function');
    expect(guard.enter('d')).toBe('process');
  });
});
