import { deliveredText, hasSecretLink, MASKED_LINK_NL, outboxText, secretLink } from './mail';

describe('mail text', () => {
  const link = 'https://plansamenleven.test/wachtwoord-herstellen?token=ps_reset_abc';
  const text = ['Kies een wachtwoord via ', secretLink(link), '\nDe link werkt één keer.'];

  it('delivers the secret link to the recipient', () => {
    expect(deliveredText(text)).toBe(`Kies een wachtwoord via ${link}\nDe link werkt één keer.`);
  });

  it('keeps only a note that a link was sent in the outbox', () => {
    expect(outboxText(text)).toBe(`Kies een wachtwoord via ${MASKED_LINK_NL}\nDe link werkt één keer.`);
    expect(outboxText(text)).not.toContain('ps_reset_abc');
  });

  it('leaves plain text alone', () => {
    const plain = 'Herinnering: https://plansamenleven.test/aanvragen/1/rapporten/interim';
    expect([deliveredText(plain), outboxText(plain), hasSecretLink(plain)]).toEqual([plain, plain, false]);
    expect(hasSecretLink(text)).toBe(true);
    expect(hasSecretLink(['zonder link'])).toBe(false);
  });

  it('refuses to put a secret in the outbox that a plain part repeats', () => {
    expect(() => outboxText(['Uw link: ', secretLink(link), ` (nog eens: ${link})`])).toThrow('A secret link would show in the outbox.');
  });

  it('refuses an empty secret link, which would mask nothing', () => {
    expect(() => outboxText(['Uw link: ', secretLink('')])).toThrow('A secret link would show in the outbox.');
  });

  it('a name that looks like the masking text is just text', () => {
    expect(outboxText([`Beste ${MASKED_LINK_NL},\n`, secretLink(link)])).toBe(`Beste ${MASKED_LINK_NL},\n${MASKED_LINK_NL}`);
  });
});
