// A real SMTP server for the benchmarks and the fault suite. The welcome mail of a new account carries the link to
// choose a password, which the outbox never shows (docs/security.md, "The outbox shows no secrets"): the set-up reads it
// here, as the new user would in their mailbox.
const { SMTPServer } = require('smtp-server');

let started;

/** The one-time token in a raw message: quoted-printable or base64 bodies decoded first. */
function tokenIn(raw) {
  const split = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, split).toLowerCase();
  let body = raw.slice(split + 4);
  if (/content-transfer-encoding:\s*base64/.test(headers)) body = Buffer.from(body, 'base64').toString('utf8');
  else if (/content-transfer-encoding:\s*quoted-printable/.test(headers)) body = body.replace(/=\r\n/g, '').replace(/=3D/gi, '=');
  return /\/wachtwoord-herstellen\?token=(ps_[a-z]+_[\w-]+)/.exec(body)?.[1];
}

/** Starts, once per process, an SMTP server on 127.0.0.1 that keeps the latest one-time token per recipient. */
function mailInbox() {
  started ??= new Promise((resolve, reject) => {
    const tokens = new Map();
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks = [];
        stream.on('data', (chunk) => chunks.push(chunk));
        stream.on('end', () => {
          const token = tokenIn(Buffer.concat(chunks).toString('utf8'));
          if (token) for (const to of session.envelope.rcptTo) tokens.set(to.address.toLowerCase(), token);
          callback();
        });
      },
    });
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.server.unref(); // never keeps a benchmark alive
      resolve({
        url: `smtp://127.0.0.1:${server.server.address().port}`,
        /** The latest welcome or reset token mailed to this address. */
        tokenFor(email) {
          const token = tokens.get(email.toLowerCase());
          if (!token) throw new Error(`no link was mailed to ${email}`);
          return token;
        },
      });
    });
  });
  return started;
}

module.exports = { mailInbox };
