import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { boot } from './boot.js';
import { ConfigError, loadConfig } from './config/config.js';
import { openStore } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { runUserCommand } from './cli-user.js';
import { DomainError, ValidationError } from './errors.js';
import { rebuildSearchIndex } from './modules/search/index.js';
import { importStory, storyPath } from './modules/stories/index.js';
import { createLogger } from './platform/logger.js';

const usage = `Usage: readout <command> [options]

Commands:
  migrate                  Bring the database schema up to date.
  import-story FILE.md…    Create or update stories from Markdown files with front matter.
  user create --name NAME --email EMAIL --role ROLE
                           Create a staff account; prints a one-time password to change at first sign-in.
  user list                List staff accounts with their roles.
  user set-role EMAIL ROLE Change a role (admin, editor, author, moderator).
  user reset-password EMAIL
                           Replace a password with a one-time password and end that person's sessions.
  search:rebuild           Rebuild the search index from the published stories.
  help                     Show this help.

The database is chosen by DATABASE_URL (default: SQLite at data/readout.db); see docs/configuration.md.`;

/** Runs one CLI command; returns the process exit code. */
export async function runCli(argv: string[], out = console.log, err = console.error): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || ['help', '--help', '-h'].includes(command)) {
    out(usage);
    return command === undefined ? 2 : 0;
  }
  const config = loadConfig();
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  switch (command) {
    case 'migrate': {
      const store = openStore(config.database);
      try {
        const applied = await migrateToLatest(store);
        out(applied.length > 0 ? `Applied migrations: ${applied.join(', ')}` : 'The database is up to date.');
        return 0;
      } finally {
        await store.destroy();
      }
    }
    case 'import-story': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true, options: {} });
      if (positionals.length === 0) {
        err('import-story: give one or more Markdown files, e.g. readout import-story story.md');
        return 2;
      }
      const runtime = await boot(config, { log, seed: false, jobs: false });
      let failures = 0;
      try {
        for (const file of positionals) {
          let source: string;
          try {
            source = fs.readFileSync(file, 'utf8');
          } catch (error) {
            err(`${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
            failures++;
            continue;
          }
          try {
            const { story, created } = await importStory(runtime.deps, source);
            out(`${file}: ${created ? 'created' : 'updated'} "${story.headline}" at ${config.publicUrl}${storyPath(story.slug)}`);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            err(`${file}: not imported: ${error.message}`);
            failures++;
          }
        }
      } finally {
        await runtime.close();
      }
      return failures > 0 ? 1 : 0;
    }
    case 'user': {
      const runtime = await boot(config, { log, seed: false, jobs: false });
      try {
        return await runUserCommand(runtime.deps, rest, out, err);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        err(`user ${rest[0] ?? ''}: ${error instanceof ValidationError ? Object.values(error.fieldErrors).join(' ') : error.message}`);
        return 1;
      } finally {
        await runtime.close();
      }
    }
    case 'search:rebuild': {
      const runtime = await boot(config, { log, seed: false, jobs: false });
      try {
        const started = Date.now();
        const count = await rebuildSearchIndex(runtime.deps);
        out(`Search index rebuilt: ${count} published ${count === 1 ? 'story' : 'stories'} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
        return 0;
      } finally {
        await runtime.close();
      }
    }
    default:
      err(`Unknown command "${command}".\n\n${usage}`);
      return 2;
  }
}

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : `readout: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
