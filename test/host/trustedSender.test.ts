import { describe, expect, it } from 'vitest';
import { isTrustedSender, type FrameLike, type IpcEventLike, type TrustedWindow } from '../../electron/main/trustedSender';
import { isRendererUrl, rendererLocation } from '../../electron/main/rendererLocation';

const INDEX = '/opt/procdeck/dist/renderer/index.html';
const location = rendererLocation(INDEX, undefined);

const frame = (overrides: Partial<FrameLike> = {}): FrameLike => ({
  url: `file://${INDEX}`,
  parent: null,
  processId: 11,
  routingId: 1,
  detached: false,
  isDestroyed: () => false,
  ...overrides,
});

const mainFrame = frame();
const ourWindow: TrustedWindow = { webContentsId: 3, mainFrame: () => mainFrame, isRendererUrl: (url) => isRendererUrl(location, url) };
const event = (senderFrame: FrameLike | null, senderId = 3): IpcEventLike => ({ senderFrame, sender: { id: senderId } });

describe('IPC sender check', () => {
  it('accepts the main frame of our window showing our page', () => {
    expect(isTrustedSender(event(mainFrame), ourWindow)).toBe(true);
    // Electron may hand out a fresh wrapper for the same frame: same process and routing id.
    expect(isTrustedSender(event(frame({ url: `file://${INDEX}#/jobs?x=1` })), ourWindow)).toBe(true);
  });

  it('refuses a sub-frame, even one showing our page', () => {
    expect(isTrustedSender(event(frame({ parent: mainFrame, routingId: 2 })), ourWindow)).toBe(false);
    expect(isTrustedSender(event(frame({ parent: mainFrame })), ourWindow)).toBe(false);
  });

  it('refuses other pages and origins', () => {
    for (const url of ['https://attacker.example/', 'file:///etc/passwd', 'file:///opt/procdeck/dist/renderer/other.html', 'about:blank', 'data:text/html,hi', 'not a url']) {
      expect(isTrustedSender(event(frame({ url })), ourWindow), url).toBe(false);
    }
  });

  it('refuses a destroyed, detached or missing frame, another webContents, and a closed window', () => {
    expect(isTrustedSender(event(null), ourWindow)).toBe(false);
    expect(isTrustedSender(event(frame({ isDestroyed: () => true })), ourWindow)).toBe(false);
    expect(isTrustedSender(event(frame({ detached: true })), ourWindow)).toBe(false);
    expect(isTrustedSender(event(mainFrame, 4), ourWindow)).toBe(false);
    expect(isTrustedSender(event(frame({ processId: 12 })), ourWindow)).toBe(false);
    expect(isTrustedSender(event(mainFrame), { ...ourWindow, mainFrame: () => undefined })).toBe(false);
  });

  it('refuses a frame that throws when looked at (being torn down)', () => {
    const dying = {
      ...frame(),
      get url(): string {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    };
    expect(isTrustedSender(event(dying), { ...ourWindow, mainFrame: () => dying })).toBe(false);
  });
});

describe('renderer location', () => {
  it('in development trusts only the dev server origin on this machine', () => {
    const dev = rendererLocation(INDEX, 'http://localhost:5173/');
    expect(isRendererUrl(dev, 'http://localhost:5173/index.html')).toBe(true);
    expect(isRendererUrl(dev, 'http://localhost:5174/')).toBe(false);
    expect(isRendererUrl(dev, `file://${INDEX}`)).toBe(false);
    expect(() => rendererLocation(INDEX, 'http://example.com:5173/')).toThrow(/on this machine/);
    expect(() => rendererLocation(INDEX, 'https://localhost:5173/')).toThrow();
  });

  it('in production trusts only our index.html', () => {
    expect(isRendererUrl(location, `file://${INDEX}`)).toBe(true);
    expect(isRendererUrl(location, `file://remotehost${INDEX}`)).toBe(false);
  });
});
