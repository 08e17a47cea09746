import { parse, YAMLParseError } from 'yaml';

export interface FrontMatterDocument {
  data: unknown;
  body: string;
}

export class FrontMatterError extends Error {
  override name = 'FrontMatterError';
}

/** Splits a Markdown file into its YAML front matter (between `---` lines at the top) and its body. */
export function parseFrontMatter(source: string): FrontMatterDocument {
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const match = /^---\n([\s\S]*?)\n---[ \t]*(?:\n|$)/.exec(text);
  if (!match) throw new FrontMatterError('the file must start with front matter between two "---" lines');
  let data: unknown;
  try {
    data = parse(match[1] ?? '', { prettyErrors: true, uniqueKeys: true, maxAliasCount: 50 });
  } catch (error) {
    const detail = error instanceof YAMLParseError ? error.message.split('\n')[0] : String(error);
    throw new FrontMatterError(`the front matter is not valid YAML: ${detail}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new FrontMatterError('the front matter must be a set of "field: value" lines');
  }
  return { data, body: text.slice(match[0].length) };
}
