import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  rcptTo: string[];
  headers: Record<string, string>;
  subject: string;
  text: string;
}

export interface TestSmtpServer {
  port: number;
  /** The platform's SMTP_URL for this server. */
  url: string;
  received: ReceivedMail[];
  /** While true, MAIL FROM is answered with 451 (try again later). */
  refuse: boolean;
  /** Answers each message only after this many milliseconds: a slow mail server. */
  delayMs: number;
  /** The latest message to this address; fails the test when none came. */
  latestTo(address: string): ReceivedMail;
  /** The one-time link (welcome or password reset) in the latest message to this address, as a path with its token. */
  linkTo(address: string): { path: string; token: string };
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1 (a free port), no TLS, no authentication, keeping every message it accepts. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const state: TestSmtpServer = {
    port: 0,
    url: '',
    received: [],
    refuse: false,
    delayMs: 0,
    latestTo(address) {
      const mail = [...state.received].reverse().find((m) => m.rcptTo.includes(address.toLowerCase()) || m.rcptTo.includes(address));
      if (!mail) throw new Error(`no mail to ${address} reached the SMTP server`);
      return mail;
    },
    linkTo(address) {
      const text = state.latestTo(address).text;
      const found = /https?:\/\/[^/\s]+(\/wachtwoord-herstellen\?token=([\w-]+))/.exec(text);
      if (!found) throw new Error(`the latest mail to ${address} has no link:\n${text}`);
      return { path: found[1], token: found[2] };
    },
    close: async () => undefined,
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (!state.refuse) return callback();
      callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        state.received.push({
          ...parseMessage(Buffer.concat(chunks).toString('utf8')),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
        });
        setTimeout(callback, state.delayMs);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.server.address() as AddressInfo).port;
  state.url = `smtp://127.0.0.1:${state.port}`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

/** Just enough MIME for a single-part text mail: unfolded headers, encoded words in the subject, QP or base64 body. */
function parseMessage(raw: string): Omit<ReceivedMail, 'from' | 'rcptTo'> {
  const split = raw.indexOf('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of raw
    .slice(0, split)
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = raw.slice(split + 4);
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const text =
    encoding === 'base64'
      ? Buffer.from(body, 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(body.replace(/=\r\n/g, ''))
        : body;
  const subject = (headers.subject ?? '').replace(/=\?utf-8\?([qb])\?([^?]*)\?=\s*/gi, (_m, kind: string, word: string) =>
    kind.toLowerCase() === 'b' ? Buffer.from(word, 'base64').toString('utf8') : decodeQuotedPrintable(word.replace(/_/g, ' ')),
  );
  return { headers, subject, text: text.replace(/\r\n/g, '\n') };
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(text[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}
