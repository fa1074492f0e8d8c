import { loadDataFile } from '../../src/cli/data-file';
import { DEFAULT_PORTAL_SETTINGS, portalSettings } from '../../src/core/profiles/portal-settings';

describe("the portal profile's settings (the UNVERIFIABLE points of onlyoffice-clients.md)", () => {
  it('ship in data/default.json with exactly the defaults the code falls back to', () => {
    expect(loadDataFile().portal).toEqual(DEFAULT_PORTAL_SETTINGS);
  });

  it('fall back to the defaults for what a data file leaves out, HResults and messages key by key', () => {
    const settings = portalSettings({ eventUidDomain: 'example.org', hresults: { Exception: 1 } as never });
    expect(settings.eventUidDomain).toBe('example.org');
    expect(settings.permissionsOrder).toBe('data-users');
    expect(settings.hresults.Exception).toBe(1);
    expect(settings.hresults.NullReferenceException).toBe(-2147467261);
    expect(settings.messages.nullReference).toBe('Object reference not set to an instance of an object.');
  });
});
