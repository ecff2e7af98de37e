import { formatBrussels } from '@ps/kernel';
import type { OutboxState } from './mail-outbox.repository';

export interface DeliveryRecord {
  state: OutboxState;
  attempts: number;
  lastError: string | null;
  sentAt: Date | null;
  nextAttemptAt: Date | null;
}

/** Longest reason shown; the stored error is at most 500 characters. */
const MAX_REASON = 200;

/**
 * The mail server's error in Dutch words, for the outbox page and API. The stored error comes from nodemailer and may
 * quote what the server said; anything that could carry a secret is masked: a password in a URL, an AUTH exchange.
 */
export function failureReason(error: string | null): string | null {
  if (!error) return null;
  const technical = error
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1…@')
    .replace(/\b(AUTH|PLAIN|LOGIN|XOAUTH2?)\s+\S+(\s+\S+)?/gi, '$1 …')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_REASON);
  const code = /\b([45]\d\d)\b/.exec(error)?.[1];
  let words: string;
  if (/ECONNREFUSED/.test(error)) words = 'de mailserver weigert de verbinding';
  else if (/ENOTFOUND|EAI_AGAIN/.test(error)) words = 'de mailserver is onbekend';
  else if (/ETIMEDOUT|timeout/i.test(error)) words = 'de mailserver antwoordt niet op tijd';
  else if (/ECONNRESET|EPIPE|closed/i.test(error)) words = 'de verbinding met de mailserver viel weg';
  else if (/auth|535|534/i.test(error)) words = 'de mailserver aanvaardt de aanmelding van het platform niet';
  else if (/refused by the mail server/.test(error)) words = 'de mailserver weigert de ontvanger';
  else if (code?.startsWith('5')) words = `de mailserver weigert de mail (code ${code})`;
  else if (code?.startsWith('4')) words = `de mailserver stelt de mail tijdelijk uit (code ${code})`;
  else words = 'de mailserver gaf een fout';
  return `${words} (${technical})`;
}

/** A mail's delivery state as the outbox page and API tell it, in plain Dutch, times in Brussels. */
export function deliveryStateText(mail: DeliveryRecord): string {
  const reason = failureReason(mail.lastError);
  const tries = (n: number) => (n === 1 ? '1 poging' : `${n} pogingen`);
  switch (mail.state) {
    case 'outbox':
      return 'enkel in de outbox';
    case 'sent':
      return mail.sentAt ? `verstuurd op ${formatBrussels(mail.sentAt)}` : 'verstuurd';
    case 'failed':
      return `mislukt: ${reason ?? 'de mailserver gaf een fout'}; na ${tries(mail.attempts)} niet meer geprobeerd`;
    case 'waiting': {
      if (mail.attempts === 0 || !reason) return 'wacht';
      const next = mail.nextAttemptAt ? `, volgende poging op ${formatBrussels(mail.nextAttemptAt)}` : '';
      return `wacht: ${tries(mail.attempts)} mislukt: ${reason}${next}`;
    }
  }
}
