import { browserUrlFile } from '../../web/browserUrlFile';
import { jsonLine, type Verb } from './verb';

/**
 * `procdeck token rotate`: browser mode's access token replaced by a new one (stored for later
 * starts), which disconnects every tab and event stream holding the old one. The new URL goes
 * to a terminal only, as browser mode's own announcement does; a pipe gets the file holding it.
 */
export const token: Verb = (program, context) => {
  const group = program.command('token').description("browser mode's access token");
  group
    .command('rotate')
    .description('make a new access token: every browser tab and API client holding the old one is disconnected and needs the new URL')
    .option('--json', "print access.rotateToken's answer ({url, notice?}) as JSON")
    .action(async (options: { json?: boolean }) => {
      const client = await context.client();
      const answer = await client.invoke('access.rotateToken', {});
      if (options.json) {
        context.io.out(jsonLine(answer));
        return;
      }
      const where = context.io.stdoutIsTerminal
        ? `Procdeck is now at ${answer.url}`
        : `The URL with the new token is in ${browserUrlFile(context.dataDir())}, readable only by you.`;
      context.io.out(`New access token. ${where}\nEvery tab and API client that held the old one was disconnected.\n`);
      if (answer.notice) context.io.err(`procdeck: ${answer.notice}\n`);
    });
};
