import { expect, test } from './browserHost';

test('the token leaves the address bar once the page is loaded, and a reload still connects (by the cookie)', async ({ app, host }) => {
  expect(host.url).toContain('?token=');
  await expect.poll(() => app.url()).toBe(`${host.origin}/`);
  await app.reload();
  await expect(app.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();
  expect(app.url()).toBe(`${host.origin}/`);
});
