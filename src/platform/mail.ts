import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../config/config.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Stable across retries, so a receiving server can drop a duplicate. */
  messageId: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  /** Sends one message; resolves with where it went (an SMTP answer or a file path). */
  send(mail: OutgoingMail): Promise<string>;
  close(): void;
}

/**
 * Outgoing mail: through SMTP when SMTP_URL is set; otherwise each message is written as an .eml
 * file under data/outbox/ so a newcomer's site works without a mail server.
 */
export function createMailer(config: Config['mail']): Mailer {
  if (config.smtpUrl) {
    const transport = nodemailer.createTransport(config.smtpUrl);
    return {
      send: async (mail) => {
        const info = await transport.sendMail({ from: config.from, ...mail });
        return `SMTP ${info.response}`;
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    send: async (mail) => {
      const info = await transport.sendMail({ from: config.from, ...mail });
      fs.mkdirSync(config.outboxDir, { recursive: true });
      const file = path.join(config.outboxDir, `${mail.messageId.replace(/[^a-zA-Z0-9._-]/g, '_')}.eml`);
      fs.writeFileSync(file, info.message as Buffer);
      return file;
    },
    close: () => transport.close(),
  };
}
