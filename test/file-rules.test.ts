/** CONV-1: the rules an upload passes before it is stored: allowed types, bytes that match them, and safe names. */
import t from 'tap';
import { allowedMediaType, bytesMatchType } from '../src/files/media-types.js';
import { contentDisposition, sanitizeFileName } from '../src/files/file-names.js';
import { Limits } from '../protocol/limits.js';

t.test('CONV-1: Content-Type is matched without case or parameters, against the allowlist only', async (t) => {
  t.equal(allowedMediaType('image/PNG'), 'image/png');
  t.equal(allowedMediaType(' text/plain ; charset=utf-8'), 'text/plain');
  t.equal(allowedMediaType('application/pdf'), 'application/pdf');
  for (const refused of ['', 'image/svg+xml', 'text/html', 'application/octet-stream', 'image/png2', 'image'])
    t.equal(allowedMediaType(refused), undefined, refused || '(empty)');
});

t.test('CONV-1: bytes must be of the declared type', async (t) => {
  const b = (...parts: (string | number[])[]) =>
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
  const cases: [Parameters<typeof bytesMatchType>[0], Buffer, boolean][] = [
    ['image/png', b([0x89], 'PNG\r\n\x1a\n', 'rest'), true],
    ['image/png', b([0x89], 'PNG\r\n'), false], // cut short
    ['image/jpeg', b([0xff, 0xd8, 0xff, 0xdb]), true],
    ['image/jpeg', b([0xff, 0xd8]), false],
    ['image/gif', b('GIF87a...'), true],
    ['image/gif', b('GIF89a...'), true],
    ['image/gif', b('GIF90a...'), false],
    ['image/webp', b('RIFF', [1, 2, 3, 4], 'WEBPVP8 '), true],
    ['image/webp', b('RIFF', [1, 2, 3, 4], 'WAVEfmt '), false], // a RIFF that is audio
    ['application/pdf', b('%PDF-1.4\n'), true],
    ['application/pdf', b(' %PDF-1.4'), false],
    ['text/plain', Buffer.from('plain 文本 ✓\r\n\t'), true],
    ['text/plain', b([0xc3, 0x28]), false], // invalid UTF-8
    ['text/plain', b('a', [0], 'b'), false],
    ['text/plain', b([0x89], 'PNG\r\n\x1a\n'), false], // a PNG is not UTF-8 text
  ];
  for (const [type, bytes, ok] of cases)
    t.equal(bytesMatchType(type, bytes), ok, `${type}: ${bytes.toString('hex').slice(0, 24)}`);
});

t.test('CONV-1: file names are made harmless and bounded', async (t) => {
  t.equal(sanitizeFileName('report.pdf'), 'report.pdf');
  t.equal(sanitizeFileName('../../etc/passwd'), 'passwd', 'no directories');
  t.equal(sanitizeFileName('C:\\Users\\me\\photo.jpg'), 'photo.jpg', 'nor Windows ones');
  t.equal(sanitizeFileName('.htaccess'), 'htaccess', 'no hidden files');
  t.equal(sanitizeFileName('..'), 'file');
  t.equal(sanitizeFileName(''), 'file');
  t.equal(sanitizeFileName(null), 'file');
  t.equal(sanitizeFileName('a\u0000b\nc\td.txt'), 'a_b_c_d.txt', 'control characters');
  t.equal(
    sanitizeFileName('invoice\u202Efdp.exe'),
    'invoice_fdp.exe',
    'no right-to-left override to disguise an extension',
  );
  t.equal(
    sanitizeFileName('say "hi" <now>?.txt'),
    'say _hi_ _now__.txt',
    'no quotes or characters file systems refuse',
  );
  t.equal(sanitizeFileName('  many   spaces  .txt '), 'many spaces .txt');
  t.equal(sanitizeFileName('e\u0301.txt'), '\u00e9.txt', 'NFC');

  const long = sanitizeFileName(`${'x'.repeat(500)}.jpeg`);
  t.equal(long.length, Limits.maxFileNameLength);
  t.ok(long.endsWith('x.jpeg'), 'shortened, keeping the extension');
  const emoji = sanitizeFileName('😀'.repeat(150));
  t.ok(emoji.length <= Limits.maxFileNameLength);
  t.notOk(/[\ud800-\udbff]$/.test(emoji), 'never cut inside a surrogate pair');
  t.equal(
    sanitizeFileName(`${'y'.repeat(300)}.${'z'.repeat(40)}`).length,
    Limits.maxFileNameLength,
    'a long "extension" is not kept whole',
  );
});

t.test('CONV-1: Content-Disposition carries an ASCII fallback and the exact name', async (t) => {
  t.equal(contentDisposition('inline', 'cat.png'), `inline; filename="cat.png"; filename*=UTF-8''cat.png`);
  t.equal(
    contentDisposition('attachment', "报价 (v1)'s.pdf"),
    `attachment; filename="__ (v1)'s.pdf"; filename*=UTF-8''%E6%8A%A5%E4%BB%B7%20%28v1%29%27s.pdf`,
  );
});
