import { symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lookupStaticFile } from '../../electron/web/staticFiles';
import { fakeRendererDir, removeFakeRenderers } from './helpers';

afterAll(removeFakeRenderers);

describe('static file lookup', () => {
  const root = fakeRendererDir();
  symlinkSync(join(dirname(root), 'secret.txt'), join(root, 'escape.txt'));

  it('serves index.html for / and files below the root', () => {
    expect(lookupStaticFile(root, '/')).toMatchObject({ kind: 'file', contentType: 'text/html; charset=utf-8' });
    expect(lookupStaticFile(root, '/assets/app.js')).toMatchObject({ kind: 'file', contentType: 'text/javascript; charset=utf-8' });
    expect(lookupStaticFile(root, '/missing.js')).toEqual({ kind: 'not-found' });
    expect(lookupStaticFile(root, '/assets')).toEqual({ kind: 'not-found' });
  });

  it('refuses every way out of the root', () => {
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/%00', '/%E0%A4%A', '/escape.txt']) {
      expect(lookupStaticFile(root, path), path).toEqual({ kind: 'bad-path' });
    }
  });
});
