import { z } from 'zod';
import type { WebhookRow } from '../../db/schema.js';
import { ValidationError } from '../../errors.js';
import { webhookEventNames, type WebhookEventName } from './webhooks.events.js';

export const webhookRules = { urlLength: 2_000, descriptionLength: 200, logLength: 50 } as const;

/** The create/change form as typed: kept as is when the form is shown again with errors. */
export interface WebhookFormInput {
  url: string;
  description: string;
  events: string[];
}

export interface WebhookSettings {
  url: string;
  description: string;
  events: WebhookEventName[];
}

const text = z.string().max(20_000).optional().default('');
/** Ticked checkboxes arrive as one string, several, or none. */
const formBody = z.object({
  url: text,
  description: text,
  events: z
    .union([z.string().max(100), z.array(z.string().max(100)).max(20)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
});

/** Reads the posted form; undefined when it was not sent as this site's form sends it. */
export function readWebhookForm(body: unknown): WebhookFormInput | undefined {
  const parsed = formBody.safeParse(body ?? {});
  return parsed.success ? parsed.data : undefined;
}

/** Checks the form: an http(s) address, a short description, at least one known event. */
export function parseWebhookForm(input: WebhookFormInput): WebhookSettings {
  const errors: Record<string, string> = {};
  const url = input.url.trim();
  const urlError = checkUrl(url);
  if (urlError) errors.url = urlError;
  const description = input.description.replace(/\s+/g, ' ').trim();
  if ([...description].length > webhookRules.descriptionLength) errors.description = `Use at most ${webhookRules.descriptionLength} characters.`;
  else if (/[\u0000-\u001f\u007f]/.test(description)) errors.description = 'Use letters, digits and punctuation only.';
  const events = webhookEventNames.filter((name) => input.events.includes(name));
  if (input.events.some((e) => !(webhookEventNames as readonly string[]).includes(e))) errors.events = 'Choose among the events listed.';
  else if (events.length === 0) errors.events = 'Choose at least one event to send.';
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return { url, description, events };
}

function checkUrl(url: string): string | undefined {
  if (url === '') return 'Give the address to send events to, e.g. https://chat.example.org/hooks/abc.';
  if (url.length > webhookRules.urlLength) return `Use an address of at most ${webhookRules.urlLength} characters.`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'This is not a web address. Start it with https:// (or http://).';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'Use an http:// or https:// address.';
  if (parsed.hostname === '') return 'The address needs a host name.';
  if (parsed.username !== '' || parsed.password !== '') return 'Leave the user name and password out of the address.';
  return undefined;
}

/** The events a stored webhook is subscribed to (unknown names in the stored JSON are ignored). */
export function subscribedEvents(hook: Pick<WebhookRow, 'events'>): WebhookEventName[] {
  try {
    const stored: unknown = JSON.parse(hook.events);
    return Array.isArray(stored) ? webhookEventNames.filter((name) => stored.includes(name)) : [];
  } catch {
    return [];
  }
}
