/** Where the browser tests find Debian's Chromium. */
export const chromiumPath = '/usr/bin/chromium';
