import { deliveryStateText, failureReason } from './delivery-state';

describe('deliveryStateText', () => {
  const base = { attempts: 0, lastError: null, sentAt: null, nextAttemptAt: null };

  it('names each state in Dutch, times in Brussels', () => {
    expect(deliveryStateText({ ...base, state: 'outbox' })).toBe('enkel in de outbox');
    expect(deliveryStateText({ ...base, state: 'waiting' })).toBe('wacht');
    // 14:05 UTC in summer is 16:05 in Brussels.
    expect(deliveryStateText({ ...base, state: 'sent', attempts: 1, sentAt: new Date('2026-06-01T14:05:00Z') })).toBe('verstuurd op 1 juni 2026 16:05');
  });

  it('a failure gives the reason and the number of attempts', () => {
    expect(deliveryStateText({ ...base, state: 'failed', attempts: 8, lastError: 'connect ECONNREFUSED 127.0.0.1:1' })).toBe(
      'mislukt: de mailserver weigert de verbinding (connect ECONNREFUSED 127.0.0.1:1); na 8 pogingen niet meer geprobeerd',
    );
    expect(deliveryStateText({ ...base, state: 'failed', attempts: 1, lastError: "Can't send mail - all recipients were rejected: 550 5.1.1 unknown" })).toBe(
      "mislukt: de mailserver weigert de mail (code 550) (Can't send mail - all recipients were rejected: 550 5.1.1 unknown); na 1 poging niet meer geprobeerd",
    );
  });

  it('a mail that waits for its next attempt says what went wrong and when it is tried again', () => {
    expect(
      deliveryStateText({
        ...base,
        state: 'waiting',
        attempts: 2,
        lastError: '451 4.3.0 Try again later',
        nextAttemptAt: new Date('2026-01-10T08:30:00Z'),
      }),
    ).toBe(
      'wacht: 2 pogingen mislukt: de mailserver stelt de mail tijdelijk uit (code 451) (451 4.3.0 Try again later), volgende poging op 10 januari 2026 09:30',
    );
  });
});

describe('failureReason', () => {
  it('masks what could carry a secret', () => {
    const reason = failureReason('Invalid login: 535 5.7.8 rejected for smtp://platform:geheim-wachtwoord@mail.test:587 AUTH PLAIN cGxhdGZvcm0AZ2VoZWlt')!;
    expect(reason).toMatch(/^de mailserver aanvaardt de aanmelding van het platform niet \(/);
    expect(reason).not.toContain('geheim');
    expect(reason).not.toContain('cGxhdGZvcm0AZ2VoZWlt');
    expect(reason).toContain('smtp://…@mail.test:587');
  });

  it('names the common failures in words and keeps the text short', () => {
    expect(failureReason(null)).toBeNull();
    expect(failureReason('getaddrinfo ENOTFOUND mail.invalid')).toMatch(/^de mailserver is onbekend/);
    expect(failureReason('Greeting never received (ETIMEDOUT)')).toMatch(/^de mailserver antwoordt niet op tijd/);
    expect(failureReason('Connection closed unexpectedly')).toMatch(/^de verbinding met de mailserver viel weg/);
    expect(failureReason('something odd')).toBe('de mailserver gaf een fout (something odd)');
    expect(failureReason('x'.repeat(500))!.length).toBeLessThan(250);
  });
});
