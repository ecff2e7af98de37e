import { SharedStrings } from './shared-strings';

describe('SharedStrings', () => {
  it('gives back the same text and keeps one copy per distinct text', () => {
    const strings = new SharedStrings();
    const rows = ['Antwerpen', 'Limburg', ['Antw', 'erpen'].join(''), 'Limburg', 'antwerpen'];
    expect(rows.map((text) => strings.of(text))).toEqual(rows);
    expect(strings.size).toBe(3);
  });

  it('passes null through and keeps nothing for it', () => {
    const strings = new SharedStrings();
    expect(strings.of(null)).toBeNull();
    expect(strings.of('')).toBe('');
    expect(strings.size).toBe(1);
  });
});
