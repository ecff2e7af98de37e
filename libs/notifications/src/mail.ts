/** A one-time link (password reset, a new account's welcome): it belongs in the recipient's mailbox and nowhere else. */
export interface SecretLink {
  secretLink: string;
}

/** A mail's text: plain text, or parts of which some are secret links. */
export type MailText = string | readonly (string | SecretLink)[];

/** Someone a mail goes to; with a user id, the mail is also a message in their "Berichten". */
export interface Recipient {
  email: string;
  userId: number | null;
}

/** One message to one or more recipients, in plain text; each recipient gets their own copy. */
export interface OutgoingMail {
  to: (string | Recipient)[];
  subject: string;
  text: MailText;
  /** The event this mail tells of (e.g. `submission-received:12:3`): one mail per event and recipient. */
  eventKey?: string;
  /** The page of the platform the mail is about (a path), linked from "Berichten". */
  link?: string;
}

export const recipientOf = (to: string | Recipient): Recipient => (typeof to === 'string' ? { email: to, userId: null } : to);

/** What the outbox (page and API) shows instead of a secret link. */
export const MASKED_LINK_NL = '[link naar de ontvanger verstuurd; niet zichtbaar in de uitgaande mail]';

export const secretLink = (url: string): SecretLink => ({ secretLink: url });

const isSecret = (part: string | SecretLink): part is SecretLink => typeof part !== 'string';

/** Whether the mail carries a secret link. */
export function hasSecretLink(text: MailText): boolean {
  return typeof text !== 'string' && text.some(isSecret);
}

/** The text the recipient gets: every secret link in place. */
export function deliveredText(text: MailText): string {
  return typeof text === 'string' ? text : text.map((part) => (isSecret(part) ? part.secretLink : part)).join('');
}

/**
 * The text the outbox keeps: every secret link replaced by MASKED_LINK_NL. Throws when a secret still shows, for
 * instance because a caller also wrote it into a plain part.
 */
export function outboxText(text: MailText): string {
  if (typeof text === 'string') return text;
  const masked = text.map((part) => (isSecret(part) ? MASKED_LINK_NL : part)).join('');
  for (const part of text.filter(isSecret)) {
    if (part.secretLink.length === 0 || masked.includes(part.secretLink)) throw new Error('A secret link would show in the outbox.');
  }
  return masked;
}
