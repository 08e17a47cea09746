/**
 * Auto-escaping HTML templates. Every interpolated value is escaped unless it is already
 * SafeHtml (the result of another `html` template, or of `raw` on HTML we produced ourselves).
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const needsEscape = /[&<>"']/;
const escapeChars = /[&<>"']/g;

export function escapeHtml(text: string): string {
  return needsEscape.test(text) ? text.replace(escapeChars, (c) => escapes[c] as string) : text;
}

/** Interpolated value: text (escaped), SafeHtml (as is), arrays (each), and null/undefined/false (nothing). */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) {
    let out = '';
    for (const item of value as readonly HtmlValue[]) out += render(item);
    return out;
  }
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] as string;
  for (let i = 0; i < values.length; i++) {
    out += render(values[i]);
    out += strings[i + 1] as string;
  }
  return new SafeHtml(out);
}

/** Marks HTML as safe. Only for HTML that our own renderer produced (e.g. stored Markdown output). */
export function raw(trusted: string): SafeHtml {
  return new SafeHtml(trusted);
}

/** Escapes a value for embedding in a <script type="application/json"> or JSON-LD block. */
export function jsonForScript(value: unknown): SafeHtml {
  return new SafeHtml(JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => scriptEscapes[c] as string));
}

const scriptEscapes: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };
