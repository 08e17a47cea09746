import type { FastifyBaseLogger } from 'fastify';
import type { Mailer } from '../platform/mail.js';
import type { RelayHandler } from './outbox-relay.js';

/**
 * The relay's handler for `mail.requested`: sends the message with a Message-ID derived from the
 * outbox row (stable across retries, so a receiving server can drop a duplicate), then blanks
 * its text: it may hold a one-use link that must not outlive its delivery.
 */
export function sendMailHandler(deps: { mailer: Mailer; log: FastifyBaseLogger; host: string }): RelayHandler<'mail.requested'> {
  return async (event, row) => {
    const mail = event.payload;
    const where = await deps.mailer.send({
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      messageId: `<outbox-${row.id}-${row.created_at.replace(/\D/g, '')}@${deps.host}>`,
      ...(mail.headers ? { headers: mail.headers } : {}),
    });
    deps.log.info({ outboxId: row.id, purpose: mail.purpose, deliveredTo: where }, 'mail sent');
    return { payload: { ...mail, text: '[sent]' } };
  };
}
